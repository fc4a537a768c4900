"""Employee Net Promoter Score: the score, honest intervals, weights, groups and comparisons.

eNPS = % promoters − % detractors, in points from −100 to 100. Scores are whole numbers on the item's scale
(0–10 by default); ``NaN`` means missing, is counted in ``missing`` and excluded from ``n``. Cut-points are
``breaks = (low, detractor_max, passive_max, high)``: the default ``(0, 6, 8, 10)`` makes 0–6 detractors,
7–8 passives and 9–10 promoters; CultureIQ's 0–5 / 6–8 / 9–10 is ``CULTUREIQ_BREAKS = (0, 5, 8, 10)``.

Formulas and their sources are in the C++ header ``include/engage/enps.hpp`` (Rocks 2016; Tango 1998;
Zou & Donner 2008).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Sequence, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._grouping import SUPPRESSION_REASONS, group_keys
from .confidentiality import Release, _check_hidden_n, _min_group_size, _names, _publication, _registered
from ._errors import ColumnError, InvalidInputError, InvalidTypeError
from ._results import ConfidenceInterval, Result
from ._validation import (
    INT32_MAX,
    FloatArray,
    as_float_array,
    check_choice,
    frame_columns,
    level,
    optional_real_number,
    resampling,
    whole_number,
)

Breaks = tuple[int, int, int, int]
DEFAULT_BREAKS: Breaks = (0, 6, 8, 10)
CULTUREIQ_BREAKS: Breaks = (0, 5, 8, 10)

IntervalMethod = Literal["tango", "adjusted-wald", "wald", "bootstrap"]
_INTERVAL_METHODS = ("tango", "adjusted-wald", "wald", "bootstrap")

__all__ = [
    "CULTUREIQ_BREAKS",
    "DEFAULT_BREAKS",
    "EnpsComparison",
    "EnpsPairedComparison",
    "EnpsResult",
    "enps",
    "enps_by",
    "enps_compare",
    "enps_counts",
    "enps_from_counts",
]


def _breaks(breaks: Sequence[int]) -> list[int]:
    """Four whole numbers (the core holds them as C++ int)."""
    if isinstance(breaks, (str, bytes)) or not isinstance(breaks, Sequence) or len(breaks) != 4:
        raise InvalidInputError(
            f"breaks = {breaks!r}: expected four whole numbers (low, detractor_max, passive_max, high)")
    return [whole_number(x, "breaks", -INT32_MAX - 1, INT32_MAX) for x in breaks]


@dataclass(frozen=True, repr=False)
class EnpsResult(Result):
    """eNPS of one sample.

    Attributes
    ----------
    statistic : float
        eNPS in points, −100..100.
    n : int
        Respondents with a score (missing excluded).
    promoters, passives, detractors, missing : int
        Counts (unweighted).
    proportion_promoters, proportion_passives, proportion_detractors : float
        Shares 0..1 (weighted when weights were given).
    standard_error : float
        In points: multinomial ``sqrt(V/n)`` without weights, Taylor-linearised (as R ``survey::svymean``) with
        weights; includes the finite-population correction when ``population_size`` was given.
    effective_n : float
        Kish effective sample size ``(Σw)²/Σw²``; equals ``n`` without weights.
    """

    statistic: float
    n: int
    promoters: int
    passives: int
    detractors: int
    missing: int
    proportion_promoters: float
    proportion_passives: float
    proportion_detractors: float
    standard_error: float
    effective_n: float
    weighted: bool
    population_size: float | None
    _core: Any = field(repr=False, compare=False)
    _scores: FloatArray | None = field(default=None, repr=False, compare=False)
    _weights: FloatArray | None = field(default=None, repr=False, compare=False)
    _breaks: tuple[int, ...] = field(default=DEFAULT_BREAKS, repr=False, compare=False)

    @classmethod
    def _from_core(cls, r: Any, population_size: float | None, **private: Any) -> EnpsResult:
        return cls(
            statistic=r.statistic,
            n=int(r.n),
            promoters=int(r.promoters),
            passives=int(r.passives),
            detractors=int(r.detractors),
            missing=int(r.missing),
            proportion_promoters=r.proportion_promoters,
            proportion_passives=r.proportion_passives,
            proportion_detractors=r.proportion_detractors,
            standard_error=r.standard_error,
            effective_n=r.effective_n,
            weighted=bool(r.weighted),
            population_size=population_size,
            _core=r,
            **private,
        )

    @property
    def counts(self) -> Any:
        """The mergeable counts behind this result (``engage.enps_counts`` type; add chunks with ``+``)."""
        return self._core.counts

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        method: IntervalMethod = "tango",
        *,
        n_resamples: int = 9999,
        seed: int = 0,
    ) -> ConfidenceInterval:
        """Confidence interval in points.

        Parameters
        ----------
        confidence_level : float
            In (0, 1).
        method : {"tango", "adjusted-wald", "wald", "bootstrap"}
            ``"tango"`` (default): score interval, always within ±100, good coverage at small n.
            ``"adjusted-wald"``: pseudo-counts ¾, 3/2, ¾ (Rocks 2016). ``"wald"``: estimate ± z·SE; zero width when
            everyone is in one category and can leave ±100. ``"bootstrap"``: seeded percentile bootstrap.
            With weights, adjusted Wald and Tango use the Kish effective n.

        Examples
        --------
        >>> import engage
        >>> r = engage.enps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
        >>> low, high = r.confidence_interval()
        >>> round(low, 1), round(high, 1)
        (-15.3, 75.3)
        """
        check_choice(method, "method", _INTERVAL_METHODS)
        confidence_level = level(confidence_level)
        n_resamples, seed = resampling(n_resamples, seed)
        if method == "bootstrap" and self.weighted:
            if self._scores is None or self._weights is None:
                raise InvalidInputError(
                    "method = 'bootstrap' on a weighted result needs the respondents' data; "
                    "it is available on results of engage.enps(scores, weights), not engage.enps_from_counts"
                )
            low, high = _core.enps_bootstrap_weighted(
                self._scores, self._weights, confidence_level, n_resamples, seed, list(self._breaks)
            )
        else:
            low, high = _core.enps_confidence_interval(self._core, confidence_level, method, n_resamples, seed)
        return ConfidenceInterval(low, high)

    def plot(self, *, ax: Any = None, label: str = "all respondents", confidence_level: float = 0.95) -> Any:
        """Diverging stacked bar of detractors, passives and promoters with the eNPS and its interval.

        Needs matplotlib (``ImportError`` saying what to install otherwise). For several groups draw
        ``engage.plots.enps_bars(engage.enps_by(...), "team")``.

        Examples
        --------
        >>> import engage, engage.plots
        >>> ax = engage.enps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10]).plot(ax=engage.plots.figure())
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['all respondents']
        """
        from . import plots

        low, high = self.confidence_interval(confidence_level)
        row = {
            "group": label,
            "proportion_promoters": self.proportion_promoters,
            "proportion_passives": self.proportion_passives,
            "proportion_detractors": self.proportion_detractors,
            "statistic": self.statistic,
            "low": low,
            "high": high,
        }
        return plots.enps_bars(pd.DataFrame([row]), "group", ax=ax)


def enps_counts(scores: Any, weights: Any = None, *, breaks: Sequence[int] = DEFAULT_BREAKS) -> Any:
    """Mergeable eNPS counts of one chunk of scores.

    Counts from chunks add up (``a + b``) to exactly the counts of the whole, and ``total - group`` gives the
    rest; ``engage.enps_from_counts`` turns them into a result. Use this to stream large files or to combine
    partial results computed on several machines.

    Examples
    --------
    >>> import engage
    >>> c = engage.enps_counts([10, 9, 3]) + engage.enps_counts([7, float("nan")])
    >>> (c.promoters, c.passives, c.detractors, c.missing)
    (2, 1, 1, 1)
    """
    s = as_float_array(scores, "scores")
    w = None if weights is None else as_float_array(weights, "weights")
    return _core.enps_count(s, w, _breaks(breaks))


def enps_from_counts(counts: Any, population_size: float | None = None) -> EnpsResult:
    """The eNPS result of (merged) counts; see ``engage.enps_counts``.

    Examples
    --------
    >>> import engage
    >>> engage.enps_from_counts(engage.enps_counts([10, 9, 3, 7])).statistic
    25.0
    """
    population_size = optional_real_number(population_size, "population_size")
    return EnpsResult._from_core(_core.enps_from_counts(counts, population_size), population_size)


def enps(
    scores: Any,
    weights: Any = None,
    *,
    breaks: Sequence[int] = DEFAULT_BREAKS,
    population_size: float | None = None,
) -> EnpsResult:
    """eNPS of a sample of scores, optionally with survey weights and a finite-population correction.

    Parameters
    ----------
    scores : array-like
        Whole-number scores on the item's scale (0–10 by default); NaN (or pandas NA) is missing.
    weights : array-like, optional
        Non-negative survey weights, one per score. The standard error is then the Taylor-linearised one
        (equal to R ``survey::svymean``) and ``effective_n`` is Kish's.
    breaks : (low, detractor_max, passive_max, high)
        Cut-points; default ``(0, 6, 8, 10)``; CultureIQ's is ``engage.CULTUREIQ_BREAKS``.
    population_size : float, optional
        Size of the surveyed population (census surveys): applies the finite-population correction,
        ``(N − n)/(N − 1)`` without weights and ``1 − n/N`` with weights (as ``svydesign(fpc=)``).

    Returns
    -------
    EnpsResult

    Raises
    ------
    InvalidInputError
        A score that is not a whole number on the scale (the message names its position and value),
        negative or NaN weights, mismatched lengths.
    InsufficientDataError
        No non-missing score.

    Examples
    --------
    >>> import engage
    >>> r = engage.enps([10, 9, 7, 3, 10, 8, 6, 9])
    >>> r.statistic, r.n, r.promoters, r.detractors
    (25.0, 8, 4, 2)
    """
    s = as_float_array(scores, "scores")
    w = None if weights is None else as_float_array(weights, "weights")
    b = _breaks(breaks)
    population_size = optional_real_number(population_size, "population_size")
    counts = _core.enps_count(s, w, b)
    core = _core.enps_from_counts(counts, population_size)
    private: dict[str, Any] = {"_breaks": tuple(b)}
    if w is not None:
        private.update(_scores=s, _weights=w)
    return EnpsResult._from_core(core, population_size, **private)


def enps_by(
    frame: pd.DataFrame,
    score: str = "enps",
    by: str | Sequence[str] = ("team",),
    *,
    weights: str | None = None,
    min_group_size: int | None = None,
    confidence_level: float = 0.95,
    method: IntervalMethod = "tango",
    compare: Literal["rest"] | None = None,
    p_adjust: str = "holm",
    show_suppressed_n: bool = False,
    population: pd.Series | None = None,
    breaks: Sequence[int] = DEFAULT_BREAKS,
    n_resamples: int = 9999,
    seed: int = 0,
    release: Release | None = None,
) -> pd.DataFrame:
    """eNPS for every group in one pass, under the confidentiality rules.

    Parameters
    ----------
    frame : DataFrame
        One row per response.
    score : str
        Column of eNPS scores.
    by : str or list of str
        Grouping columns. With several columns, complementary suppression works within the groups of all but
        the last column (teams within their department), which protects a team against "department minus its
        other teams". Rows with a missing key form their own group.
    weights : str, optional
        Column of survey weights.
    min_group_size : int, optional
        Fewest answers behind a published figure (default 5; with ``release``, the release's). Smaller groups
        are hidden, and the smallest other groups too where the shown ones and the totals would give them away
        (complementary suppression, decided by the release engine).
    compare : {"rest"}, optional
        Add each shown group's difference from the rest of the respondents, its standard error, z, p-value, and
        the p-value adjusted across the shown groups by ``p_adjust`` (Holm by default; see
        ``engage.adjust_pvalues``).
    show_suppressed_n : bool
        Publish the respondent count of hidden groups (their figures are never published). Default False.
    population : Series, optional
        Population size per group (index = group key, a MultiIndex for several ``by`` columns) for the
        finite-population correction.
    release : engage.Release, optional
        Publish the table in this release: it is then protected against every other table of the release (and
        they against it). Without it the call is a release of its own, protected against its own totals only:
        results of separate calls can be combined by whoever holds both.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n``, ``statistic``, ``standard_error``, ``low``, ``high`` (the interval by
        ``method``), the counts and proportions, ``effective_n``, ``suppressed`` (bool), ``suppression``
        (``"shown"``, ``"below_minimum"``, ``"complementary"``, ``"unanimous"``: all answers in one category in
        a group under the release's ``min_distribution_size``, ``"low_effective_n"``: Kish n under the minimum
        with weights) and ``unanimous`` (shown, all answers in one category), plus the comparison columns when
        asked. Hidden rows hold missing values in every figure.

    Examples
    --------
    >>> import engage, pandas as pd
    >>> df = pd.DataFrame({"team": ["a"] * 7 + ["b"] * 6 + ["c"] * 2,
    ...                    "enps": [10, 9, 9, 7, 3, 10, 8, 6, 5, 9, 8, 8, 2, 10, 10]})
    >>> t = engage.enps_by(df, score="enps", by="team")
    >>> print(t[["team", "n", "statistic", "suppression"]].to_string(index=False))
    team    n  statistic   suppression
       a    7  42.857143         shown
       b <NA>        NaN complementary
       c <NA>        NaN below_minimum
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    frame_columns(frame, [score], "score")
    check_choice(method, "method", _INTERVAL_METHODS)
    if compare is not None:
        check_choice(compare, "compare", ("rest",))
    size = _min_group_size(release, min_group_size)
    _check_hidden_n(release, show_suppressed_n)
    confidence_level = level(confidence_level)
    n_resamples, seed = resampling(n_resamples, seed)
    b = _breaks(breaks)
    groups = group_keys(frame, by)
    column = frame[score]
    s: npt.NDArray[Any]
    if isinstance(column.dtype, np.dtype) and (column.dtype.kind == "i" or
                                              (column.dtype.kind == "u" and column.dtype.itemsize < 8)):
        # whole numbers, no missing values: read in place (int64 is not copied); uint64 may not fit in int64
        s = column.to_numpy(dtype=np.int64)
    else:
        s = as_float_array(column, f"frame[{score!r}]")
    w = None
    if weights is not None:
        frame_columns(frame, [weights], "weights")
        w = as_float_array(frame[weights], f"frame[{weights!r}]")
    pop_keys = pop_sizes = None
    if population is not None:
        if not isinstance(population, pd.Series):
            raise InvalidTypeError("population must be a pandas Series indexed by the group key")
        pop_keys, known = groups.encode(population.index)
        pop_keys, pop_sizes = pop_keys[known], as_float_array(population, "population")[known]
    with groups.population_labels():
        cols = _core.enps_by(
            s,
            groups.keys,
            weights=w,
            breaks=b,
            population_keys=pop_keys,
            population_sizes=pop_sizes,
            confidence_level=confidence_level,
            method=method,
            n_resamples=n_resamples,
            seed=seed,
            min_group_size=size,
            parent_stride=groups.parent_stride,
            compare_rest=compare == "rest",
            p_adjust=p_adjust,
            show_suppressed_n=show_suppressed_n,
            **_publication(release, frame, f"enps_by({_names(groups)})", [score]),
        )
    _registered(release, groups, cols["key"])
    status = cols.pop("status")
    hidden = status != 0
    unanimous = cols.pop("unanimous").astype(bool)
    out = groups.decode(cols.pop("key"))
    for name in ("n", "promoters", "passives", "detractors", "missing"):
        col = pd.array(cols.pop(name), dtype="Int64")
        if not (show_suppressed_n and name == "n"):
            col[hidden] = pd.NA
        out[name] = col
    for name in (
        "statistic",
        "standard_error",
        "low",
        "high",
        "proportion_promoters",
        "proportion_passives",
        "proportion_detractors",
        "effective_n",
    ):
        out[name] = cols.pop(name)
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[status]
    out["unanimous"] = unanimous
    if compare == "rest":
        for name in ("difference_vs_rest", "standard_error_vs_rest", "z_vs_rest", "pvalue_vs_rest", "pvalue_adjusted"):
            out[name] = cols.pop(name)
    return out


@dataclass(frozen=True, repr=False)
class EnpsComparison(Result):
    """Difference between two independent eNPS, ``a − b`` in points, with its test."""

    difference: float
    standard_error: float
    z: float
    pvalue: float
    statistic_a: float
    statistic_b: float
    n_a: int
    n_b: int
    _a: Any = field(repr=False, compare=False)
    _b: Any = field(repr=False, compare=False)

    def confidence_interval(
        self, confidence_level: float = 0.95, method: Literal["mover", "wald"] = "mover"
    ) -> ConfidenceInterval:
        """Interval for ``a − b``: ``"mover"`` (default) from the two Tango intervals, or ``"wald"``."""
        check_choice(method, "method", ("mover", "wald"))
        confidence_level = level(confidence_level)
        return ConfidenceInterval(*_core.enps_compare_interval(self._a, self._b, confidence_level, method))


@dataclass(frozen=True, repr=False)
class EnpsPairedComparison(Result):
    """Two waves of the same respondents: paired difference ``a − b`` in points and the transition table."""

    n: int
    missing: int
    statistic_a: float
    statistic_b: float
    difference: float
    standard_error: float
    z: float
    pvalue: float
    transitions: pd.DataFrame = field(repr=False, compare=False)

    def confidence_interval(
        self, confidence_level: float = 0.95, method: Literal["wald"] = "wald"
    ) -> ConfidenceInterval:
        """Wald interval ``difference ± z·SE`` for the paired difference."""
        check_choice(method, "method", ("wald",))
        confidence_level = level(confidence_level)
        from statistics import NormalDist

        z = NormalDist().inv_cdf(0.5 + confidence_level / 2.0)
        return ConfidenceInterval(self.difference - z * self.standard_error, self.difference + z * self.standard_error)


def _as_result(x: Any, name: str, breaks: Sequence[int]) -> EnpsResult:
    if isinstance(x, EnpsResult):
        return x
    try:
        return enps(x, breaks=breaks)
    except TypeError as e:
        raise InvalidTypeError(f"{name}: {e}") from None


@overload
def enps_compare(
    a: Any, b: Any, *, paired: Literal[False] = False, breaks: Sequence[int] = DEFAULT_BREAKS
) -> EnpsComparison: ...


@overload
def enps_compare(a: Any, b: Any, *, paired: Literal[True], breaks: Sequence[int] = DEFAULT_BREAKS) -> EnpsPairedComparison: ...


def enps_compare(
    a: Any, b: Any, *, paired: bool = False, breaks: Sequence[int] = DEFAULT_BREAKS
) -> EnpsComparison | EnpsPairedComparison:
    """Compare two eNPS: independent samples, or two waves of the same respondents (``paired=True``).

    Parameters
    ----------
    a, b : array-like or EnpsResult
        Scores (or results of ``engage.enps``) of the two samples. With ``paired=True`` both are score arrays of
        equal length where position i is the same respondent; pairs with a missing score are dropped and counted.

    Returns
    -------
    EnpsComparison
        ``difference`` (a − b, signed), ``standard_error``, ``z``, ``pvalue`` and
        ``confidence_interval(method="mover"|"wald")``.
    EnpsPairedComparison
        With ``paired=True``: also the 3×3 ``transitions`` table (rows: category in a, columns: in b).

    Examples
    --------
    >>> import engage
    >>> d = engage.enps_compare([10, 9, 9, 7, 3, 10, 9, 8], [6, 5, 9, 8, 8, 2, 10, 7])
    >>> round(d.difference, 1), round(d.pvalue, 3)
    (62.5, 0.093)
    """
    _breaks(breaks)
    if paired:
        if isinstance(a, EnpsResult) or isinstance(b, EnpsResult):
            raise InvalidTypeError("paired=True needs the two waves' score arrays (row i = one respondent), not results")
        r = _core.enps_compare_paired(as_float_array(a, "a"), as_float_array(b, "b"), _breaks(breaks))
        labels = ["detractor", "passive", "promoter"]
        table = pd.DataFrame(np.array(r.pop("transitions"), dtype=np.int64), index=pd.Index(labels, name="a"),
                             columns=pd.Index(labels, name="b"))
        return EnpsPairedComparison(transitions=table, **r)
    ra, rb = _as_result(a, "a", breaks), _as_result(b, "b", breaks)
    d = _core.enps_compare(ra._core, rb._core)
    return EnpsComparison(
        statistic_a=ra.statistic, statistic_b=rb.statistic, n_a=ra.n, n_b=rb.n, _a=ra._core, _b=rb._core, **d
    )
