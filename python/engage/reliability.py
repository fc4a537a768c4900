"""Reliability of multi-item scales: Cronbach's alpha, McDonald's omega_total, and alpha per group.

Items come as an ``n × k`` array or a DataFrame of item columns (one row per respondent); ``NaN`` (or pandas NA)
is missing. Two missing-data policies:

- ``missing="pairwise"`` (psych's and pingouin's default): every covariance from the rows answering both items.
  As in psych 2.2.9 and pingouin 0.7.0, ``n`` (for the Feldt interval and the standard error) is then every row of
  the input, including rows with missing answers.
- ``missing="listwise"``: complete rows only (pingouin's ``"listwise"``, R ``multilevel::cronbach``).

The figures reproduce R ``psych::alpha`` (raw and standardized alpha, G6(smc), average and median r, S/N, the
asymptotic SE, the Feldt interval, item statistics and alpha if an item is dropped) and
``psych::omega(x, nfactors=1)$omega.tot``. Formulas and conventions are in the C++ header
``include/engage/reliability.hpp`` (Cronbach 1951; Feldt, Woodruff & Salih 1987; Duhachek & Iacobucci 2004;
McDonald 1999).
"""

from __future__ import annotations

import html
import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, NoReturn, Sequence

import numpy as np
import pandas as pd

from ._errors import InvalidInputError, InvalidTypeError
from . import _core
from ._grouping import SUPPRESSION_REASONS, group_keys
from .confidentiality import Release, _check_hidden_n, _min_group_size, _names, _publication, _registered
from ._results import ConfidenceInterval, Result
from ._validation import (
    FloatArray,
    check_choice,
    frame_columns,
    item_matrix,
    level,
    real_number,
    resampling,
    scored_items,
    whole_number,
)
from .warnings import EngageWarning

MissingPolicy = Literal["pairwise", "listwise"]
_MISSING = ("pairwise", "listwise")

__all__ = ["CronbachAlphaResult", "OmegaResult", "cronbach_alpha", "cronbach_alpha_by", "feldt_interval", "omega"]


def _item_matrix(items: Any, scale: Any, dont_know: Any, reverse: Any) -> tuple[FloatArray, list[Any] | None]:
    """The answers as scored (``scored_items``: checked against ``scale``, don't-know cells NaN, reverse-keyed items
    reversed) in a C-contiguous float64 n × k matrix, and the item names (DataFrame columns; None for arrays).
    Boolean items are read as 0/1 (dichotomous items: alpha is then KR-20)."""
    if isinstance(items, pd.Series):
        raise InvalidInputError(
            "items must be two-dimensional (rows = respondents, columns = items); got a Series "
            "(pass a DataFrame of item columns)"
        )
    it = item_matrix(items, "items", allow_bool=True)
    return np.ascontiguousarray(scored_items(it, scale, dont_know, reverse)), it.names


def _reraise_with_names(err: ValueError, names: list[Any] | None) -> NoReturn:
    """Re-raise a core error, adding the column name after every ``items[:, j]`` / ``items[i, j]`` it mentions."""
    if names is None:
        raise err
    text = str(err)

    def label(m: re.Match[str]) -> str:
        j = int(m.group(2))
        return f"{m.group(0)} (column {names[j]!r})" if 0 <= j < len(names) else m.group(0)

    raise type(err)(re.sub(r"items\[(:|\d+), (\d+)\]", label, text)) from None


def _index(names: list[Any] | None, k: int) -> pd.Index:
    return pd.Index(names, name="item") if names is not None else pd.RangeIndex(k, name="item")


@dataclass(frozen=True, repr=False)
class CronbachAlphaResult(Result):
    """Cronbach's alpha with psych's companions.

    Attributes
    ----------
    statistic : float
        Raw alpha, ``k/(k−1)·(1 − tr C / 1'C1)`` from the item covariances C.
    standardized : float
        Standardized alpha from the correlations R = cov2cor(C).
    g6 : float
        Guttman's λ6 from the squared multiple correlations; NaN when R is singular.
    average_r, median_r : float
        Mean and median inter-item correlation.
    signal_to_noise : float
        ``k·r̄/(1 − r̄)``.
    standard_error : float
        Asymptotic SE of alpha (Duhachek & Iacobucci 2004) as psych computes it, ``sqrt(Q/n)``.
    mean, sd : float
        Of the person scores (each respondent's mean of the answered items), as psych's ``mean`` and ``sd``.
    n : int
        Rows behind the interval and SE: all rows under pairwise deletion, complete rows under listwise.
    n_items : int
    missing : int
        Missing (NaN) cells in the input.
    rows_dropped : int
        Rows not used (listwise deletion: rows with a missing answer; pairwise: 0).
    missing_policy : str
        ``"pairwise"`` or ``"listwise"``.
    item_stats : DataFrame
        One row per item (input order; index = item names): ``n``, ``mean``, ``sd``, ``raw_r`` (item with the
        person score), ``std_r``, ``r_cor``, ``r_drop`` (item with the sum of the others), and, on the other
        k − 1 items, ``alpha_if_dropped``, ``std_alpha_if_dropped``, ``g6_if_dropped``, ``average_r_if_dropped``,
        ``signal_to_noise_if_dropped``, ``standard_error_if_dropped``, ``var_r_if_dropped``,
        ``median_r_if_dropped`` (NaN with 2 items).
    covariance, correlation : DataFrame
        C and R.
    """

    statistic: float
    standardized: float
    g6: float
    average_r: float
    median_r: float
    signal_to_noise: float
    standard_error: float
    mean: float
    sd: float
    n: int
    n_items: int
    missing: int
    rows_dropped: int
    missing_policy: str
    item_stats: pd.DataFrame = field(compare=False)
    covariance: pd.DataFrame = field(compare=False)
    correlation: pd.DataFrame = field(compare=False)
    _items: FloatArray = field(repr=False, compare=False)

    def _repr_html_(self) -> str:
        """The summary table, then the item table (notebooks)."""
        items = self.item_stats.to_html(float_format=lambda v: f"{v:.4g}", na_rep="NaN")
        return f"{super()._repr_html_()}<p>item_stats</p>{items}"

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar figures plus the 95% Feldt interval (``low``, ``high``)."""
        frame = super().to_frame()
        low, high = self.confidence_interval()
        frame["low"], frame["high"] = low, high
        return frame

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        method: Literal["feldt", "bootstrap"] = "feldt",
        *,
        n_resamples: int = 1000,
        seed: int = 0,
    ) -> ConfidenceInterval:
        """Confidence interval for alpha.

        Parameters
        ----------
        confidence_level : float
            In (0, 1).
        method : {"feldt", "bootstrap"}
            ``"feldt"`` (default): Feldt, Woodruff & Salih (1987), with F on (n − 1, (n − 1)(k − 1)) degrees of
            freedom, as psych and pingouin. ``"bootstrap"``: percentile bootstrap over rows, with the same
            missing-data policy, seeded (each resample has its own stream, so results repeat on every machine).

        Examples
        --------
        >>> import engage
        >>> a = engage.cronbach_alpha([[1, 2, 2], [2, 2, 3], [4, 5, 4], [5, 4, 5], [3, 3, 2]])
        >>> low, high = a.confidence_interval()
        >>> round(low, 3), round(high, 3)
        (0.604, 0.991)
        """
        check_choice(method, "method", ("feldt", "bootstrap"))
        confidence_level = level(confidence_level)
        if method == "feldt":
            low, high = _core.cronbach_alpha_feldt(self.statistic, self.n, self.n_items, confidence_level)
        else:
            n_resamples, seed = resampling(n_resamples, seed)
            low, high = _core.cronbach_alpha_bootstrap(self._items, self.missing_policy, confidence_level, n_resamples,
                                                       seed)
        return ConfidenceInterval(low, high)


def feldt_interval(
    statistic: float, n: int, n_items: int, confidence_level: float = 0.95
) -> ConfidenceInterval:
    """Feldt, Woodruff & Salih (1987) interval for a published alpha from its n and number of items.

    ``1 − (1 − α)·F⁻¹(1 − γ/2; n − 1, (n − 1)(k − 1))`` to ``1 − (1 − α)·F⁻¹(γ/2; …)``, γ = 1 − level: the
    interval of ``CronbachAlphaResult.confidence_interval()``, for when only the summary figures are at hand.

    Examples
    --------
    >>> import engage
    >>> low, high = engage.reliability.feldt_interval(0.8431428, n=30, n_items=7)
    >>> round(low, 6), round(high, 6)
    (0.739376, 0.915773)
    """
    return ConfidenceInterval(*_core.cronbach_alpha_feldt(
        real_number(statistic, "statistic"), whole_number(n, "n", 0), whole_number(n_items, "n_items", 0),
        level(confidence_level)))


def cronbach_alpha(
    items: Any,
    *,
    missing: MissingPolicy = "pairwise",
    scale: tuple[int, int] | None = None,
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
) -> CronbachAlphaResult:
    """Cronbach's alpha of a multi-item scale, with psych's full output.

    Parameters
    ----------
    items : array-like or DataFrame
        ``n × k`` answers, one row per respondent and one column per item (at least 2). NaN or pandas NA is
        missing. Any real numbers (and booleans, as 0/1: alpha is then KR-20) unless ``scale`` is given.
    missing : {"pairwise", "listwise"}
        Missing-data policy (see the module docstring). The default matches R ``psych::alpha`` and
        ``pingouin.cronbach_alpha``.
    scale : (low, high), optional
        The response scale, as in ``engage.engagement_index``: every answer must then be a whole number from low
        to high, NaN or the ``dont_know`` code; anything else is an ``InvalidInputError`` naming its row, column
        and value (the same check as ``engagement_index``). Default None: no scale check, so that alpha of
        continuous scores stays possible; a don't-know code such as 9 on a 1–5 scale is then taken as an answer
        unless ``dont_know`` is given.
    dont_know : float, optional
        The "don't know / does not apply" code (e.g. 9): treated as missing (with ``scale``, it must lie off it).
    reverse : list of int or str, optional
        Reverse-keyed items (positions, or column names of a DataFrame), scored ``low + high - x``; needs
        ``scale``.

    Returns
    -------
    CronbachAlphaResult
        ``statistic`` (raw alpha), ``standardized``, ``g6``, ``average_r``, ``median_r``, ``signal_to_noise``,
        ``standard_error``, ``mean``, ``sd``, counts, ``item_stats`` and ``confidence_interval()``.

    Raises
    ------
    InvalidInputError
        Fewer than 2 items, an infinite answer (the message names the cell), an answer off ``scale``, an unknown
        ``missing``; ``InvalidTypeError`` (also a ``TypeError``) for a non-numeric, complex, date or duration
        column.
    InsufficientDataError
        All answers missing, fewer than 2 usable rows, an item answered fewer than twice, two items answered
        together fewer than twice (pairwise), or a constant item (the message names it: drop it first).
    TypeError, ValueError
        Non-numeric or one-dimensional input.

    Examples
    --------
    >>> import engage
    >>> a = engage.cronbach_alpha([[1, 2, 2], [2, 2, 3], [4, 5, 4], [5, 4, 5], [3, 3, 2]])
    >>> round(a.statistic, 4), round(a.standardized, 4), a.n
    (0.9216, 0.9236, 5)
    >>> a.item_stats["alpha_if_dropped"].round(3).tolist()
    [0.828, 0.909, 0.909]

    On a 1–5 scale with 9 for "don't know", name both (otherwise the 9s count as answers):

    >>> x = [[1, 2, 2], [2, 2, 3], [4, 5, 4], [5, 4, 5], [3, 3, 2], [4, 9, 4]]
    >>> round(engage.cronbach_alpha(x, scale=(1, 5), dont_know=9).statistic, 4)
    0.9406
    >>> engage.cronbach_alpha(x, scale=(1, 5))
    Traceback (most recent call last):
    ...
    engage._core.InvalidInputError: items[5, 1] = 9: not a response on the scale: responses must be whole numbers from 1 to 5; use NaN for a skipped item
    """
    check_choice(missing, "missing", _MISSING)
    x, names = _item_matrix(items, scale, dont_know, reverse)
    try:
        r = _core.cronbach_alpha(x, missing)
    except ValueError as err:
        _reraise_with_names(err, names)
    index = _index(names, x.shape[1])
    stats = r.pop("item_stats")
    item_stats = pd.DataFrame(stats, index=index)
    cov = pd.DataFrame(r.pop("covariance"), index=index, columns=index)
    cor = pd.DataFrame(r.pop("correlation"), index=index, columns=index)
    return CronbachAlphaResult(item_stats=item_stats, covariance=cov, correlation=cor, _items=x, **r)


@dataclass(frozen=True, repr=False)
class OmegaResult(Result):
    """McDonald's omega_total from a one-factor minres fit.

    Attributes
    ----------
    omega_total : float
        ``1 − Σψ / 1'R1`` (ψ_i = 1 − λ_i², R the observed item correlations): ``psych::omega(x,
        nfactors=1)$omega.tot``. See ``formula``.
    omega_total_model : float
        ``(Σλ)² / ((Σλ)² + Σψ)``: the same with the model-implied denominator (equal to ``omega_total`` when the
        one-factor model fits exactly).
    explained_variance, explained_variance_ratio : float
        ``Σλ²`` (psych's "SS loadings") and ``Σλ²/k``.
    loadings, uniquenesses : Series
        λ and ψ per item (input order). Loadings are signed so that their sum is positive and are not
        bounded: ``heywood`` is True when some λ² > 1.
    formula : str
        The formula behind ``omega_total``, in words.
    n, n_items, missing, rows_dropped, missing_policy
        As in ``CronbachAlphaResult``.
    iterations : int
        Coordinate sweeps plus Newton steps of the minres fit (converged to a gradient below 1e-12, or at
        rounding level).
    correlation : DataFrame
        The correlation matrix that was fitted (R's ``cor(x, use="pairwise")`` under pairwise deletion).
    """

    omega_total: float
    omega_total_model: float
    explained_variance: float
    explained_variance_ratio: float
    loadings: pd.Series = field(compare=False)
    uniquenesses: pd.Series = field(compare=False)
    formula: str = field(repr=False)
    heywood: bool
    n: int
    n_items: int
    missing: int
    rows_dropped: int
    missing_policy: str
    iterations: int
    max_gradient: float
    correlation: pd.DataFrame = field(compare=False)

    def _repr_html_(self) -> str:
        """The summary table, then loadings and uniquenesses per item, then the formula (notebooks)."""
        per_item = self.loadings_frame().to_html(float_format=lambda v: f"{v:.4g}")
        return f"{super()._repr_html_()}{per_item}<p>{html.escape(self.formula)}</p>"

    def loadings_frame(self) -> pd.DataFrame:
        """Loadings and uniquenesses, one row per item (input order)."""
        return pd.concat([self.loadings, self.uniquenesses], axis=1)


def omega(
    items: Any,
    *,
    missing: MissingPolicy = "pairwise",
    scale: tuple[int, int] | None = None,
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
) -> OmegaResult:
    """McDonald's omega_total from a one-factor minimum-residual (minres) factor model.

    The loadings minimise the sum of squared off-diagonal residuals of the item correlation matrix, the criterion
    of R ``psych::fa(x, 1, fm="minres")``; ``omega_total`` is then ``1 − Σψ / 1'R1`` exactly as
    ``psych::omega(x, nfactors=1)$omega.tot`` computes it (psych uses the observed correlation sum 1'R1 as the
    denominator). engage solves the minres problem to full precision; psych's optimiser stops earlier, so
    loadings agree with psych to about 1e-6 and omega_total to about 1e-7.

    Parameters
    ----------
    items : array-like or DataFrame
        ``n × k`` answers (k ≥ 3), items keyed in the same direction (or named in ``reverse``). Unlike psych,
        engage does not flip items with negative loadings; it warns (``EngageWarning``) instead, as it does for a
        Heywood case.
    missing : {"pairwise", "listwise"}
        ``"pairwise"`` (default, as psych) correlates each pair of items over the rows answering both.
    scale, dont_know, reverse
        As in ``engage.cronbach_alpha``: the scale check of ``engage.engagement_index`` (default None: none),
        the don't-know code (missing), reverse-keyed items (need ``scale``).

    Returns
    -------
    OmegaResult

    Raises
    ------
    InvalidInputError
        Fewer than 3 items (a one-factor model of 2 items is not identified), an infinite answer, an answer off
        ``scale``.
    InsufficientDataError
        As for ``cronbach_alpha``.
    ConvergenceError
        The minres fit did not converge (not seen in practice; the message gives the gradient).

    Examples
    --------
    >>> import engage
    >>> o = engage.omega([[1, 2, 2, 1], [2, 2, 3, 3], [4, 5, 4, 4], [5, 4, 5, 4], [3, 3, 2, 3], [2, 1, 2, 2]])
    >>> round(o.omega_total, 4), o.loadings.round(3).tolist()
    (0.9501, [0.972, 0.848, 0.88, 0.932])
    """
    check_choice(missing, "missing", _MISSING)
    x, names = _item_matrix(items, scale, dont_know, reverse)
    try:
        r = _core.omega(x, missing)
    except ValueError as err:
        _reraise_with_names(err, names)
    index = _index(names, x.shape[1])
    loadings = pd.Series(r.pop("loadings"), index=index, name="loading")
    uniquenesses = pd.Series(r.pop("uniquenesses"), index=index, name="uniqueness")
    cor = pd.DataFrame(r.pop("correlation"), index=index, columns=index)
    r.pop("objective")
    if r["heywood"]:
        warnings.warn(
            "omega: a Heywood case (some loading^2 > 1, negative uniqueness); omega_total is not trustworthy",
            EngageWarning,
            stacklevel=2,
        )
    negative = [str(name) for name, value in loadings.items() if value < 0]
    if negative:
        warnings.warn(
            f"omega: items {negative} load negatively on the factor; reverse-key them before computing omega",
            EngageWarning,
            stacklevel=2,
        )
    return OmegaResult(
        loadings=loadings, uniquenesses=uniquenesses, correlation=cor, formula=_core.omega_total_formula, **r
    )


def cronbach_alpha_by(
    frame: pd.DataFrame,
    items: Sequence[str],
    by: str | Sequence[str],
    *,
    missing: MissingPolicy = "listwise",
    scale: tuple[int, int] | None = None,
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
    min_group_size: int | None = None,
    confidence_level: float = 0.95,
    show_suppressed_n: bool = False,
    release: Release | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha for every group in one pass, under the confidentiality rules.

    Parameters
    ----------
    frame : DataFrame
        One row per respondent.
    items : list of str
        The item columns (at least 2).
    by : str or list of str
        Grouping columns; with several, complementary suppression works within the groups of all but the last
        column. Rows with a missing key form their own group.
    missing : {"listwise", "pairwise"}
        ``"listwise"`` (default) uses each group's complete rows; ``"pairwise"`` each covariance from the group's
        rows answering both items, with ``n`` = the group's rows answering at least one item (psych would also
        count rows with no answer; engage does not, so that they never count towards the minimum group size).
    scale, dont_know, reverse
        As in ``engage.cronbach_alpha``: the scale check of ``engage.engagement_index`` (default None: none),
        the don't-know code (missing), reverse-keyed items (need ``scale``).
    min_group_size : int, optional
        Fewest answers behind a published figure (default 5; with ``release``, the release's). Smaller groups
        are hidden, and the smallest other groups too where the shown ones and the totals would give them away
        (complementary suppression, decided by the release engine). Groups are judged on ``n``, the usable respondents.
    confidence_level : float
        Of the Feldt interval (``low``, ``high``), with each group's n.
    show_suppressed_n : bool
        Publish ``n`` and ``rows_dropped`` of hidden groups (their figures are never published).
    release : engage.Release, optional
        Publish the table in this release: it is then protected against every other table of the release (and
        they against it). Without it the call is a release of its own, protected against its own totals only:
        results of separate calls can be combined by whoever holds both.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n``, ``rows_dropped``, ``alpha``, ``standardized``, ``average_r``,
        ``standard_error``, ``low``, ``high``, ``note`` (why a shown group's alpha is not, or only partly,
        defined: fewer than 2 usable rows, a constant item, ...; empty otherwise), ``suppressed`` and
        ``suppression`` (``"shown"``, ``"below_minimum"``, ``"complementary"``). Hidden rows hold missing values.

    Examples
    --------
    >>> import engage, pandas as pd
    >>> df = pd.DataFrame({"team": ["a"] * 6 + ["b"] * 6 + ["c"] * 2,
    ...                    "q1": [1, 2, 4, 5, 3, 2, 3, 4, 4, 5, 2, 3, 1, 5],
    ...                    "q2": [2, 2, 5, 4, 3, 1, 3, 5, 4, 4, 2, 2, 2, 4],
    ...                    "q3": [2, 3, 4, 5, 2, 2, 4, 4, 3, 5, 1, 3, 1, 5]})
    >>> t = engage.cronbach_alpha_by(df, items=["q1", "q2", "q3"], by="team")
    >>> print(t[["team", "n", "alpha", "suppression"]].round(3).to_string(index=False))
    team    n  alpha   suppression
       a <NA>    NaN complementary
       b    6  0.894         shown
       c <NA>    NaN below_minimum
    >>> t = engage.cronbach_alpha_by(df, items=["q1", "q2", "q3"], by="team", min_group_size=2)
    >>> print(t[["team", "n", "alpha", "low", "high"]].round(3).to_string(index=False))
    team  n  alpha    low  high
       a  6  0.925  0.680 0.989
       b  6  0.894  0.549 0.984
       c  2  0.960 -0.540 1.000
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    check_choice(missing, "missing", _MISSING)
    if isinstance(items, str):
        raise InvalidTypeError("items must be a list of column names (at least 2), not a single string")
    columns = list(items)
    frame_columns(frame, columns, "items")
    size = _min_group_size(release, min_group_size)
    _check_hidden_n(release, show_suppressed_n)
    groups = group_keys(frame, by)
    x, names = _item_matrix(frame[columns], scale, dont_know, reverse)
    try:
        cols = _core.cronbach_alpha_by(
            x,
            groups.keys,
            missing=missing,
            confidence_level=level(confidence_level),
            min_group_size=size,
            parent_stride=groups.parent_stride,
            show_suppressed_n=show_suppressed_n,
            **_publication(release, frame, f"cronbach_alpha_by({_names(groups)})", columns),
        )
    except ValueError as err:
        _reraise_with_names(err, names)
    _registered(release, groups, cols["key"])
    status = cols.pop("status")
    hidden = status != 0
    labels = np.array(cols.pop("note_labels"), dtype=object)
    out = groups.decode(cols.pop("key"))
    for name in ("n", "rows_dropped"):
        col = pd.array(cols.pop(name), dtype="Int64")
        if not show_suppressed_n:
            col[hidden] = pd.NA
        out[name] = col
    for name in ("alpha", "standardized", "average_r", "standard_error", "low", "high"):
        out[name] = cols.pop(name)
    out["note"] = labels[cols.pop("note")]
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[status]
    return out
