"""Engagement indices on Likert items: the vendor formulas, named, with honest uncertainty.

Input is an item matrix: a 2-D array or a DataFrame of item columns, one row per person. Responses are whole
numbers on the scale ``scale=(low, high)`` (2 to 11 points; default ``(1, 5)``). ``NaN`` (or pandas NA) is a
skipped item, counted in ``missing``; an optional ``dont_know`` code (for example 9) is unscored and counted
separately in ``dont_know``; any other value off the scale is an error naming its row, column and value.
Reverse-keyed items (``reverse=[...]``, column positions or names) are scored ``low + high - x`` first.

Favourable / neutral / unfavourable bands follow the Viva Glint map by scale length (``engage.glint_bands``);
``bands=(unfavourable_max, favourable_min)`` overrides them (raw scale values).

Index methods (``method=``), each a vendor family of PRODUCT.md section 3.1:

========================  ==============  ==============================================================
method                    family          definition (source)
========================  ==============  ==============================================================
``"favourable_items"``    FAV-ITEM-AVG    per item % favourable among that item's answers, averaged over
                                          items (Culture Amp engagement favourability; Engagedly themes)
``"favourable_pooled"``   FAV-POOLED      favourable responses / scored responses over all person x item
                                          (Perceptyx)
``"favourable_persons"``  FAV-PERSON      % of persons whose mean is favourable: mean >= favourable_min
                                          − 1/2 (3.5 on 1–5, as Lattice; 5.5 on 1–7; 8.5 on 0–10); a person
                                          with an unanswered item is unclassified and left out (Culture Amp
                                          Survey Sentiment)
``"favourable_all"``      FAV-ALL         % of persons favourable on every item (Engagedly; Perceptyx
                                          "highly engaged")
``"mean_100"``            MEAN-100        100 (x − low)/(high − low) per response, averaged (Viva Glint)
``"person_mean"``         MEAN-PERSON     each person's mean of answered items, then the mean of persons
                                          (Workday Peakon); ``rescale=(0, 10)`` maps it to 0–10
``"grand_mean"``          GRANDMEAN       mean of item means on the raw scale (Gallup-style GrandMean)
``"top3"``                TOP3            % of responses in the top three scale points (Matter)
========================  ==============  ==============================================================

Proportion indices are in % (0–100) and get Wilson intervals; mean indices get t intervals with n − 1 degrees of
freedom (n = persons). Standard errors treat persons as the sampling unit (their answers to several items are
correlated): the pooled and item-average indices use the Taylor-linearised variance of a ratio (of a mean of
item ratios) over persons, equal to R ``survey::svyratio`` (times (n − 1)/n for proportion indices, so that one
complete item gives exactly the classical p(1 − p)/n). Formulas and sources are in
``include/engage/engagement.hpp`` and METHODS.md section 2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._grouping import SUPPRESSION_REASONS, group_keys
from .confidentiality import Release, _check_hidden_n, _min_group_size, _names, _publication, _registered
from ._results import ConfidenceInterval, Result
from ._errors import ColumnError, InvalidInputError, InvalidTypeError
from ._validation import (
    INT64_MAX,
    ItemMatrix,
    check_choice,
    frame_columns,
    item_matrix,
    item_options,
    labelled_call,
    level,
    optional_real_number,
    real_number,
    scale_number,
    scale_pair,
)

__all__ = [
    "CategoryPercentages",
    "EngagementCategoriesResult",
    "EngagementIndexResult",
    "FavourabilityTable",
    "INDEX_METHODS",
    "ScaleScoresResult",
    "engagement_categories",
    "engagement_index",
    "engagement_index_by",
    "favourability",
    "glint_bands",
    "plot_favourability",
    "scale_scores",
]

IndexMethod = Literal[
    "favourable_items",
    "favourable_pooled",
    "favourable_persons",
    "favourable_all",
    "mean_100",
    "person_mean",
    "grand_mean",
    "top3",
]
INDEX_METHODS: tuple[str, ...] = (
    "favourable_items",
    "favourable_pooled",
    "favourable_persons",
    "favourable_all",
    "mean_100",
    "person_mean",
    "grand_mean",
    "top3",
)
_FAMILY = {
    "favourable_items": "FAV-ITEM-AVG",
    "favourable_pooled": "FAV-POOLED",
    "favourable_persons": "FAV-PERSON",
    "favourable_all": "FAV-ALL",
    "mean_100": "MEAN-100",
    "person_mean": "MEAN-PERSON",
    "grand_mean": "GRANDMEAN",
    "top3": "TOP3",
}
_PROPORTION = frozenset({"favourable_items", "favourable_pooled", "favourable_persons", "favourable_all", "top3"})
_CATEGORIES = ["actively_disengaged", "not_engaged", "engaged", "unclassified"]


# ----------------------------------------------------------------------------------------------------------------
# Argument handling
# ----------------------------------------------------------------------------------------------------------------


def _min_answered(value: Any, default: int) -> int:
    if value is None:
        return default
    m = scale_number(value, "min_answered", INT64_MAX)
    if m < 1:
        raise InvalidInputError(f"min_answered = {value!r}: must be at least 1")
    return m


def glint_bands(scale: tuple[int, int] = (1, 5)) -> tuple[int, int]:
    """The Viva Glint favourability bands of a scale: ``(unfavourable_max, favourable_min)`` on the raw scale.

    Values up to ``unfavourable_max`` are unfavourable, values from ``favourable_min`` favourable, the rest
    neutral. On the 1..k coding (k points): 2: {2}/–/{1}; 3: {3}/{2}/{1}; 4: {4}/{2,3}/{1}; 5: {4,5}/{3}/{1,2};
    6: {4,5,6}/–/{1,2,3}; 7: {6,7}/{4,5}/{1,2,3}; 8: {6,7,8}/{4,5}/{1,2,3}; 9: {7,8,9}/{4,5,6}/{1,2,3};
    10: {8,9,10}/{4..7}/{1,2,3}; 11: {10,11}/{8,9}/{1..7} (on 0–10 these are the NPS bands 9–10 / 7–8 / 0–6).

    Examples
    --------
    >>> import engage
    >>> engage.glint_bands((1, 5)), engage.glint_bands((1, 7)), engage.glint_bands((0, 10))
    ((2, 4), (3, 6), (6, 9))
    """
    low, high = scale_pair(scale, "scale")
    unfavourable_max, favourable_min = _core.glint_bands(low, high)
    return unfavourable_max, favourable_min


# ----------------------------------------------------------------------------------------------------------------
# The index
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class EngagementIndexResult(Result):
    """An engagement index of one sample.

    Attributes
    ----------
    statistic : float
        % (0–100) for proportion indices; 0–100 for ``mean_100``; the raw scale (or ``rescale``) for
        ``person_mean`` and ``grand_mean``.
    standard_error : float
        Same units; linearised over persons (see the module docstring); includes the finite-population
        correction. 0 when a proportion is 0 or 100 %; NaN for a mean index of a single person.
    n : int
        Persons contributing (at least ``min_answered`` scored answers).
    missing, dont_know : int
        Skipped cells and don't-know cells of the whole matrix.
    excluded : int
        Persons left out by the ``min_answered`` rule, including those with no scored answer at all
        (Culture Amp's "unclassified" for ``favourable_persons``).
    responses : int
        Scored answers of the contributing persons.
    items : int
        Items behind the figure (for item averages: items with at least one scored answer).
    effective_n : float
        The n of the interval. Wilson's n is ``n`` for the person-level indices and, for the pooled and
        item-average ones, the effective sample size p(1 − p)/Var (at most ``responses``; ``n`` when p is 0 or 1
        or the variance is 0). Equals ``n`` for mean indices.
    method, family : str
        The method name and its PRODUCT.md family (e.g. ``"FAV-ITEM-AVG"``).
    """

    statistic: float
    standard_error: float
    n: int
    missing: int
    dont_know: int
    excluded: int
    responses: int
    items: int
    min_answered: int
    effective_n: float
    method: str
    family: str
    population_size: float | None
    _core: Any = field(repr=False, compare=False)

    @property
    def is_proportion(self) -> bool:
        """True for % indices (Wilson interval), False for mean indices (t interval)."""
        return self.method in _PROPORTION

    def confidence_interval(
        self, confidence_level: float = 0.95, method: Literal["wilson", "t"] | None = None
    ) -> ConfidenceInterval:
        """Confidence interval in the index's units.

        Proportion indices: the Wilson score interval with ``n = effective_n``; with a ``population_size`` N the
        score statistic's variance is multiplied by (N − n)/(N − 1), i.e. Wilson with n replaced by
        n·(N − 1)/(N − n); a census (N = n) gives the point itself. Mean indices: ``statistic ± t·SE`` with
        n − 1 degrees of freedom, the SE carrying the correction 1 − n/N; NaN for a single person.

        Parameters
        ----------
        confidence_level : float
            In (0, 1).
        method : {"wilson", "t"}, optional
            The interval of the index's kind (the default); the other kind is refused.

        Examples
        --------
        >>> import engage
        >>> r = engage.engagement_index([[5, 4], [4, 2], [2, 3], [5, 5]], method="favourable_persons")
        >>> low, high = r.confidence_interval()
        >>> round(r.statistic, 1), round(low, 1), round(high, 1)
        (50.0, 15.0, 85.0)
        """
        expected = "wilson" if self.is_proportion else "t"
        if method is not None and method != expected:
            kind = "a proportion" if self.is_proportion else "a mean"
            raise InvalidInputError(f"method = {method!r}: {self.method!r} is {kind} index; its interval is {expected!r}")
        return ConfidenceInterval(*_core.engagement_confidence_interval(self._core, level(confidence_level)))


def _result(core: Any, population_size: float | None) -> EngagementIndexResult:
    return EngagementIndexResult(
        statistic=core.statistic,
        standard_error=core.standard_error,
        n=int(core.n),
        missing=int(core.missing),
        dont_know=int(core.dont_know),
        excluded=int(core.excluded),
        responses=int(core.responses),
        items=int(core.items),
        min_answered=int(core.min_answered),
        effective_n=core.effective_n,
        method=core.method,
        family=_FAMILY[core.method],
        population_size=population_size,
        _core=core,
    )


def _rescale(rescale: Any) -> list[float] | None:
    if rescale is None:
        return None
    if isinstance(rescale, (str, bytes)) or not isinstance(rescale, Sequence) or len(rescale) != 2:
        raise InvalidTypeError(f"rescale must be a pair of numbers such as (0, 10); got {rescale!r}")
    return [real_number(rescale[0], "rescale"), real_number(rescale[1], "rescale")]


def engagement_index(
    items: Any,
    method: IndexMethod = "favourable_items",
    *,
    scale: tuple[int, int] = (1, 5),
    reverse: Sequence[int | str] | None = None,
    dont_know: float | None = None,
    min_answered: int | None = None,
    population_size: float | None = None,
    bands: tuple[int, int] | None = None,
    rescale: tuple[float, float] | None = None,
) -> EngagementIndexResult:
    """An engagement index of an item matrix, with its standard error.

    Parameters
    ----------
    items : 2-D array-like or DataFrame
        One row per person, one column per item; whole numbers on ``scale``; NaN = skipped.
    method : str
        One of ``"favourable_items"`` (default; FAV-ITEM-AVG, Culture Amp), ``"favourable_pooled"``
        (FAV-POOLED, Perceptyx), ``"favourable_persons"`` (FAV-PERSON, Lattice / Culture Amp Survey
        Sentiment), ``"favourable_all"`` (FAV-ALL, Engagedly), ``"mean_100"`` (MEAN-100, Viva Glint),
        ``"person_mean"`` (MEAN-PERSON, Workday Peakon), ``"grand_mean"`` (GRANDMEAN, Gallup-style),
        ``"top3"`` (TOP3, Matter). See the module docstring for each definition.
    scale : (low, high)
        The response scale, 2 to 11 points; default ``(1, 5)``.
    reverse : list of int or str, optional
        Reverse-keyed items (positions, or column names of a DataFrame), scored ``low + high - x``.
    dont_know : float, optional
        The "don't know / does not apply" code (off the scale, e.g. 9): unscored, counted in ``dont_know``.
    min_answered : int, optional
        Persons with fewer scored answers are left out (counted in ``excluded``). Default: every item for
        ``favourable_persons`` and ``favourable_all`` (Culture Amp: any unanswered item makes a person
        unclassified), 1 for the others.
    population_size : float, optional
        Persons in the surveyed population, for the finite-population correction: the variance is multiplied by
        (N − n)/(N − 1) for proportion indices (as engage.enps) and by 1 − n/N for mean indices (as
        ``survey::svydesign(fpc=)``).
    bands : (unfavourable_max, favourable_min), optional
        Override the Viva Glint bands (raw scale values), e.g. ``(5, 6)`` for "6–7 favourable" on 1–7.
    rescale : (low, high), optional
        ``person_mean`` and ``grand_mean`` only: report on this range (the scale's low maps to ``low``, its high
        to ``high``), e.g. ``(0, 10)`` for Peakon's 0–10 or ``(0, 100)``.

    Returns
    -------
    EngagementIndexResult

    Raises
    ------
    InvalidInputError
        A value off the scale (the message names row, column and value), a bad scale, bands, ``reverse``,
        ``dont_know``, ``min_answered``, ``population_size`` or method name.
    InsufficientDataError
        No rows, or no person with ``min_answered`` scored answers (e.g. everything missing).

    Examples
    --------
    Peakon's example (0–10 scale): person means 8.5, 6.75 and 5 average to 6.75, while the mean of the item
    means is 7.04 — aggregation order matters when answers are missing.

    >>> import engage
    >>> x = [[10, 6, 9, 9], [7, 7, 8, 5], [6, 5, float("nan"), 4]]
    >>> engage.engagement_index(x, "person_mean", scale=(0, 10)).statistic
    6.75
    >>> round(engage.engagement_index(x, "grand_mean", scale=(0, 10)).statistic, 2)
    7.04
    >>> r = engage.engagement_index([[5, 4, 2], [4, 4, 4], [2, 3, 9]], dont_know=9)
    >>> round(r.statistic, 1), r.n, r.dont_know
    (61.1, 3, 1)
    """
    check_choice(method, "method", INDEX_METHODS)
    it = item_matrix(items)
    opts = item_options(it, scale, bands, reverse, dont_know)
    if population_size is not None:
        population_size = real_number(population_size, "population_size")
    core = labelled_call(
        it,
        _core.engagement_index,
        it.values,
        method=method,
        min_answered=_min_answered(min_answered, 0),
        population_size=population_size,
        rescale=_rescale(rescale),
        **opts,
    )
    return _result(core, population_size)


def engagement_index_by(
    frame: pd.DataFrame,
    items: Sequence[str],
    by: str | Sequence[str] = ("team",),
    method: IndexMethod = "favourable_items",
    *,
    scale: tuple[int, int] = (1, 5),
    reverse: Sequence[int | str] | None = None,
    dont_know: float | None = None,
    min_answered: int | None = None,
    min_group_size: int | None = None,
    confidence_level: float = 0.95,
    show_suppressed_n: bool = False,
    population: pd.Series | None = None,
    bands: tuple[int, int] | None = None,
    release: Release | None = None,
) -> pd.DataFrame:
    """An engagement index for every group in one pass, under the confidentiality rules.

    Each group's figures equal ``engage.engagement_index`` on the group's rows. Groups are judged on ``n``, the
    persons behind their figure: fewer than ``min_group_size`` hides a group, and the next smallest groups of
    the same parent are hidden too until the hidden ones hold at least ``min_group_size`` persons
    (complementary suppression, as ``engage.enps_by``).

    Parameters
    ----------
    frame : DataFrame
        One row per person.
    items : list of str
        The item columns.
    by : str or list of str
        Grouping columns; with several, complementary suppression works within the groups of all but the last.
        Rows with a missing key form their own group.
    method, scale, reverse, dont_know, min_answered, bands
        As in ``engage.engagement_index``.
    min_group_size : int, optional
        Fewest answers behind a published figure (default 5; with ``release``, the release's). Smaller groups
        are hidden, and the smallest other groups too where the shown ones and the totals would give them away
        (complementary suppression, decided by the release engine).
        Item-level methods count the answers to each item; person-level methods the persons with a score.
    confidence_level : float
        Of the ``low`` / ``high`` columns (Wilson or t as in ``engage.engagement_index``).
    show_suppressed_n : bool
        Publish the person count of hidden groups (their figures never are). Default False.
    population : Series, optional
        Population size per group (index = group key, a MultiIndex for several ``by`` columns), for the
        finite-population correction.
    release : engage.Release, optional
        Publish the table in this release: it is then protected against every other table of the release (and
        they against it). Without it the call is a release of its own, protected against its own totals only:
        results of separate calls can be combined by whoever holds both.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n``, ``statistic``, ``standard_error``, ``low``, ``high``, ``responses``,
        ``missing``, ``dont_know``, ``excluded``, ``items``, ``effective_n``, ``suppressed`` (bool),
        ``suppression`` (``"shown"``, ``"below_minimum"``, ``"complementary"``, ``"unanimous"``) and
        ``unanimous`` (shown, and every answer favourable, or none; for means, every answer at one end of the
        scale). Hidden rows hold missing values in every figure.

    Examples
    --------
    >>> import engage, pandas as pd
    >>> df = pd.DataFrame({"team": ["a"] * 6 + ["b"] * 5 + ["c"] * 2,
    ...                    "q1": [5, 4, 4, 2, 5, 3, 4, 4, 5, 1, 2, 5, 5],
    ...                    "q2": [4, 4, 3, 2, 5, 4, 5, 2, 4, 2, 3, 4, 5]})
    >>> t = engage.engagement_index_by(df, items=["q1", "q2"], by="team", method="favourable_pooled")
    >>> print(t[["team", "n", "statistic", "suppression"]].round(1).to_string(index=False))
    team    n  statistic   suppression
       a    6       66.7         shown
       b <NA>        NaN complementary
       c <NA>        NaN below_minimum
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
    if isinstance(items, str):
        items = [items]
    frame_columns(frame, items, "items")
    check_choice(method, "method", INDEX_METHODS)
    size = _min_group_size(release, min_group_size)
    _check_hidden_n(release, show_suppressed_n)
    groups = group_keys(frame, by)
    it = item_matrix(frame[list(items)])
    opts = item_options(it, scale, bands, reverse, dont_know)
    pop_keys = pop_sizes = None
    if population is not None:
        if not isinstance(population, pd.Series):
            raise InvalidTypeError("population must be a pandas Series indexed by the group key")
        pop_keys, known = groups.encode(population.index)
        pop_keys = pop_keys[known]
        pop_sizes = np.ascontiguousarray(population.to_numpy(dtype=np.float64), dtype=np.float64)[known]
    with groups.population_labels():
        cols = labelled_call(
            it,
            _core.engagement_index_by,
            it.values,
            groups.keys,
            method=method,
            min_answered=_min_answered(min_answered, 0),
            population_keys=pop_keys,
            population_sizes=pop_sizes,
            confidence_level=level(confidence_level),
            min_group_size=size,
            parent_stride=groups.parent_stride,
            show_suppressed_n=show_suppressed_n,
            **_publication(release, frame, f"engagement_index_by({_names(groups)}, {method})", list(items)),
            **opts,
        )
    _registered(release, groups, cols["key"])
    status = cols.pop("status")
    hidden = status != 0
    unanimous = cols.pop("unanimous").astype(bool)
    out = groups.decode(cols.pop("key"))
    col = pd.array(cols.pop("n"), dtype="Int64")
    if not show_suppressed_n:
        col[hidden] = pd.NA
    out["n"] = col
    for name in ("statistic", "standard_error", "low", "high"):
        out[name] = cols.pop(name)
    for name in ("responses", "missing", "dont_know", "excluded", "items"):
        col = pd.array(cols.pop(name), dtype="Int64")
        col[hidden] = pd.NA
        out[name] = col
    out["effective_n"] = cols.pop("effective_n")
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[status]
    out["unanimous"] = unanimous
    return out


# ----------------------------------------------------------------------------------------------------------------
# The item table, scale scores, categories
# ----------------------------------------------------------------------------------------------------------------


def plot_favourability(table: pd.DataFrame, ax: Any = None) -> Any:
    """Diverging bars of item favourability: unfavourable to the left of 0, favourable to the right, neutral
    split evenly across 0; one bar per item, in table order from the top. Needs matplotlib.

    Parameters
    ----------
    table : DataFrame
        The table of ``engage.favourability`` (columns ``item``, ``pct_favourable``, ``pct_neutral``,
        ``pct_unfavourable``), or rows of it. Items nobody answered get no bar.
    ax : matplotlib Axes, optional
        Where to draw; a new figure's axes by default.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    ImportError
        matplotlib is not installed (``pip install matplotlib``).
    """
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        raise ImportError(
            "plotting favourability needs matplotlib, which is not installed: pip install matplotlib"
        ) from None
    needed = ["item", "pct_unfavourable", "pct_neutral", "pct_favourable"]
    absent = [c for c in needed if c not in table.columns]
    if absent:
        raise ColumnError(f"table: column(s) {absent} missing; pass the table of engage.favourability")
    if ax is None:
        _, ax = plt.subplots(figsize=(7.0, 0.45 * len(table) + 1.2))
    unfav = table["pct_unfavourable"].to_numpy(dtype=float)
    neutral = table["pct_neutral"].to_numpy(dtype=float)
    fav = table["pct_favourable"].to_numpy(dtype=float)
    y = np.arange(len(table))[::-1]  # first item on top
    start = -(unfav + neutral / 2.0)
    answered = ~np.isnan(fav)
    for width, left, colour, label in (
        (unfav, start, "#d7301f", "unfavourable"),
        (neutral, start + unfav, "#bdbdbd", "neutral"),
        (fav, start + unfav + neutral, "#1a9850", "favourable"),
    ):
        ax.barh(y[answered], width[answered], left=left[answered], color=colour, label=label, height=0.7)
    for yi, fi, end in zip(y[answered], fav[answered], (start + unfav + neutral + fav)[answered]):
        ax.text(end + 1.0, yi, f"{fi:.0f}%", va="center", fontsize=8)
    ax.axvline(0.0, color="black", linewidth=0.8)
    ax.set_yticks(y)
    ax.set_yticklabels([str(v) for v in table["item"]])
    ax.set_xlim(-105.0, 110.0)
    ax.set_xlabel("% of answers (unfavourable | favourable; neutral split across 0)")
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False, fontsize=8)
    return ax


class _FavourabilityPlot:
    """``table.plot``: called, draws the diverging favourability bars; otherwise pandas' plot accessor
    (``table.plot.bar(...)`` etc. work as on any DataFrame)."""

    def __init__(self, table: pd.DataFrame) -> None:
        self._table = table

    def __call__(self, ax: Any = None) -> Any:
        return plot_favourability(self._table, ax=ax)

    def __getattr__(self, name: str) -> Any:
        return getattr(pd.DataFrame(self._table).plot, name)


class FavourabilityTable(pd.DataFrame):
    """The item table of ``engage.favourability``: a DataFrame whose ``plot(ax=None)`` draws diverging
    favourability bars (``plot_favourability``). Anything derived from it (a selection, ``round``…) is a plain
    DataFrame."""

    @property
    def _constructor(self) -> Any:
        return pd.DataFrame

    @property
    def plot(self) -> _FavourabilityPlot:  # type: ignore[override]  # callable, and pandas' accessor otherwise
        """``plot(ax=None)``: diverging bars of item favourability (see ``plot_favourability``)."""
        return _FavourabilityPlot(self)


def favourability(
    items: Any,
    *,
    scale: tuple[int, int] = (1, 5),
    reverse: Sequence[int | str] | None = None,
    dont_know: float | None = None,
    bands: tuple[int, int] | None = None,
    release: Release | None = None,
) -> FavourabilityTable:
    """The item table: one row per item with counts, % favourable / neutral / unfavourable, mean, SD and the
    Viva Glint score (as R ``vivaglint::summarize_survey``).

    ``glint_score = round(100·(mean − 1)/(k − 1))`` on the 1..k coding, i.e. ``round(mean_100)`` with
    ``mean_100 = 100·(mean − low)/(high − low)``. The rounding is half to even on the binary value: Python's
    ``round`` does this, and so does R's ``round`` for an exactly representable .5 (IEC 60559), so 62.5 → 62 and
    67.5 → 68 in both. Percentages, means and ``mean_100`` are not rounded. Values are after reverse keying;
    ``sd`` has divisor n − 1. An item nobody answered has n = 0 and missing figures.

    With ``release`` (``items`` a DataFrame, whose index names the respondents) the table is published in the
    release: an item with fewer answers than the minimum, or whose answers all fall into one band in a group
    under the distribution minimum, is hidden (with complementary suppression against the release's other
    tables), and ``suppressed``, ``suppression`` and ``unanimous`` columns are added. Without it the table is
    the sample's own description, with no confidentiality rule: publish it through a release.

    Returns
    -------
    FavourabilityTable
        A DataFrame: ``item``, ``n``, ``missing``, ``dont_know``, ``pct_favourable``, ``pct_neutral``,
        ``pct_unfavourable``, ``mean``, ``sd``, ``glint_score``, ``mean_100``, ``favourable``, ``neutral``,
        ``unfavourable`` and ``count_<v>`` for every scale point v. ``plot(ax=None)`` draws diverging
        favourability bars (needs matplotlib).

    Examples
    --------
    >>> import engage
    >>> t = engage.favourability([[5, 2], [4, 3], [3, 4], [4, 9]], dont_know=9)
    >>> print(t[["item", "n", "dont_know", "pct_favourable", "mean", "glint_score"]].round(2).to_string(index=False))
     item  n  dont_know  pct_favourable  mean  glint_score
        0  4          0           75.00   4.0           75
        1  3          1           33.33   3.0           50
    """
    it = item_matrix(items)
    opts = item_options(it, scale, bands, reverse, dont_know)
    cols = labelled_call(it, _core.favourability, it.values, **opts)
    low, high = opts["scale"]
    k = it.values.shape[1]
    out = pd.DataFrame({"item": it.names if it.names is not None else np.arange(k)})
    for name in ("n", "missing", "dont_know"):
        out[name] = cols[name]
    for name in ("pct_favourable", "pct_neutral", "pct_unfavourable", "mean", "sd"):
        out[name] = cols[name]
    out["glint_score"] = pd.array([None if np.isnan(g) else int(g) for g in cols["glint_score"]], dtype="Int64")
    out["mean_100"] = cols["mean_100"]
    for name in ("favourable", "neutral", "unfavourable"):
        out[name] = cols[name]
    counts = cols["counts"]
    for p, v in enumerate(range(low, high + 1)):
        out[f"count_{v}"] = counts[:, p]
    if release is not None:
        _release_items(out, items, it, opts, release)
    return FavourabilityTable(out)


def _release_items(out: pd.DataFrame, frame: Any, it: ItemMatrix, opts: dict[str, Any], release: Release) -> None:
    """Decides the item table in ``release`` (one cell per item, the answers' bands as categories) and blanks
    the hidden items."""
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError("with release=, pass items as a DataFrame: its index names the respondents")
    low, high = opts["scale"]
    unfav_max, fav_min = opts["bands"] if opts["bands"] is not None else glint_bands((low, high))
    x = it.values.copy()
    for j in opts["reverse"]:
        x[:, j] = low + high - x[:, j]
    scored = ~np.isnan(x)
    if opts["dont_know"] is not None:
        scored &= it.values != opts["dont_know"]
    # Every (respondent, item) is an entry: an answer with its band, or (-1) membership without an answer.
    rows, cells = np.indices(x.shape).reshape(2, -1)
    v = x[rows, cells]
    category = np.where(v >= fav_min, 2, np.where(v <= unfav_max, 0, 1)).astype(np.int64)
    kw = release._kwargs(frame, "favourability", [str(c) for c in frame.columns])
    measure_ids = np.array([release._core.measure(m) for m in kw["measures"]], dtype=np.int64)
    measure = np.where(scored.reshape(-1), measure_ids[cells], -1).astype(np.int64)
    decision = release._core.publish(
        kw["table"], x.shape[1], np.ascontiguousarray(kw["units"][rows]), np.ascontiguousarray(cells, dtype=np.int64),
        np.ascontiguousarray(measure), category=np.ascontiguousarray(category), cell_labels=kw["measures"])
    release._register(kw["measures"])
    hidden = decision["status"] != 0
    for c in out.columns:
        if c == "item":
            continue
        if out[c].dtype.kind in "iu" or isinstance(out[c].dtype, pd.Int64Dtype):
            col = pd.array(out[c].to_numpy(), dtype="Int64")
            col[hidden] = pd.NA
            out[c] = col
        else:
            out[c] = out[c].where(~hidden)
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[decision["status"]]
    out["unanimous"] = decision["unanimous"].astype(bool) & ~hidden


@dataclass(frozen=True, repr=False)
class ScaleScoresResult(Result):
    """Person-level scale scores.

    Attributes
    ----------
    scores : Series or ndarray
        Each person's mean over their scored answers (raw scale, reverse-keyed items reversed); NaN for a person
        with fewer than ``min_answered`` scored answers. A Series with the frame's index for DataFrame input.
    answered : Series or ndarray
        Scored answers per person.
    n : int
        Persons with a score.
    below_minimum : int
        Persons below the ``min_answered`` rule (their score is NaN).
    missing, dont_know : int
        Skipped and don't-know cells.
    """

    n: int
    below_minimum: int
    missing: int
    dont_know: int
    min_answered: int
    scores: Any = field(repr=False, compare=False)
    answered: Any = field(repr=False, compare=False)


def scale_scores(
    items: Any,
    *,
    min_answered: int = 1,
    scale: tuple[int, int] = (1, 5),
    reverse: Sequence[int | str] | None = None,
    dont_know: float | None = None,
) -> ScaleScoresResult:
    """Each person's scale score: the mean of their scored answers, NaN below ``min_answered`` answers.

    Examples
    --------
    >>> import engage
    >>> s = engage.scale_scores([[5, 4, 4], [2, float("nan"), 9], [1, 1, 5]], min_answered=2, dont_know=9,
    ...                         reverse=[2])
    >>> s.scores.round(2).tolist(), s.below_minimum
    ([3.67, nan, 1.0], 1)
    """
    it = item_matrix(items)
    opts = item_options(it, scale, None, reverse, dont_know)
    opts.pop("bands")
    r = labelled_call(it, _core.scale_scores, it.values, min_answered=_min_answered(min_answered, 1), **opts)
    scores: Any = r["scores"]
    answered: Any = r["answered"].astype(np.int64)
    if it.index is not None:
        scores = pd.Series(scores, index=it.index, name="scale_score")
        answered = pd.Series(answered, index=it.index, name="answered")
    return ScaleScoresResult(
        n=int(r["n"]),
        below_minimum=int(r["below_minimum"]),
        missing=int(r["missing"]),
        dont_know=int(r["dont_know"]),
        min_answered=int(r["min_answered"]),
        scores=scores,
        answered=answered,
    )


class CategoryPercentages(NamedTuple):
    """Percentages of the three engagement categories."""

    engaged: float
    not_engaged: float
    actively_disengaged: float


@dataclass(frozen=True, repr=False)
class EngagementCategoriesResult(Result):
    """Persons by engagement category under a configurable rule — an approximation, not Gallup's classification.

    Attributes
    ----------
    engaged, not_engaged, actively_disengaged : int
        Persons per category.
    unclassified : int
        Persons with fewer than ``min_answered`` scored answers.
    n : int
        Persons classified.
    pct_engaged, pct_not_engaged, pct_actively_disengaged : float
        % of ``n``, unrounded; they sum to 100 up to floating-point rounding. Rounded each on its own they need
        not sum to 100: ``rounded_percentages()`` rounds as Gallup reports (not engaged takes the remainder).
    engagement_ratio : float
        engaged / actively disengaged (equal to the ratio of the percentages); ``inf`` when no one is actively
        disengaged but someone is engaged, NaN when neither; ``ratio_defined`` is then False.
    rule, engaged_threshold, actively_disengaged_threshold
        The rule as applied.
    categories : Series or ndarray
        Per person (categorical): ``"engaged"``, ``"not_engaged"``, ``"actively_disengaged"``,
        ``"unclassified"``.
    """

    engaged: int
    not_engaged: int
    actively_disengaged: int
    unclassified: int
    n: int
    pct_engaged: float
    pct_not_engaged: float
    pct_actively_disengaged: float
    engagement_ratio: float
    ratio_defined: bool
    rule: str
    engaged_threshold: float
    actively_disengaged_threshold: float
    missing: int
    dont_know: int
    note: str
    categories: Any = field(repr=False, compare=False)

    def rounded_percentages(self, decimals: int = 0) -> CategoryPercentages:
        """Percentages for display that sum to 100: engaged and actively disengaged rounded half to even at
        ``decimals`` places, not engaged the remainder (Gallup adjusts "not engaged" the same way).

        Examples
        --------
        >>> import engage
        >>> c = engage.engagement_categories([[5], [3], [1]])
        >>> c.rounded_percentages()
        CategoryPercentages(engaged=33.0, not_engaged=34.0, actively_disengaged=33.0)
        """
        return CategoryPercentages(
            *_core.rounded_percentages(self.pct_engaged, self.pct_actively_disengaged, scale_number(decimals, "decimals"))
        )


_APPROXIMATION_NOTE = "approximation (configurable rule), not Gallup's proprietary classification"


def engagement_categories(
    items: Any,
    *,
    rule: Literal["mean", "share"] = "mean",
    engaged: float | None = None,
    actively_disengaged: float | None = None,
    min_answered: int = 1,
    scale: tuple[int, int] = (1, 5),
    reverse: Sequence[int | str] | None = None,
    dont_know: float | None = None,
    bands: tuple[int, int] | None = None,
) -> EngagementCategoriesResult:
    """Sorts persons into engaged / not engaged / actively disengaged with a configurable rule.

    This is an **approximation**. Gallup's classification of its Q12 items is proprietary and not public; no rule
    here is Gallup's, and none should be reported as such. (The Q12 item wording is proprietary too and is not
    part of engage.)

    Rules (thresholds on the raw scale after reverse keying; don't-know and skipped answers left out):

    * ``rule="mean"`` (default): engaged when the person's mean is ``>= engaged`` (default: the lowest
      favourable value, 4 on 1–5 — "agrees on average"); actively disengaged when the mean is
      ``<= actively_disengaged`` (default: the highest unfavourable value, 2 on 1–5 — "disagrees on average");
      not engaged otherwise.
    * ``rule="share"``: engaged when the share of favourable answers is ``>= engaged`` (default 1: favourable on
      every answered item); actively disengaged when the share of unfavourable answers is
      ``>= actively_disengaged`` (default 0.5). The two must sum to more than 1.

    Persons with fewer than ``min_answered`` scored answers are ``unclassified``.

    Examples
    --------
    >>> import engage
    >>> x = [[5, 4, 4], [4, 5, 5], [3, 3, 4], [1, 2, 2], [5, 5, 4], [2, 3, 3]]
    >>> c = engage.engagement_categories(x)
    >>> c.engaged, c.not_engaged, c.actively_disengaged, round(c.engagement_ratio, 2)
    (3, 2, 1, 3.0)
    """
    check_choice(rule, "rule", ("mean", "share"))
    it = item_matrix(items)
    opts = item_options(it, scale, bands, reverse, dont_know)
    r = labelled_call(
        it,
        _core.engagement_categories,
        it.values,
        rule=rule,
        engaged=optional_real_number(engaged, "engaged"),
        actively_disengaged=optional_real_number(actively_disengaged, "actively_disengaged"),
        min_answered=_min_answered(min_answered, 1),
        **opts,
    )
    codes: npt.NDArray[np.int8] = r["categories"]
    cats: Any = pd.Categorical.from_codes(codes.astype(np.int64), categories=pd.Index(_CATEGORIES))
    if it.index is not None:
        cats = pd.Series(cats, index=it.index, name="engagement_category")
    return EngagementCategoriesResult(
        engaged=int(r["engaged"]),
        not_engaged=int(r["not_engaged"]),
        actively_disengaged=int(r["actively_disengaged"]),
        unclassified=int(r["unclassified"]),
        n=int(r["n"]),
        pct_engaged=r["pct_engaged"],
        pct_not_engaged=r["pct_not_engaged"],
        pct_actively_disengaged=r["pct_actively_disengaged"],
        engagement_ratio=r["engagement_ratio"],
        ratio_defined=bool(r["ratio_defined"]),
        rule=rule,
        engaged_threshold=r["engaged_threshold"],
        actively_disengaged_threshold=r["actively_disengaged_threshold"],
        missing=int(r["missing"]),
        dont_know=int(r["dont_know"]),
        note=_APPROXIMATION_NOTE,
        categories=cats,
    )
