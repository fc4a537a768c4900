"""Retention curves and the Cox model: how long people stay, and what shortens it.

``kaplan_meier`` estimates the retention (survival) curve with Greenwood standard errors, pointwise intervals
(``"log"`` as R's ``survfit`` default, ``"log-log"`` as lifelines, ``"plain"``), the median tenure with its
interval and the curve at chosen times; with ``by`` it gives one curve per group under the confidentiality
rules. ``logrank_test`` compares the curves of groups (R ``survdiff``). ``CoxPH`` fits the proportional-hazards
model (Efron or Breslow ties, optional ridge penalty) with the likelihood-ratio, Wald and score tests, Harrell's
concordance, and predictions of survival and of the churn probability within a horizon.

Conventions: ``duration`` is the follow-up time (≥ 0; tenure at exit, or at the end of observation), ``event``
is 1 (or True) when the person left and 0 when still employed (censored). R's 1/2 status coding must be converted
(``event = status == 2``). Times are compared exactly (no merging of near-equal floating-point times).

Missing data: with ``nan_policy="raise"`` (default) a missing duration, event or covariate is an error naming the
argument and the row; ``"omit"`` drops such rows (listwise) and counts them in ``dropped`` / ``missing_``.

Formulas and sources are in the C++ header ``include/engage/survival.hpp``; every figure is checked against R
``survival`` (survfit, survdiff, coxph, concordance) in the tests.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from collections.abc import Iterator, Mapping
from typing import Any, Literal, Sequence, overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import ColumnError, InvalidInputError, InvalidTypeError
from . import _core
from ._grouping import SUPPRESSION_REASONS, GroupKeys, group_keys
from .confidentiality import Release, _min_group_size as _release_minimum, _names, _publication, _registered
from ._results import ConfidenceInterval, Result, _format
from ._validation import (
    INT32_MAX,
    FloatArray,
    as_float_array,
    check_choice,
    frame_columns,
    frame_floats,
    level,
    real_number,
    whole_number,
)

__all__ = [
    "ChiSquaredTest",
    "CoxPH",
    "KaplanMeierGroups",
    "KaplanMeierResult",
    "LogrankResult",
    "kaplan_meier",
    "logrank_test",
]

ConfType = Literal["log", "log-log", "plain"]
NanPolicy = Literal["raise", "omit"]
_CONF_TYPES = ("log", "log-log", "plain")
_NAN_POLICIES = ("raise", "omit")
_TABLE_COLUMNS = ("time", "at_risk", "events", "censored", "survival", "standard_error", "low", "high")
_INSTALL = (
    "plotting needs matplotlib, which is not installed: pip install matplotlib "
    '(or pip install "engage[plot]"). Everything else in engage works without it.'
)


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    try:
        import matplotlib.pyplot as plt
    except ImportError as err:
        raise ImportError(_INSTALL) from err
    _, ax = plt.subplots(figsize=(7.0, 4.0), layout="constrained")
    return ax


def _min_group_size(value: Any) -> int:
    return whole_number(value, "min_group_size", 1)


def _column(data: pd.DataFrame | None, value: Any, name: str) -> Any:
    """``data[value]`` when ``value`` names a column of ``data``; ``value`` itself otherwise."""
    if data is not None and isinstance(value, str):
        if value not in data.columns:
            raise ColumnError(f"{name}: column {value!r} not in data; available: {list(data.columns)}")
        return data[value]
    if isinstance(value, str):
        raise InvalidTypeError(f"{name} = {value!r} is a column name, but no data frame was given (pass data=...)")
    return value


def _event(event: Any, n: int, name: str = "event") -> FloatArray:
    if event is None:
        return np.ones(n, dtype=np.float64)
    return as_float_array(event, name, allow_bool=True)


def _group_frame(data: pd.DataFrame | None, by: Any, n: int) -> pd.DataFrame:
    """The grouping columns as a DataFrame of n rows."""
    if data is not None and (isinstance(by, str) or (isinstance(by, (list, tuple)) and by and all(isinstance(b, str) for b in by))):
        cols = [by] if isinstance(by, str) else list(by)
        missing = [c for c in cols if c not in data.columns]
        if missing:
            raise ColumnError(f"by: column(s) {missing} not in data; available: {list(data.columns)}")
        frame = data[cols].reset_index(drop=True)
    elif isinstance(by, pd.DataFrame):
        frame = by.reset_index(drop=True)
    elif isinstance(by, pd.Series):
        frame = pd.DataFrame({by.name if by.name is not None else "group": by.to_numpy()})
    elif isinstance(by, str):
        raise InvalidTypeError(f"by = {by!r} is a column name, but no data frame was given (pass data=...)")
    else:
        arr = np.asarray(by)
        if arr.ndim != 1:
            raise InvalidInputError(f"by must be one-dimensional (one label per row); got shape {arr.shape}")
        frame = pd.DataFrame({"group": arr})
    if len(frame) != n:
        raise InvalidInputError(f"by has {len(frame)} rows but duration has {n}")
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Kaplan-Meier


@dataclass(frozen=True, repr=False)
class KaplanMeierResult(Result):
    """A Kaplan–Meier retention curve.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per distinct observed time (events or censorings), as R's ``summary(survfit(...),
        censored = TRUE)``: ``time``, ``at_risk``, ``events``, ``censored``, ``survival``, ``standard_error``
        (Greenwood's SE of S(t); NaN where S = 0), ``low``, ``high`` (pointwise interval by ``conf_type``; before the
        first event [1, 1], or NaN for ``"log-log"``, as in R).
    median : float
        Median follow-up time (R ``quantile.survfit``: the first time S(t) ≤ ½, the midpoint of a horizontal
        stretch at exactly ½); NaN when the curve never falls to ½ (``median_defined`` False).
    median_low, median_high : float
        Interval of the median: where the lower and upper pointwise bands reach ½ (NaN if they never do).
    n, n_events, dropped : int
        Rows used, events among them, rows dropped for missing values (``nan_policy="omit"``).
    confidence_level : float
    conf_type : str
    """

    table: pd.DataFrame = field(repr=False)
    median: float
    median_low: float
    median_high: float
    median_defined: bool
    n: int
    n_events: int
    dropped: int
    confidence_level: float
    conf_type: str
    _curve: Any = field(repr=False, compare=False)

    @classmethod
    def _from_core(cls, curve: Any) -> KaplanMeierResult:
        t = curve.table()
        table = pd.DataFrame({c: t[c] for c in _TABLE_COLUMNS})
        for c in ("at_risk", "events", "censored"):
            table[c] = table[c].astype(np.int64)
        return cls(
            table=table,
            median=float(curve.median),
            median_low=float(curve.median_low),
            median_high=float(curve.median_high),
            median_defined=bool(curve.median_defined),
            n=int(curve.n),
            n_events=int(curve.n_events),
            dropped=int(curve.dropped),
            confidence_level=float(curve.confidence_level),
            conf_type=str(curve.conf_type),
            _curve=curve,
        )

    def median_confidence_interval(self) -> ConfidenceInterval:
        """Interval of the median at ``confidence_level`` (R ``quantile(fit, 0.5)``'s lower and upper).

        Examples
        --------
        >>> import engage
        >>> km = engage.kaplan_meier([2, 3, 3, 5, 8, 9, 11, 12], [1, 1, 0, 1, 0, 1, 1, 0])
        >>> km.median, tuple(km.median_confidence_interval())
        (9.0, (5.0, nan))
        """
        return ConfidenceInterval(self.median_low, self.median_high)

    def survival_at(self, times: Any) -> pd.DataFrame:
        """The curve read at ``times`` (any order), as R's ``summary(fit, times = )``.

        Before the first observed time S = 1 (SE 0); beyond the last observed time the estimate is not defined and
        the row is NaN, except that a curve that has reached 0 stays 0. ``events`` and ``censored`` count those in
        (previous requested time, t] in increasing order of the times; ``at_risk`` is the number still observed at
        t.

        Examples
        --------
        >>> import engage
        >>> km = engage.kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
        >>> km.survival_at([1, 4])[["time", "at_risk", "survival"]].round(4).to_dict("list")
        {'time': [1.0, 4.0], 'at_risk': [5, 2], 'survival': [1.0, 0.6]}
        """
        t = np.atleast_1d(as_float_array(np.atleast_1d(np.asarray(times, dtype=np.float64)), "times"))
        order = np.argsort(t, kind="stable")
        bad = np.flatnonzero(~np.isfinite(t) | (t < 0))
        if bad.size:
            i = int(bad[0])
            raise InvalidInputError(f"times[{i}] = {t[i]}: times must be finite and non-negative")
        r = _core.survival_at(self._curve, np.ascontiguousarray(t[order]))
        out = pd.DataFrame({c: np.asarray(r[c]) for c in _TABLE_COLUMNS})
        for c in ("at_risk", "events", "censored"):
            out[c] = out[c].astype(np.int64)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(order.size)
        return out.iloc[inverse].reset_index(drop=True)

    def with_confidence(self, confidence_level: float = 0.95, conf_type: ConfType = "log") -> KaplanMeierResult:
        """The same curve with its intervals (and the median's) at another level or transformation.

        Examples
        --------
        >>> import engage
        >>> km = engage.kaplan_meier([2, 3, 3, 5, 8, 9], [1, 1, 0, 1, 0, 1])
        >>> km.with_confidence(0.9, "plain").table["low"].round(4).tolist()
        [0.5831, 0.3501, 0.0789, 0.0789, nan]
        """
        check_choice(conf_type, "conf_type", _CONF_TYPES)
        return KaplanMeierResult._from_core(
            _core.survival_with_confidence(self._curve, level(confidence_level), conf_type)
        )

    def to_frame(self) -> pd.DataFrame:
        """The curve table (a copy of ``table``)."""
        return self.table.copy()

    def _repr_html_(self) -> str:
        level = f"{100 * self.confidence_level:g}%"
        head = (
            f"<p>Kaplan–Meier curve: n = {self.n}, events = {self.n_events}"
            + (f", dropped = {self.dropped}" if self.dropped else "")
            + f"; median {html.escape(_format(self.median))} ({level} CI {html.escape(_format(self.median_low))}"
            f"–{html.escape(_format(self.median_high))}); {html.escape(self.conf_type)} intervals</p>"
        )
        return head + self.table.to_html(index=False, max_rows=20, float_format=lambda v: f"{v:.4g}")

    def plot(self, ax: Any = None, *, ci: bool = True, label: str | None = None, **kwargs: Any) -> Any:
        """Step plot of the curve with its pointwise band; returns the matplotlib Axes.

        Needs matplotlib (``pip install matplotlib`` or ``pip install "engage[plot]"``); without it this raises
        ``ImportError`` saying so.

        Examples
        --------
        >>> import engage, matplotlib
        >>> matplotlib.use("Agg")
        >>> ax = engage.kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0]).plot()
        >>> ax.get_ylabel()
        'retention (survival)'
        """
        ax = _axes(ax)
        _draw_curve(ax, self.table, ci=ci, label=label, **kwargs)
        ax.set_xlabel("time")
        ax.set_ylabel("retention (survival)")
        ax.set_ylim(0.0, 1.02)
        if label is not None:
            ax.legend()
        return ax


def _draw_curve(ax: Any, table: pd.DataFrame, *, ci: bool, label: str | None, **kwargs: Any) -> None:
    t = np.concatenate([[0.0], table["time"].to_numpy()])
    s = np.concatenate([[1.0], table["survival"].to_numpy()])
    (line,) = ax.step(t, s, where="post", label=label, **kwargs)
    if ci:
        low = np.concatenate([[1.0], table["low"].to_numpy()])
        high = np.concatenate([[1.0], table["high"].to_numpy()])
        ax.fill_between(t, low, high, step="post", alpha=0.2, color=line.get_color(), linewidth=0)


class _Curves(Mapping[Any, "KaplanMeierResult"]):
    """Group label → ``KaplanMeierResult``, built when first read (10^5 groups cost nothing until looked at)."""

    def __init__(self, core: dict[Any, Any]) -> None:
        self._core = core
        self._made: dict[Any, KaplanMeierResult] = {}

    def __getitem__(self, label: Any) -> KaplanMeierResult:
        if label not in self._made:
            self._made[label] = KaplanMeierResult._from_core(self._core[label])
        return self._made[label]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._core)

    def __len__(self) -> int:
        return len(self._core)


@dataclass(frozen=True, repr=False)
class KaplanMeierGroups(Result):
    """Kaplan–Meier curves of several groups, under the confidentiality rules.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per group (sorted by key): the ``by`` columns, ``n``, ``events``, ``median``, ``median_low``,
        ``median_high``, ``suppressed`` and ``suppression`` (``"shown"``, ``"below_minimum"`` or
        ``"complementary"``). Hidden groups hold missing values in every figure.
    table : pandas.DataFrame
        The curves of the shown groups stacked: the ``by`` columns followed by the columns of
        ``KaplanMeierResult.table``.
    curves : Mapping
        Group label (a tuple for several ``by`` columns) → ``KaplanMeierResult``, shown groups only (each built
        when first read).
    n_groups, n_shown, min_group_size : int
    confidence_level : float
    conf_type : str
    """

    summary: pd.DataFrame = field(repr=False)
    table: pd.DataFrame = field(repr=False)
    curves: Mapping[Any, KaplanMeierResult] = field(repr=False)
    n_groups: int
    n_shown: int
    min_group_size: int
    confidence_level: float
    conf_type: str
    grid: npt.NDArray[np.float64] | None = None
    _keys: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64), repr=False)

    def _on_grid(self, grid: Any) -> KaplanMeierGroups:
        """The same groups published on ``grid`` only: one row per grid time and shown group, blank where fewer
        than ``min_group_size`` are at risk, medians read off the grid, and no curve with its event times."""
        t = np.unique(as_float_array(np.atleast_1d(np.asarray(grid, dtype=np.float64)), "grid"))
        if t.size == 0 or not np.isfinite(t).all() or (t < 0).any():
            raise InvalidInputError(f"grid = {grid!r}: need finite, non-negative times")
        by_cols = [c for c in self.summary.columns if c not in _SUMMARY_FIGURES]
        summary = self.summary.copy()
        parts = []
        for key, curve in self.curves.items():
            part = curve.survival_at(t)
            thin = part["at_risk"].to_numpy() < self.min_group_size
            part = part.astype({c: "float64" for c in ("at_risk", "events", "censored")})
            part.loc[thin, ["at_risk", "events", "censored", "survival", "standard_error", "low", "high"]] = np.nan
            labels = key if isinstance(key, tuple) else (key,)
            row = np.flatnonzero((summary[by_cols].to_numpy(dtype=object) == np.array(labels, dtype=object)).all(axis=1))
            for name, column in (("median", "survival"), ("median_low", "low"), ("median_high", "high")):
                # The first grid time at which the (bound of the) curve is at or below one half.
                hit = np.flatnonzero(part[column].to_numpy() <= 0.5)
                summary.loc[row, name] = float(t[hit[0]]) if hit.size else np.nan
            for col, value in reversed(list(zip(by_cols, labels))):
                part.insert(0, col, value)
            parts.append(part)
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=[*by_cols, *_TABLE_COLUMNS])
        return KaplanMeierGroups(summary=summary, table=table, curves={}, n_groups=self.n_groups,
                                 n_shown=self.n_shown, min_group_size=self.min_group_size,
                                 confidence_level=self.confidence_level, conf_type=self.conf_type, grid=t,
                                 _keys=self._keys)

    def survival_at(self, times: Any) -> pd.DataFrame:
        """Every shown curve read at ``times``: the ``by`` columns followed by ``KaplanMeierResult.survival_at``'s.

        Examples
        --------
        >>> import engage
        >>> g = engage.kaplan_meier([1, 2, 3, 4, 5, 6, 2, 3, 4], [1, 0, 1, 1, 0, 1, 1, 1, 0],
        ...                         by=["a"] * 6 + ["b"] * 3, min_group_size=1)
        >>> g.survival_at([3])[["group", "survival"]].round(4).to_dict("list")
        {'group': ['a', 'b'], 'survival': [0.625, 0.3333]}
        """
        if self.grid is not None:
            raise InvalidInputError("survival_at: these curves are published on their grid only; read "
                                          "`table` (one row per grid time)")
        parts = []
        by_cols = [c for c in self.summary.columns if c not in _SUMMARY_FIGURES]
        for key, curve in self.curves.items():
            part = curve.survival_at(times)
            labels = key if isinstance(key, tuple) else (key,)
            for col, value in reversed(list(zip(by_cols, labels))):
                part.insert(0, col, value)
            parts.append(part)
        if not parts:
            return pd.DataFrame(columns=[*by_cols, *_TABLE_COLUMNS])
        return pd.concat(parts, ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        """The per-group summary (a copy of ``summary``)."""
        return self.summary.copy()

    def _repr_html_(self) -> str:
        head = (
            f"<p>Kaplan–Meier curves of {self.n_groups} groups ({self.n_shown} shown; groups under "
            f"{self.min_group_size} people hidden)</p>"
        )
        return head + self.summary.to_html(index=False, float_format=lambda v: f"{v:.4g}")

    def plot(self, ax: Any = None, *, ci: bool = False, **kwargs: Any) -> Any:
        """One step curve per shown group (hidden groups are not drawn); returns the matplotlib Axes.

        Needs matplotlib (``pip install matplotlib`` or ``pip install "engage[plot]"``).

        Examples
        --------
        >>> import engage, matplotlib
        >>> matplotlib.use("Agg")
        >>> g = engage.kaplan_meier([1, 2, 3, 4, 5, 6, 2, 3, 4], [1, 0, 1, 1, 0, 1, 1, 1, 0],
        ...                         by=["a"] * 6 + ["b"] * 3, min_group_size=1)
        >>> [t.get_text() for t in g.plot().get_legend().get_texts()]
        ['a', 'b']
        """
        ax = _axes(ax)
        by_cols = [c for c in self.summary.columns if c not in _SUMMARY_FIGURES]
        if self.grid is not None:
            for values, part in self.table.groupby(by_cols, sort=False):
                key = values if len(by_cols) > 1 else (values[0] if isinstance(values, tuple) else values)
                label = " / ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
                _draw_curve(ax, part, ci=ci, label=label, **kwargs)
        for key, curve in self.curves.items():
            label = " / ".join(str(k) for k in key) if isinstance(key, tuple) else str(key)
            _draw_curve(ax, curve.table, ci=ci, label=label, **kwargs)
        ax.set_xlabel("time")
        ax.set_ylabel("retention (survival)")
        ax.set_ylim(0.0, 1.02)
        if self.curves or (self.grid is not None and len(self.table)):
            ax.legend()
        return ax


_SUMMARY_FIGURES = ("n", "events", "median", "median_low", "median_high", "suppressed", "suppression")


@overload
def kaplan_meier(
    duration: Any,
    event: Any = ...,
    by: None = ...,
    *,
    data: pd.DataFrame | None = ...,
    confidence_level: float = ...,
    conf_type: ConfType = ...,
    nan_policy: NanPolicy = ...,
    min_group_size: int | None = ...,
    grid: Any = ...,
    release: Release | None = ...,
) -> KaplanMeierResult: ...


@overload
def kaplan_meier(
    duration: Any,
    event: Any = ...,
    *,
    by: Any,
    data: pd.DataFrame | None = ...,
    confidence_level: float = ...,
    conf_type: ConfType = ...,
    nan_policy: NanPolicy = ...,
    min_group_size: int | None = ...,
    grid: Any = ...,
    release: Release | None = ...,
) -> KaplanMeierGroups: ...


@overload
def kaplan_meier(
    duration: Any,
    event: Any,
    by: Any,
    *,
    data: pd.DataFrame | None = ...,
    confidence_level: float = ...,
    conf_type: ConfType = ...,
    nan_policy: NanPolicy = ...,
    min_group_size: int | None = ...,
    grid: Any = ...,
    release: Release | None = ...,
) -> KaplanMeierResult | KaplanMeierGroups: ...


def kaplan_meier(
    duration: Any,
    event: Any = None,
    by: Any = None,
    *,
    data: pd.DataFrame | None = None,
    confidence_level: float = 0.95,
    conf_type: ConfType = "log",
    nan_policy: NanPolicy = "raise",
    min_group_size: int | None = None,
    grid: Any = None,
    release: Release | None = None,
) -> KaplanMeierResult | KaplanMeierGroups:
    """Kaplan–Meier retention curve with Greenwood standard errors, its median and intervals.

    Matches R ``survfit(Surv(duration, event) ~ 1, conf.type = conf_type, conf.int = confidence_level)``
    (``summary(fit, censored = TRUE)`` for the table, ``quantile(fit, 0.5)`` for the median) and lifelines'
    ``KaplanMeierFitter`` with ``conf_type="log-log"``.

    Parameters
    ----------
    duration : array-like or column name
        Follow-up time ≥ 0 (tenure at exit, or at the end of observation).
    event : array-like of 0/1 or bool, or column name, optional
        1 = left, 0 = still employed (censored). Default: every row is an event.
    by : array-like, Series, DataFrame, or column name(s), optional
        Group labels: one curve per group, computed in one pass. Groups with fewer than ``min_group_size`` people
        are hidden (and, complementary, the next smallest groups of the same parent until the hidden ones hold at
        least ``min_group_size``; with several columns the parent is all but the last column).
    data : DataFrame, optional
        When given, ``duration``, ``event`` and ``by`` may name its columns.
    confidence_level : float, default 0.95
    conf_type : {"log", "log-log", "plain"}, default "log"
        Pointwise interval: ``"log"`` S·exp(±zσ) (R's default), ``"log-log"`` S^exp(±zσ/log S) (lifelines'),
        ``"plain"`` S ± z·SE clipped to [0, 1].
    nan_policy : {"raise", "omit"}, default "raise"
    min_group_size : int, optional
        Only with ``by``: fewest people behind a published curve (default 5; with ``release``, the release's).
    grid : array-like, optional
        Only with ``by``: publish each curve at these times only (for example whole months,
        ``numpy.arange(0, 37)``), never at its own event times, which would tell who left when; a time with
        fewer than ``min_group_size`` people at risk is left blank, and medians are read off the grid. Required
        with ``release``.
    release : engage.Release, optional
        Only with ``by`` (and ``data``, whose index names the people): publish the curves in this release,
        protected against its other tables. Without it the call is a release of its own.

    Returns
    -------
    KaplanMeierResult, or KaplanMeierGroups when ``by`` is given.

    Raises
    ------
    InvalidInputError
        Negative, infinite or (with ``nan_policy="raise"``) missing durations, events other than 0/1, naming the
        row. Data without any event is valid: the curve stays at 1 and the median is undefined (NaN).

    Examples
    --------
    >>> import engage
    >>> km = engage.kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
    >>> km.table[["time", "at_risk", "events", "survival"]].round(4).to_dict("list")
    {'time': [2.0, 3.0, 5.0, 8.0], 'at_risk': [5, 4, 2, 1], 'events': [1, 1, 1, 0], 'survival': [0.8, 0.6, 0.3, 0.3]}
    >>> km.median
    5.0
    """
    check_choice(conf_type, "conf_type", _CONF_TYPES)
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)
    confidence_level = level(confidence_level)
    d = as_float_array(_column(data, duration, "duration"), "duration")
    e = _event(_column(data, event, "event"), d.size)
    if by is None:
        curve = _core.kaplan_meier(d, e, confidence_level=float(confidence_level), conf_type=conf_type, nan_policy=nan_policy)
        return KaplanMeierResult._from_core(curve)
    mgs = _release_minimum(release, min_group_size)
    gframe = _group_frame(data, by, d.size)
    groups = group_keys(gframe, gframe.columns.tolist())
    publication: dict[str, Any] = {}
    if release is not None:
        if grid is None:
            raise InvalidInputError("release: curves published in a release need grid= (the times to show "
                                          "them at, e.g. whole months numpy.arange(0, 37)), never their event times")
        if data is None:
            raise InvalidTypeError("release: pass data= (its index names the people across the tables of the release)")
        names = [str(x) if isinstance(x, str) else "duration" for x in (duration, event)]
        publication = _publication(release, data, f"kaplan_meier({_names(groups)})", names)
    out = _kaplan_meier_groups(d, e, groups, float(confidence_level), conf_type, nan_policy, mgs, publication)
    _registered(release, groups, out._keys)
    return out if grid is None else out._on_grid(grid)


def _kaplan_meier_groups(
    d: FloatArray, e: FloatArray, groups: GroupKeys, level: float, conf_type: str, nan_policy: str, mgs: int,
    publication: dict[str, Any] | None = None,
) -> KaplanMeierGroups:
    r = _core.kaplan_meier_by(
        d,
        e,
        groups.keys,
        confidence_level=level,
        conf_type=conf_type,
        nan_policy=nan_policy,
        min_group_size=mgs,
        parent_stride=groups.parent_stride,
        **(publication or {}),
    )
    status = np.asarray(r["status"])
    hidden = status != 0
    summary = groups.decode(np.asarray(r["key"]))
    by_cols = list(summary.columns)
    for name, column in (("n", "n"), ("events", "n_events")):
        counts = pd.array(np.asarray(r[column]), dtype="Int64")
        counts[hidden] = pd.NA
        summary[name] = counts
    for name in ("median", "median_low", "median_high"):
        summary[name] = np.where(hidden, np.nan, np.asarray(r[name], dtype=np.float64))
    summary["suppressed"] = hidden
    summary["suppression"] = SUPPRESSION_REASONS[status]
    # Every curve comes stacked from the core (hidden groups have none): one frame, whatever the number of groups.
    stacked = r["table"]
    group = np.asarray(stacked["group"])
    key_values = summary[by_cols].to_numpy(dtype=object)
    columns: dict[str, Any] = {col: pd.Series(key_values[group, j]).infer_objects() for j, col in enumerate(by_cols)}
    for c in _TABLE_COLUMNS:
        columns[c] = np.asarray(stacked[c])
    table = pd.DataFrame(columns) if group.size else pd.DataFrame(columns=[*by_cols, *_TABLE_COLUMNS])
    shown = np.flatnonzero(~hidden)
    labels = [key_values[i, 0] if len(by_cols) == 1 else tuple(key_values[i].tolist()) for i in shown]
    curves = _Curves(dict(zip(labels, (r["curves"][int(i)] for i in shown))))
    return KaplanMeierGroups(
        summary=summary,
        table=table,
        curves=curves,
        n_groups=len(summary),
        n_shown=int((~hidden).sum()),
        min_group_size=mgs,
        confidence_level=level,
        conf_type=conf_type,
        _keys=np.asarray(r["key"]),
    )


# ---------------------------------------------------------------------------------------------------------------
# Log-rank test


@dataclass(frozen=True, repr=False)
class LogrankResult(Result):
    """Log-rank test that the retention curves of the groups are equal (R ``survdiff``, rho = 0).

    Attributes
    ----------
    statistic : float
        χ² = (O − E)' V⁻ (O − E) with the Moore–Penrose inverse of the variance matrix V.
    df : int
        Rank of V (number of groups − 1, unless a group is never at risk at an event time).
    pvalue : float
    n, n_events, dropped : int
    table : pandas.DataFrame
        One row per group (sorted by key): the group column(s), ``n``, ``observed`` and ``expected`` events,
        ``suppressed`` and ``suppression``. Every group enters the test; hidden groups' rows hold missing values.
    """

    statistic: float
    df: int
    pvalue: float
    n: int
    n_events: int
    dropped: int
    table: pd.DataFrame = field(repr=False)

    def _repr_html_(self) -> str:
        return super()._repr_html_() + self.table.to_html(index=False, float_format=lambda v: f"{v:.4g}")


def logrank_test(
    duration: Any,
    event: Any,
    groups: Any,
    *,
    data: pd.DataFrame | None = None,
    min_group_size: int | None = None,
    nan_policy: NanPolicy = "raise",
    release: Release | None = None,
) -> LogrankResult:
    """Log-rank test between the retention curves of groups, in one pass (R ``survdiff(Surv(t, e) ~ g)``).

    Parameters
    ----------
    duration, event : array-like or column names
        As in :func:`kaplan_meier` (``event=None``: every row is an event).
    groups : array-like, Series, DataFrame, or column name(s)
        Group labels (two or more groups).
    data : DataFrame, optional
        When given, the arguments may name its columns.
    min_group_size : int, optional
        The per-group table hides groups with fewer people (complementary suppression as in ``enps_by``); the test
        itself uses every row. Default 5; with ``release``, the release's.
    nan_policy : {"raise", "omit"}, default "raise"
    release : engage.Release, optional
        Publish the per-group table in this release (pass ``data``, whose index names the people), protected
        against its other tables. Without it the call is a release of its own.

    Raises
    ------
    InsufficientDataError
        Fewer than two groups with observations, or no events.

    Examples
    --------
    >>> import engage
    >>> r = engage.logrank_test([1, 2, 3, 4, 5, 6, 2, 3, 4, 5], [1, 0, 1, 1, 0, 1, 1, 1, 1, 0],
    ...                         ["a"] * 6 + ["b"] * 4, min_group_size=1)
    >>> round(r.statistic, 4), r.df, round(r.pvalue, 4)
    (0.1979, 1, 0.6564)
    >>> r.table[["group", "observed", "expected"]].round(3).to_dict("list")
    {'group': ['a', 'b'], 'observed': [4.0, 3.0], 'expected': [4.498, 2.502]}
    """
    check_choice(nan_policy, "nan_policy", _NAN_POLICIES)
    mgs = _release_minimum(release, min_group_size)
    d = as_float_array(_column(data, duration, "duration"), "duration")
    e = _event(_column(data, event, "event"), d.size)
    gframe = _group_frame(data, groups, d.size)
    keys = group_keys(gframe, gframe.columns.tolist())
    publication: dict[str, Any] = {}
    if release is not None:
        if data is None:
            raise InvalidTypeError("release: pass data= (its index names the people across the tables of the release)")
        names = [str(x) if isinstance(x, str) else "duration" for x in (duration, event)]
        publication = _publication(release, data, f"logrank_test({_names(keys)})", names)
    r = _core.logrank_test(
        d, e, keys.keys, min_group_size=mgs, parent_stride=keys.parent_stride, nan_policy=nan_policy, **publication
    )
    _registered(release, keys, np.asarray(r["key"]))
    status = np.asarray(r["status"])
    hidden = status != 0
    table = keys.decode(np.asarray(r["key"]))
    n = pd.array(np.asarray(r["group_n"]), dtype="Int64")
    n[hidden] = pd.NA
    table["n"] = n
    table["observed"] = np.asarray(r["observed"])
    table["expected"] = np.asarray(r["expected"])
    table["suppressed"] = hidden
    table["suppression"] = SUPPRESSION_REASONS[status]
    return LogrankResult(
        statistic=float(r["statistic"]),
        df=int(r["df"]),
        pvalue=float(r["pvalue"]),
        n=int(r["n"]),
        n_events=int(r["n_events"]),
        dropped=int(r["dropped"]),
        table=table,
    )


# ---------------------------------------------------------------------------------------------------------------
# Cox proportional hazards


@dataclass(frozen=True, repr=False)
class ChiSquaredTest(Result):
    """A χ² test: statistic, degrees of freedom and upper-tail p-value."""

    statistic: float
    df: int
    pvalue: float


def _test(d: dict[str, Any]) -> ChiSquaredTest:
    return ChiSquaredTest(statistic=float(d["statistic"]), df=int(d["df"]), pvalue=float(d["pvalue"]))


def _covariate_matrix(frame: pd.DataFrame, covariates: Sequence[str], what: str) -> FloatArray:
    sub = frame[frame_columns(frame, covariates, what)]
    return frame_floats(sub, "covariates", allow_bool=True, hint=". Encode categories first, for example "
                        "pd.get_dummies(frame, columns=[...], drop_first=True, dtype=float)")


class CoxPH:
    """Cox proportional-hazards model of time to leaving.

    h(t | x) = h₀(t)·exp(x'β), fitted by Newton–Raphson with step halving from β = 0 on internally standardised
    covariates, stopping when the relative change of the log partial likelihood is below ``eps`` (R ``coxph``'s
    rule and default 1e-9), so the estimates match R ``coxph(ties = ties)`` and lifelines ``CoxPHFitter`` (Efron).

    Parameters
    ----------
    ties : {"efron", "breslow"}, default "efron"
        Handling of tied exit times (R's default is Efron; lifelines only has Efron; SAS and SPSS default to
        Breslow).
    penalizer : float, default 0
        Ridge penalty λ ≥ 0: the fit maximises ``ℓ(β) − ½·λ·n·Σⱼ(βⱼ·sdⱼ)²`` (sd with divisor n − 1), which is
        lifelines' ``penalizer`` convention and R ``ridge(..., theta = n·λ, scale = TRUE)``. Standard errors then come
        from the penalised information matrix. A penalty gives finite estimates when a covariate orders the exits
        perfectly (monotone likelihood).
    confidence_level : float, default 0.95
    eps : float, default 1e-9
    max_iter : int, default 20
    nan_policy : {"raise", "omit"}, default "raise"
        Missing duration, event or covariate: error naming the column and row, or drop the row (counted in
        ``missing_``).

    Attributes
    ----------
    params_, standard_errors_, hazard_ratios_, z_, pvalues_ : pandas.Series
        Indexed by covariate: log hazard ratios, their standard errors, exp(params), Wald z and two-sided p.
    confidence_intervals_ : pandas.DataFrame
        Wald intervals of the log hazard ratios (``low``, ``high``) at ``confidence_level``; exponentiate for
        hazard ratios (the ``summary`` has both).
    covariance_ : pandas.DataFrame
    log_likelihood_, log_likelihood_null_ : float
        Log partial likelihood at the estimate (without the penalty) and at β = 0.
    likelihood_ratio_test_, wald_test_, score_test_ : ChiSquaredTest
        2(ℓ(β̂) − ℓ(0)); β̂' I(β̂) β̂; U(0)' I(0)⁻¹ U(0) (the log-rank test for one binary covariate). df = number of
        covariates.
    concordance_, concordance_standard_error_ : float
        Harrell's C of the linear predictor with R survival's tie rules and its infinitesimal-jackknife standard
        error (R ``concordance(fit)``).
    baseline_cumulative_hazard_ : pandas.Series
        Breslow's (Efron-adjusted for ``ties="efron"``) H₀(t) at the covariate means, indexed by event time (R
        ``basehaz(fit, centered = TRUE)``, except that R centres 0/1 covariates at 0).
    means_ : pandas.Series
        Covariate means: partial hazards are relative to them.
    n_, events_, missing_, n_iter_ : int
    penalty_ : float

    Examples
    --------
    >>> import pandas as pd
    >>> import engage
    >>> df = pd.DataFrame({
    ...     "tenure": [5, 8, 12, 3, 9, 14, 2, 7, 11, 6, 10, 4],
    ...     "left": [1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0],
    ...     "engagement": [2.1, 3.0, 4.2, 1.9, 3.3, 3.0, 3.6, 2.9, 4.0, 2.2, 3.4, 3.1]})
    >>> cox = engage.CoxPH().fit(df, duration_col="tenure", event_col="left")
    >>> cox.params_.round(4).to_dict()
    {'engagement': -2.0167}
    >>> round(cox.concordance_, 4)
    0.79
    """

    def __init__(
        self,
        ties: Literal["efron", "breslow"] = "efron",
        penalizer: float = 0.0,
        *,
        confidence_level: float = 0.95,
        eps: float = 1e-9,
        max_iter: int = 20,
        nan_policy: NanPolicy = "raise",
    ) -> None:
        self.ties = ties
        self.penalizer = penalizer
        self.confidence_level = confidence_level
        self.eps = eps
        self.max_iter = max_iter
        self.nan_policy = nan_policy

    def __repr__(self) -> str:
        return f"CoxPH(ties={self.ties!r}, penalizer={self.penalizer!r})"

    def fit(
        self,
        frame: pd.DataFrame,
        duration_col: str,
        event_col: str | None = None,
        covariates: Sequence[str] | None = None,
    ) -> CoxPH:
        """Fit the model; returns ``self``.

        Parameters
        ----------
        frame : pandas.DataFrame
            One row per person.
        duration_col : str
            Column of follow-up times (≥ 0).
        event_col : str, optional
            Column of 0/1 (or bool) exit indicators; default: every row is an event.
        covariates : list of str, optional
            Numeric or boolean columns (encode categories as dummies first). Default: every other column.

        Raises
        ------
        InvalidInputError
            Bad durations or events (naming the row), a constant covariate, collinear covariates (named), missing or
            infinite covariates (naming column and row), bad options.
        InsufficientDataError
            No events (every row censored), or no complete rows.
        ConvergenceError
            A coefficient diverging (monotone likelihood: a covariate orders the exits perfectly; named), or no
            convergence in ``max_iter`` iterations.

        Examples
        --------
        >>> import pandas as pd
        >>> import engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> cox = engage.CoxPH(ties="breslow").fit(df, "t", "e")
        >>> round(float(cox.hazard_ratios_["low_intent"]), 4), cox.n_, cox.events_
        (2.9239, 8, 6)
        """
        if not isinstance(frame, pd.DataFrame):
            raise InvalidTypeError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
        check_choice(self.ties, "ties", ("efron", "breslow"))
        check_choice(self.nan_policy, "nan_policy", _NAN_POLICIES)
        penalizer = real_number(self.penalizer, "penalizer")
        eps = real_number(self.eps, "eps")
        max_iter = whole_number(self.max_iter, "max_iter", 1, INT32_MAX)
        confidence_level = level(self.confidence_level)
        for name, col in (("duration_col", duration_col), ("event_col", event_col)):
            if col is not None:
                frame_columns(frame, [col], name)
        if covariates is None:
            covariates = [str(c) for c in frame.columns if c not in (duration_col, event_col)]
        elif isinstance(covariates, str):
            covariates = [covariates]
        covariates = list(covariates)
        if len(set(covariates)) != len(covariates):
            dup = sorted({c for c in covariates if covariates.count(c) > 1})
            raise InvalidInputError(f"covariates has duplicates: {', '.join(repr(d) for d in dup)}")
        for c in covariates:
            if c in (duration_col, event_col):
                raise InvalidInputError(f"covariates must not include the duration or event column ({c!r})")
        x = _covariate_matrix(frame, covariates, "covariates")
        d = as_float_array(frame[duration_col], f"frame[{duration_col!r}]")
        e = _event(None if event_col is None else frame[event_col], d.size, f"frame[{event_col!r}]")
        fit = _core.cox_ph(
            x,
            d,
            e,
            names=[str(c) for c in covariates],
            ties=self.ties,
            penalizer=penalizer,
            eps=eps,
            max_iter=max_iter,
            confidence_level=confidence_level,
            nan_policy=self.nan_policy,
        )
        index = pd.Index([str(c) for c in covariates], name="covariate")
        self._fit = fit
        self.duration_col_ = duration_col
        self.event_col_ = event_col
        self.covariates_: list[str] = list(index)
        self.params_ = pd.Series(fit.params, index=index, name="coef")
        self.standard_errors_ = pd.Series(fit.standard_errors, index=index, name="standard_error")
        self.hazard_ratios_ = pd.Series(np.exp(fit.params), index=index, name="hazard_ratio")
        self.z_ = pd.Series(fit.z, index=index, name="z")
        self.pvalues_ = pd.Series(fit.pvalues, index=index, name="pvalue")
        self.confidence_intervals_ = pd.DataFrame({"low": fit.low, "high": fit.high}, index=index)
        self.covariance_ = pd.DataFrame(np.asarray(fit.covariance), index=index, columns=index)
        self.means_ = pd.Series(fit.means, index=index, name="mean")
        self.log_likelihood_: float = float(fit.log_likelihood)
        self.log_likelihood_null_: float = float(fit.log_likelihood_null)
        self.penalty_: float = float(fit.penalty)
        self.likelihood_ratio_test_ = _test(fit.likelihood_ratio)
        self.wald_test_ = _test(fit.wald)
        self.score_test_ = _test(fit.score)
        conc = fit.concordance
        self.concordance_: float = float(conc["statistic"])
        self.concordance_standard_error_: float = float(conc["standard_error"])
        self.concordance_counts_: dict[str, int] = {
            k: int(conc[k]) for k in ("concordant", "discordant", "tied_risk", "tied_time", "tied_both")
        }
        self.baseline_cumulative_hazard_ = pd.Series(
            fit.baseline_cumulative_hazard,
            index=pd.Index(fit.baseline_time, name="time"),
            name="baseline_cumulative_hazard",
        )
        self.n_: int = int(fit.n)
        self.events_: int = int(fit.n_events)
        self.missing_: int = int(fit.dropped)
        self.n_iter_: int = int(fit.iterations)
        self.max_time_: float = float(fit.max_time)
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError("this CoxPH is not fitted yet: call fit(frame, duration_col=..., event_col=...) first")

    @property
    def summary(self) -> pd.DataFrame:
        """One row per covariate: coef, hazard_ratio, standard_error, z, pvalue, low, high (log scale) and
        hazard_ratio_low, hazard_ratio_high, at ``confidence_level``.

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> engage.CoxPH().fit(df, "t", "e").summary.columns.tolist()[:3]
        ['coef', 'hazard_ratio', 'standard_error']
        """
        self._check_fitted()
        ci = self.confidence_intervals_
        return pd.DataFrame(
            {
                "coef": self.params_,
                "hazard_ratio": self.hazard_ratios_,
                "standard_error": self.standard_errors_,
                "z": self.z_,
                "pvalue": self.pvalues_,
                "low": ci["low"],
                "high": ci["high"],
                "hazard_ratio_low": np.exp(ci["low"]),
                "hazard_ratio_high": np.exp(ci["high"]),
            },
            index=self.params_.index,
        )

    def print_summary(self, decimals: int = 4) -> None:
        """Print the fit statistics, the three global tests and the summary table.

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> engage.CoxPH().fit(df, "t", "e").print_summary()  # doctest: +ELLIPSIS
        engage.CoxPH (ties = efron)
          rows used ...
        """
        self._check_fitted()
        level = f"{100 * self.confidence_level:g}%"
        lr, wald, score = self.likelihood_ratio_test_, self.wald_test_, self.score_test_
        lines = [
            f"engage.CoxPH (ties = {self.ties})",
            f"  rows used              {self.n_} ({self.events_} events; {self.missing_} dropped for missing values)",
            f"  penalizer              {self.penalizer:g}"
            + (" (ridge; standard errors from the penalised information)" if self.penalizer else ""),
            f"  log partial likelihood {self.log_likelihood_:.{decimals}f} (null {self.log_likelihood_null_:.{decimals}f})",
            f"  likelihood-ratio test  {lr.statistic:.{decimals}f} on {lr.df} df, p = {lr.pvalue:.{decimals}g}",
            f"  Wald test              {wald.statistic:.{decimals}f} on {wald.df} df, p = {wald.pvalue:.{decimals}g}",
            f"  score (log-rank) test  {score.statistic:.{decimals}f} on {score.df} df, p = {score.pvalue:.{decimals}g}",
            f"  concordance            {self.concordance_:.{decimals}f} (SE {self.concordance_standard_error_:.{decimals}f})",
            f"  iterations             {self.n_iter_}",
            f"  intervals              Wald, {level}",
        ]
        print("\n".join(lines))
        print(self.summary.to_string(float_format=lambda v: f"{v:.{decimals}g}"))

    def _matrix(self, frame: Any) -> tuple[FloatArray, pd.Index | None]:
        self._check_fitted()
        if isinstance(frame, pd.DataFrame):
            return _covariate_matrix(frame, self.covariates_, "frame"), frame.index
        arr = np.asarray(frame, dtype=np.float64)
        if arr.ndim == 1 and len(self.covariates_) == 1:
            arr = arr.reshape(-1, 1)
        if arr.ndim != 2 or arr.shape[1] != len(self.covariates_):
            raise InvalidInputError(
                f"expected a DataFrame with columns {self.covariates_} or an array of shape (n, "
                f"{len(self.covariates_)}); got shape {arr.shape}"
            )
        return np.ascontiguousarray(arr), None

    def predict_partial_hazard(self, frame: Any) -> pd.Series:
        """exp((x − means)'β) for each row: the hazard relative to a person with average covariates (lifelines'
        ``predict_partial_hazard``; R ``predict(fit, type = "risk")`` up to R's centring of 0/1 covariates at 0).
        A row with a missing covariate gives NaN.

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> cox = engage.CoxPH().fit(df, "t", "e")
        >>> cox.predict_partial_hazard(pd.DataFrame({"low_intent": [0, 1]})).round(4).tolist()
        [0.5848, 1.71]
        """
        x, index = self._matrix(frame)
        return pd.Series(_core.cox_partial_hazard(self._fit, x), index=index, name="partial_hazard")

    def predict_survival(self, frame: Any, times: Any) -> pd.DataFrame:
        """Predicted retention S(t | x) = exp(−H₀(t)·partial hazard), one row per row of ``frame`` and one column
        per time (R ``survfit(fit, newdata)``; the transpose of lifelines' ``predict_survival_function``). Beyond the
        longest follow-up the prediction is not defined and is NaN.

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> cox = engage.CoxPH().fit(df, "t", "e")
        >>> cox.predict_survival(pd.DataFrame({"low_intent": [0, 1]}), [3, 6]).round(3).values.tolist()
        [[0.938, 0.62], [0.83, 0.247]]
        """
        x, index = self._matrix(frame)
        t = np.atleast_1d(np.asarray(times, dtype=np.float64))
        t = as_float_array(t, "times")
        s = np.asarray(_core.cox_survival(self._fit, x, t))
        return pd.DataFrame(s, index=index, columns=pd.Index(t, name="time"))

    def predict_churn(self, frame: Any, horizon: float) -> pd.Series:
        """Probability of leaving within ``horizon``: 1 − S(horizon | x). The horizon must lie within the follow-up
        of the fitted data.

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> cox = engage.CoxPH().fit(df, "t", "e")
        >>> cox.predict_churn(pd.DataFrame({"low_intent": [0, 1]}), 6).round(3).tolist()
        [0.38, 0.753]
        """
        x, index = self._matrix(frame)
        p = _core.cox_churn_probability(self._fit, x, real_number(horizon, "horizon"))
        return pd.Series(p, index=index, name="churn_probability")

    def predict_log_partial_hazard(self, frame: Any) -> pd.Series:
        """(x − means)'β for each row (the centred linear predictor; higher = higher risk).

        Examples
        --------
        >>> import pandas as pd, engage
        >>> df = pd.DataFrame({"t": [4, 7, 2, 9, 5, 3, 8, 6], "e": [1, 0, 1, 1, 1, 0, 1, 1],
        ...                    "low_intent": [1, 0, 1, 0, 0, 1, 1, 0]})
        >>> cox = engage.CoxPH().fit(df, "t", "e")
        >>> cox.predict_log_partial_hazard(pd.DataFrame({"low_intent": [0, 1]})).round(4).tolist()
        [-0.5365, 0.5365]
        """
        h = self.predict_partial_hazard(frame)
        return pd.Series(np.log(h.to_numpy()), index=h.index, name="log_partial_hazard")
