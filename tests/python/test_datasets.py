"""engage.datasets.synthetic_organisation: shape, types and determinism of the tables, and recovery of the
planted effects with plain numpy / pandas / scipy (no other engage function is used, so these checks stand
on their own).

Tolerances: the large organisations below have 20,000 first-wave employees in 400 teams, so a proportion
near 0.03 over ~16,000 respondents has a standard error near 0.0014, and a team-level correlation near 0.4
over 400 teams has a standard error near (1 - 0.4^2) / sqrt(400) = 0.042. Each check allows at least about
three standard errors plus the known bias of the observed estimate (noted where it applies).
"""

from __future__ import annotations

import concurrent.futures
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import engage
from engage import _core
from engage.datasets import DONT_KNOW, ITEMS, Organisation, synthetic_organisation

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

SURVEY_COLUMNS = [
    "respondent_id", "team", "department", "location", "tenure_band", "wave", "enps", *ITEMS, "intent_to_stay",
]
HRIS_COLUMNS = ["employee_id", "team", "department", "location", "hire_date", "exit_date", "exit_type"]
CUSTOMER_COLUMNS = ["team", "quarter", "csat_mean", "customer_nps", "customers_surveyed"]


@pytest.fixture(scope="module")
def default_org() -> Organisation:
    return synthetic_organisation()


@pytest.fixture(scope="module")
def large_org() -> Organisation:
    return synthetic_organisation(n_employees=20_000, n_teams=400, waves=2, seed=7)


def _items(survey: pd.DataFrame) -> pd.DataFrame:
    """The 12 items with "don't know" (9) set to missing."""
    return survey[list(ITEMS)].mask(survey[list(ITEMS)] == DONT_KNOW)


# --- structure -------------------------------------------------------------------------------------------


def test_columns_and_dtypes(default_org: Organisation) -> None:
    s, h, c = default_org.survey, default_org.hris, default_org.customers
    assert list(s.columns) == SURVEY_COLUMNS
    assert list(h.columns) == HRIS_COLUMNS
    assert list(c.columns) == CUSTOMER_COLUMNS
    for frame, columns in ((s, SURVEY_COLUMNS[:5]), (h, ["employee_id", "team", "department", "location", "exit_type"]),
                           (c, ["team", "quarter"])):
        for col in columns:
            assert pd.api.types.is_string_dtype(frame[col]), col
    assert s["wave"].dtype == np.int64
    for col in ["enps", *ITEMS, "intent_to_stay"]:
        assert s[col].dtype == np.float64, col
    assert h["hire_date"].dtype == "datetime64[ns]"
    assert h["exit_date"].dtype == "datetime64[ns]"
    assert c["csat_mean"].dtype == np.float64
    assert c["customer_nps"].dtype == np.float64
    assert c["customers_surveyed"].dtype == np.int64
    assert repr(default_org).startswith("Organisation(survey=")


def test_default_sizes(default_org: Organisation) -> None:
    s, h, c = default_org.survey, default_org.hris, default_org.customers
    assert set(s["wave"]) == {1, 2}
    assert 0.75 * 3000 < (s["wave"] == 1).sum() < 0.9 * 3000
    assert len(h) == 3000 + 900  # 15% hires a year for two years on top of the first-wave headcount
    assert len(c) == 100 * 8
    assert h["team"].nunique() == 100
    assert 8 <= h["department"].nunique() <= 10
    assert set(s["tenure_band"]) == {"<1y", "1-2y", "2-5y", "5y+"}
    assert list(c["quarter"].unique()) == [f"{y}Q{q}" for y in (2024, 2025) for q in (1, 2, 3, 4)]
    assert default_org.planted["wave_quarters"] == ("2024Q1", "2024Q3")


def test_ids_and_labels_are_consistent(default_org: Organisation) -> None:
    s, h = default_org.survey, default_org.hris
    assert h["employee_id"].is_unique
    assert h["employee_id"].str.fullmatch(r"R\d{5}").all()
    assert s["team"].str.fullmatch(r"T\d{3}").all()
    assert set(s["respondent_id"]) <= set(h["employee_id"])
    assert not s.duplicated(["respondent_id", "wave"]).any()
    # Most wave-1 respondents answer again in wave 2 (same people; some leave, some join).
    w1 = set(s.loc[s["wave"] == 1, "respondent_id"])
    w2 = set(s.loc[s["wave"] == 2, "respondent_id"])
    assert 0.6 < len(w1 & w2) / len(w1) < 0.85
    assert len(w2 - w1) > 0
    # Team, department and location of a respondent match the HRIS.
    merged = s.merge(h, left_on="respondent_id", right_on="employee_id", suffixes=("", "_hris"))
    for col in ("team", "department", "location"):
        assert (merged[col] == merged[col + "_hris"]).all(), col
    assert (s.groupby("team")["department"].nunique() == 1).all()


def test_value_ranges(default_org: Organisation) -> None:
    s, h, c = default_org.survey, default_org.hris, default_org.customers
    items = s[list(ITEMS)].to_numpy()
    answered = items[~np.isnan(items)]
    assert set(np.unique(answered)) == {1.0, 2.0, 3.0, 4.0, 5.0, 9.0}
    enps = s["enps"].dropna()
    assert set(enps.unique()) <= set(range(11)) and enps.nunique() == 11
    assert set(s["intent_to_stay"].dropna().unique()) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert c["csat_mean"].between(1, 5).all()
    assert c["customer_nps"].between(-100, 100).all()
    assert c["customers_surveyed"].between(50, 250).all()
    assert set(h["exit_type"]) == {"none", "voluntary", "involuntary"}
    left = h["exit_type"] != "none"
    assert (h["exit_date"].isna() == ~left).all()
    assert (h.loc[left, "exit_date"] > h.loc[left, "hire_date"]).all()
    end = pd.Timestamp(default_org.planted["window_end"])
    assert (h.loc[left, "exit_date"] < end).all()
    assert (h["hire_date"] < end).all()


def test_deterministic() -> None:
    a = synthetic_organisation(n_employees=800, n_teams=30, waves=3, seed=42)
    b = synthetic_organisation(n_employees=800, n_teams=30, waves=3, seed=np.int64(42))
    pd.testing.assert_frame_equal(a.survey, b.survey)
    pd.testing.assert_frame_equal(a.hris, b.hris)
    pd.testing.assert_frame_equal(a.customers, b.customers)
    assert a.planted == b.planted
    c = synthetic_organisation(n_employees=800, n_teams=30, waves=3, seed=43)
    assert not a.survey[list(ITEMS)].equals(c.survey[list(ITEMS)])
    assert not a.customers["csat_mean"].equals(c.customers["csat_mean"])


def test_threads_give_the_same_result() -> None:
    # The generation runs without the GIL; concurrent calls must neither interfere nor differ.
    args = dict(n_employees=5000, n_teams=50, seed=3)
    expected = synthetic_organisation(**args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: synthetic_organisation(**args), range(4)))
    for r in results:
        pd.testing.assert_frame_equal(r.survey, expected.survey)
        pd.testing.assert_frame_equal(r.hris, expected.hris)


def test_smallest_and_more_waves() -> None:
    tiny = synthetic_organisation(n_employees=1, n_teams=1, waves=1, seed=0)
    assert len(tiny.customers) == 8 and len(tiny.hris) >= 1
    many = synthetic_organisation(n_employees=300, n_teams=10, waves=6, seed=1)
    assert set(many.survey["wave"]) == set(range(1, 7))
    assert len(many.planted["quarters"]) == 12
    assert many.planted["wave_dates"][-1] == "2026-08-15"


def test_planted_documents_the_codes(default_org: Organisation) -> None:
    p = default_org.planted
    assert p["dont_know_code"] == DONT_KNOW == 9
    assert p["log_hr_engagement"] == -0.5
    assert p["log_hr_low_intent"] == 0.7
    assert p["log_hr_tenure"] == {"<1y": 0.4, "1-2y": 0.2, "2-5y": 0.0, "5y+": -0.3}
    assert p["customer_lag_correlation"] == 0.4
    assert p["customer_same_quarter_correlation"] == pytest.approx(0.4 * (0.5 + 0.5 * 0.2))
    assert p["csat_scale"] == (1, 5)
    assert len(p["item_loadings"]) == 12
    assert (p["seed"], p["n_employees"], p["n_teams"], p["waves"]) == (2026, 3000, 100, 2)


# --- planted effects --------------------------------------------------------------------------------------


def test_missing_rates_near_planted(large_org: Organisation) -> None:
    s, p = large_org.survey, large_org.planted
    raw = s[list(ITEMS)]
    # ~33,000 rows: SE of a rate near 0.03 is about 0.001, near 0.04 about 0.0011.
    np.testing.assert_allclose(raw.isna().mean(), p["item_skip_rate"], atol=0.005)
    np.testing.assert_allclose((raw == DONT_KNOW).mean(), p["item_dont_know_rates"], atol=0.005)
    assert s["enps"].isna().mean() == pytest.approx(p["enps_skip_rate"], abs=0.005)
    assert s["intent_to_stay"].isna().mean() == pytest.approx(p["intent_skip_rate"], abs=0.005)
    # Response rate in wave 1 (all 20,000 employed are invited): SE 0.0027.
    assert (s["wave"] == 1).sum() / 20_000 == pytest.approx(p["response_rate"], abs=0.012)


def _icc1(values: pd.Series, groups: pd.Series) -> float:
    """ICC(1) from the one-way ANOVA mean squares, with the unbalanced-design group size."""
    d = pd.DataFrame({"y": values, "g": groups}).dropna()
    by = d.groupby("g")["y"]
    n_g, m_g = by.size(), by.mean()
    N, G = len(d), len(n_g)
    msb = (n_g * (m_g - d["y"].mean()) ** 2).sum() / (G - 1)
    msw = ((d["y"] - d["g"].map(m_g)) ** 2).sum() / (N - G)
    k = (N - (n_g**2).sum() / N) / (G - 1)
    return float((msb - msw) / (msb + (k - 1) * msw))


def test_reliability_and_team_clustering(large_org: Organisation) -> None:
    s = large_org.survey[large_org.survey["wave"] == 1]
    x = _items(s).dropna().to_numpy()
    k = x.shape[1]
    alpha = k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / x.sum(axis=1).var(ddof=1))
    assert 0.85 <= alpha <= 0.90  # ~12,000 complete rows: the SE of alpha is below 0.002
    item_icc = np.mean([_icc1(_items(s)[c], s["team"]) for c in ITEMS])
    assert 0.10 <= item_icc <= 0.15  # 400 teams: SE of one item's ICC about 0.01, less for the average


def test_promoters_are_more_engaged(large_org: Organisation) -> None:
    s = large_org.survey
    score = _items(s).mean(axis=1)
    promoters, detractors = score[s["enps"] >= 9].mean(), score[s["enps"] <= 6].mean()
    assert promoters - detractors > 0.7  # about 1.1 scale points planted (eNPS loading 0.75)
    # The eNPS itself is near the planted marginal, 30% promoters - 35% detractors = -5. Its SE is about 1.4
    # points, not the 0.5 of independent answers: the mean of 400 team effects shifts the whole organisation.
    enps = s["enps"].dropna()
    assert 100 * ((enps >= 9).mean() - (enps <= 6).mean()) == pytest.approx(-5, abs=5)


def test_customer_outcome_follows_engagement_by_one_quarter(large_org: Organisation) -> None:
    s, c, p = large_org.survey, large_org.customers, large_org.planted
    team_mean = s.assign(score=_items(s).mean(axis=1)).groupby(["wave", "team"])["score"].mean()
    csat = c.set_index(["quarter", "team"])["csat_mean"]
    quarters = list(p["quarters"])
    lag, same = [], []
    for wave, quarter in enumerate(p["wave_quarters"], start=1):
        engagement = team_mean.loc[wave]
        q = quarters.index(quarter)
        same.append(np.corrcoef(engagement, csat.loc[quarters[q]].loc[engagement.index])[0, 1])
        lag.append(np.corrcoef(engagement, csat.loc[quarters[q + 1]].loc[engagement.index])[0, 1])
    # Planted 0.4 between the latent team engagement and the next quarter's customer latent. Observed team
    # means (about 40 respondents) and csat means (50-250 customers) are noisy, which pulls the sample value
    # a few hundredths below 0.4; the allowance is that plus three SEs of 0.042.
    for r in lag:
        assert p["customer_lag_correlation"] - 0.16 < r < p["customer_lag_correlation"] + 0.13
    # Same-quarter correlation is planted at 0.24: weaker than the lag in every wave and clearly on average.
    assert all(r_lag > r_same for r_lag, r_same in zip(lag, same))
    assert np.mean(lag) - np.mean(same) > 0.07


def test_exit_hazard_recovers_planted_effects() -> None:
    # One wave: the wave-1 answers are the hazard covariates for the whole two-year window.
    org = synthetic_organisation(n_employees=20_000, n_teams=400, waves=1, seed=11)
    s, h, p = org.survey, org.hris, org.planted
    d = pd.DataFrame({"id": s["respondent_id"], "score": _items(s).mean(axis=1), "intent": s["intent_to_stay"]})
    d = d.dropna().merge(h, left_on="id", right_on="employee_id")
    start, end = pd.Timestamp(p["window_start"]), pd.Timestamp(p["window_end"])
    years = 365.25
    t0 = (start - d["hire_date"]).dt.days.to_numpy(float) / years  # tenure at entry and exit (or censoring)
    t1 = (d["exit_date"].fillna(end) - d["hire_date"]).dt.days.to_numpy(float) / years
    event = (d["exit_type"] == "voluntary").to_numpy(float)  # involuntary exits censor the voluntary hazard
    edges = np.array([0.0, 1.0, 2.0, 5.0, np.inf])
    exposure = np.stack(
        [np.clip(np.minimum(t1, edges[b + 1]) - np.maximum(t0, edges[b]), 0.0, None) for b in range(4)], axis=1
    )
    band_at_exit = np.minimum(np.searchsorted(edges, t1, side="right") - 1, 3)
    z = ((d["score"] - d["score"].mean()) / d["score"].std()).to_numpy()
    low = (d["intent"] <= 2).to_numpy(float)

    covariates = np.column_stack([np.ones_like(z), z, low])
    at_exit = np.eye(4)[band_at_exit]  # one-hot tenure band at the end of follow-up

    def negative_loglik(beta: np.ndarray) -> tuple[float, np.ndarray]:
        # Piecewise-exponential proportional hazards (tenure bands as the baseline pieces, 2-5y the reference),
        # per respondent so that BFGS works on numbers of order one; analytic gradient.
        tenure = np.array([beta[3], beta[4], 0.0, beta[5]])
        mu = np.exp(covariates @ beta[:3])[:, None] * exposure * np.exp(tenure)  # expected events by band
        loglik = np.sum(event * (covariates @ beta[:3] + at_exit @ tenure)) - mu.sum()
        grad_cov = covariates.T @ (event - mu.sum(axis=1))
        grad_tenure = (event[:, None] * at_exit - mu).sum(axis=0)[[0, 1, 3]]
        return -loglik / len(z), -np.concatenate([grad_cov, grad_tenure]) / len(z)

    fit = optimize.minimize(negative_loglik, np.zeros(6), jac=True, method="BFGS")
    assert fit.success, fit.message
    log_base, b_engagement, b_low, b_t0, b_t1, b_t3 = fit.x
    # ~2,700 voluntary exits: SEs about 0.03 (engagement), 0.05 (low intent), 0.06-0.08 (tenure).
    # Engagement is measured by the 12-item mean, not the latent, so its coefficient is attenuated
    # (reliability ~0.88: about -0.44 instead of -0.5); the leftover confounding pushes low intent up a little.
    assert -0.6 < b_engagement < -0.33
    assert b_low == pytest.approx(p["log_hr_low_intent"], abs=0.2)
    assert b_t0 == pytest.approx(p["log_hr_tenure"]["<1y"], abs=0.25)
    assert b_t1 == pytest.approx(p["log_hr_tenure"]["1-2y"], abs=0.25)
    assert b_t3 == pytest.approx(p["log_hr_tenure"]["5y+"], abs=0.25)
    assert np.exp(log_base) == pytest.approx(p["voluntary_baseline_hazard"], rel=0.25)
    # And the plain view: more voluntary leavers among those with low intent to stay.
    assert event[low == 1].mean() > 1.4 * event[low == 0].mean()


# --- bad input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(n_employees=0), "n_employees = 0"),
        (dict(n_employees=-5), "n_employees = -5"),
        (dict(n_employees=10_000_001), "n_employees = 10000001"),
        (dict(n_teams=0), "n_teams = 0"),
        (dict(n_employees=10, n_teams=11), "n_teams = 11"),
        (dict(waves=0), "waves = 0"),
        (dict(waves=11), "waves = 11"),
        (dict(waves=2**70), "waves = "),
        (dict(seed=-1), "seed = -1"),
        (dict(seed=2**64), "seed = "),
    ],
)
def test_bad_values_raise_value_error(kwargs: dict[str, int], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        synthetic_organisation(**kwargs)
    assert isinstance(info.value, engage.InvalidInputError)
    assert isinstance(info.value, _core.InvalidInputError)


@pytest.mark.parametrize("kwargs", [dict(n_employees=2.5), dict(n_teams="10"), dict(waves=True), dict(seed=1.0)])
def test_non_integers_raise_type_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(TypeError):
        synthetic_organisation(**kwargs)  # type: ignore[arg-type]


# --- the sample CSVs --------------------------------------------------------------------------------------


def test_sample_csvs_are_the_default_organisation(default_org: Organisation) -> None:
    # examples/data is written by examples/make_sample_data.py; rerun it whenever the generator changes.
    data = EXAMPLES / "data"
    survey = pd.read_csv(data / "survey.csv")
    hris = pd.read_csv(data / "hris.csv", keep_default_na=False, na_values={"exit_date": [""]})
    customers = pd.read_csv(data / "customers.csv")
    s, h, c = default_org.survey, default_org.hris, default_org.customers
    assert list(survey.columns) == SURVEY_COLUMNS and len(survey) == len(s)
    assert list(hris.columns) == HRIS_COLUMNS and len(hris) == len(h)
    assert list(customers.columns) == CUSTOMER_COLUMNS and len(customers) == len(c)
    assert (survey["respondent_id"] == s["respondent_id"]).all()
    np.testing.assert_array_equal(survey[["enps", *ITEMS, "intent_to_stay"]].to_numpy(float),
                                  s[["enps", *ITEMS, "intent_to_stay"]].to_numpy())
    assert (survey["tenure_band"] == s["tenure_band"]).all()
    assert (hris["hire_date"] == h["hire_date"].dt.strftime("%Y-%m-%d")).all()
    assert (pd.to_datetime(hris["exit_date"]).fillna(pd.Timestamp(0)) == h["exit_date"].fillna(pd.Timestamp(0))).all()
    assert (hris["exit_type"] == h["exit_type"]).all()
    np.testing.assert_allclose(customers["csat_mean"], c["csat_mean"], rtol=1e-9)
    np.testing.assert_allclose(customers["customer_nps"], c["customer_nps"], rtol=1e-9, atol=1e-9)
