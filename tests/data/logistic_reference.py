"""Python oracles for the logistic churn model and model quality: cross-checks tests/data/logistic_reference.json
(R) against statsmodels and scikit-learn, and writes tests/data/logistic_reference_python.json.

    python3 tests/data/logistic_reference.py        (run after Rscript tests/data/logistic_reference.R)

Checks (assertions):
  * statsmodels Logit(method="newton") and GLM(family=Binomial()) on every R logistic case (same rows, NaN rows
    dropped): coefficients, Logit's standard errors (from the Hessian at the estimate), deviance and AIC equal
    R glm to 1e-9 relative; GLM's IRLS standard errors (weights of the last-but-one iterate) to 1e-6;
  * scikit-learn roc_auc_score equals pROC's AUC (1e-12) on every AUC case;
  * scikit-learn LogisticRegression(C=1/penalizer, solver="newton-cholesky") equals the R ridge optimum (1e-7):
    scikit-learn's 0.5 ||w||^2 + C * sum(logloss) is engage's penalty convention with penalizer = 1/C.

Writes:
  * "statsmodels": the statsmodels values per case (params, standard errors, deviance, AIC, log-likelihood);
  * "sklearn_ridge": the scikit-learn penalised coefficients;
  * "sklearn_lbfgs_pitfall": scikit-learn's default solver (lbfgs) without penalty (C=inf, tol=1e-10,
    max_iter=100000) on the unscaled IBM attrition data, next to the MLE: lbfgs stops far from the optimum
    (METHODS.md section 7 pitfall), which engage's Newton iterations on internally standardised columns do not.
"""

from __future__ import annotations

import datetime
import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

HERE = Path(__file__).resolve().parent


def close(a: float, b: float, rel: float, what: str) -> None:
    assert abs(a - b) <= rel * abs(b), (what, a, b)


def case_frame(case: dict, ref: dict) -> pd.DataFrame:
    name = case["name"]
    if name.startswith("mtcars"):
        d = pd.DataFrame(ref["data"]["mtcars"])
    elif name.startswith("ibm"):
        d = pd.read_csv(HERE / "logistic_ibm_attrition.csv")
    else:
        d = pd.read_csv(HERE / "logistic_attrition_sim.csv")
    if name == "simulated_attrition_missing":
        d = d.astype(float)
        for col, rows in ref["data"]["simulated_missing"].items():
            d.loc[rows, col] = np.nan
    return d


def main() -> None:
    ref = json.loads((HERE / "logistic_reference.json").read_text(encoding="utf-8"))
    out: dict = {"statsmodels": [], "sklearn_ridge": []}
    for case in ref["logistic"]:
        d = case_frame(case, ref)
        ycol = "am" if case["name"].startswith("mtcars") else "left"
        cols = case["columns"]
        d = d[[*cols, ycol]].dropna()
        X = d[cols].to_numpy(float)
        if case["fit_intercept"]:
            X = sm.add_constant(X, has_constant="add")
        y = d[ycol].to_numpy(float)
        logit = sm.Logit(y, X).fit(method="newton", tol=1e-14, maxiter=100, disp=0)
        glm = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-14, maxiter=100)
        for k, (a, b) in enumerate(zip(logit.params, case["params"])):
            close(a, b, 1e-9, f"{case['name']} Logit param {k}")
            close(glm.params[k], b, 1e-9, f"{case['name']} GLM param {k}")
            close(logit.bse[k], case["standard_errors"][k], 1e-9, f"{case['name']} Logit se {k}")
            # GLM's IRLS takes its covariance from the weights of the last-but-one iterate (as R glm does), which
            # its deviance criterion leaves ~1e-7 from the MLE: its standard errors agree to ~1e-7 only.
            close(glm.bse[k], case["standard_errors"][k], 1e-6, f"{case['name']} GLM se {k}")
        close(glm.deviance, case["deviance"], 1e-12, "deviance")
        close(glm.aic, case["aic"], 1e-12, "aic")
        close(logit.llf, case["log_likelihood"], 1e-12, "loglik")
        out["statsmodels"].append({
            "name": case["name"], "params": logit.params.tolist(), "standard_errors": logit.bse.tolist(),
            "glm_standard_errors": glm.bse.tolist(), "deviance": float(glm.deviance), "aic": float(glm.aic),
            "log_likelihood": float(logit.llf)})

    for case in ref["auc"]:
        close(roc_auc_score(case["y"], case["score"]), case["statistic"], 1e-12, f"{case['name']} auc")

    for case in ref["ridge"]:
        d = case_frame(case, ref)
        ycol = "am" if case["name"].startswith("mtcars") else "left"
        X, y = d[case["columns"]].to_numpy(float), d[ycol].to_numpy(float)
        sk = LogisticRegression(C=1.0 / case["penalizer"], solver="newton-cholesky", tol=1e-14, max_iter=1000).fit(X, y)
        params = [float(sk.intercept_[0]), *map(float, sk.coef_[0])]
        for k, (a, b) in enumerate(zip(params, case["params"])):
            close(a, b, 1e-7, f"{case['name']} sklearn ridge param {k}")
        out["sklearn_ridge"].append({"name": case["name"], "penalizer": case["penalizer"], "params": params})

    ibm_case = next(c for c in ref["logistic"] if c["name"] == "ibm_attrition_unscaled")
    d = pd.read_csv(HERE / "logistic_ibm_attrition.csv")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        sk = LogisticRegression(C=np.inf, tol=1e-10, max_iter=100000).fit(d[ibm_case["columns"]].to_numpy(float),
                                                                          d["left"].to_numpy(float))
    mle = np.array(ibm_case["params"])
    params = np.r_[sk.intercept_, sk.coef_[0]]
    out["sklearn_lbfgs_pitfall"] = {
        "call": "LogisticRegression(C=np.inf, tol=1e-10, max_iter=100000).fit(X, y)  # solver lbfgs",
        "n_iter": int(sk.n_iter_[0]), "intercept": float(params[0]), "mle_intercept": float(mle[0]),
        "max_relative_error": float(np.max(np.abs(params - mle) / np.abs(mle))),
        "warnings": [str(w.message).splitlines()[0] for w in caught]}
    out["provenance"] = {
        "script": "tests/data/logistic_reference.py", "date": datetime.date.today().isoformat(),
        "statsmodels_version": statsmodels.__version__, "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__, "pandas_version": pd.__version__,
        "method": "statsmodels Logit(method='newton', tol=1e-14) and GLM(Binomial).fit(tol=1e-14); scikit-learn "
                  "roc_auc_score; LogisticRegression(C=1/penalizer, solver='newton-cholesky', tol=1e-14)"}
    path = HERE / "logistic_reference_python.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print("wrote", path, "| lbfgs pitfall:", out["sklearn_lbfgs_pitfall"])


if __name__ == "__main__":
    main()
