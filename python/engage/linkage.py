"""Unit-level employee–customer linkage: does engagement go with (and precede) customer outcomes?

``engage.linkage`` aggregates an employee survey to units (teams, stores) per period under the confidentiality
rules, joins the unit figures to the units' customer outcomes of the same period or of a later one (``lag``), and
reports what Gallup's business-unit studies report, with honest uncertainty:

* the unit-level correlation with its interval (Pearson; optionally weighted by unit size, with Kish's effective
  number of units);
* the correlation corrected for the unreliability of both unit means (Spearman's correction r/√(r_xx r_yy), the
  reliability of an employee unit mean being its ICC(2), computed from the survey, or given);
* the top- vs bottom-quartile difference in the outcome with its Welch interval (the "utility" comparison);
* the units used and dropped, and why;
* the caveats: a unit-level correlation describes units, not people (the ecological fallacy), and is not a
  causal effect.

Formulas: ``include/engage/linkage.hpp`` and METHODS.md section 5. Missing data: employee rows without a unit or
period, and units without an outcome, are dropped and counted in ``dropped``; the survey figures follow
``engage.engagement_index_by`` / ``engage.enps_by`` (missing answers are skipped).
"""

from __future__ import annotations

import html
import math
import numbers
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import ColumnError, InvalidInputError, InvalidTypeError
from . import _core
from ._results import ConfidenceInterval, Result, _format
from ._validation import check_choice
from .agreement import icc
from .correlation import correlation
from .engagement import INDEX_METHODS, IndexMethod, engagement_index_by, glint_bands
from .enps import enps_by
from .confidentiality import Release, _min_group_size
from .warnings import SmallSampleWarning

__all__ = ["ECOLOGICAL_CAVEAT", "LinkageResult", "linkage"]

Measure = Literal["engagement_index", "enps"]
_MEASURES = ("engagement_index", "enps")
_PERIOD = "__period__"
_JOIN = "__join__"

#: The caveat every linkage result carries (and the report prints).
ECOLOGICAL_CAVEAT = (
    "A unit-level correlation describes units, not people: it does not show that a more engaged employee has "
    "more satisfied customers (the ecological fallacy), and an association is not proof that engagement causes "
    "the outcome."
)


@dataclass(frozen=True, repr=False)
class LinkageResult(Result):
    """Result of :func:`engage.linkage`.

    Attributes
    ----------
    statistic, pvalue : float
        The unit-level Pearson correlation of the employee measure with the outcome, and its two-sided p-value.
    low, high : float
        Its confidence interval at ``confidence_level`` (Fisher z; with weights on the effective number of units).
    n_units : int
        Unit-periods used (a unit surveyed in two periods counts twice).
    effective_n : float
        Kish's (Σw)²/Σw² when weighted, else ``n_units``.
    corrected, corrected_low, corrected_high : float
        The correlation and its interval ends divided by √(reliability · outcome_reliability) (the ends clipped to
        [−1, 1]); NaN when a reliability is not positive.
    corrected_exceeds_one : bool
        The corrected correlation is above 1 in absolute value (a reliability underestimated, or r inflated by
        sampling error); ``corrected`` keeps the unclipped value.
    reliability, outcome_reliability : float
        Reliabilities of the employee unit means and the outcome unit means.
    reliability_source, outcome_reliability_source : str
        ``"ICC(2)"`` (estimated from the individual rows), ``"given"`` or, for a unit-level outcome without a
        given reliability, ``"assumed 1"``.
    quartile_difference, quartile_low, quartile_high, quartile_pvalue : float
        Mean outcome of the top-quartile units (by the employee measure) minus that of the bottom-quartile units,
        its Welch interval and p-value (NaN with fewer than 4 units).
    quartile_relative_difference : float
        The difference relative to the bottom quartile's mean (NaN unless that mean is positive; only meaningful
        for ratio-scale outcomes such as sales, not for an NPS).
    mean_top, mean_bottom : float
    n_top, n_bottom : int
    n_dropped : int
        Employee unit-periods dropped (see ``dropped`` for the reasons).
    measure, outcome, unit, period : str
    lag : int
        Outcome period = employee period + lag.
    weighted : bool
    confidence_level : float
    caveat : str
        :data:`ECOLOGICAL_CAVEAT`, plus notes on this analysis.
    units : DataFrame
        The linked units (also :meth:`to_frame`).
    dropped : DataFrame
        ``reason`` and ``units``: unit-periods dropped and why (hidden below the minimum group size, hidden by
        complementary suppression, no outcome for the lagged period, outcome missing), and employee rows without
        a unit or period.
    by_period : DataFrame
        The unweighted Pearson correlation within each employee period (``period``, ``n_units``, ``statistic``,
        ``low``, ``high``; NaN with fewer than 4 units), free of the repeated-units caveat.
    """

    statistic: float
    pvalue: float
    low: float
    high: float
    n_units: int
    effective_n: float
    corrected: float
    corrected_low: float
    corrected_high: float
    corrected_exceeds_one: bool
    reliability: float
    outcome_reliability: float
    reliability_source: str
    outcome_reliability_source: str
    quartile_difference: float
    quartile_low: float
    quartile_high: float
    quartile_pvalue: float
    quartile_relative_difference: float
    mean_top: float
    mean_bottom: float
    n_top: int
    n_bottom: int
    n_dropped: int
    measure: str
    outcome: str
    unit: str
    period: str
    lag: int
    weighted: bool
    confidence_level: float
    caveat: str
    units: pd.DataFrame = field(repr=False, compare=False)
    dropped: pd.DataFrame = field(repr=False, compare=False)
    by_period: pd.DataFrame = field(repr=False, compare=False)

    _HEADLINE = ("statistic", "pvalue", "n_units", "corrected", "reliability", "outcome_reliability",
                 "quartile_difference", "n_dropped", "lag")

    def confidence_interval(self) -> ConfidenceInterval:
        """The interval of the unit-level correlation, ``(low, high)``.

        Examples
        --------
        >>> import engage
        >>> org = engage.datasets.synthetic_organisation()   # = examples/data
        >>> res = engage.linkage(org.survey, org.customers, lag=1, dont_know=9, employee_period="wave",
        ...                      period_map={1: "2024Q1", 2: "2024Q3"})
        >>> low, high = res.confidence_interval()
        >>> low < res.statistic < high
        True
        """
        return ConfidenceInterval(self.low, self.high)

    def corrected_interval(self) -> ConfidenceInterval:
        """The interval of the corrected correlation, ``(corrected_low, corrected_high)``."""
        return ConfidenceInterval(self.corrected_low, self.corrected_high)

    def quartile_interval(self) -> ConfidenceInterval:
        """The Welch interval of the top- minus bottom-quartile difference, ``(quartile_low, quartile_high)``."""
        return ConfidenceInterval(self.quartile_low, self.quartile_high)

    def _headline(self) -> list[tuple[str, str]]:
        out = []
        for name in self._HEADLINE:
            out.append((name, _format(getattr(self, name))))
        out.insert(2, ("confidence_interval", f"({_format(self.low)}, {_format(self.high)})"))
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v}' for k, v in self._headline())})"

    def _repr_html_(self) -> str:
        level = f"{100 * self.confidence_level:.0f}%"
        rows = [
            ("units linked", f"{self.n_units} (dropped {self.n_dropped})"),
            ("correlation r", f"{_format(self.statistic)} [{_format(self.low)}, {_format(self.high)}] ({level}), "
                              f"p = {_format(self.pvalue)}" + (", weighted by unit size" if self.weighted else "")),
            ("corrected for unreliability", f"{_format(self.corrected)} [{_format(self.corrected_low)}, "
                                            f"{_format(self.corrected_high)}] (reliabilities "
                                            f"{_format(self.reliability)} {self.reliability_source}, "
                                            f"{_format(self.outcome_reliability)} "
                                            f"{self.outcome_reliability_source})"),
            ("top - bottom quartile", f"{_format(self.quartile_difference)} [{_format(self.quartile_low)}, "
                                      f"{_format(self.quartile_high)}] ({self.n_top} vs {self.n_bottom} units)"),
            ("lag", f"{self.outcome} at {self.period} t + {self.lag}"),
        ]
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in rows
        )
        drops = "".join(
            f"<li>{html.escape(str(reason))}: {int(units)}</li>"
            for reason, units in zip(self.dropped["reason"].tolist(), self.dropped["units"].tolist())
            if units
        )
        return (
            f"<table><caption>{html.escape(type(self).__name__)}: {html.escape(self.measure)} vs "
            f"{html.escape(self.outcome)} by {html.escape(self.unit)}</caption>{body}</table>"
            + (f"<p>Dropped:</p><ul>{drops}</ul>" if drops else "")
            + f"<p><em>{html.escape(self.caveat)}</em></p>"
        )

    def to_frame(self) -> pd.DataFrame:
        """The linked units: ``unit``, ``period`` (the employee period, e.g. the wave), ``outcome_period``, ``n``
        (respondents), ``measure``, ``outcome`` and ``weight``, one row per unit-period (the data of the scatter).

        Examples
        --------
        >>> import engage
        >>> org = engage.datasets.synthetic_organisation()   # = examples/data
        >>> res = engage.linkage(org.survey, org.customers, lag=1, dont_know=9, employee_period="wave",
        ...                      period_map={1: "2024Q1", 2: "2024Q3"})
        >>> res.to_frame().columns.tolist()
        ['team', 'period', 'outcome_period', 'n', 'measure', 'outcome', 'weight']
        """
        return self.units.copy()

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar figures."""
        return Result.to_frame(self)

    def plot(self, ax: Any = None, *, title: str | None = None) -> Any:
        """Scatter plot of the units with the fitted line and its confidence band.

        The line is the least-squares fit of the outcome on the measure (weighted by unit size when the
        correlation is) with the pointwise band for the mean outcome at ``confidence_level``; point areas follow
        unit size when weighted. Only the linked (shown) units are drawn.

        Raises
        ------
        ImportError
            matplotlib is not installed (everything else in engage works without it).

        Examples
        --------
        >>> import engage
        >>> from matplotlib.figure import Figure
        >>> org = engage.datasets.synthetic_organisation()   # = examples/data
        >>> res = engage.linkage(org.survey, org.customers, lag=1, dont_know=9, employee_period="wave",
        ...                      period_map={1: "2024Q1", 2: "2024Q3"})
        >>> ax = res.plot(ax=Figure().add_subplot())
        >>> len(ax.collections[0].get_offsets()) == res.n_units
        True
        """
        from . import plots

        w = self.units["weight"].to_numpy(dtype=np.float64) if self.weighted else None
        level = f"{100 * self.confidence_level:.0f}%"
        return plots.linkage_scatter(
            self.units["measure"].to_numpy(dtype=np.float64), self.units["outcome"].to_numpy(dtype=np.float64),
            weights=w, confidence_level=self.confidence_level, ax=ax, title=title,
            xlabel=f"{self.measure} by {self.unit} ({self.period} t)",
            ylabel=f"{self.outcome} ({self.period} t + {self.lag})" if self.lag else self.outcome,
            annotation=f"r = {self.statistic:.2f} [{self.low:.2f}, {self.high:.2f}], {self.n_units} units\n"
                       f"line and {level} band for the mean",
        )


# ---------------------------------------------------------------------------------------------------------------
# Periods
# ---------------------------------------------------------------------------------------------------------------


def _period_kind(values: pd.Series) -> tuple[pd.Series, str]:
    """Canonical period values: integers, pandas Periods (from labels such as "2024Q1"), or plain labels."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype(str), "label"
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype(np.int64), "integer"
    if pd.api.types.is_float_dtype(values.dtype):
        v = values.to_numpy(dtype=np.float64)
        if np.all(v == np.round(v)):
            return values.astype(np.int64), "integer"
        return values, "label"
    if isinstance(values.dtype, pd.PeriodDtype):
        return values, "period"
    uniques = pd.unique(values)
    try:
        parsed = {u: pd.Period(u) for u in uniques}  # a handful of distinct periods
    except (ValueError, TypeError):
        return values.astype(str), "label"
    if len({p.freqstr for p in parsed.values()}) != 1:
        return values.astype(str), "label"
    return values.map(parsed), "period"


def _join_key(values: pd.Series, kind: str) -> pd.Series:
    return values.astype(str) if kind == "period" else values


# ---------------------------------------------------------------------------------------------------------------
# Person-level scores whose unit mean is the unit figure (for ICC(2), the reliability of unit means)
# ---------------------------------------------------------------------------------------------------------------


def _person_scores(items: npt.NDArray[np.float64], method: str, scale: tuple[int, int],
                   dont_know: float | None) -> npt.NDArray[np.float64]:
    x = items.copy()
    if dont_know is not None:
        x[x == dont_know] = np.nan
    answered = np.sum(~np.isnan(x), axis=1)
    low, high = scale
    unfav_max, fav_min = glint_bands(scale)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method in ("favourable_items", "favourable_pooled", "top3"):
            cut = fav_min if method != "top3" else high - 2
            hits = np.sum(np.where(np.isnan(x), False, x >= cut), axis=1)
            score = 100.0 * hits / answered
        elif method == "mean_100":
            score = 100.0 * (np.nanmean(x, axis=1) - low) / (high - low) if x.size else np.zeros(0)
        elif method in ("person_mean", "grand_mean"):
            score = np.nanmean(x, axis=1) if x.size else np.zeros(0)
        elif method == "favourable_persons":
            score = np.where(np.nanmean(x, axis=1) >= fav_min - 0.5, 100.0, 0.0)
            score[answered < x.shape[1]] = np.nan
        else:  # favourable_all
            score = np.where(np.all(np.where(np.isnan(x), False, x >= fav_min), axis=1), 100.0, 0.0)
            score[answered < x.shape[1]] = np.nan
    score = np.asarray(score, dtype=np.float64)
    score[answered == 0] = np.nan
    return score


def _enps_scores(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out = np.where(scores >= 9, 100.0, np.where(scores <= 6, -100.0, 0.0))
    out[np.isnan(scores)] = np.nan
    return out


# ---------------------------------------------------------------------------------------------------------------
# The analysis
# ---------------------------------------------------------------------------------------------------------------


def _column(frame: pd.DataFrame, name: str, what: str, argument: str) -> None:
    if name not in frame.columns:
        raise ColumnError(f"{argument} = {name!r}: no such column in the {what}; available: {list(frame.columns)}")


def _reliability(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 < float(value) <= 1.0:
        raise InvalidInputError(f"{name} = {value!r}: a reliability must be a number in (0, 1]")
    return float(value)


def _icc2(scores: npt.NDArray[np.float64], groups: npt.NDArray[np.int64]) -> float:
    try:
        return float(icc(scores, groups).icc2)
    except ValueError:  # InsufficientDataError: fewer than 2 groups with answers, no within-group variance
        return math.nan


def linkage(
    employee_frame: pd.DataFrame,
    customer_frame: pd.DataFrame,
    *,
    unit: str = "team",
    period: str = "quarter",
    lag: int = 0,
    measure: Measure = "engagement_index",
    outcome: str = "csat_mean",
    items: Sequence[str] | None = None,
    method: IndexMethod = "favourable_items",
    scale: tuple[int, int] = (1, 5),
    dont_know: float | None = None,
    score: str = "enps",
    weight: Literal["size"] | None = None,
    min_group_size: int | None = None,
    reliability: float | None = None,
    outcome_reliability: float | None = None,
    employee_period: str | None = None,
    period_map: Mapping[Any, Any] | None = None,
    parent: str | None = None,
    confidence_level: float = 0.95,
    release: Release | None = None,
) -> LinkageResult:
    """Link an employee survey to customer outcomes at the unit level.

    Parameters
    ----------
    employee_frame : DataFrame
        One row per respondent (per period): the ``unit`` column, the period column, and the item columns
        (``measure="engagement_index"``) or the eNPS column ``score`` (``measure="enps"``).
    customer_frame : DataFrame
        The ``unit`` and ``period`` columns and the ``outcome``. One row per unit and period (unit-level
        outcomes, such as ``examples/data/customers.csv``) or one row per customer (then the outcome is averaged
        per unit-period and its reliability is the ICC(2) of the customer rows).
    unit : str
        The unit column (in both frames), default ``"team"``.
    period : str
        The period column of ``customer_frame`` (and of ``employee_frame`` unless ``employee_period`` is given).
        Periods are integers, pandas Periods or labels that parse as periods ("2024Q1", "2024-03"); other labels
        work with ``lag=0`` only.
    lag : int
        0 (same period) or more: employees at period t are linked to customers at t + lag. The customers of a
        quarter answer for the service they received, so ``lag=1`` asks whether engagement precedes outcomes.
    measure : {"engagement_index", "enps"}
        The unit figure: ``engage.engagement_index_by`` with ``method`` over ``items``, or ``engage.enps_by`` of
        ``score``.
    outcome : str
        The outcome column of ``customer_frame`` (e.g. ``"csat_mean"``, ``"customer_nps"``, a retention rate).
    items : list of str, optional
        Item columns of the engagement index; default: the columns named ``q01``, ``q02``, … (engage's sample
        layout).
    method, scale, dont_know
        As in ``engage.engagement_index_by`` (default ``"favourable_items"`` on 1–5; pass ``dont_know=9`` for the
        sample data).
    score : str
        The eNPS column (0–10) for ``measure="enps"``.
    weight : {None, "size"}
        ``"size"`` weights units by their respondents; the test and interval then use Kish's effective number of
        units (an approximation, see ``include/engage/linkage.hpp``). The quartile comparison stays unweighted.
    min_group_size : int, optional
        Units with fewer respondents are hidden (and, by complementary suppression within a period, the next
        smallest), so they are dropped; counted in ``dropped`` (default 5; with ``release``, the release's).
    reliability : float, optional
        Reliability of the employee unit means; default the ICC(2) of the person-level score (the share of
        favourable answers, the person mean, or +100/0/−100 for eNPS, matching ``method``) by unit-period over
        the respondents of the linked units.
    outcome_reliability : float, optional
        Reliability of the outcome unit means; default the ICC(2) of customer rows when the customer frame has
        them, else 1 (assumed, and said so in ``outcome_reliability_source``).
    employee_period : str, optional
        The period column of ``employee_frame`` when it differs from ``period`` (e.g. ``"wave"``).
    period_map : mapping, optional
        Maps the employee period values to the customer ones, e.g. ``{1: "2024Q1", 2: "2024Q3"}``
        (``Organisation.planted["wave_quarters"]`` for the sample organisation). Unmapped values are an error.
    parent : str, optional
        A column of ``employee_frame`` the units are nested in (e.g. ``"department"``): complementary suppression
        then works within each parent and period, as in ``engagement_index_by(by=[parent, unit])``, so the units
        hidden here are exactly the ones a report by parent and unit hides. Each unit must sit in one parent.
    release : engage.Release, optional
        Publish the unit figures in this release (the frame's index, or the release's ``respondent`` columns,
        names the respondents), protected against its other tables, as the report does. Without it the call is
        a release of its own: a report's tables and this one, published separately, can be combined.
    confidence_level : float
        Of every interval (default 0.95).

    Returns
    -------
    LinkageResult

    Raises
    ------
    KeyError
        A named column is missing.
    ValueError
        Bad options (naming the argument and value); fewer than 3 linked units (``InsufficientDataError``);
        unparseable periods with ``lag > 0``.

    Warns
    -----
    SmallSampleWarning
        Fewer than 10 units are linked: the interval is very wide.

    Examples
    --------
    On the sample organisation (``examples/data``; engagement leads customer satisfaction by one quarter,
    r = 0.4 between the latent team engagement and the customers' latent satisfaction):

    >>> import engage
    >>> org = engage.datasets.synthetic_organisation()   # = examples/data
    >>> res = engage.linkage(org.survey, org.customers, unit="team", period="quarter", lag=1, dont_know=9,
    ...                      employee_period="wave", period_map={1: "2024Q1", 2: "2024Q3"})
    >>> res.n_units, round(res.statistic, 3), [round(v, 3) for v in res.confidence_interval()]
    (186, 0.311, [0.175, 0.435])
    >>> round(res.reliability, 3), round(res.corrected, 3), res.outcome_reliability_source
    (0.865, 0.334, 'assumed 1')
    >>> round(res.quartile_difference, 2), [round(v, 2) for v in res.quartile_interval()]
    (0.54, [0.28, 0.8])
    >>> print(res.dropped.to_string(index=False))
                                   reason  units
                 below minimum group size     14
                complementary suppression      0
    no customer row for the lagged period      0
                          outcome missing      0
     employee rows without unit or period      0
    """
    if not isinstance(employee_frame, pd.DataFrame):
        raise InvalidTypeError(f"employee_frame must be a pandas DataFrame; got {type(employee_frame).__name__}")
    if not isinstance(customer_frame, pd.DataFrame):
        raise InvalidTypeError(f"customer_frame must be a pandas DataFrame; got {type(customer_frame).__name__}")
    check_choice(measure, "measure", _MEASURES)
    if weight is not None:
        check_choice(weight, "weight", ("size",))
    if isinstance(lag, bool) or not isinstance(lag, (int, np.integer)) or lag < 0:
        raise InvalidInputError(f"lag = {lag!r}: must be a whole number >= 0 (1 links customers one period later)")
    lag = int(lag)
    size = _min_group_size(release, min_group_size)
    if not (isinstance(confidence_level, numbers.Real) and 0.0 < float(confidence_level) < 1.0):
        raise InvalidInputError(f"confidence_level = {confidence_level!r}: must be strictly between 0 and 1 (e.g. 0.95)")
    level = float(confidence_level)
    given_rel = None if reliability is None else _reliability(reliability, "reliability")
    given_out_rel = None if outcome_reliability is None else _reliability(outcome_reliability, "outcome_reliability")
    emp_period = period if employee_period is None else employee_period
    _column(employee_frame, unit, "employee frame", "unit")
    _column(employee_frame, emp_period, "employee frame", "employee_period" if employee_period else "period")
    if parent is not None:
        _column(employee_frame, parent, "employee frame", "parent")
        if parent == unit:
            raise InvalidInputError(f"parent = {parent!r}: the parent must be another column than the unit")
        spread = employee_frame.groupby(unit, dropna=True)[parent].nunique(dropna=False)
        if (spread > 1).any():
            raise InvalidInputError(f"parent = {parent!r}: {unit} {spread[spread > 1].index[0]!r} sits in "
                             f"{int(spread.max())} {parent} values; each unit must sit in one")
    _column(customer_frame, unit, "customer frame", "unit")
    _column(customer_frame, period, "customer frame", "period")
    _column(customer_frame, outcome, "customer frame", "outcome")
    if measure == "engagement_index":
        check_choice(method, "method", INDEX_METHODS)
        if items is None:
            items = [c for c in employee_frame.columns if isinstance(c, str) and len(c) > 1 and c[0] == "q"
                     and c[1:].isdigit()]
            if not items:
                raise InvalidInputError("items: no columns named q01, q02, ... in the employee frame; pass items=[...]")
        items = [items] if isinstance(items, str) else list(items)
        for c in items:
            _column(employee_frame, c, "employee frame", "items")
        value_columns = items
    else:
        _column(employee_frame, score, "employee frame", "score")
        value_columns = [score]

    # ---- employee side: periods, then unit figures under the confidentiality rules -------------------------
    nest = [parent] if parent is not None else []
    ident: list[str] = []
    if release is not None and release.respondent is not None:
        ident = [release.respondent] if isinstance(release.respondent, str) else list(release.respondent)
    keep = list(dict.fromkeys([unit, emp_period, *nest, *value_columns, *ident]))
    emp = employee_frame[keep]
    no_key = emp[unit].isna() | emp[emp_period].isna()
    n_rows_no_key = int(no_key.sum())
    if n_rows_no_key:
        emp = emp[~no_key.to_numpy()]
    emp_periods = emp[emp_period]
    if period_map is not None:
        mapped = emp_periods.map(dict(period_map))
        bad = mapped.isna()
        if bad.any():
            missing = sorted({str(v) for v in emp_periods[bad].unique()})
            raise InvalidInputError(f"period_map has no entry for the employee period value(s) {missing}")
        emp_periods = mapped
    emp_keys, emp_kind = _period_kind(emp_periods.reset_index(drop=True))
    cust = customer_frame[[unit, period, outcome]]
    numeric = [pd.api.types.is_numeric_dtype(f[unit].dtype) for f in (emp, cust)]
    if numeric[0] != numeric[1]:
        raise InvalidTypeError(f"unit = {unit!r}: the column holds {'numbers' if numeric[0] else 'text'} in the employee "
                        f"frame but {'numbers' if numeric[1] else 'text'} in the customer frame, so no unit would "
                        "match; give both the same type (e.g. .astype(str))")
    cust_no_key = cust[unit].isna() | cust[period].isna()
    cust = cust[~cust_no_key.to_numpy()]
    cust_keys, cust_kind = _period_kind(cust[period].reset_index(drop=True))
    if emp_kind != cust_kind:
        raise InvalidInputError(
            f"the employee periods ({emp_kind}, e.g. {emp_periods.iloc[0]!r}) and the customer periods "
            f"({cust_kind}, e.g. {cust[period].iloc[0]!r}) are not of the same kind; map one onto the other "
            "with period_map"
        )
    if lag and emp_kind == "label":
        raise InvalidInputError(
            f"lag = {lag}: the period values (e.g. {emp_periods.iloc[0]!r}) are neither integers nor periods such as "
            "'2024Q1', so the next period is not defined; use integers or pandas Periods"
        )
    # Unit figures are computed per employee period (a wave), never pooled over waves that share an outcome period
    # (two pulses in one quarter): pooling would publish figures the per-wave tables hide. Only the join key is
    # the (mapped) outcome period.
    # The frame keeps its index: in a release it names the respondents.
    work = emp.assign(**{_PERIOD: emp[emp_period].to_numpy(), _JOIN: _join_key(emp_keys, emp_kind).to_numpy()})
    if measure == "engagement_index":
        table = engagement_index_by(work, items, by=[_PERIOD, *nest, unit], method=method,
                                    scale=scale, dont_know=dont_know, min_group_size=size,
                                    confidence_level=level, release=release)
    else:
        table = enps_by(work, score=score, by=[_PERIOD, *nest, unit], min_group_size=size,
                        confidence_level=level, release=release)
    status = table["suppression"].to_numpy()
    n_below = int(np.sum(status == "below_minimum"))
    n_compl = int(np.sum(status == "complementary"))
    shown = table[status == "shown"][[_PERIOD, unit, "n", "statistic"]].copy()
    join_of = dict(work[[_PERIOD, _JOIN]].drop_duplicates(_PERIOD).itertuples(index=False, name=None))
    keys = shown[_PERIOD].map(join_of).reset_index(drop=True)
    if lag:  # the join keys are str(Period) or integers: parse back, step `lag` periods on
        keys = _join_key(_period_kind(keys)[0] + lag, emp_kind)
    shown["outcome_key"] = keys.to_numpy()
    # ---- customer side ----------------------------------------------------------------------------------------
    cust = cust.reset_index(drop=True).assign(outcome_key=_join_key(cust_keys, cust_kind).to_numpy())
    customer_level = bool(cust.duplicated([unit, "outcome_key"]).any())
    out_values = pd.to_numeric(cust[outcome], errors="coerce")
    if out_values.isna().sum() > cust[outcome].isna().sum():
        raise InvalidTypeError(f"outcome = {outcome!r}: the column must be numeric")
    cust = cust.assign(**{outcome: out_values.astype(np.float64)})
    if customer_level:
        answered = cust[cust[outcome].notna()]
        outcomes = answered.groupby([unit, "outcome_key"], sort=False)[outcome].agg(["mean", "size"]).reset_index()
        outcomes = outcomes.rename(columns={"mean": "outcome", "size": "customers"})
    else:
        outcomes = cust[[unit, "outcome_key", outcome]].rename(columns={outcome: "outcome"})
    linked = shown.merge(outcomes, on=[unit, "outcome_key"], how="left", validate="many_to_one")
    no_match = ~pd.MultiIndex.from_frame(linked[[unit, "outcome_key"]]).isin(
        pd.MultiIndex.from_frame(cust[[unit, "outcome_key"]]))
    n_no_outcome_row = int(no_match.sum())
    n_outcome_missing = int((linked["outcome"].isna() & ~no_match).sum())
    linked = linked[linked["outcome"].notna().to_numpy()].reset_index(drop=True)
    dropped = pd.DataFrame({
        "reason": ["below minimum group size", "complementary suppression",
                   f"no customer row for the {'lagged ' if lag else ''}period", "outcome missing",
                   "employee rows without unit or period"],
        "units": [n_below, n_compl, n_no_outcome_row, n_outcome_missing, n_rows_no_key],
    })
    n_units = len(linked)
    if n_units < 3:
        raise _core.InsufficientDataError(
            f"linkage needs at least 3 linked units; found {n_units} ({len(table)} unit-periods in the survey, "
            f"{n_below + n_compl} hidden, {n_no_outcome_row + n_outcome_missing} without an outcome"
            f"{' for period t + ' + str(lag) if lag else ''})"
        )
    if n_units < 10:
        warnings.warn(f"only {n_units} units are linked: the unit-level correlation is very imprecise",
                      SmallSampleWarning, stacklevel=2)
    x = linked["statistic"].to_numpy(dtype=np.float64)
    y = linked["outcome"].to_numpy(dtype=np.float64)
    n = linked["n"].to_numpy(dtype=np.float64, na_value=np.nan)
    w = n if weight == "size" else None

    # ---- statistics ---------------------------------------------------------------------------------------------
    r = _core.linkage_weighted_correlation(x, y, weights=w, confidence_level=level)
    if given_rel is not None:
        rel, rel_source = given_rel, "given"
    else:
        if measure == "engagement_index":
            person = _person_scores(work[items].to_numpy(dtype=np.float64, na_value=np.nan), method, scale,
                                    dont_know)
        else:
            person = _enps_scores(work[score].to_numpy(dtype=np.float64, na_value=np.nan))
        used = pd.MultiIndex.from_frame(linked[[_PERIOD, unit]])
        key = pd.MultiIndex.from_frame(work[[_PERIOD, unit]])
        codes = used.get_indexer(key)
        keep = (codes >= 0) & ~np.isnan(person)
        rel, rel_source = _icc2(person[keep], codes[keep].astype(np.int64)), "ICC(2)"
    if given_out_rel is not None:
        out_rel, out_source = given_out_rel, "given"
    elif customer_level:
        used = pd.MultiIndex.from_frame(linked[[unit, "outcome_key"]])
        answered = cust[cust[outcome].notna()]
        codes = used.get_indexer(pd.MultiIndex.from_frame(answered[[unit, "outcome_key"]]))
        keep = codes >= 0
        out_rel = _icc2(answered[outcome].to_numpy(dtype=np.float64)[keep], codes[keep].astype(np.int64))
        out_source = "ICC(2)"
    else:
        out_rel, out_source = 1.0, "assumed 1"
    notes = [ECOLOGICAL_CAVEAT]
    if 0.0 < rel <= 1.0 and 0.0 < out_rel <= 1.0:
        c = _core.correct_attenuation(r["statistic"], rel, out_rel)
        corrected, exceeds = float(c["statistic"]), bool(c["exceeds_one"])
        c_low = float(_core.correct_attenuation(r["low"], rel, out_rel)["clipped"])
        c_high = float(_core.correct_attenuation(r["high"], rel, out_rel)["clipped"])
    else:
        corrected = c_low = c_high = math.nan
        exceeds = False
        notes.append(f"No correction for unreliability: the reliability of the unit means is {_format(rel)} "
                     f"(employees) and {_format(out_rel)} (outcome); the unit means do not differ reliably.")
    if out_source == "assumed 1":
        notes.append("The outcome's unit means were taken as perfectly reliable (no customer-level rows and no "
                     "outcome_reliability given), so the correction is for the employee side only.")
    if lag == 0:
        notes.append("Same-period association: use lag=1 to ask whether engagement precedes the outcome.")
    if linked[unit].duplicated().any():
        notes.append("Units observed in several periods count as separate observations; the interval treats them "
                     "as independent, which overstates its precision when units persist.")
    try:
        q = _core.linkage_quartile_comparison(x, y, level)
    except ValueError as err:  # too few or too tied units for quartiles
        nan = math.nan
        q = {"difference": nan, "low": nan, "high": nan, "pvalue": nan, "relative_difference": nan,
             "mean_top": nan, "mean_bottom": nan, "n_top": 0, "n_bottom": 0}
        notes.append(f"No quartile comparison: {err}")

    periods = []
    for key_value, part in linked.groupby(_PERIOD, sort=True):
        row: dict[str, Any] = {"period": key_value, "n_units": len(part), "statistic": math.nan,
                               "low": math.nan, "high": math.nan}
        px, py = part["statistic"].to_numpy(dtype=np.float64), part["outcome"].to_numpy(dtype=np.float64)
        if len(part) >= 4 and np.ptp(px) > 0 and np.ptp(py) > 0:
            pr = correlation(px, py)
            row["statistic"] = pr.statistic
            row["low"], row["high"] = pr.confidence_interval(level)
        periods.append(row)

    units = pd.DataFrame({
        unit: linked[unit].to_numpy(),
        "period": linked[_PERIOD].to_numpy(),
        "outcome_period": linked["outcome_key"].to_numpy(),
        "n": linked["n"].to_numpy(),
        "measure": x,
        "outcome": y,
        "weight": w if w is not None else np.ones(n_units),
    })
    return LinkageResult(
        statistic=float(r["statistic"]),
        pvalue=float(r["pvalue"]),
        low=float(r["low"]),
        high=float(r["high"]),
        n_units=n_units,
        effective_n=float(r["effective_n"]),
        corrected=corrected,
        corrected_low=c_low,
        corrected_high=c_high,
        corrected_exceeds_one=exceeds,
        reliability=float(rel),
        outcome_reliability=float(out_rel),
        reliability_source=rel_source,
        outcome_reliability_source=out_source,
        quartile_difference=float(q["difference"]),
        quartile_low=float(q["low"]),
        quartile_high=float(q["high"]),
        quartile_pvalue=float(q["pvalue"]),
        quartile_relative_difference=float(q["relative_difference"]),
        mean_top=float(q["mean_top"]),
        mean_bottom=float(q["mean_bottom"]),
        n_top=int(q["n_top"]),
        n_bottom=int(q["n_bottom"]),
        n_dropped=n_below + n_compl + n_no_outcome_row + n_outcome_missing,
        measure=measure if measure == "enps" else f"engagement_index ({method})",
        outcome=outcome,
        unit=unit,
        period=period,
        lag=lag,
        weighted=w is not None,
        confidence_level=level,
        caveat=" ".join(notes),
        units=units,
        dropped=dropped,
        by_period=pd.DataFrame(periods, columns=["period", "n_units", "statistic", "low", "high"]),
    )
