"""lifelines oracle for survival analysis: cross-checks tests/data/survival_reference.json (R survival) against
lifelines and writes tests/data/survival_reference_lifelines.json.

    python3 tests/data/survival_reference_lifelines.py     (run after Rscript tests/data/survival_reference.R)

Checks (assertions), on the data stored in survival_reference.json:
  * KaplanMeierFitter (alpha = 0.05; its interval is the "exponential Greenwood", i.e. R's conf.type = "log-log")
    on lung: survival and interval at every distinct time equal R survfit(conf.type = "log-log") to 1e-10;
    median_survival_time_ equals R's median (310);
  * CoxPHFitter (Efron, the only tie method of lifelines) on Rossi: coefficients equal R coxph(ties = "efron") to
    1e-6 relative (lifelines stops on its own convergence rule), log-likelihood to 1e-9;
  * CoxPHFitter(penalizer = 0.05) on Rossi equals R coxph with ridge(theta = 0.05 * n, scale = TRUE) to 1e-4
    (lifelines stops on a step-size rule, earlier than R): the same penalty convention as engage's `penalizer`;
  * logrank_test (lifelines.statistics) on lung by sex equals R survdiff's chi-squared to 1e-10.

Writes the lifelines values (KM log-log table for lung, Cox Efron and penalised fits for Rossi, log-rank on lung by
sex) with the lifelines version, so tests/python/test_survival.py can compare engage with lifelines without it.
"""

from __future__ import annotations

import datetime
import json
import warnings
from pathlib import Path

import lifelines
import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import logrank_test

HERE = Path(__file__).resolve().parent


def close(a: object, b: object, rel: float, what: str) -> None:
    a_ = np.asarray(a, dtype=float)
    b_ = np.asarray(b, dtype=float)
    both_nan = np.isnan(a_) & np.isnan(b_)
    ok = both_nan | (np.abs(a_ - b_) <= rel * np.maximum(np.abs(b_), 1e-300))
    assert np.all(ok), (what, a_[~ok][:5], b_[~ok][:5])


def main() -> None:
    ref = json.loads((HERE / "survival_reference.json").read_text(encoding="utf-8"))
    lung = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in ref["data"]["lung"].items() if k != "ph_ecog"})
    rossi = pd.DataFrame({k: np.asarray(v, dtype=float) for k, v in ref["data"]["rossi"].items()})
    out: dict[str, object] = {}

    # Kaplan-Meier (lifelines' interval is R's log-log)
    kmf = KaplanMeierFitter(alpha=0.05).fit(lung["time"], lung["event"])
    sf = kmf.survival_function_.iloc[1:]  # lifelines adds time 0
    ci = kmf.confidence_interval_.iloc[1:]
    r_fit = next(f for f in ref["kaplan_meier"][0]["fits"] if f["conf_type"] == "log-log" and f["confidence_level"] == 0.95)
    assert np.array_equal(sf.index.to_numpy(), np.asarray(r_fit["table"]["time"], dtype=float))
    close(sf.iloc[:, 0].to_numpy(), r_fit["table"]["survival"], 1e-12, "km survival")
    low = np.array([np.nan if v is None else v for v in r_fit["table"]["low"]], dtype=float)
    high = np.array([np.nan if v is None else v for v in r_fit["table"]["high"]], dtype=float)
    # lifelines reports [1, 1] before the first event where R (log-log) has NA; compare from the first event on
    first = int(np.argmax(np.asarray(r_fit["table"]["events"]) > 0))
    close(ci.iloc[first:, 0].to_numpy(), low[first:], 1e-10, "km low")
    close(ci.iloc[first:, 1].to_numpy(), high[first:], 1e-10, "km high")
    assert kmf.median_survival_time_ == r_fit["median"]["median"]
    out["kaplan_meier_lung"] = {
        "alpha": 0.05,
        "time": sf.index.tolist(),
        "survival": sf.iloc[:, 0].tolist(),
        "low": ci.iloc[:, 0].tolist(),
        "high": ci.iloc[:, 1].tolist(),
        "median": float(kmf.median_survival_time_),
    }

    # Cox (Efron) on Rossi, unpenalised and penalised
    covs = ["fin", "age", "race", "wexp", "mar", "paro", "prio"]
    for name, penalizer in (("rossi_efron", 0.0), ("rossi_ridge_0.05", 0.05)):
        r_case = next(c for c in ref["cox"] if c["name"] == name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cph = CoxPHFitter(penalizer=penalizer).fit(rossi[["week", "arrest", *covs]], "week", "arrest")
        params = cph.params_[covs].to_numpy()
        close(params, r_case["params"], 1e-6 if penalizer == 0 else 1e-4, f"{name} params")
        entry = {
            "penalizer": penalizer,
            "covariates": covs,
            "params": params.tolist(),
            "standard_errors": cph.standard_errors_[covs].tolist(),
            "log_likelihood": float(cph.log_likelihood_),
            "concordance": float(cph.concordance_index_),
        }
        if penalizer == 0:
            close(cph.log_likelihood_, r_case["log_likelihood"], 1e-9, f"{name} loglik")
            close(cph.standard_errors_[covs].to_numpy(), r_case["standard_errors"], 1e-5, f"{name} se")
        out[name] = entry

    # Log-rank, lung by sex
    male = lung["sex"] == 1
    lr = logrank_test(lung["time"][male], lung["time"][~male], lung["event"][male], lung["event"][~male])
    r_lr = next(c for c in ref["logrank"] if c["name"] == "lung_sex")
    close(lr.test_statistic, r_lr["statistic"], 1e-10, "logrank")
    out["logrank_lung_sex"] = {"statistic": float(lr.test_statistic), "pvalue": float(lr.p_value)}

    out["provenance"] = {
        "script": "tests/data/survival_reference_lifelines.py",
        "lifelines_version": lifelines.__version__,
        "numpy_version": np.__version__,
        "pandas_version": pd.__version__,
        "date": datetime.date.today().isoformat(),
        "data": "lung and rossi as stored in tests/data/survival_reference.json (written by survival_reference.R)",
    }
    (HERE / "survival_reference_lifelines.json").write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print("wrote tests/data/survival_reference_lifelines.json")


if __name__ == "__main__":
    main()
