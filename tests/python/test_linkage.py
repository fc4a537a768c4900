"""Unit-level linkage: R reference values (tests/data/linkage_reference.json from linkage_reference.R), recovery of
the planted correlation and lag in the synthetic organisation, periods and lags, dropped units, bad input, plot."""

from __future__ import annotations

import importlib
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import engage
from engage import _core
from engage.linkage import ECOLOGICAL_CAVEAT, LinkageResult

REL = 1e-8
DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
WAVES = {1: "2024Q1", 2: "2024Q3"}


def _approx(expected: float, rel: float = REL) -> object:
    return pytest.approx(expected, rel=rel, abs=rel)


@pytest.fixture(scope="module")
def ref(load_reference) -> dict:
    return load_reference("linkage_reference.json")


@pytest.fixture(scope="module")
def sample() -> tuple[pd.DataFrame, pd.DataFrame]:
    return pd.read_csv(DATA / "survey.csv"), pd.read_csv(DATA / "customers.csv")


def _link(sample: tuple[pd.DataFrame, pd.DataFrame], **kw: object) -> LinkageResult:
    survey, customers = sample
    kw.setdefault("dont_know", 9)
    # The R reference applies the minimum group size only; the distribution rule (a unit whose answers all fall
    # into one category is hidden) is tested in test_confidentiality.py.
    kw.setdefault("release", engage.Release(min_distribution_size=1))
    return engage.linkage(survey, customers, employee_period="wave", period_map=WAVES, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------------------------------------------


def test_end_to_end_matches_r(ref: dict, sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    for e in ref["end_to_end"]:
        res = _link(sample, lag=e["lag"], measure=e["measure"], outcome=e["outcome"])
        name = (e["measure"], e["lag"])
        assert res.n_units == e["n_units"], name
        assert res.dropped.set_index("reason").loc["below minimum group size", "units"] == e["n_below_minimum"]
        assert res.n_dropped == e["n_below_minimum"] + e["n_no_outcome"]
        units = res.to_frame().sort_values(["period", "team"]).reset_index(drop=True)
        assert units["team"].tolist() == e["units"]["team"]
        assert units["period"].map(WAVES).tolist() == e["units"]["quarter"]  # the employee period (wave)
        assert units["outcome_period"].tolist() == e["units"]["outcome_quarter"]
        assert units["n"].tolist() == e["units"]["n"]
        np.testing.assert_allclose(units["measure"], e["units"]["measure"], rtol=1e-12)
        np.testing.assert_allclose(units["outcome"], e["units"]["outcome"], rtol=1e-12)
        assert res.statistic == _approx(e["statistic"]), name
        assert res.pvalue == pytest.approx(e["pvalue"], rel=REL), name
        assert res.confidence_interval() == pytest.approx(tuple(e["ci"]), rel=REL)
        assert res.reliability == _approx(e["reliability"]) and res.reliability_source == "ICC(2)"
        assert res.outcome_reliability == 1.0 and res.outcome_reliability_source == "assumed 1"
        assert res.corrected == _approx(e["corrected"])
        assert res.corrected_interval() == pytest.approx(tuple(e["corrected_ci"]), rel=REL)
        q = e["quartiles"]
        assert (res.n_top, res.n_bottom) == (q["n_top"], q["n_bottom"])
        assert (res.mean_top, res.mean_bottom) == (_approx(q["mean_top"]), _approx(q["mean_bottom"]))
        assert res.quartile_difference == _approx(q["difference"])
        assert res.quartile_interval() == pytest.approx(tuple(q["ci"]), rel=REL)
        assert res.quartile_pvalue == pytest.approx(q["pvalue"], rel=REL)
        assert res.quartile_relative_difference == _approx(q["relative_difference"])
        weighted = _link(sample, lag=e["lag"], measure=e["measure"], outcome=e["outcome"], weight="size")
        assert weighted.weighted and weighted.statistic == _approx(e["weighted"]["statistic"])
        assert weighted.effective_n == _approx(e["weighted"]["effective_n"])
        assert weighted.confidence_interval() == pytest.approx(tuple(e["weighted"]["ci"]), rel=REL)
        assert weighted.quartile_difference == res.quartile_difference  # the quartile comparison is unweighted


def test_core_statistics_match_r(ref: dict) -> None:
    for c in ref["weighted"]:
        for t in c["tests"]:
            for iv in t["intervals"]:
                r = _core.linkage_weighted_correlation(
                    np.array(c["x"], float), np.array(c["y"], float), weights=np.array(c["w"], float),
                    confidence_level=iv["level"], alternative=t["alternative"])
                assert r["statistic"] == _approx(c["statistic"]) and r["effective_n"] == _approx(c["effective_n"])
                assert r["test_statistic"] == _approx(c["t"]) and r["df"] == _approx(c["df"])
                assert r["pvalue"] == pytest.approx(t["pvalue"], rel=REL)
                assert (r["low"], r["high"]) == pytest.approx(tuple(iv["ci"]), rel=REL)
    for c in ref["quartiles"]:
        q = _core.linkage_quartile_comparison(np.array(c["measure"], float), np.array(c["outcome"], float), c["level"])
        for key in ("q1", "q3", "mean_bottom", "mean_top", "sd_bottom", "sd_top", "difference", "standard_error", "df"):
            assert q[key] == _approx(c[key]), (c["name"], key)
        assert q["test_statistic"] == _approx(c["t"]) and q["pvalue"] == pytest.approx(c["pvalue"], rel=REL)
        assert (q["low"], q["high"]) == pytest.approx(tuple(c["ci"]), rel=REL)
        assert (q["n_bottom"], q["n_top"]) == (c["n_bottom"], c["n_top"])
        if c["relative_difference"] is None:
            assert math.isnan(q["relative_difference"])
    for c in ref["bands"]:
        w = np.array(c["w"], float) if c["weighted"] else None
        b = _core.linkage_fit_line_band(np.array(c["x"], float), np.array(c["y"], float), np.array(c["at"], float),
                                        weights=w, confidence_level=c["level"])
        assert (b["intercept"], b["slope"], b["residual_sd"]) == pytest.approx(
            (c["intercept"], c["slope"], c["residual_sd"]), rel=REL)
        for key in ("fit", "low", "high"):
            np.testing.assert_allclose(b[key], c[key], rtol=REL)


def test_weighted_correlation_matches_statsmodels(ref: dict) -> None:
    from statsmodels.stats.weightstats import DescrStatsW

    c = ref["weighted"][0]
    x, y, w = (np.array(c[k], float) for k in ("x", "y", "w"))
    expected = DescrStatsW(np.column_stack([x, y]), weights=w).corrcoef[0, 1]
    got = _core.linkage_weighted_correlation(x, y, weights=w)["statistic"]
    assert got == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# The planted effects of the synthetic organisation
# ---------------------------------------------------------------------------------------------------------------


def test_recovers_planted_correlation_and_lag(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """datasets: customers in quarter q correlate 0.4 (latent) with team engagement in q - 1 and 0.24 with q.
    The corrected unit-level correlation's interval covers the planted value at both lags, on the sample data
    (examples/data, 100 teams) and on a ten times larger organisation, where the lag is also resolved (each
    interval excludes the other lag's value)."""
    org = engage.datasets.synthetic_organisation()
    assert org.planted["customer_lag_correlation"] == 0.4
    same = 0.4 * (0.5 + 0.5 * 0.2)
    big = engage.datasets.synthetic_organisation(n_employees=30000, n_teams=1000, seed=7)
    for survey, customers, waves in ((org.survey, org.customers, org.planted["wave_quarters"]),
                                     (big.survey, big.customers, big.planted["wave_quarters"])):
        period_map = dict(enumerate(waves, start=1))
        lag1 = engage.linkage(survey, customers, lag=1, dont_know=9, employee_period="wave", period_map=period_map)
        lag0 = engage.linkage(survey, customers, lag=0, dont_know=9, employee_period="wave", period_map=period_map)
        assert lag1.corrected_low < 0.4 < lag1.corrected_high
        assert lag0.corrected_low < same < lag0.corrected_high
        assert lag1.statistic > lag0.statistic
        assert lag1.quartile_low > 0  # top-quartile teams have more satisfied customers next quarter
    assert lag1.n_units > 1800
    assert lag1.corrected_low > same and lag0.corrected_high < 0.4
    # The sample CSVs are this organisation.
    survey, customers = sample
    pd.testing.assert_frame_equal(customers, org.customers.astype({"customers_surveyed": "int64"}), check_exact=False,
                                  rtol=1e-8)


# ---------------------------------------------------------------------------------------------------------------
# Options
# ---------------------------------------------------------------------------------------------------------------


def _rel() -> engage.Release:
    """A release with the minimum group size only: the toy stores are small and often unanimous."""
    return engage.Release(min_distribution_size=1)


def _toy() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    rows = []
    for period in (1, 2, 3):
        for t in range(12):
            size = 6 + t % 4
            level = t / 12 + 0.1 * period
            for _ in range(size):
                rows.append({"store": f"S{t:02d}", "month": period, "enps": float(np.clip(round(7 + 3 * level + rng.normal(0, 2)), 0, 10))})
    emp = pd.DataFrame(rows)
    cust = pd.DataFrame([{"store": f"S{t:02d}", "month": p, "sales": 100 + 5 * t + 3 * p + rng.normal(0, 4)}
                         for p in (1, 2, 3, 4) for t in range(12)])
    return emp, cust


def test_integer_periods_lags_and_enps_figures() -> None:
    emp, cust = _toy()
    res = engage.linkage(emp, cust, release=_rel(), unit="store", period="month", lag=1, measure="enps", outcome="sales")
    assert res.n_units == 36 and res.lag == 1 and res.measure == "enps"
    units = res.to_frame()
    assert (units["outcome_period"] == units["period"] + 1).all()
    by = engage.enps_by(emp, score="enps", by=["month", "store"], release=_rel())
    merged = units.merge(by, left_on=["period", "store"], right_on=["month", "store"])
    np.testing.assert_allclose(merged["measure"], merged["statistic"], rtol=1e-12)
    plain = engage.correlation(units["measure"], units["outcome"])
    assert res.statistic == pytest.approx(plain.statistic, rel=1e-12)
    assert res.confidence_interval() == pytest.approx(tuple(plain.confidence_interval()), rel=1e-12)
    assert list(res.by_period["period"]) == [1, 2, 3] and (res.by_period["n_units"] == 12).all()
    lag2 = engage.linkage(emp, cust, release=_rel(), unit="store", period="month", lag=2, measure="enps", outcome="sales")
    assert lag2.n_units == 24
    assert lag2.dropped.set_index("reason").loc["no customer row for the lagged period", "units"] == 12


def test_period_labels_and_periods() -> None:
    emp, cust = _toy()

    def monthly(m: pd.Series) -> pd.Series:
        return pd.to_datetime(pd.DataFrame({"year": 2025, "month": m, "day": 1})).dt.to_period("M")

    emp = emp.assign(month=monthly(emp["month"]).astype(str))  # "2025-01" labels parse as monthly periods
    cust = cust.assign(month=monthly(cust["month"]))  # a period dtype
    res = engage.linkage(emp, cust, release=_rel(), unit="store", period="month", lag=1, measure="enps", outcome="sales")
    assert res.n_units == 36
    assert set(res.to_frame()["outcome_period"]) == {"2025-02", "2025-03", "2025-04"}
    seasons = {"2025-01": "spring", "2025-02": "summer", "2025-03": "autumn", "2025-04": "winter"}
    labels = emp.assign(month=emp["month"].map(seasons))
    label_cust = cust.assign(month=cust["month"].astype(str).map(seasons))
    same = engage.linkage(labels, label_cust, release=_rel(), unit="store", period="month", measure="enps", outcome="sales")
    assert same.n_units == 36
    with pytest.raises(ValueError, match="lag = 1: the period values .* neither integers nor periods"):
        engage.linkage(labels, label_cust, release=_rel(), unit="store", period="month", lag=1, measure="enps", outcome="sales")
    with pytest.raises(ValueError, match="not of the same kind"):
        engage.linkage(labels, cust, release=_rel(), unit="store", period="month", measure="enps", outcome="sales")


def test_customer_level_rows_give_outcome_reliability() -> None:
    emp, cust = _toy()
    rng = np.random.default_rng(9)
    rows = cust.loc[cust.index.repeat(20)].reset_index(drop=True)
    rows["sales"] = rows["sales"] + rng.normal(0, 15, len(rows))
    res = engage.linkage(emp, rows, release=_rel(), unit="store", period="month", measure="enps", outcome="sales")
    means = rows.groupby(["store", "month"])["sales"].mean()
    units = res.to_frame().set_index(["store", "period"])
    np.testing.assert_allclose(units["outcome"], means.loc[units.index].to_numpy(), rtol=1e-12)
    used = rows[rows["month"].isin([1, 2, 3])]
    expected = engage.icc(used["sales"], used[["month", "store"]]).icc2
    assert res.outcome_reliability_source == "ICC(2)"
    assert res.outcome_reliability == pytest.approx(expected, rel=1e-12)
    assert res.corrected == pytest.approx(res.statistic / math.sqrt(res.reliability * res.outcome_reliability))


def test_given_reliabilities_and_values_above_one(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    res = _link(sample, lag=1, reliability=0.1, outcome_reliability=0.9)
    assert res.reliability_source == res.outcome_reliability_source == "given"
    assert res.corrected == pytest.approx(res.statistic / math.sqrt(0.09))
    assert res.corrected_exceeds_one and res.corrected > 1 and res.corrected_high == 1.0


def test_dropped_units_are_counted(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    survey, customers = sample
    cust = customers[~((customers["team"] == "T001") & (customers["quarter"] == "2024Q2"))].copy()
    cust.loc[(cust["team"] == "T003") & (cust["quarter"] == "2024Q2"), "csat_mean"] = np.nan
    emp = survey.copy()
    emp.loc[:4, "team"] = None
    res = engage.linkage(emp, cust, lag=1, dont_know=9, employee_period="wave", period_map=WAVES)
    reasons = res.dropped.set_index("reason")["units"]
    assert reasons["no customer row for the lagged period"] == 1
    assert reasons["outcome missing"] == 1
    assert reasons["employee rows without unit or period"] == 5
    assert res.n_dropped == reasons.iloc[:4].sum()
    assert {"T001", "T003"}.isdisjoint(res.to_frame().query("period == '2024Q1'")["team"])


def test_small_samples_warn_then_fail() -> None:
    emp, cust = _toy()
    few = emp[emp["store"].isin(["S00", "S01", "S02", "S03", "S04"])]
    with pytest.warns(engage.SmallSampleWarning, match="only 5 units"):
        res = engage.linkage(few[few["month"] == 1], cust, unit="store", period="month", measure="enps", outcome="sales")
    assert res.n_units == 5 and not math.isnan(res.quartile_difference)
    with pytest.raises(engage.InsufficientDataError, match="at least 3 linked units; found 2"):
        engage.linkage(few[(few["month"] == 1) & few["store"].isin(["S00", "S01"])], cust, unit="store",
                       period="month", measure="enps", outcome="sales")


# ---------------------------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------------------------


def test_bad_input(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    survey, customers = sample
    ok = {"dont_know": 9, "employee_period": "wave", "period_map": WAVES}
    cases = [
        (dict(unit="store"), KeyError, "unit = 'store': no such column in the employee frame"),
        (dict(outcome="revenue"), KeyError, "outcome = 'revenue': no such column in the customer frame"),
        (dict(employee_period="month"), KeyError, "employee_period = 'month'"),
        (dict(lag=-1), ValueError, "lag = -1"),
        (dict(lag=True), ValueError, "lag = True"),
        (dict(weight="n"), ValueError, "weight = 'n'"),
        (dict(measure="gallup"), ValueError, "measure = 'gallup'"),
        (dict(method="median"), ValueError, "method = 'median'"),
        (dict(reliability=1.5), ValueError, r"reliability = 1.5: a reliability must be a number in \(0, 1\]"),
        (dict(outcome_reliability=0), ValueError, "outcome_reliability = 0"),
        (dict(min_group_size=0), ValueError, "min_group_size = 0"),
        (dict(confidence_level=95), ValueError, "confidence_level = 95"),
        (dict(period_map={1: "2024Q1"}), ValueError, r"period_map has no entry for the employee period value\(s\) \['2'\]"),
        (dict(items=["q01", "q99"]), KeyError, "items = 'q99'"),
        (dict(dont_know=None), ValueError, "items"),
    ]
    for extra, error, pattern in cases:
        with pytest.raises(error, match=pattern):
            engage.linkage(survey, customers, **{**ok, **extra})  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="employee_frame must be a pandas DataFrame"):
        engage.linkage(survey.to_numpy(), customers)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="outcome = 'csat_mean': the column must be numeric"):
        engage.linkage(survey, customers.assign(csat_mean=customers["team"]), **ok)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------------


def test_repr_html_summary_and_caveat(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    res = _link(sample, lag=1)
    assert repr(res).startswith("LinkageResult(statistic=0.310946, pvalue=1.56228e-05, confidence_interval=(0.174891")
    page = res._repr_html_()
    assert "ecological fallacy" in page and "below minimum group size: 14" in page
    assert res.caveat.startswith(ECOLOGICAL_CAVEAT) and "perfectly reliable" in res.caveat
    assert "Same-period" in _link(sample, lag=0).caveat
    summary = res.summary
    assert summary.shape[0] == 1 and summary["n_units"].iloc[0] == 186 and "units" not in summary


def test_scatter_plot_with_line_and_band(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    res = _link(sample, lag=1, weight="size")
    ax = res.plot(ax=Figure().add_subplot(), title="engagement vs csat")
    points = ax.collections[0]
    np.testing.assert_allclose(points.get_offsets()[:, 0], res.to_frame()["measure"])
    line = ax.lines[0]
    x = line.get_xdata()
    band = _core.linkage_fit_line_band(res.to_frame()["measure"].to_numpy(), res.to_frame()["outcome"].to_numpy(),
                                       x, weights=res.to_frame()["weight"].to_numpy())
    np.testing.assert_allclose(line.get_ydata(), band["fit"])
    assert x.min() == res.to_frame()["measure"].min() and x.max() == res.to_frame()["measure"].max()
    assert "t + 1" in ax.get_ylabel() and ax.get_title(loc="left") == "engagement vs csat"


def test_plot_without_matplotlib_names_it(sample: tuple[pd.DataFrame, pd.DataFrame],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    res = _link(sample, lag=1)
    for name in [k for k in sys.modules if k == "matplotlib" or k.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="need matplotlib.*pip install matplotlib"):
        res.plot()


def test_module_exports() -> None:
    mod = importlib.import_module("engage.linkage")
    assert mod.__all__ == ["ECOLOGICAL_CAVEAT", "LinkageResult", "linkage"]
    assert engage.linkage is mod.linkage and engage.LinkageResult is LinkageResult


def test_parent_hides_exactly_what_a_report_by_parent_and_team_hides(
        sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    survey, _ = sample
    res = _link(sample, lag=1, parent="department")
    items = [f"q{i:02d}" for i in range(1, 13)]
    shown = []
    for wave, quarter in WAVES.items():
        t = engage.engagement_index_by(survey[survey["wave"] == wave], items=items, by=["department", "team"],
                                       dont_know=9, min_group_size=5)
        shown += [(quarter, team, v) for team, v, st in zip(t["team"], t["statistic"], t["suppression"])
                  if st == "shown"]
    linked = sorted(zip(res.units["period"].map(WAVES), res.units["team"], res.units["measure"]))
    assert [(p, t) for p, t, _ in linked] == sorted((p, t) for p, t, _ in shown)
    assert [v for *_, v in linked] == pytest.approx([v for *_, v in sorted(shown)], rel=1e-12)
    assert res.n_units < _link(sample, lag=1).n_units  # suppression within departments hides more
    moved = survey.copy()
    moved.loc[moved.index[0], "department"] = "Elsewhere"
    with pytest.raises(ValueError, match="parent = 'department': team .* sits in 2 department values"):
        engage.linkage(moved, sample[1], employee_period="wave", period_map=WAVES, dont_know=9, parent="department")
    with pytest.raises(KeyError, match="parent = 'division'"):
        _link(sample, parent="division")


def test_waves_sharing_a_quarter_are_not_pooled(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    """Two pulses in one quarter: each team's figure is per wave (as every per-wave table shows it), never a pooled
    figure that would reveal a wave in which the team was hidden."""
    survey, customers = sample
    same_quarter = {1: "2024Q1", 2: "2024Q1"}
    res = engage.linkage(survey, customers, dont_know=9, employee_period="wave", period_map=same_quarter)
    items = [f"q{i:02d}" for i in range(1, 13)]
    shown = []
    for wave in (1, 2):
        t = engage.engagement_index_by(survey[survey["wave"] == wave], items=items, by="team", dont_know=9)
        shown += [(wave, team, v) for team, v, st in zip(t["team"], t["statistic"], t["suppression"])
                  if st == "shown"]
    linked = sorted(zip(res.units["period"], res.units["team"], res.units["measure"]))
    assert [(w, t) for w, t, _ in linked] == sorted((w, t) for w, t, _ in shown)
    assert [v for *_, v in linked] == pytest.approx([v for *_, v in sorted(shown)], rel=1e-12)
    assert set(res.units["outcome_period"].astype(str)) == {"2024Q1"}


def test_mismatched_unit_types_and_parent_errors(sample: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    survey, customers = sample
    coded = customers.assign(team=customers["team"].str[1:].astype(int))
    with pytest.raises(TypeError, match="unit = 'team': the column holds text in the employee frame but numbers"):
        _link((survey, coded))
    with pytest.raises(ValueError, match="parent = 'team': the parent must be another column"):
        _link(sample, parent="team")
