"""churn_risk on the synthetic organisation (planted effects known: engage.datasets.synthetic_organisation) and
on the sample CSVs; the grouped expected-leaver counts against exact enumeration; confidentiality and bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest

import engage
from engage import _core
from engage.datasets import synthetic_organisation


@pytest.fixture(scope="module")
def org() -> engage.datasets.Organisation:
    return synthetic_organisation()


@pytest.fixture(scope="module")
def risk(org: engage.datasets.Organisation) -> engage.ChurnRiskResult:
    return engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, horizon_months=12)


@pytest.fixture(scope="module")
def big() -> engage.ChurnRiskResult:
    org = synthetic_organisation(n_employees=30000, n_teams=600, seed=11)
    return engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, horizon_months=12)


def test_design_dates(risk: engage.ChurnRiskResult, org: engage.datasets.Organisation) -> None:
    assert risk.as_of == org.planted["window_end"]  # the day after the last recorded date
    assert risk.split == "2025-02-15"
    assert risk.training_landmark == "2024-02-15" and risk.final_landmark == "2024-08-15"
    assert risk.model_type == "cox" and risk.horizon_days == 365
    assert risk.model.n_ > 1000 and risk.holdout_model.events_ > 50


def test_planted_effects_recovered(big: engage.ChurnRiskResult, org: engage.datasets.Organisation) -> None:
    planted = org.planted
    d = big.drivers
    # Low intent to stay is measured exactly (the answer is the category of the latent that drives exits), but
    # the model also holds a noisy engagement index, so residual confounding pushes the estimate up a little and
    # covariates change at the next wave: the planted log HR 0.7 must lie within 3 standard errors.
    b, se = d.loc["low_intent", "coef"], d.loc["low_intent", "standard_error"]
    assert abs(b - planted["log_hr_low_intent"]) < 3 * se + 0.1, (b, se)
    assert d.loc["low_intent", "low"] > 1
    # Engagement: planted -0.5 per SD of the latent; the index measures it with error (and eNPS shares the
    # signal), so the estimate is attenuated toward 0 but clearly protective.
    assert d.loc["engagement", "high"] < 1
    assert planted["log_hr_engagement"] < d.loc["engagement", "coef"] < 0
    # Tenure bands relative to 2-5y: <1y +0.4, 1-2y +0.2, 5y+ -0.3 (bands fixed at the landmark, so diluted)
    tenure = planted["log_hr_tenure"]
    assert d.loc["tenure_<1y", "coef"] > 0 and abs(d.loc["tenure_<1y", "coef"] - tenure["<1y"]) < 3 * d.loc["tenure_<1y", "standard_error"] + 0.1
    assert abs(d.loc["tenure_5y+", "coef"] - tenure["5y+"]) < 3 * d.loc["tenure_5y+", "standard_error"] + 0.1
    assert abs(d.loc["tenure_1-2y", "coef"] - tenure["1-2y"]) < 3 * d.loc["tenure_1-2y", "standard_error"] + 0.1


def test_held_out_quality(risk: engage.ChurnRiskResult, big: engage.ChurnRiskResult) -> None:
    for r in (risk, big):
        q = r.quality
        assert q.loc["concordance", "low"] > 0.5 and q.loc["roc_auc", "low"] > 0.5
        assert 0 < q.loc["brier_score", "estimate"] < 0.25
        # calibration: the observed number of leavers in the held-out year lies in the prediction interval of the
        # expected number (widened by 20 % for the model's own uncertainty, which that interval leaves out)
        exp, low, high = q.loc["expected_leavers", ["estimate", "low", "high"]]
        obs = q.loc["observed_leavers", "estimate"]
        assert low - 0.2 * exp <= obs <= high + 0.2 * exp, (obs, exp, low, high)
        assert r.observed_holdout == obs and r.expected_holdout == pytest.approx(exp)
        assert r.concordance_holdout == q.loc["concordance", "estimate"]


def test_team_tables_confidentiality(risk: engage.ChurnRiskResult) -> None:
    t = risk.teams
    assert list(t.columns) == ["team", "headcount", "n", "coverage", "expected", "low", "high", "expected_rate",
                               "suppressed", "suppression"]
    shown = t[~t["suppressed"]]
    hidden = t[t["suppressed"]]
    assert len(hidden) > 0  # small teams exist in the sample organisation
    assert hidden[["n", "headcount"]].isna().all().all() and hidden["expected"].isna().all()
    assert (shown["n"] >= 5).all()
    assert (shown["low"] <= shown["expected"]).all() and (shown["expected"] <= shown["high"]).all()
    assert (shown["coverage"] <= 1).all() and (shown["coverage"] > 0).all()  # hires since the last wave are not scored
    assert shown["expected"].sum() <= risk.expected_leavers + 1e-9
    h = risk.holdout
    assert "observed" in h.columns and h.loc[~h["suppressed"], "observed"].notna().all()
    # groups, not individuals, by default; the HTML never lists people
    assert risk.individuals is None
    html = risk._repr_html_()
    assert "R0" not in html and "Drivers" in html


def test_individual_scores_on_request(org: engage.datasets.Organisation, risk: engage.ChurnRiskResult) -> None:
    r = engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, individual=True)
    ind = r.individuals
    assert ind is not None and len(ind) == r.n_scored
    assert ind["churn_probability"].between(0, 1).all()
    assert ind["churn_probability"].sum() == pytest.approx(r.expected_leavers)
    assert "R0" not in r._repr_html_()
    pd.testing.assert_frame_equal(r.drivers, risk.drivers)


def test_sample_csvs_match_in_memory(risk: engage.ChurnRiskResult) -> None:
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "examples" / "data"
    hris = pd.read_csv(data / "hris.csv")
    survey = pd.read_csv(data / "survey.csv")
    r = engage.churn_risk(hris, survey, wave_dates={1: "2024-02-15", 2: "2024-08-15"})
    pd.testing.assert_series_equal(r.drivers["coef"], risk.drivers["coef"], rtol=1e-12)
    assert r.as_of == risk.as_of and r.n_scored == risk.n_scored


def test_logistic_model(org: engage.datasets.Organisation) -> None:
    r = engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, model="logistic")
    assert isinstance(r.model, engage.LogisticRegression)
    assert r.drivers.loc["low_intent", "ratio"] > 1 and r.drivers.loc["engagement", "ratio"] < 1
    assert r.quality.loc["roc_auc", "low"] > 0.5


def test_expected_events_by_exact() -> None:
    p = np.array([0.1, 0.5, 0.9, 0.3, 0.05, 0.7, 0.2])
    r = _core.expected_events_by(p, np.zeros(7, dtype=np.int64), min_group_size=1)
    pmf = np.zeros(8)
    for outcome in itertools.product([0, 1], repeat=7):
        o = np.array(outcome)
        pmf[o.sum()] += np.prod(np.where(o == 1, p, 1 - p))
    cdf = np.cumsum(pmf)
    assert r["expected"][0] == pytest.approx(p.sum(), rel=1e-14)
    assert r["standard_error"][0] == pytest.approx(math.sqrt((p * (1 - p)).sum()), rel=1e-14)
    assert r["low"][0] == np.argmax(cdf >= 0.025 * (1 - 1e-12))
    assert r["high"][0] == np.argmax(cdf >= 0.975 * (1 - 1e-12))
    assert math.isnan(r["observed"][0])


def test_bad_input(org: engage.datasets.Organisation) -> None:
    with pytest.raises(ValueError, match="horizon_months"):
        engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, horizon_months=0)
    with pytest.raises(ValueError, match="no survey wave is at least 30 months"):
        engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, horizon_months=30)
    with pytest.raises(ValueError, match=r"hris lacks column\(s\) \['exit_type'\]"):
        engage.churn_risk(org.hris.drop(columns="exit_type"), org.survey, wave_dates=org.wave_dates)
    with pytest.raises(ValueError, match="model"):
        engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, model="forest")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_group_size"):
        engage.churn_risk(org.hris, org.survey, wave_dates=org.wave_dates, min_group_size=0)
    bad = org.hris.copy()
    bad.loc[5, "exit_date"] = bad.loc[5, "hire_date"] - pd.Timedelta(days=3)
    with pytest.raises(ValueError, match="hris row 5: exit_date .* before hire_date"):
        engage.churn_risk(bad, org.survey, wave_dates=org.wave_dates)
    with pytest.raises(ValueError, match=r"wave_dates has no date for wave\(s\) \[2\]"):
        engage.churn_risk(org.hris, org.survey, wave_dates={1: "2024-02-15"})
    with pytest.raises(TypeError, match="DataFrame"):
        engage.churn_risk(org.hris.to_numpy(), org.survey, wave_dates=org.wave_dates)  # type: ignore[arg-type]


def test_wave_dates_are_required_without_a_date_column(org: engage.datasets.Organisation) -> None:
    # Issue 13: without wave_dates churn_risk assumed the sample organisation's calendar (2024-02-15, then every
    # six months) for any survey, silently.
    with pytest.raises(engage.EngageError, match=r"wave_dates: the survey has no 'date' column, so give the date "
                                                 r"of each wave, e\.g\. wave_dates=\{1: '2024-02-15'"):
        engage.churn_risk(org.hris, org.survey)
    with pytest.raises(engage.EngageError, match=r"wave_dates\[2\] = 'soon': not a date"):
        engage.churn_risk(org.hris, org.survey, wave_dates={1: "2024-02-15", 2: "soon"})
    assert org.wave_dates == {1: "2024-02-15", 2: "2024-08-15"}
    dated = org.survey.assign(date=org.survey["wave"].map(org.wave_dates))  # a date column is used as it is
    a = engage.churn_risk(org.hris, dated, horizon_months=12)
    b = engage.churn_risk(org.hris, org.survey, horizon_months=12, wave_dates=org.wave_dates)
    pd.testing.assert_series_equal(a.drivers["coef"], b.drivers["coef"])
