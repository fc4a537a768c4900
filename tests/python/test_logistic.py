"""Logistic churn model and model quality: reference values from R (tests/data/logistic_reference.R: glm, pROC,
survival) and Python (tests/data/logistic_reference.py: statsmodels, scikit-learn), API behaviour and bad input."""

from __future__ import annotations

import math
import pickle
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import engage
from engage.warnings import SeparationWarning

REL = 1e-8
DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def ref(load_reference) -> dict:
    return load_reference("logistic_reference.json")


@pytest.fixture(scope="module")
def ref_py(load_reference) -> dict:
    return load_reference("logistic_reference_python.json")


def _frame(case: dict, ref: dict) -> tuple[pd.DataFrame, str]:
    name = case["name"]
    if name.startswith("mtcars"):
        return pd.DataFrame(ref["data"]["mtcars"]), "am"
    d = pd.read_csv(DATA / ("logistic_ibm_attrition.csv" if name.startswith("ibm") else "logistic_attrition_sim.csv"))
    if name == "simulated_attrition_missing":
        d = d.astype(float)
        for col, rows in ref["data"]["simulated_missing"].items():
            d.loc[rows, col] = np.nan
    return d, "left"


def _fit(case: dict, ref: dict, **kw) -> tuple[engage.LogisticRegression, pd.DataFrame]:
    d, ycol = _frame(case, ref)
    model = engage.LogisticRegression(fit_intercept=case.get("fit_intercept", True), **kw)
    return model.fit(d[case["columns"]], d[ycol]), d


def _approx(values, expected, rel=REL):
    return list(values) == pytest.approx(expected, rel=rel, abs=0)


# ---------------------------------------------------------------------------------------------------------------
# Logistic regression


def test_logistic_matches_r_glm(ref: dict) -> None:
    assert len(ref["logistic"]) >= 6
    for case in ref["logistic"]:
        model, d = _fit(case, ref)
        assert model.converged_ and not model.penalized_ and not model.separation_
        assert (model.n_, model.missing_, model.events_) == (case["n"], case["missing"], case["events"])
        assert model.df_residual_ == case["df_residual"]
        expected_names = (["intercept"] if case["fit_intercept"] else []) + case["columns"]
        assert list(model.params_.index) == expected_names
        assert _approx(model.params_, case["params"]), case["name"]
        assert _approx(model.standard_errors_, case["standard_errors"]), case["name"]
        assert _approx(model.z_, case["z"]), case["name"]
        assert _approx(model.pvalues_, case["pvalues"], rel=1e-7), case["name"]
        assert _approx(model.confidence_intervals_["low"], case["low95"]), case["name"]
        assert _approx(model.confidence_intervals_["high"], case["high95"]), case["name"]
        cov = np.array(case["covariance"])
        scale = np.sqrt(np.outer(np.diag(cov), np.diag(cov)))
        assert np.all(np.abs(model.covariance_.to_numpy() - cov) <= REL * scale)
        for attr, key in (("deviance_", "deviance"), ("null_deviance_", "null_deviance"), ("aic_", "aic"),
                          ("log_likelihood_", "log_likelihood")):
            assert getattr(model, attr) == pytest.approx(case[key], rel=1e-10), (case["name"], attr)
        rows = d.iloc[case["predict_rows"]][case["columns"]]
        got = model.predict_proba(rows)
        expected = [math.nan if v is None else v for v in case["predicted"]]
        assert got.to_numpy() == pytest.approx(expected, rel=REL, nan_ok=True)


def test_wald_intervals_at_other_level(ref: dict) -> None:
    case = ref["logistic"][2]
    model, _ = _fit(case, ref, confidence_level=0.90)
    assert _approx(model.confidence_intervals_["low"], case["low90"])
    assert _approx(model.confidence_intervals_["high"], case["high90"])


def test_logistic_matches_statsmodels(ref: dict, ref_py: dict) -> None:
    by_name = {c["name"]: c for c in ref["logistic"]}
    for sm in ref_py["statsmodels"]:
        model, _ = _fit(by_name[sm["name"]], ref)
        assert _approx(model.params_, sm["params"]), sm["name"]
        assert _approx(model.standard_errors_, sm["standard_errors"]), sm["name"]
        assert model.deviance_ == pytest.approx(sm["deviance"], rel=1e-10)
        assert model.aic_ == pytest.approx(sm["aic"], rel=1e-10)


def test_unscaled_data_converge_where_lbfgs_stops_early(ref: dict, ref_py: dict) -> None:
    """METHODS.md section 7 pitfall: scikit-learn's lbfgs stops far from the MLE on the unscaled IBM data."""
    case = next(c for c in ref["logistic"] if c["name"] == "ibm_attrition_unscaled")
    model, _ = _fit(case, ref)
    assert model.n_iter_ <= 8
    assert _approx(model.params_, case["params"])
    pitfall = ref_py["sklearn_lbfgs_pitfall"]
    assert pitfall["max_relative_error"] > 0.1
    assert model.params_["intercept"] == pytest.approx(pitfall["mle_intercept"], rel=REL)


def test_ridge_matches_r_and_sklearn(ref: dict, ref_py: dict) -> None:
    sk = {c["name"]: c for c in ref_py["sklearn_ridge"]}
    for case in ref["ridge"]:
        model, _ = _fit(case, ref, penalizer=case["penalizer"])
        assert model.penalized_ and model.converged_
        assert _approx(model.params_, case["params"])
        assert _approx(model.standard_errors_, case["standard_errors"])
        assert model.effective_df_ == pytest.approx(case["effective_df"], rel=REL)
        assert model.aic_ == pytest.approx(case["aic"], rel=1e-10)
        assert _approx(model.params_, sk[case["name"]]["params"], rel=1e-7)


def test_ridge_penalised_score_is_zero_and_intercept_unpenalised(ref: dict) -> None:
    """The stated L2 convention, checked directly: at the optimum of loglik(β) − ½λ Σ_slopes β², the penalised score
    X'(y − μ) − λ·(0, β₁, …) is zero, so the intercept's own score X₀'(y − μ) = Σ(y − μ) is zero (not penalised)."""
    mt = pd.DataFrame(ref["data"]["mtcars"])
    for lam in (0.5, 3.0):
        model = engage.LogisticRegression(penalizer=lam).fit(mt[["hp", "wt"]], mt["am"])
        X = np.c_[np.ones(len(mt)), mt[["hp", "wt"]].to_numpy(float)]
        y = mt["am"].to_numpy(float)
        beta = model.params_.to_numpy()
        mu = 1 / (1 + np.exp(-X @ beta))
        score = X.T @ (y - mu) - lam * np.r_[0.0, beta[1:]]
        scale = np.abs(X).T @ np.abs(y - mu) + lam * np.abs(np.r_[0.0, beta[1:]]) + 1.0
        assert np.all(np.abs(score) <= 1e-10 * scale), (lam, score)
        assert abs(np.sum(y - mu)) <= 1e-10 * len(y)
        assert model.deviance_ == pytest.approx(-2 * np.sum(y * np.log(mu) + (1 - y) * np.log1p(-mu)), rel=1e-12)
        # Shifting a column leaves the slopes unchanged (only the unpenalised intercept moves).
        shifted = engage.LogisticRegression(penalizer=lam).fit(mt[["hp", "wt"]] + [100.0, -3.0], mt["am"])
        assert _approx(shifted.params_.iloc[1:], model.params_.iloc[1:].tolist(), rel=1e-9)


def _separation_data(case: dict) -> tuple[pd.DataFrame, np.ndarray]:
    x = np.array(case["x"], dtype=float)
    columns = ["dept", "score"] if x.shape[1] == 2 else ["tenure"]
    return pd.DataFrame(x, columns=columns), np.array(case["y"], dtype=float)


def test_separation_raises_naming_columns(ref: dict) -> None:
    for case in ref["separation"]:
        X, y = _separation_data(case)
        with pytest.raises(engage.SeparationError, match=f"{case['kind']} separation.*'{X.columns[0]}'"):
            engage.LogisticRegression().fit(X, y)
    assert issubclass(engage.SeparationError, engage.ConvergenceError)
    assert issubclass(engage.SeparationError, RuntimeError)


def test_separation_warn_flags_result(ref: dict) -> None:
    case = next(c for c in ref["separation"] if c["name"] == "quasi_complete_dummy")
    # R glm "converges" here without any warning (dept coefficient about -20).
    assert case["r_converged"] and not case["r_warnings"] and case["r_params"][1] < -15
    X, y = _separation_data(case)
    with pytest.warns(SeparationWarning, match="'dept'"):
        model = engage.LogisticRegression(separation="warn").fit(X, y)
    assert model.separation_ and model.separating_columns_ == ["dept"]
    ridge = engage.LogisticRegression(penalizer=1.0).fit(X, y)
    assert ridge.converged_ and not ridge.separation_ and abs(ridge.params_["dept"]) < 5


def test_collinear_and_constant_columns_are_named() -> None:
    rng = np.random.default_rng(1)
    X = pd.DataFrame({"tenure": rng.normal(size=50), "grade": rng.normal(size=50)})
    X["total"] = X["tenure"] + X["grade"]
    y = (rng.random(50) < 0.4).astype(float)
    with pytest.raises(engage.InvalidInputError, match="'tenure', 'grade', 'total'.*collinear"):
        engage.LogisticRegression().fit(X, y)
    X["total"] = 3.0
    with pytest.raises(engage.InvalidInputError, match="'total' is constant"):
        engage.LogisticRegression().fit(X, y)
    dummies = pd.DataFrame({"a": [1, 0, 0] * 10, "b": [0, 1, 0] * 10, "c": [0, 0, 1] * 10, "x": rng.normal(size=30)})
    with pytest.raises(engage.InvalidInputError, match="'a', 'b', 'c'.*intercept"):
        engage.LogisticRegression().fit(dummies, y[:30])


def test_missing_rows_dropped_and_counted() -> None:
    X = pd.DataFrame({"x": pd.array([1, 2, None, 4, 5, 6, 7, 8, 9, 10], dtype="Int64"),
                      "flag": [True, False, True, False, True, True, False, False, True, False]})
    y = pd.Series([0, 0, 1, 0, None, 1, 1, 0, 1, 1], dtype="Int64")
    model = engage.LogisticRegression().fit(X, y)
    assert (model.n_, model.missing_) == (8, 2)
    complete = X.notna().all(axis=1) & y.notna()
    again = engage.LogisticRegression().fit(X[complete].astype(float), np.asarray(y[complete], dtype=float))
    assert _approx(model.params_, again.params_.tolist(), rel=1e-12)
    assert np.isnan(model.predict_proba(X).iloc[2])


def test_predict_matches_columns_by_name() -> None:
    rng = np.random.default_rng(2)
    X = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)}, index=range(100, 180))
    y = (rng.random(80) < 1 / (1 + np.exp(-X["a"]))).astype(int)
    model = engage.LogisticRegression().fit(X, y)
    p = model.predict_proba(X)
    assert isinstance(p, pd.Series) and list(p.index) == list(X.index)
    assert model.predict_proba(X[["b", "a"]]).to_numpy() == pytest.approx(p.to_numpy(), rel=1e-15)
    arr = model.predict_proba(X.to_numpy())
    assert isinstance(arr, np.ndarray) and arr == pytest.approx(p.to_numpy(), rel=1e-15)
    eta = model.predict_log_odds(X)
    assert (1 / (1 + np.exp(-eta))).to_numpy() == pytest.approx(p.to_numpy(), rel=1e-12)
    with pytest.raises(ValueError, match="lacks the fitted column"):
        model.predict_proba(X[["a"]])
    with pytest.raises(ValueError, match="fitted on 2"):
        model.predict_proba(np.ones((3, 3)))


def test_summary_and_print_summary(ref: dict, capsys: pytest.CaptureFixture[str]) -> None:
    model, _ = _fit(ref["logistic"][2], ref)
    s = model.summary
    assert list(s.columns) == ["coef", "odds_ratio", "standard_error", "z", "pvalue", "low", "high",
                               "odds_ratio_low", "odds_ratio_high"]
    assert list(s.index) == ["intercept", "hp", "wt"]
    assert s["odds_ratio"].to_numpy() == pytest.approx(np.exp(model.params_.to_numpy()))
    model.print_summary()
    out = capsys.readouterr().out
    assert "engage.LogisticRegression" in out and "wt" in out and "converged" in out
    ridge = engage.LogisticRegression(penalizer=0.5).fit(pd.DataFrame(ref["data"]["mtcars"])[["hp", "wt"]],
                                                         ref["data"]["mtcars"]["am"])
    ridge.print_summary()
    assert "penalised Hessian" in capsys.readouterr().out


def test_fitted_model_pickles_and_repr(ref: dict) -> None:
    model, _ = _fit(ref["logistic"][2], ref)
    again = pickle.loads(pickle.dumps(model))
    assert again.params_.equals(model.params_)
    assert repr(engage.LogisticRegression(penalizer=0.1)).startswith("LogisticRegression(penalizer=0.1")
    text = repr(model)
    assert text.startswith("LogisticRegression(penalizer=0.0") and "fitted: 32 rows" in text
    assert "converged" in text and "wt=-8.08" in text
    html = model._repr_html_()
    assert "<table" in html and "odds_ratio" in html and "32 rows" in html
    assert engage.LogisticRegression()._repr_html_().startswith("<pre>LogisticRegression(")
    frame = model.to_frame()
    assert frame.equals(model.summary) and list(frame.index) == ["intercept", "hp", "wt"]
    assert frame.attrs["n"] == 32 and frame.attrs["aic"] == model.aic_ and frame.attrs["converged"] is True


def test_numpy_and_dataframe_give_the_same_fit(ref: dict) -> None:
    mt = pd.DataFrame(ref["data"]["mtcars"])
    named = engage.LogisticRegression().fit(mt[["hp", "wt"]], mt["am"])
    plain = engage.LogisticRegression().fit(mt[["hp", "wt"]].to_numpy(), mt["am"].to_numpy())
    assert list(plain.params_.index) == ["intercept", "x0", "x1"]
    assert list(named.standard_errors_.index) == ["intercept", "hp", "wt"]
    assert np.array_equal(plain.params_.to_numpy(), named.params_.to_numpy())
    assert isinstance(named.standard_errors_, pd.Series)
    with pytest.raises(ValueError, match="named 'intercept'"):
        engage.LogisticRegression().fit(mt[["hp", "wt"]].rename(columns={"hp": "intercept"}), mt["am"])
    no_intercept = engage.LogisticRegression(fit_intercept=False).fit(
        mt[["hp", "wt"]].rename(columns={"hp": "intercept"}), mt["am"])
    assert list(no_intercept.params_.index) == ["intercept", "wt"]


def test_threads_give_identical_fits(ref: dict) -> None:
    case = ref["logistic"][0]
    d, _ = _frame(case, ref)
    X, y = d[case["columns"]].to_numpy(), d["left"].to_numpy()
    results: list[np.ndarray] = []

    def work() -> None:
        results.append(engage.LogisticRegression().fit(X, y).params_.to_numpy())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4 and all(np.array_equal(r, results[0]) for r in results)


def test_logistic_bad_input() -> None:
    X = np.arange(1.0, 9.0).reshape(-1, 1)
    y = np.array([0, 0, 1, 0, 1, 0, 1, 1.0])
    with pytest.raises(engage.InvalidInputError, match=r"y\[2\] = 2"):
        engage.LogisticRegression().fit(X, np.where(np.arange(8) == 2, 2.0, y))
    with pytest.raises(TypeError, match="y must be numeric"):
        engage.LogisticRegression().fit(X, ["yes", "no"] * 4)
    with pytest.raises(TypeError, match="'dept'.*get_dummies"):
        engage.LogisticRegression().fit(pd.DataFrame({"dept": list("abababab")}), y)
    with pytest.raises(ValueError, match="2-D.*reshape"):
        engage.LogisticRegression().fit(np.arange(8.0), y)
    with pytest.raises(engage.InvalidInputError, match="same length"):
        engage.LogisticRegression().fit(X, y[:5])
    with pytest.raises(engage.InvalidInputError, match="finite"):
        engage.LogisticRegression().fit(np.where(X == 3, np.inf, X), y)
    with pytest.raises(engage.InsufficientDataError, match="no complete rows"):
        engage.LogisticRegression().fit(X, np.full(8, np.nan))
    with pytest.raises(engage.InsufficientDataError, match="no variation"):
        engage.LogisticRegression().fit(X, np.ones(8))
    with pytest.raises(engage.InsufficientDataError):
        engage.LogisticRegression().fit(np.empty((0, 1)), np.empty(0))
    with pytest.raises(engage.InsufficientDataError, match="more rows than parameters"):
        engage.LogisticRegression().fit(X[1:3], y[1:3])
    with pytest.raises(engage.ConvergenceError, match="did not converge"):
        engage.LogisticRegression(max_iter=1).fit(X, y)
    with pytest.raises(engage.InvalidInputError, match="penalizer"):
        engage.LogisticRegression(penalizer=-1).fit(X, y)
    with pytest.raises(engage.InvalidInputError, match="tol"):
        engage.LogisticRegression(tol=0).fit(X, y)
    with pytest.raises(ValueError, match="max_iter"):
        engage.LogisticRegression(max_iter=0).fit(X, y)
    with pytest.raises(TypeError, match="fit_intercept"):
        engage.LogisticRegression(fit_intercept="yes").fit(X, y)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="separation"):
        engage.LogisticRegression(separation="ignore").fit(X, y)  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="confidence_level"):
        engage.LogisticRegression(confidence_level=95).fit(X, y)
    with pytest.raises(ValueError, match="duplicate"):
        engage.LogisticRegression().fit(pd.DataFrame(np.c_[X, X[::-1]], columns=["a", "a"]), y)
    with pytest.raises(RuntimeError, match="not fitted"):
        engage.LogisticRegression().predict_proba(X)
    with pytest.raises(RuntimeError, match="not fitted"):
        _ = engage.LogisticRegression().summary
    bool_y = engage.LogisticRegression().fit(X, y.astype(bool))
    assert bool_y.params_.equals(engage.LogisticRegression().fit(X, y).params_)


# ---------------------------------------------------------------------------------------------------------------
# Model quality


def test_roc_auc_matches_proc(ref: dict) -> None:
    for case in ref["auc"]:
        r = engage.roc_auc(case["y"], case["score"])
        assert (r.n_positive, r.n_negative, r.missing) == (case["n_positive"], case["n_negative"], 0)
        assert r.statistic == pytest.approx(case["statistic"], rel=1e-12)
        assert r.standard_error == pytest.approx(case["standard_error"], rel=1e-10)
        assert r.confidence_interval() == pytest.approx((case["low95"], case["high95"]), rel=1e-10)
        assert r.confidence_interval(0.90) == pytest.approx((case["low90"], case["high90"]), rel=1e-10)
        low, high = r.confidence_interval(method="delong-logit")
        assert 0 < low < r.statistic < high < 1
    assert repr(engage.roc_auc([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.2])).startswith("RocAucResult(statistic=0.75")


def test_roc_auc_compare_matches_roc_test(ref: dict) -> None:
    c = ref["auc_compare"]
    y, a, b = ref["auc"][0]["y"], ref["auc"][0]["score"], ref["auc"][1]["score"]
    r = engage.roc_auc_compare(y, a, b)
    for field in ("statistic_a", "statistic_b", "difference", "standard_error", "z", "correlation"):
        assert getattr(r, field) == pytest.approx(c[field], rel=1e-9), field
    assert r.pvalue == pytest.approx(c["pvalue"], rel=1e-7)
    low, high = r.confidence_interval()
    assert low == pytest.approx(c["difference"] - 1.959963984540054 * c["standard_error"], rel=1e-9)
    same = engage.roc_auc_compare(y, a, a)
    assert same.difference == 0 and math.isnan(same.pvalue)


def test_roc_auc_bad_input() -> None:
    with pytest.raises(engage.InsufficientDataError, match="at least one of each"):
        engage.roc_auc([1, 1, 1], [0.2, 0.3, 0.4])
    with pytest.raises(engage.InsufficientDataError):
        engage.roc_auc([], [])
    with pytest.raises(engage.InsufficientDataError):
        engage.roc_auc([np.nan, np.nan], [0.1, 0.2])
    with pytest.raises(engage.InvalidInputError, match="same length"):
        engage.roc_auc([0, 1, 0], [0.1, 0.2])
    with pytest.raises(engage.InvalidInputError, match=r"y\[1\] = 3"):
        engage.roc_auc([0, 3, 1], [0.1, 0.2, 0.3])
    with pytest.raises(TypeError):
        engage.roc_auc(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match="method"):
        engage.roc_auc([0, 1, 0, 1], [0.1, 0.9, 0.3, 0.2]).confidence_interval(method="wald")  # type: ignore[arg-type]
    r = engage.roc_auc([0, 1, np.nan, 0, 1], [0.1, 0.9, 0.5, 0.3, np.nan])
    assert (r.n, r.missing) == (3, 2) and math.isnan(r.standard_error)
    with pytest.raises(engage.InsufficientDataError, match="DeLong"):
        engage.roc_auc_compare([0, 1, 0], [0.1, 0.9, 0.3], [0.2, 0.4, 0.1])


def test_concordance_matches_survival(ref: dict) -> None:
    lung = ref["data"]["lung"]
    for case in ref["concordance"]:
        if "time" in case:
            t, e, s = case["time"], case["event"], case["values"]
        else:
            t, e = lung["time"], lung["event"]
            s = [np.nan if v is None else v for v in lung[case["score"]]]
        r = engage.concordance_index(t, s, event=e)
        for field in ("n", "concordant", "discordant", "tied_risk", "tied_time", "tied_both"):
            assert getattr(r, field) == case[field], (case["name"], field)
        assert r.statistic == pytest.approx(case["statistic"], rel=1e-12)
        assert r.standard_error == pytest.approx(case["standard_error"], rel=1e-10)
    # METHODS.md [REF]: lung coxph(age + sex): 11910 / 7793 / 311 / 28, C = 0.6029 (se 0.0255).
    first = ref["concordance"][0]
    assert (first["concordant"], first["discordant"], first["tied_risk"], first["tied_time"]) == (11910, 7793, 311, 28)


def test_concordance_sign_convention_and_interval() -> None:
    t, e, s = [1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 0], [6.0, 4.0, 5.0, 3.0, 1.0, 2.0]
    r = engage.concordance_index(t, s, event=e)
    rev = engage.concordance_index(t, [-v for v in s], event=e)
    assert rev.statistic == pytest.approx(1 - r.statistic)
    low, high = r.confidence_interval()
    assert 0 <= low <= r.statistic <= high <= 1
    assert engage.concordance_index(t, s).events == 6


def test_concordance_bad_input() -> None:
    with pytest.raises(engage.InvalidInputError, match="same length"):
        engage.concordance_index([1, 2, 3], [0.1, 0.2])
    with pytest.raises(engage.InvalidInputError, match=r"time\[0\] = -1"):
        engage.concordance_index([-1, 2, 3], [0.1, 0.2, 0.3])
    with pytest.raises(engage.InvalidInputError, match=r"event\[1\] = 2"):
        engage.concordance_index([1, 2, 3], [0.1, 0.2, 0.3], event=[1, 2, 0])
    with pytest.raises(engage.InsufficientDataError, match="no comparable pairs"):
        engage.concordance_index([1, 2, 3], [0.1, 0.2, 0.3], event=[0, 0, 0])
    with pytest.raises(engage.InsufficientDataError):
        engage.concordance_index([], [])
    with pytest.raises(TypeError):
        engage.concordance_index(["a"], [0.1])
    r = engage.concordance_index([1, 2, np.nan, 4], [0.4, 0.3, 0.2, np.nan])
    assert (r.n, r.missing) == (2, 2)


@pytest.fixture(scope="module")
def ref_td(load_reference) -> dict:
    return load_reference("logistic_time_dependent_auc_reference.json")


def test_time_dependent_auc_matches_sksurv(ref: dict, ref_td: dict) -> None:
    lung = ref["data"]["lung"]
    assert len(ref_td["cases"]) >= 9
    for case in ref_td["cases"]:
        if "data" in case:
            t, e, s = case["data"]["time"], case["data"]["event"], case["data"]["score"]
        else:
            t, e = lung["time"], lung["event"]
            s = [np.nan if v is None else v for v in lung["lp" if case["name"] == "lung_coxph_lp" else "ph_ecog"]]
        r = engage.time_dependent_auc(t, e, s, horizon=case["horizon"])
        what = (case["name"], case["horizon"])
        for field in ("n", "missing", "cases", "controls", "censored"):
            assert getattr(r, field) == case[field], (what, field)
        assert r.horizon == case["horizon"]
        assert r.statistic == pytest.approx(case["sksurv"], rel=1e-12, abs=0), what
        assert r.statistic == pytest.approx(case["statistic"], rel=1e-12, abs=0), what
        assert r.weighted_cases == pytest.approx(case["weighted_cases"], rel=1e-12, abs=0), what


def test_time_dependent_auc_conventions() -> None:
    rng = np.random.default_rng(5)
    t = np.floor(rng.uniform(0, 30, size=300))
    s = np.floor(rng.uniform(0, 8, size=300) - t / 6)
    # Without censoring the weights are 1 and AUC(t) is the ROC AUC of "left by t".
    r = engage.time_dependent_auc(t, np.ones(300), s, 12)
    assert r.censored == 0 and r.weighted_cases == pytest.approx(r.cases)
    assert r.statistic == pytest.approx(engage.roc_auc(t <= 12, s).statistic, rel=1e-14)
    # Higher score = higher risk: reversing the score gives 1 - AUC; pandas and bool inputs work.
    e = rng.random(300) < 0.7
    a = engage.time_dependent_auc(pd.Series(t), pd.Series(e), s, 12.0)
    b = engage.time_dependent_auc(t, e.astype(float), -s, np.float64(12.0))
    assert b.statistic == pytest.approx(1 - a.statistic, rel=1e-14)
    assert repr(a).startswith("TimeDependentAucResult(statistic=")
    assert a.to_frame()["horizon"].iloc[0] == 12.0


def test_time_dependent_auc_bad_input() -> None:
    t, e, s = [1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1], [6, 2, 3, 5, 1, 4]
    with pytest.raises(engage.InsufficientDataError, match="horizon = 0.5: 0 events"):
        engage.time_dependent_auc(t, e, s, 0.5)
    with pytest.raises(engage.InsufficientDataError, match="0 rows followed beyond"):
        engage.time_dependent_auc(t, e, s, 6)
    with pytest.raises(engage.InvalidInputError, match="horizon = nan"):
        engage.time_dependent_auc(t, e, s, float("nan"))
    with pytest.raises(TypeError, match="horizon"):
        engage.time_dependent_auc(t, e, s, "12")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match=r"time\[2\] = -3"):
        engage.time_dependent_auc([1, 2, -3, 4, 5, 6], e, s, 3.5)
    with pytest.raises(engage.InvalidInputError, match=r"event\[1\] = 2"):
        engage.time_dependent_auc(t, [1, 2, 1, 1, 0, 1], s, 3.5)
    with pytest.raises(engage.InvalidInputError, match="same length"):
        engage.time_dependent_auc(t, e, s[:5], 3.5)
    r = engage.time_dependent_auc(t, e, [6, 2, 3, np.nan, 1, 4], 3.5)
    assert (r.n, r.missing, r.controls) == (5, 1, 2)


def test_brier_and_calibration_match_r(ref: dict) -> None:
    case = ref["logistic"][0]
    model, d = _fit(case, ref)
    p = model.predict_proba(d[case["columns"]]).to_numpy()
    b = engage.brier_score(d["left"], p)
    assert b.statistic == pytest.approx(ref["brier"]["statistic"], rel=1e-10)
    assert b.reference == pytest.approx(ref["brier"]["reference"], rel=1e-12)
    assert b.skill == pytest.approx(ref["brier"]["skill"], rel=1e-9)
    for c in ref["calibration"]:
        own = "p" in c
        t = engage.calibration_table(c["y"] if own else d["left"], c["p"] if own else p, bins=c["bins"],
                                     confidence_level=c["confidence_level"])
        assert list(t["n"]) == c["n"] and list(t["events"]) == c["events"], c["name"]
        for col in ("low", "high", "mean_predicted", "observed_rate", "observed_low", "observed_high"):
            assert t[col].to_numpy() == pytest.approx(c[col], rel=1e-8), (c["name"], col)
        assert t.index.name == "bin" and t.attrs["missing"] == 0


def test_brier_and_calibration_bad_input() -> None:
    with pytest.raises(engage.InvalidInputError, match=r"p\[1\] = 1.5"):
        engage.brier_score([0, 1], [0.2, 1.5])
    with pytest.raises(engage.InvalidInputError, match="same length"):
        engage.brier_score([0, 1, 1], [0.2, 0.5])
    with pytest.raises(engage.InsufficientDataError):
        engage.brier_score([], [])
    with pytest.raises(engage.InsufficientDataError):
        engage.calibration_table([np.nan], [0.3])
    with pytest.raises(engage.InvalidInputError, match=r"y\[0\] = 0.5"):
        engage.calibration_table([0.5, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="bins"):
        engage.calibration_table([0, 1], [0.2, 0.3], bins=0)
    with pytest.raises(engage.InvalidInputError, match="confidence_level"):
        engage.calibration_table([0, 1], [0.2, 0.3], confidence_level=1.0)
    assert math.isnan(engage.brier_score([1, 1], [0.2, 0.3]).skill)
    t = engage.calibration_table([0, 1, 1, np.nan], [0.3, 0.3, 0.3, 0.1])
    assert len(t) == 1 and t["n"].iloc[0] == 3 and t.attrs["missing"] == 1


def test_calibration_bins_beyond_the_observations_are_refused() -> None:
    # Issue 13: bins=10**9 raised std::bad_alloc.
    y = np.array([0, 1, 0, 1, 1, 0, 1, 0], dtype=float)
    p = np.linspace(0.1, 0.9, 8)
    assert len(engage.calibration_table(y, p, bins=8)) == 8
    with pytest.raises(engage.EngageError, match=r"bins = 1000000000: at most 1000000"):
        engage.calibration_table(y, p, bins=10**9)
