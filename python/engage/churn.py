"""Churn risk that HR can act on: drivers of leaving, expected leavers per team, and honest model quality.

``churn_risk(hris, survey)`` links the engagement survey to the HRIS, fits a Cox model (or a logistic model) of
leaving, checks it on a later period it has not seen, and reports by group, not by person:

- **drivers**: hazard ratios (odds ratios for ``model="logistic"``) with intervals for the engagement index (per
  standard deviation), the eNPS category, low intent to stay and the tenure band;
- **teams**: the expected number of leavers in each team over the next ``horizon_months``, with a prediction
  interval, under the confidentiality rules (teams smaller than ``min_group_size`` are hidden);
- **quality**: on the held-out period, Harrell's concordance, ROC AUC (DeLong interval), the Brier score and the
  expected against the observed number of leavers.

Individual probabilities are only returned with ``individual=True``.

Design (a landmark analysis, which respects time):

1. A *landmark* is a date; at a landmark each employee still employed gets the features of their latest survey
   response on or before it (``tenure_band`` recomputed from ``hire_date`` at the landmark) and is followed up
   from the landmark to their exit (the event; ``exit_types``, voluntary by default, other exits censor) or to
   the end of follow-up (censoring).
2. The split date defaults to ``as_of − horizon``. The *training* landmark is the latest survey wave at least one
   horizon before the split, with follow-up censored at the split: the model only sees exits before the split.
3. The *held-out* landmark is the split date: the training model predicts each employee's probability of leaving
   within the horizon, which is compared with who actually left between the split and ``as_of``.
4. The reported drivers and team forecasts come from the same model refitted on the latest wave at least one
   horizon before ``as_of``, with follow-up to ``as_of``, applied to the employees in post at ``as_of``.

Features: ``engagement`` = mean of the answered items ``q01``..``q12`` (9 = don't know is missing; at least half
the items answered), standardised on the training rows, so its hazard ratio is per standard deviation;
``detractor`` / ``promoter`` (eNPS 0–6 / 9–10, passives the reference); ``low_intent`` (intent to stay 1 or 2);
``tenure_<1y``, ``tenure_1-2y``, ``tenure_5y+`` (2–5 years the reference). Rows missing any feature are dropped and
counted; employees without a survey response are not scored (``coverage`` in the team table says how many are).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._errors import InvalidInputError, InvalidTypeError
from . import _core
from ._grouping import SUPPRESSION_REASONS, group_keys
from .confidentiality import Release, _min_group_size, _names, _publication, _registered
from ._results import Result
from ._validation import check_choice
from .logistic import LogisticRegression, brier_score, concordance_index, roc_auc
from .survival import CoxPH

__all__ = ["ChurnRiskResult", "churn_risk"]

ITEMS: tuple[str, ...] = tuple(f"q{k:02d}" for k in range(1, 13))
FEATURES: tuple[str, ...] = ("engagement", "detractor", "promoter", "low_intent", "tenure_<1y", "tenure_1-2y",
                             "tenure_5y+")
_DESCRIPTIONS = {
    "engagement": "engagement index, per standard deviation",
    "detractor": "eNPS detractor (0-6) vs passive",
    "promoter": "eNPS promoter (9-10) vs passive",
    "low_intent": "intent to stay 1 or 2 vs 3-5",
    "tenure_<1y": "tenure under 1 year vs 2-5 years",
    "tenure_1-2y": "tenure 1-2 years vs 2-5 years",
    "tenure_5y+": "tenure 5 years or more vs 2-5 years",
}
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True, repr=False)
class ChurnRiskResult(Result):
    """What ``churn_risk`` found.

    Attributes
    ----------
    drivers : pandas.DataFrame
        One row per feature: ``description``, ``ratio`` (hazard ratio, or odds ratio for the logistic model),
        ``low``, ``high`` (interval at ``confidence_level``), ``pvalue``, ``coef``, ``standard_error``. From the
        final model (fitted up to ``as_of``).
    teams : pandas.DataFrame
        One row per group (``by`` columns): ``headcount`` (in post at ``as_of``), ``n`` (of them with a usable
        survey response: the people scored), ``coverage`` (n / headcount), ``expected`` leavers over the horizon,
        ``low``, ``high`` (prediction interval of the count), ``expected_rate`` (expected / n), ``suppressed``,
        ``suppression``. Hidden groups hold missing values.
    holdout : pandas.DataFrame
        The same per group for the held-out period, with ``observed`` leavers next to ``expected``.
    quality : pandas.DataFrame
        Held-out model quality, one row per measure (``concordance``, ``roc_auc``, ``brier_score``,
        ``brier_skill``, ``expected_leavers``, ``observed_leavers``) with ``estimate``, ``low``, ``high``.
    individuals : pandas.DataFrame or None
        Only with ``individual=True``: employee id, ``by`` columns, features and ``churn_probability`` at
        ``as_of``. Never shown in the HTML representation.
    model : CoxPH or LogisticRegression
        The final fitted model; ``holdout_model`` the one fitted before the split.
    """

    model_type: str
    horizon_months: int
    horizon_days: int
    as_of: str
    split: str
    training_landmark: str
    final_landmark: str
    n_train: int
    events_train: int
    n_holdout: int
    observed_holdout: int
    expected_holdout: float
    concordance_holdout: float
    roc_auc_holdout: float
    brier_holdout: float
    n_scored: int
    expected_leavers: float
    dropped_missing: int
    drivers: pd.DataFrame = field(repr=False)
    teams: pd.DataFrame = field(repr=False)
    holdout: pd.DataFrame = field(repr=False)
    quality: pd.DataFrame = field(repr=False)
    individuals: pd.DataFrame | None = field(repr=False)
    model: Any = field(repr=False)
    holdout_model: Any = field(repr=False)

    def _repr_html_(self) -> str:
        ratio = "hazard ratio" if self.model_type == "cox" else "odds ratio"
        return (
            f"<h4>Churn risk over {self.horizon_months} months ({self.model_type} model, as of {self.as_of})</h4>"
            f"<p>Drivers ({ratio}s)</p>"
            + self.drivers.to_html(float_format=lambda v: f"{v:.3g}")
            + "<p>Expected leavers by group</p>"
            + self.teams.to_html(index=False, float_format=lambda v: f"{v:.3g}")
            + f"<p>Held-out check (landmark {self.split})</p>"
            + self.quality.to_html(float_format=lambda v: f"{v:.3g}")
        )


def _dates(values: pd.Series, name: str) -> pd.Series:
    try:
        return pd.to_datetime(values)
    except (TypeError, ValueError) as err:
        raise InvalidInputError(f"{name}: not dates ({err})") from None


def _tenure_band(years: np.ndarray) -> np.ndarray:
    return np.select([years < 1, years < 2, years < 5], ["<1y", "1-2y", "2-5y"], "5y+").astype(object)


def _landmark(
    hris: pd.DataFrame,
    responses: pd.DataFrame,
    date: pd.Timestamp,
    end: pd.Timestamp,
    exit_types: Sequence[str],
    id_col: str,
) -> tuple[pd.DataFrame, int]:
    """Employees in post at ``date`` with their latest response on or before it; follow-up to ``end``."""
    in_post = (hris["hire_date"] < date) & (hris["exit_date"].isna() | (hris["exit_date"] > date))
    people = hris.loc[in_post]
    latest = responses[responses["_date"] <= date].sort_values("_date").groupby("_id", sort=False).tail(1)
    frame = people.merge(latest.drop(columns=[c for c in latest.columns if c in people.columns and c != "_id"]),
                         left_on=id_col, right_on="_id", how="left")
    tenure_years = (date - frame["hire_date"]).dt.days.to_numpy(dtype=float) / 365.25
    band = _tenure_band(tenure_years)
    feats = pd.DataFrame(index=frame.index)
    feats["engagement"] = frame["_engagement"]
    feats["detractor"] = np.where(frame["enps"].isna(), np.nan, (frame["enps"] <= 6).astype(float))
    feats["promoter"] = np.where(frame["enps"].isna(), np.nan, (frame["enps"] >= 9).astype(float))
    feats["low_intent"] = np.where(frame["intent_to_stay"].isna(), np.nan, (frame["intent_to_stay"] <= 2).astype(float))
    for b in ("<1y", "1-2y", "5y+"):
        feats[f"tenure_{b}"] = (band == b).astype(float)
    exit_date = frame["exit_date"]
    left = exit_date.notna() & (exit_date < end) & frame["exit_type"].isin(list(exit_types))
    stop = exit_date.where(exit_date.notna() & (exit_date < end), end)
    feats["duration"] = ((stop - date) / _DAY).to_numpy(dtype=float)
    feats["event"] = left.to_numpy(dtype=float)
    feats["_responded"] = frame["_id"].notna().to_numpy()
    feats[id_col] = frame[id_col].to_numpy()
    complete = feats[list(FEATURES)].notna().all(axis=1).to_numpy() & feats["_responded"].to_numpy()
    dropped = int((feats["_responded"].to_numpy() & ~complete).sum())
    feats["_complete"] = complete
    return pd.concat([frame.drop(columns=[c for c in feats.columns if c in frame.columns]), feats], axis=1), dropped


def churn_risk(
    hris: pd.DataFrame,
    survey: pd.DataFrame,
    horizon_months: int = 12,
    *,
    model: Literal["cox", "logistic"] = "cox",
    by: str | Sequence[str] = "team",
    min_group_size: int | None = None,
    individual: bool = False,
    as_of: Any = None,
    split: Any = None,
    wave_dates: dict[Any, Any] | None = None,
    exit_types: Sequence[str] = ("voluntary",),
    confidence_level: float = 0.95,
    penalizer: float = 0.0,
    release: Release | None = None,
) -> ChurnRiskResult:
    """Drivers of leaving, expected leavers per team over a horizon, and the model's held-out quality.

    Parameters
    ----------
    hris : DataFrame
        One row per person: ``employee_id``, the ``by`` columns, ``hire_date``, ``exit_date`` (missing while
        employed), ``exit_type``.
    survey : DataFrame
        One row per response: ``respondent_id`` (= ``employee_id``), ``wave``, ``enps``, ``q01``..``q12``,
        ``intent_to_stay``.
    horizon_months : int, default 12
    model : {"cox", "logistic"}, default "cox"
        Cox proportional hazards (churn probability 1 − S(horizon)), or logistic regression of leaving within the
        horizon (the training landmark's follow-up covers the horizon).
    by : str or list of str, default "team"
        HRIS columns to report expected leavers by.
    min_group_size : int, optional
        Groups with fewer people scored are hidden, with complementary suppression (default 5; with ``release``,
        the release's).
    individual : bool, default False
        Also return each employee's churn probability (``individuals``). Off by default: act on groups.
    as_of : date, optional
        End of the data (exits on or after it are not known). Default: the day after the latest hire or exit date
        in ``hris``.
    split : date, optional
        Start of the held-out period. Default: ``as_of − horizon``.
    wave_dates : dict, optional
        Survey date of each wave (wave -> date). Needed unless the survey has a ``date`` column, which is then
        used; a synthetic organisation carries its own as ``org.wave_dates``.
    exit_types : sequence of str, default ("voluntary",)
        Which ``exit_type`` values count as leaving; other exits censor.
    confidence_level : float, default 0.95
    penalizer : float, default 0
        Ridge penalty of the model (see ``CoxPH`` and ``LogisticRegression``).
    release : engage.Release, optional
        Publish the per-team tables (forecast and held-out) in this release; its people are the employees
        (``employee_id``). Without it the call is a release of its own.

    Raises
    ------
    InvalidInputError
        Missing columns, no ``wave_dates`` (and no ``date`` column), a wave without a date, a horizon longer than
        the available follow-up, or no survey wave early enough.

    Examples
    --------
    >>> import engage
    >>> from engage.datasets import synthetic_organisation
    >>> org = synthetic_organisation(n_employees=3000, n_teams=100, seed=2026)
    >>> risk = engage.churn_risk(org.hris, org.survey, horizon_months=12, wave_dates=org.wave_dates)
    >>> risk.drivers["ratio"].round(2).loc[["engagement", "low_intent"]].to_dict()
    {'engagement': 0.79, 'low_intent': 2.49}
    >>> list(risk.teams.columns[:4])
    ['team', 'headcount', 'n', 'coverage']
    >>> risk.individuals is None
    True
    """
    check_choice(model, "model", ("cox", "logistic"))
    if isinstance(horizon_months, bool) or not isinstance(horizon_months, (int, np.integer)) or horizon_months < 1:
        raise InvalidInputError(f"horizon_months = {horizon_months!r}: must be a whole number of months >= 1")
    size = _min_group_size(release, min_group_size)
    by_cols = [by] if isinstance(by, str) else list(by)
    need_h = ["employee_id", "hire_date", "exit_date", "exit_type", *by_cols]
    need_s = ["respondent_id", "wave", "enps", "intent_to_stay", *ITEMS]
    for name, frame, need in (("hris", hris, need_h), ("survey", survey, need_s)):
        if not isinstance(frame, pd.DataFrame):
            raise InvalidTypeError(f"{name} must be a pandas DataFrame; got {type(frame).__name__}")
        missing = [c for c in need if c not in frame.columns]
        if missing:
            raise InvalidInputError(f"{name} lacks column(s) {missing}")

    h = hris[need_h].copy()
    h["hire_date"] = _dates(h["hire_date"], "hris['hire_date']")
    h["exit_date"] = _dates(h["exit_date"], "hris['exit_date']")
    if h["hire_date"].isna().any():
        i = int(np.flatnonzero(h["hire_date"].isna().to_numpy())[0])
        raise InvalidInputError(f"hris['hire_date'] is missing in row {i}")
    bad = h["exit_date"].notna() & (h["exit_date"] < h["hire_date"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InvalidInputError(f"hris row {i}: exit_date {h['exit_date'].iloc[i].date()} is before hire_date "
                         f"{h['hire_date'].iloc[i].date()}")

    # Survey dates per wave
    s = survey.copy()
    if "date" in s.columns:
        s["_date"] = _dates(s["date"], "survey['date']")
    else:
        if wave_dates is None:
            raise InvalidInputError(
                "wave_dates: the survey has no 'date' column, so give the date of each wave, e.g. "
                "wave_dates={1: '2024-02-15', 2: '2024-08-15'} (a synthetic organisation has them as "
                "org.wave_dates)")
        mapping = {}
        for k, v in wave_dates.items():
            try:
                mapping[k] = pd.Timestamp(v)
            except (ValueError, TypeError):
                raise InvalidInputError(f"wave_dates[{k!r}] = {v!r}: not a date (use YYYY-MM-DD)") from None
        unknown = sorted(int(w) for w in set(s["wave"].dropna().unique()) - set(mapping))
        if unknown:
            raise InvalidInputError(f"wave_dates has no date for wave(s) {unknown}")
        s["_date"] = s["wave"].map(mapping)
    s["_id"] = s["respondent_id"]
    items = s[list(ITEMS)].astype(float).mask(lambda d: d == 9)
    answered = items.notna().sum(axis=1)
    s["_engagement"] = items.mean(axis=1).where(answered >= len(ITEMS) / 2)
    s = s[["_id", "_date", "_engagement", "enps", "intent_to_stay"]]

    last_date = max(h["hire_date"].max(), h["exit_date"].max())
    as_of_ts = pd.Timestamp(as_of) if as_of is not None else last_date + pd.Timedelta(days=1)
    horizon = pd.DateOffset(months=int(horizon_months))
    split_ts = pd.Timestamp(split) if split is not None else as_of_ts - horizon
    if not split_ts < as_of_ts:
        raise InvalidInputError(f"split {split_ts.date()} must be before as_of {as_of_ts.date()}")
    survey_dates = sorted(s["_date"].dropna().unique())

    def landmark_before(limit: pd.Timestamp, what: str) -> pd.Timestamp:
        ok = [pd.Timestamp(d) for d in survey_dates if pd.Timestamp(d) + horizon <= limit]
        if not ok:
            raise InvalidInputError(
                f"no survey wave is at least {horizon_months} months before {what} ({limit.date()}); the first wave "
                f"is {pd.Timestamp(survey_dates[0]).date() if survey_dates else 'absent'}: use a shorter "
                "horizon_months or a later split"
            )
        return ok[-1]

    train_lm = landmark_before(split_ts, "the split")
    final_lm = landmark_before(as_of_ts, "as_of")

    def fit(lm: pd.Timestamp, end: pd.Timestamp) -> tuple[Any, pd.DataFrame, int, float, float]:
        data, dropped = _landmark(h, s, lm, end, exit_types, "employee_id")
        data = data[data["_complete"]].copy()
        mean, sd = float(data["engagement"].mean()), float(data["engagement"].std())
        data["engagement"] = (data["engagement"] - mean) / sd
        hdays = float((lm + horizon - lm) / _DAY)
        if model == "cox":
            m: Any = CoxPH(penalizer=penalizer, confidence_level=confidence_level).fit(
                data, "duration", "event", covariates=list(FEATURES))
        else:
            y = ((data["event"] == 1) & (data["duration"] <= hdays)).astype(float)
            m = LogisticRegression(penalizer=penalizer, confidence_level=confidence_level).fit(data[list(FEATURES)], y)
        return m, data, dropped, mean, sd

    def predict(m: Any, frame: pd.DataFrame, days: float) -> np.ndarray:
        if model == "cox":
            return np.asarray(m.predict_churn(frame[list(FEATURES)], days), dtype=float)
        return np.asarray(m.predict_proba(frame[list(FEATURES)]), dtype=float)

    def score_at(date: pd.Timestamp, end: pd.Timestamp, mean: float, sd: float) -> tuple[pd.DataFrame, int]:
        data, dropped = _landmark(h, s, date, end, exit_types, "employee_id")
        data["engagement"] = (data["engagement"] - mean) / sd
        return data, dropped

    # 1. Held-out check: fit before the split, predict at the split, compare with exits in (split, as_of].
    m_train, train, _, mean_t, sd_t = fit(train_lm, split_ts)
    hold, _ = score_at(split_ts, as_of_ts, mean_t, sd_t)
    hdays_hold = float((split_ts + horizon - split_ts) / _DAY)
    scored_hold = hold[hold["_complete"]].copy()
    scored_hold["_p"] = predict(m_train, scored_hold, min(hdays_hold, _max_time(m_train, hdays_hold)))
    horizon_end = min(split_ts + horizon, as_of_ts)
    observed = ((scored_hold["event"] == 1) & (scored_hold["duration"] <= float((horizon_end - split_ts) / _DAY)))
    scored_hold["_y"] = observed.astype(float)

    conc = concordance_index(scored_hold["duration"], scored_hold["_p"], scored_hold["event"])
    auc = roc_auc(scored_hold["_y"], scored_hold["_p"])
    brier = brier_score(scored_hold["_y"], scored_hold["_p"])
    all_hold = _core.expected_events_by(
        np.ascontiguousarray(scored_hold["_p"].to_numpy(dtype=float)), np.zeros(len(scored_hold), dtype=np.int64),
        observed=np.ascontiguousarray(scored_hold["_y"].to_numpy(dtype=float)), confidence_level=confidence_level,
        min_group_size=1)
    c_low, c_high = conc.confidence_interval(confidence_level)
    a_low, a_high = auc.confidence_interval(confidence_level)
    quality = pd.DataFrame(
        {
            "estimate": [conc.statistic, auc.statistic, brier.statistic, brier.skill, float(all_hold["expected"][0]),
                         float(all_hold["observed"][0])],
            "low": [c_low, a_low, np.nan, np.nan, float(all_hold["low"][0]), np.nan],
            "high": [c_high, a_high, np.nan, np.nan, float(all_hold["high"][0]), np.nan],
        },
        index=pd.Index(["concordance", "roc_auc", "brier_score", "brier_skill", "expected_leavers",
                        "observed_leavers"], name="measure"),
    )

    # 2. Final model up to as_of; forecast for the people in post at as_of.
    m_final, final, dropped_final, mean_f, sd_f = fit(final_lm, as_of_ts)
    now, dropped_now = score_at(as_of_ts, as_of_ts, mean_f, sd_f)
    hdays_now = float((as_of_ts + horizon - as_of_ts) / _DAY)
    scored_now = now[now["_complete"]].copy()
    scored_now["_p"] = predict(m_final, scored_now, min(hdays_now, _max_time(m_final, hdays_now)))
    # The forecast is published before the held-out table: it is the one a report shows, so in a release it keeps
    # its cells and the held-out table takes the complementary suppression.
    teams = _groups(scored_now, now, by_cols, "_p", None, confidence_level, size, release, "forecast")
    holdout_groups = _groups(scored_hold, hold, by_cols, "_p", "_y", confidence_level, size, release, "held-out")

    drivers = _drivers(m_final, model)
    individuals = None
    if individual:
        individuals = scored_now[["employee_id", *by_cols, *FEATURES]].copy()
        individuals["churn_probability"] = scored_now["_p"].to_numpy()
        individuals = individuals.reset_index(drop=True)
    return ChurnRiskResult(
        model_type=model,
        horizon_months=int(horizon_months),
        horizon_days=int(round(hdays_now)),
        as_of=str(as_of_ts.date()),
        split=str(split_ts.date()),
        training_landmark=str(train_lm.date()),
        final_landmark=str(final_lm.date()),
        n_train=int(len(train)),
        events_train=int(train["event"].sum()),
        n_holdout=int(len(scored_hold)),
        observed_holdout=int(scored_hold["_y"].sum()),
        expected_holdout=float(scored_hold["_p"].sum()),
        concordance_holdout=float(conc.statistic),
        roc_auc_holdout=float(auc.statistic),
        brier_holdout=float(brier.statistic),
        n_scored=int(len(scored_now)),
        expected_leavers=float(scored_now["_p"].sum()),
        dropped_missing=int(dropped_now),
        drivers=drivers,
        teams=teams,
        holdout=holdout_groups,
        quality=quality,
        individuals=individuals,
        model=m_final,
        holdout_model=m_train,
    )


def _max_time(m: Any, days: float) -> float:
    """The Cox model's longest follow-up (a horizon a day past it, from calendar months, is read at its end)."""
    mt = getattr(m, "max_time_", None)
    if mt is None:
        return days
    if days > mt + 3:
        raise InvalidInputError(f"the horizon ({days:g} days) is longer than the model's follow-up ({mt:g} days)")
    return float(mt)


def _groups(
    scored: pd.DataFrame,
    everyone: pd.DataFrame,
    by_cols: list[str],
    pcol: str,
    ycol: str | None,
    confidence_level: float,
    min_group_size: int,
    release: Release | None = None,
    what: str = "forecast",
) -> pd.DataFrame:
    keys = group_keys(pd.concat([scored[by_cols], everyone[by_cols]], ignore_index=True), by_cols)
    k_scored = np.ascontiguousarray(keys.keys[: len(scored)])
    k_all = keys.keys[len(scored):]
    r = _core.expected_events_by(
        np.ascontiguousarray(scored[pcol].to_numpy(dtype=float)),
        k_scored,
        observed=None if ycol is None else np.ascontiguousarray(scored[ycol].to_numpy(dtype=float)),
        confidence_level=confidence_level,
        min_group_size=min_group_size,
        parent_stride=keys.parent_stride,
        # The people of these tables are employees, not survey responses: their own namespace in the release.
        **_publication(release, scored, f"churn_risk {what}({_names(keys)})", [f"churn_probability ({what})"],
                       pd.MultiIndex.from_arrays([np.full(len(scored), "employee"), scored["employee_id"].to_numpy()])),
    )
    _registered(release, keys, np.asarray(r["key"]))
    status = np.asarray(r["status"])
    hidden = status != 0
    out = keys.decode(np.asarray(r["key"]))
    uniq, counts = np.unique(k_all, return_counts=True)
    headcount = pd.Series(counts, index=uniq).reindex(np.asarray(r["key"])).to_numpy(dtype=float)
    n = np.asarray(r["n"], dtype=float)
    hc = pd.array(headcount, dtype="Int64")
    nn = pd.array(n.astype(np.int64), dtype="Int64")
    hc[hidden] = pd.NA
    nn[hidden] = pd.NA
    out["headcount"] = hc
    out["n"] = nn
    out["coverage"] = np.where(hidden, np.nan, n / headcount)
    out["expected"] = np.asarray(r["expected"])
    out["low"] = np.asarray(r["low"])
    out["high"] = np.asarray(r["high"])
    out["expected_rate"] = np.where(hidden, np.nan, np.asarray(r["expected"]) / np.where(n > 0, n, np.nan))
    if ycol is not None:
        out["observed"] = np.asarray(r["observed"])
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[status]
    return out


def _drivers(m: Any, model: str) -> pd.DataFrame:
    params = m.params_.drop("intercept", errors="ignore")
    se = m.standard_errors_[params.index]
    ci = m.confidence_intervals_.loc[params.index]
    return pd.DataFrame(
        {
            "description": [_DESCRIPTIONS[c] for c in params.index],
            "ratio": np.exp(params.to_numpy()),
            "low": np.exp(ci["low"].to_numpy()),
            "high": np.exp(ci["high"].to_numpy()),
            "pvalue": m.pvalues_[params.index].to_numpy(),
            "coef": params.to_numpy(),
            "standard_error": se.to_numpy(),
        },
        index=pd.Index(list(params.index), name="feature"),
    )
