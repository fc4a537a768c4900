"""Retention curves, log-rank and Cox: reference values from R survival (tests/data/survival_reference.R: survfit,
survdiff, coxph, concordance, survfit.coxph) and lifelines (tests/data/survival_reference_lifelines.py), the
Python API's behaviour and bad input."""

from __future__ import annotations

import builtins
import math
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

import engage

REL = 1e-8


@pytest.fixture(scope="module")
def ref(load_reference) -> dict:
    return load_reference("survival_reference.json")


@pytest.fixture(scope="module")
def ref_lifelines(load_reference) -> dict:
    return load_reference("survival_reference_lifelines.json")


def _arr(values: Any) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _close(got: Any, expected: Any, rel: float = REL, what: str = "") -> None:
    g = np.asarray(got, dtype=float)
    e = _arr(expected) if isinstance(expected, list) else np.asarray(expected, dtype=float)
    assert g.shape == e.shape, (what, g.shape, e.shape)
    assert np.array_equal(np.isnan(g), np.isnan(e)), (what, g, e)
    ok = np.isnan(e) | (np.abs(g - e) <= rel * np.maximum(np.abs(e), 1e-300))
    assert ok.all(), (what, g[~ok][:5], e[~ok][:5])


def _lung(ref: dict) -> pd.DataFrame:
    return pd.DataFrame({k: _arr(v) for k, v in ref["data"]["lung"].items()})


def _rossi(ref: dict) -> pd.DataFrame:
    return pd.DataFrame({k: _arr(v) for k, v in ref["data"]["rossi"].items()})


# ---------------------------------------------------------------------------------------------------------------
# Kaplan-Meier


def test_kaplan_meier_matches_r_survfit(ref: dict) -> None:
    checked = 0
    for case in ref["kaplan_meier"]:
        for fit in case["fits"]:
            km = engage.kaplan_meier(
                case["time"], case["event"], confidence_level=fit["confidence_level"], conf_type=fit["conf_type"]
            )
            what = (case["name"], fit["conf_type"], fit["confidence_level"])
            t = fit["table"]
            assert list(km.table.columns) == [
                "time", "at_risk", "events", "censored", "survival", "standard_error", "low", "high"
            ]
            for col in ("time", "at_risk", "events", "censored"):
                assert km.table[col].tolist() == _arr(t[col]).tolist(), (what, col)
            for col in ("survival", "standard_error", "low", "high"):
                _close(km.table[col], t[col], what=(*what, col))
            m = fit["median"]
            _close([km.median, km.median_low, km.median_high], [m["median"], m["low"], m["high"]], what=what)
            assert tuple(km.median_confidence_interval()) == pytest.approx(
                (km.median_low, km.median_high), nan_ok=True
            )
            assert km.median_defined == (m["median"] is not None)
            assert (km.n, km.n_events, km.dropped) == (len(case["time"]), int(sum(case["event"])), 0)
            if "at" in fit:
                at = fit["at"]
                p = km.survival_at(at["time"])
                for col in ("time", "at_risk", "events", "censored"):
                    assert p[col].tolist() == _arr(at[col]).tolist(), (what, "at", col)
                for col in ("survival", "standard_error", "low", "high"):
                    _close(p[col], at[col], what=(*what, "at", col))
            checked += 1
    assert checked == 60


def test_kaplan_meier_with_confidence_equals_refit(ref: dict) -> None:
    case = ref["kaplan_meier"][0]
    base = engage.kaplan_meier(case["time"], case["event"])
    for fit in case["fits"]:
        other = base.with_confidence(fit["confidence_level"], fit["conf_type"])
        _close(other.table["low"], fit["table"]["low"])
        _close(other.table["high"], fit["table"]["high"])
        assert (other.confidence_level, other.conf_type) == (fit["confidence_level"], fit["conf_type"])
    pd.testing.assert_frame_equal(base.with_confidence().table, base.table)


def test_kaplan_meier_matches_lifelines(ref: dict, ref_lifelines: dict) -> None:
    lung = _lung(ref)
    km = engage.kaplan_meier(lung["time"], lung["event"], conf_type="log-log")
    ll = ref_lifelines["kaplan_meier_lung"]
    _close(km.table["time"], ll["time"], rel=0)
    _close(km.table["survival"], ll["survival"], rel=1e-12)
    # lifelines reports [1, 1] before the first event, where R and engage have an undefined (NaN) log-log band
    first = int(np.argmax(km.table["events"].to_numpy() > 0))
    assert km.table["low"].iloc[:first].isna().all()
    _close(km.table["low"].iloc[first:], ll["low"][first:], rel=1e-10)
    _close(km.table["high"].iloc[first:], ll["high"][first:], rel=1e-10)
    assert km.median == ll["median"]


def test_survival_at_any_order_and_scalar(ref: dict) -> None:
    case = ref["kaplan_meier"][0]
    km = engage.kaplan_meier(case["time"], case["event"])
    at = [365.0, 100.0, 730.0, 0.0]
    p = km.survival_at(at)
    assert p["time"].tolist() == at
    srt = km.survival_at(sorted(at)).set_index("time")
    assert p.set_index("time")["survival"].to_dict() == srt["survival"].to_dict()
    assert km.survival_at(365)["survival"].iloc[0] == pytest.approx(0.4092416, abs=5e-8)
    with pytest.raises(engage.InvalidInputError, match=r"times\[1\] = -1"):
        km.survival_at([1, -1])


def test_kaplan_meier_by_matches_r(ref: dict) -> None:
    lung = _lung(ref)
    g = engage.kaplan_meier(lung["time"], lung["event"], by=lung["sex"].astype(int), min_group_size=1)
    assert isinstance(g, engage.KaplanMeierGroups)
    assert g.n_groups == 2 and g.n_shown == 2
    assert g.summary["sex"].tolist() == [1, 2]
    for exp in ref["kaplan_meier_by_sex"]:
        curve = g.curves[exp["key"]]
        assert (curve.n, curve.n_events) == (exp["n"], exp["events"])
        for col in ("survival", "standard_error", "low", "high"):
            _close(curve.table[col], exp["table"][col], what=(exp["key"], col))
        m = exp["median"]
        _close([curve.median, curve.median_low, curve.median_high], [m["median"], m["low"], m["high"]])
        row = g.summary[g.summary["sex"] == exp["key"]].iloc[0]
        assert row["n"] == exp["n"] and row["events"] == exp["events"] and row["suppression"] == "shown"
        sub = g.table[g.table["sex"] == exp["key"]]
        _close(sub["survival"], exp["table"]["survival"])
    # data= with column names gives the same
    g2 = engage.kaplan_meier("time", "event", by="sex", data=lung, min_group_size=1)
    pd.testing.assert_frame_equal(g2.table.astype({"sex": float}), g.table.astype({"sex": float}))
    at = g.survival_at([100, 365])
    assert at.columns[0] == "sex" and len(at) == 4


def test_kaplan_meier_by_confidentiality() -> None:
    rng = np.random.default_rng(5)
    n = 40
    team = np.array(["a"] * 20 + ["b"] * 12 + ["c"] * 5 + ["d"] * 3)
    t = rng.exponential(10, n).round(1)
    e = rng.integers(0, 2, n)
    g = engage.kaplan_meier(t, e, by=pd.Series(team, name="team"), min_group_size=5)
    s = g.summary.set_index("team")
    assert s.loc["d", "suppression"] == "below_minimum"
    assert s.loc["c", "suppression"] == "complementary"  # else "all minus the rest" reveals d
    assert s.loc[["c", "d"], "n"].isna().all() and s.loc[["c", "d"], "median"].isna().all()
    assert set(g.curves) == {"a", "b"}
    assert set(g.table["team"]) == {"a", "b"}
    # two columns: complementary suppression inside each department
    dept = np.array(["x"] * 32 + ["y"] * 8)
    g2 = engage.kaplan_meier(t, e, by=pd.DataFrame({"dept": dept, "team": team}), min_group_size=5)
    assert list(g2.summary.columns[:2]) == ["dept", "team"]
    assert ("x", "a") in g2.curves
    html = g2._repr_html_()
    assert "hidden" in html


def test_kaplan_meier_no_events_and_missing() -> None:
    km = engage.kaplan_meier([1, 2, 3, 4], [0, 0, 0, 0])
    assert km.table["survival"].tolist() == [1.0] * 4
    assert math.isnan(km.median) and not km.median_defined
    with pytest.raises(engage.InvalidInputError, match=r"duration.*2.*missing"):
        engage.kaplan_meier([1, 2, np.nan, 4], [1, 0, 1, 1])
    km = engage.kaplan_meier([1, 2, np.nan, 4], [1, 0, 1, 1], nan_policy="omit")
    assert (km.n, km.dropped) == (3, 1)
    km = engage.kaplan_meier([3, 1, 2])  # event default: all
    assert km.n_events == 3 and km.median == 2.0


def test_kaplan_meier_bad_input() -> None:
    with pytest.raises(engage.InvalidInputError, match=r"duration.*\[2\].*-1.*non-negative"):
        engage.kaplan_meier([1, 2, -1], [1, 1, 1])
    with pytest.raises(engage.InvalidInputError, match=r"duration.*inf"):
        engage.kaplan_meier([1, 2, np.inf], [1, 1, 1])
    with pytest.raises(engage.InvalidInputError, match=r"event.*\[1\].*2.*status == 2"):
        engage.kaplan_meier([1, 2, 3], [1, 2, 1])
    with pytest.raises(ValueError, match="duration.*event"):
        engage.kaplan_meier([1, 2, 3], [1, 1])
    with pytest.raises(ValueError, match="conf_type"):
        engage.kaplan_meier([1, 2, 3], [1, 1, 1], conf_type="logit")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="nan_policy"):
        engage.kaplan_meier([1, 2, 3], [1, 1, 1], nan_policy="drop")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="confidence_level"):
        engage.kaplan_meier([1, 2, 3], [1, 1, 1], confidence_level=1.5)
    with pytest.raises(engage.InsufficientDataError):
        engage.kaplan_meier([], [])
    with pytest.raises(TypeError, match="duration must be numeric"):
        engage.kaplan_meier(["a", "b"], [1, 1])
    with pytest.raises(ValueError, match="min_group_size"):
        engage.kaplan_meier([1, 2], [1, 1], by=["a", "b"], min_group_size=0)
    with pytest.raises(ValueError, match="by has 2 rows"):
        engage.kaplan_meier([1, 2, 3], [1, 1, 1], by=["a", "b"])
    with pytest.raises(TypeError, match="no data frame"):
        engage.kaplan_meier("time", "event")
    with pytest.raises(KeyError, match="tenure"):
        engage.kaplan_meier("tenure", data=pd.DataFrame({"time": [1.0]}))


def test_kaplan_meier_result_api(ref: dict) -> None:
    case = ref["kaplan_meier"][0]
    km = engage.kaplan_meier(case["time"], case["event"])
    assert "median=310" in repr(km)
    pd.testing.assert_frame_equal(km.to_frame(), km.table)
    assert km.to_frame() is not km.table
    html = km._repr_html_()
    assert "<table" in html and "median 310" in html


def test_plot_needs_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    km = engage.kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
    real_import = builtins.__import__

    def fake_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith("matplotlib"):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    for mod in [m for m in sys.modules if m.startswith("matplotlib")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match=r"pip install matplotlib.*engage\[plot\]"):
        km.plot()


def test_plot_draws_curve_and_groups() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    ax = Figure().add_subplot()
    km = engage.kaplan_meier([2, 3, 3, 5, 8], [1, 1, 0, 1, 0])
    assert km.plot(ax=ax, label="all") is ax
    line = ax.get_lines()[0]
    assert list(line.get_xdata()) == [0.0, 2.0, 3.0, 5.0, 8.0]
    assert list(np.round(line.get_ydata(), 10)) == [1.0, 0.8, 0.6, 0.3, 0.3]
    ax2 = Figure().add_subplot()
    g = engage.kaplan_meier([1, 2, 3, 4, 5, 6, 2, 3, 4], [1, 0, 1, 1, 0, 1, 1, 1, 0], by=["a"] * 6 + ["b"] * 3,
                            min_group_size=1)
    g.plot(ax=ax2)
    assert len(ax2.get_lines()) == 2


# ---------------------------------------------------------------------------------------------------------------
# Log-rank


def test_logrank_matches_r_survdiff(ref: dict) -> None:
    for case in ref["logrank"]:
        r = engage.logrank_test(case["time"], case["event"], case["group"], min_group_size=1)
        _close(r.statistic, case["statistic"], what=case["name"])
        assert r.df == case["df"]
        _close(r.pvalue, case["pvalue"], rel=1e-8, what=case["name"])
        assert r.table["group"].tolist() == case["keys"]
        _close(r.table["observed"], case["observed"])
        _close(r.table["expected"], case["expected"])
        assert r.table["n"].tolist() == [int(v) for v in case["n"]]
        assert r.n == len(case["time"]) and r.n_events == int(sum(case["event"]))


def test_logrank_matches_lifelines(ref: dict, ref_lifelines: dict) -> None:
    lung = _lung(ref)
    r = engage.logrank_test("time", "event", "sex", data=lung)
    _close(r.statistic, ref_lifelines["logrank_lung_sex"]["statistic"], rel=1e-10)
    assert r.table.columns[0] == "sex"


def test_logrank_confidentiality_and_errors(ref: dict) -> None:
    case = ref["logrank"][1]  # lung by ph.ecog: group 3 has a single patient
    r = engage.logrank_test(case["time"], case["event"], case["group"])
    _close(r.statistic, case["statistic"])  # every group enters the test
    hidden = r.table[r.table["suppressed"]]
    assert 3 in hidden["group"].tolist()
    assert hidden["observed"].isna().all() and hidden["n"].isna().all()
    with pytest.raises(engage.InsufficientDataError, match="2 groups"):
        engage.logrank_test([1, 2, 3], [1, 1, 0], [1, 1, 1])
    with pytest.raises(engage.InsufficientDataError, match="no events"):
        engage.logrank_test([1, 2, 3, 4], [0, 0, 0, 0], [1, 1, 2, 2])
    with pytest.raises(engage.InvalidInputError, match=r"duration.*\[0\]"):
        engage.logrank_test([-1, 2, 3, 4], [1, 0, 1, 0], [1, 1, 2, 2])


# ---------------------------------------------------------------------------------------------------------------
# Cox


def _cox_case(case: dict, ref: dict) -> tuple[engage.CoxPH, pd.DataFrame]:
    d = _lung(ref) if case["name"].startswith("lung") else _rossi(ref)
    model = engage.CoxPH(ties=case["ties"], penalizer=case.get("penalizer", 0.0), nan_policy="omit")
    return model.fit(d, duration_col=case["duration_col"], event_col=case["event_col"], covariates=case["covariates"]), d


def test_cox_matches_r_coxph(ref: dict) -> None:
    assert len(ref["cox"]) == 7
    for case in ref["cox"]:
        cox, d = _cox_case(case, ref)
        what = case["name"]
        covs = case["covariates"]
        assert list(cox.params_.index) == covs
        assert (cox.n_, cox.events_, cox.missing_) == (case["n"], case["n_events"], case["dropped"]), what
        _close(cox.params_, case["params"], what=what)
        _close(cox.standard_errors_, case["standard_errors"], what=what)
        _close(cox.hazard_ratios_, np.exp(case["params"]), what=what)
        _close(cox.z_, case["z"], what=what)
        _close(cox.pvalues_, case["pvalues"], rel=1e-8, what=what)
        _close(cox.covariance_.to_numpy(), np.array(case["covariance"]), rel=1e-8, what=what)
        _close(cox.log_likelihood_, case["log_likelihood"], rel=1e-10, what=what)
        _close(cox.log_likelihood_null_, case["log_likelihood_null"], rel=1e-12, what=what)
        z = 1.959963984540054
        _close(cox.confidence_intervals_["low"], np.array(case["params"]) - z * np.array(case["standard_errors"]))
        _close(cox.confidence_intervals_["high"], np.array(case["params"]) + z * np.array(case["standard_errors"]))
        if "penalty" in case:
            _close(cox.penalty_, case["penalty"], rel=1e-8, what=what)
        else:
            for attr, key in (("likelihood_ratio_test_", "likelihood_ratio"), ("wald_test_", "wald"),
                              ("score_test_", "score")):
                test = getattr(cox, attr)
                _close(test.statistic, case[key]["statistic"], rel=1e-8 if key != "likelihood_ratio" else 1e-8,
                       what=(what, key))
                assert test.df == case[key]["df"]
                _close(test.pvalue, case[key]["pvalue"], rel=1e-8, what=(what, key))
        c = case["concordance"]
        _close(cox.concordance_, c["statistic"], what=what)
        _close(cox.concordance_standard_error_, c["standard_error"], rel=1e-8, what=what)
        assert cox.concordance_counts_ == {
            "concordant": c["concordant"], "discordant": c["discordant"], "tied_risk": c["tied_risk"],
            "tied_time": c["tied_time"], "tied_both": c["tied_both"]}
        # Predictions. R centres 0/1 covariates at 0, engage at the mean: rescale by exp((mR - mE)'b).
        beta = np.array(case["params"])
        shift = float(np.exp((np.array(case["means"]) - cox.means_.to_numpy()) @ beta))
        newdata = pd.DataFrame(np.array(case["newdata"]), columns=covs)
        _close(cox.predict_partial_hazard(newdata), np.array(case["partial_hazard"]) * shift, rel=1e-8, what=what)
        times = _arr(case["survival_times"])
        s = cox.predict_survival(newdata, times)
        assert s.shape == (len(newdata), len(times))
        _close(s.to_numpy(), np.array([_arr(r) for r in case["survival"]]), rel=1e-8, what=what)
        base = cox.baseline_cumulative_hazard_
        _close(base.index.to_numpy(), case["baseline"]["time"], rel=0, what=what)
        _close(base.to_numpy(), np.array(case["baseline"]["cumulative_hazard"]) / shift, rel=1e-8, what=what)
        horizon = float(times[3])
        _close(cox.predict_churn(newdata, horizon), 1 - s.iloc[:, 3].to_numpy(), rel=1e-12, what=what)


def test_cox_matches_lifelines(ref: dict, ref_lifelines: dict) -> None:
    rossi = _rossi(ref)
    for name, rel in (("rossi_efron", 1e-6), ("rossi_ridge_0.05", 1e-4)):
        ll = ref_lifelines[name]
        cox = engage.CoxPH(penalizer=ll["penalizer"]).fit(rossi, "week", "arrest", covariates=ll["covariates"])
        _close(cox.params_, ll["params"], rel=rel, what=name)
        _close(cox.standard_errors_, ll["standard_errors"], rel=10 * rel, what=name)
        if ll["penalizer"] == 0:
            _close(cox.log_likelihood_, ll["log_likelihood"], rel=1e-9)
    # lifelines' concordance: same as R's here (no tied risk scores among comparable pairs with tied times)
    cox = engage.CoxPH().fit(rossi, "week", "arrest")
    assert cox.concordance_ == pytest.approx(ref_lifelines["rossi_efron"]["concordance"], rel=1e-6)


def test_cox_summary_and_print(ref: dict, capsys: pytest.CaptureFixture[str]) -> None:
    cox, _ = _cox_case(ref["cox"][0], ref)
    s = cox.summary
    assert list(s.columns) == ["coef", "hazard_ratio", "standard_error", "z", "pvalue", "low", "high",
                               "hazard_ratio_low", "hazard_ratio_high"]
    _close(s["hazard_ratio_low"], np.exp(cox.confidence_intervals_["low"]))
    cox.print_summary()
    out = capsys.readouterr().out
    assert "likelihood-ratio test" in out and "score (log-rank) test" in out and "concordance" in out
    assert "age" in out and "sex" in out
    assert repr(engage.CoxPH()) == "CoxPH(ties='efron', penalizer=0.0)"
    assert repr(cox.wald_test_).startswith("ChiSquaredTest(statistic=")
    with pytest.raises(RuntimeError, match="not fitted"):
        engage.CoxPH().summary  # noqa: B018


def test_cox_score_test_is_logrank() -> None:
    # one binary covariate and no tied event times: Cox's score test is the log-rank test (with tied times the
    # log-rank variance has the extra (n - d)/(n - 1) factor, so the two differ slightly)
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"t": rng.permutation(np.arange(1.0, 81.0)), "e": rng.integers(0, 2, 80).astype(float),
                       "g": rng.integers(0, 2, 80).astype(float)})
    lr = engage.logrank_test("t", "e", "g", data=df)
    for ties in ("efron", "breslow"):
        cox = engage.CoxPH(ties=ties).fit(df, "t", "e", covariates=["g"])
        assert cox.score_test_.statistic == pytest.approx(lr.statistic, rel=1e-10)


def test_cox_predictions_from_arrays_and_missing(ref: dict) -> None:
    cox, d = _cox_case(ref["cox"][0], ref)
    x = d[["age", "sex"]].to_numpy(copy=True)[:5]
    a = cox.predict_partial_hazard(x)
    b = cox.predict_partial_hazard(d[["sex", "age"]].iloc[:5])  # columns matched by name
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-15)
    assert b.index.equals(d.index[:5])
    x[1, 0] = np.nan
    assert np.isnan(cox.predict_partial_hazard(x).iloc[1])
    with pytest.raises(ValueError, match="shape"):
        cox.predict_partial_hazard(np.ones((2, 3)))
    with pytest.raises(KeyError, match="age"):
        cox.predict_partial_hazard(pd.DataFrame({"sex": [1.0]}))
    with pytest.raises(engage.InvalidInputError, match="horizon"):
        cox.predict_churn(x, 10_000.0)
    s = cox.predict_survival(x, [10_000.0])
    assert s.isna().all().all()  # beyond follow-up


def test_cox_bad_input() -> None:
    rng = np.random.default_rng(1)
    n = 60
    df = pd.DataFrame({"t": rng.exponential(5, n).round(2) + 0.1, "e": rng.integers(0, 2, n).astype(float),
                       "x": rng.normal(size=n), "z": rng.normal(size=n)})
    engage.CoxPH().fit(df, "t", "e", ["x", "z"])
    bad = df.copy()
    bad.loc[7, "t"] = -2.0
    with pytest.raises(engage.InvalidInputError, match=r"duration.*\[7\].*-2"):
        engage.CoxPH().fit(bad, "t", "e", ["x"])
    bad = df.copy()
    bad.loc[3, "t"] = np.nan
    with pytest.raises(engage.InvalidInputError, match=r"duration.*\[3\].*missing"):
        engage.CoxPH().fit(bad, "t", "e", ["x"])
    cox = engage.CoxPH(nan_policy="omit").fit(bad, "t", "e", ["x"])
    assert (cox.n_, cox.missing_) == (n - 1, 1)
    bad = df.copy()
    bad.loc[4, "x"] = np.nan
    with pytest.raises(engage.InvalidInputError, match=r"covariate 'x' is missing \(NaN\) in row 4"):
        engage.CoxPH().fit(bad, "t", "e", ["x"])
    with pytest.raises(engage.InsufficientDataError, match="no events"):
        engage.CoxPH().fit(df.assign(e=0.0), "t", "e", ["x"])
    with pytest.raises(engage.InvalidInputError, match="covariate 'c' is constant"):
        engage.CoxPH().fit(df.assign(c=3.0), "t", "e", ["x", "c"])
    with pytest.raises(engage.InvalidInputError, match=r"'x', 'z', 'w'.*collinear"):
        engage.CoxPH().fit(df.assign(w=df["x"] - 2 * df["z"]), "t", "e", ["x", "z", "w"])
    sep = pd.DataFrame({"t": np.arange(1.0, 21.0), "e": np.ones(20), "g": [1.0] * 10 + [0.0] * 10})
    with pytest.raises(engage.ConvergenceError, match="monotone likelihood.*'g'"):
        engage.CoxPH().fit(sep, "t", "e", ["g"])
    assert np.isfinite(engage.CoxPH(penalizer=0.1).fit(sep, "t", "e", ["g"]).params_["g"])
    with pytest.raises(engage.InvalidInputError, match="penalizer"):
        engage.CoxPH(penalizer=-1.0).fit(df, "t", "e", ["x"])
    with pytest.raises(ValueError, match="ties"):
        engage.CoxPH(ties="exact").fit(df, "t", "e", ["x"])  # type: ignore[arg-type]
    with pytest.raises(KeyError, match="duration_col"):
        engage.CoxPH().fit(df, "tenure", "e", ["x"])
    with pytest.raises(KeyError, match="nope"):
        engage.CoxPH().fit(df, "t", "e", ["x", "nope"])
    with pytest.raises(TypeError, match="'team'"):
        engage.CoxPH().fit(df.assign(team="a"), "t", "e", ["x", "team"])
    with pytest.raises(ValueError, match="duplicates"):
        engage.CoxPH().fit(df, "t", "e", ["x", "x"])
    with pytest.raises(ValueError, match="duration or event"):
        engage.CoxPH().fit(df, "t", "e", ["x", "e"])
    with pytest.raises(TypeError, match="DataFrame"):
        engage.CoxPH().fit(df.to_numpy(), "t", "e")  # type: ignore[arg-type]
    # default covariates: every other column
    assert list(engage.CoxPH().fit(df, "t", "e").params_.index) == ["x", "z"]


def test_logrank_group_cap_is_a_clear_error() -> None:
    # Issue 13: 4,000 groups took 73 s and 16,000 raised MemoryError (a dense G x G covariance and its inverse).
    rng = np.random.default_rng(1)
    g = np.repeat(np.arange(2001), 2)
    d = rng.exponential(10, size=g.size)
    with pytest.raises(engage.EngageError, match="groups: 2001 groups; the log-rank test compares at most 2000"):
        engage.logrank_test(d, np.ones(g.size), g, min_group_size=1)


def test_kaplan_meier_by_many_groups_builds_one_table() -> None:
    # Issue 13: 10^5 groups took 45 s, one Python frame per group; the stacked table equals the per-curve tables.
    rng = np.random.default_rng(2)
    g = rng.integers(0, 3000, size=6000)
    d = rng.exponential(10, size=g.size)
    e = (rng.random(g.size) < 0.6).astype(float)
    out = engage.kaplan_meier(d, e, by=g, min_group_size=1)
    assert out.n_shown == len(out.curves) == out.n_groups
    for label in (int(g[0]), int(g[17])):
        mine = out.table[out.table["group"] == label].drop(columns="group").reset_index(drop=True)
        single = engage.kaplan_meier(d[g == label], e[g == label]).table
        pd.testing.assert_frame_equal(mine, single)
        assert out.curves[label].median == out.summary.set_index("group").loc[label, "median"] or (
            np.isnan(out.curves[label].median))
