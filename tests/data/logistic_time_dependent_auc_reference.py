"""Reference values for engage.time_dependent_auc: the cumulative/dynamic AUC(t) with inverse-probability-of-
censoring weights (Uno et al. 2007), from scikit-survival and from a direct O(n^2) numpy implementation.

    python3 tests/data/logistic_time_dependent_auc_reference.py   (needs scikit-survival; pip install scikit-survival)

Writes tests/data/logistic_time_dependent_auc_reference.json (read by tests/cpp/test_logistic.cpp and
tests/python/test_logistic.py).

References, which must agree with each other to 1e-12 (asserted):
  * scikit-survival ``sksurv.metrics.cumulative_dynamic_auc(y, y, score, [horizon])``: the censoring distribution
    estimated from the same rows (survival_train = survival_test), ties in score within its tied_tol = 1e-8 (the
    scores here are either distinct by far more or exactly equal);
  * ``direct``, written here from the definition:
        AUC(t) = sum_{i case} sum_{j control} w_i [1(s_i > s_j) + 1(s_i = s_j)/2] / (sum_i w_i * #controls),
    cases: event with T_i <= t; controls: T_j > t; w_i = 1 / G(T_i), G the Kaplan-Meier curve of the censoring
    times (censoring as the event; at a time with both, events leave the risk set first), evaluated at T_i
    inclusive; the pair table is the full n_cases x n_controls outer comparison.

Cases:
  * lung_coxph_lp: survival::lung, the linear predictor of coxph(Surv(time, status) ~ age + sex) (from
    tests/data/logistic_reference.json, made by logistic_reference.R), horizons 180, 365, 730 days;
  * lung_ph_ecog_missing: score ph.ecog (one NaN row, dropped; heavy ties in score), horizon 365;
  * simulated_months: 400 seeded employees, exit or censoring in whole months (many ties, including events and
    censorings in the same month), a score rounded to one decimal (ties), horizons 6, 12, 24 (written into the JSON);
  * small_ties: 10 rows by hand with an event and a censoring at the horizon and tied scores across cases and
    controls (written into the JSON).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import numpy as np
import sksurv
from sksurv.metrics import cumulative_dynamic_auc
from sksurv.util import Surv

HERE = Path(__file__).resolve().parent


def censoring_km_inclusive(time: np.ndarray, event: np.ndarray, at: np.ndarray) -> np.ndarray:
    """G(at) = prod over censoring times u <= at of (1 - c_u / (n_u - d_u)), n_u = #{T >= u}."""
    out = np.empty(len(at))
    for k, a in enumerate(at):
        g = 1.0
        for u in np.unique(time[time <= a]):
            n_u = np.sum(time >= u)
            d_u = np.sum((time == u) & (event == 1))
            c_u = np.sum((time == u) & (event == 0))
            if c_u:
                g *= 1.0 - c_u / (n_u - d_u)
        out[k] = g
    return out


def direct_auc(time: np.ndarray, event: np.ndarray, score: np.ndarray, horizon: float) -> dict:
    case = (time <= horizon) & (event == 1)
    control = time > horizon
    w = 1.0 / censoring_km_inclusive(time, event, time[case])
    sc, sn = score[case], score[control]
    pairs = (sc[:, None] > sn[None, :]) + 0.5 * (sc[:, None] == sn[None, :])
    return {
        "statistic": float((w[:, None] * pairs).sum() / (w.sum() * control.sum())),
        "cases": int(case.sum()), "controls": int(control.sum()),
        "censored": int(((time <= horizon) & (event == 0)).sum()), "weighted_cases": float(w.sum()),
    }


def main() -> None:
    ref = json.loads((HERE / "logistic_reference.json").read_text(encoding="utf-8"))
    lung = ref["data"]["lung"]
    lung_t = np.array(lung["time"], dtype=float)
    lung_e = np.array(lung["event"], dtype=float)
    lung_lp = np.array(lung["lp"], dtype=float)
    lung_ecog = np.array([np.nan if v is None else v for v in lung["ph_ecog"]], dtype=float)

    rng = np.random.default_rng(20241123)
    n = 400
    risk = rng.normal(size=n)
    exit_month = np.ceil(rng.exponential(20.0 * np.exp(-0.7 * risk))).astype(float)
    censor_month = np.ceil(rng.uniform(1, 48, size=n)).astype(float)
    sim_t = np.minimum(exit_month, censor_month)
    sim_e = (exit_month <= censor_month).astype(float)
    sim_s = np.round(risk + rng.normal(scale=0.8, size=n), 1)

    small = {
        "time": [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 5.0, 6.0, 7.0, 8.0],
        "event": [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0],
        "score": [2.0, 1.0, 3.0, 2.0, 2.0, 1.5, 3.0, 1.0, 2.0, 0.5],
    }

    specs = [
        ("lung_coxph_lp", lung_t, lung_e, lung_lp, [180.0, 365.0, 730.0], None),
        ("lung_ph_ecog_missing", lung_t, lung_e, lung_ecog, [365.0], None),
        ("simulated_months", sim_t, sim_e, sim_s, [6.0, 12.0, 24.0],
         {"time": sim_t.tolist(), "event": sim_e.tolist(), "score": sim_s.tolist()}),
        ("small_ties", np.array(small["time"]), np.array(small["event"]), np.array(small["score"]), [3.0, 5.0],
         small),
    ]
    cases = []
    for name, t, e, s, horizons, data in specs:
        keep = ~(np.isnan(t) | np.isnan(e) | np.isnan(s))
        tk, ek, sk = t[keep], e[keep], s[keep]
        y = Surv.from_arrays(event=ek.astype(bool), time=tk)
        for h in horizons:
            auc, _ = cumulative_dynamic_auc(y, y, sk, [h])
            direct = direct_auc(tk, ek, sk, h)
            assert abs(auc[0] - direct["statistic"]) <= 1e-12, (name, h, auc[0], direct["statistic"])
            case = {"name": name, "horizon": h, "n": int(keep.sum()), "missing": int((~keep).sum()),
                    "sksurv": float(auc[0]), **direct}
            if data is not None:
                case["data"] = data
            cases.append(case)
    out = {
        "provenance": {
            "script": "tests/data/logistic_time_dependent_auc_reference.py",
            "date": datetime.date.today().isoformat(),
            "sksurv_version": sksurv.__version__, "numpy_version": np.__version__,
            "method": "sksurv.metrics.cumulative_dynamic_auc(y, y, score, [horizon]) (censoring KM from the same "
                      "rows) and a direct O(n^2) IPCW sum (statistic); the two agree to 1e-12. lung data and the "
                      "coxph(age + sex) linear predictor come from logistic_reference.json (R survival).",
        },
        "cases": cases,
    }
    path = HERE / "logistic_time_dependent_auc_reference.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print("wrote", path, [(c["name"], c["horizon"], round(c["statistic"], 6)) for c in cases])


if __name__ == "__main__":
    main()
