"""engage.CoxPH (Efron ties) beside lifelines' CoxPHFitter and R's survival::coxph on the same data; prints ratios.

    python benchmarks/python/bench_cox.py [--rows 100000] [--covariates 10] [--repeat 5] [--no-r] [--no-lifelines]

Data: a simulated workforce, tenure in whole days (so there are many tied exit days, which is where Efron's
correction costs something), about 60 % leavers, ten covariates (a mix of continuous and 0/1 columns) with known
log hazard ratios. Every fit uses the default convergence rule of its package (engage and R: relative change of the
log partial likelihood below 1e-9; lifelines: its own step-size rule).

First the coefficients are checked to agree (engage vs R to 1e-8 relative, vs lifelines to 1e-5 since lifelines
stops earlier), then each fit is timed, best of ``--repeat`` (lifelines: best of 2, it is slow):
- engage: ``CoxPH().fit(frame, ...)`` including the conversion from the DataFrame;
- lifelines: ``CoxPHFitter().fit(frame, ...)``;
- R: only the ``coxph(...)`` call inside R (``proc.time()`` around it, after the CSV has been read), run by
  Rscript on the same data written to a temporary CSV.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
import time
import warnings
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

import engage


def best_of(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def simulate(rows: int, p: int, seed: int = 7) -> tuple[pd.DataFrame, list[str]]:
    rng = np.random.default_rng(seed)
    cols = [f"x{j}" for j in range(p)]
    x = rng.normal(size=(rows, p))
    x[:, 1::3] = (x[:, 1::3] > 0.3).astype(float)  # some 0/1 columns (low intent, remote, ...)
    beta = np.linspace(-0.5, 0.5, p)
    rate = 0.3 / 365 * np.exp(x @ beta)  # per day
    t_exit = rng.exponential(1 / rate)
    t_cens = rng.uniform(30, 5 * 365, rows)
    tenure = np.ceil(np.minimum(t_exit, t_cens))
    frame = pd.DataFrame(x, columns=cols)
    frame.insert(0, "left", (t_exit <= t_cens).astype(float))
    frame.insert(0, "tenure", tenure)
    return frame, cols


R_SCRIPT = r"""
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
repeat_n <- as.integer(args[2])
covs <- setdiff(names(d), c("tenure", "left"))
form <- as.formula(paste("Surv(tenure, left) ~", paste(covs, collapse = " + ")))
best <- Inf
for (k in seq_len(repeat_n)) {
  t0 <- proc.time()[["elapsed"]]
  fit <- coxph(form, data = d, ties = "efron", control = coxph.control(eps = 1e-9, iter.max = 20))
  best <- min(best, proc.time()[["elapsed"]] - t0)
}
cat(sprintf("%.17g", c(best, unname(coef(fit)), fit$loglik[2], fit$iter)), sep = "\n")
cat(as.character(packageVersion("survival")), "\n")
"""


def run_r(frame: pd.DataFrame, repeat: int) -> tuple[float, np.ndarray, float, str]:
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "cox.csv"
        script = Path(tmp) / "cox.R"
        frame.to_csv(csv, index=False, float_format="%.17g")
        script.write_text(R_SCRIPT, encoding="utf-8")
        out = subprocess.run(["Rscript", str(script), str(csv), str(repeat)], check=True, capture_output=True,
                             text=True).stdout.split()
    p = frame.shape[1] - 2
    values = [float(v) for v in out[: p + 3]]
    return values[0], np.array(values[1 : p + 1]), values[p + 1], out[p + 3]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--covariates", type=int, default=10)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-r", action="store_true")
    ap.add_argument("--no-lifelines", action="store_true")
    args = ap.parse_args()

    frame, cols = simulate(args.rows, args.covariates)
    # Same data as R reads back from the CSV (%.17g round-trips every double).
    print(f"Cox PH, Efron ties: {args.rows} rows x {args.covariates} covariates, {int(frame['left'].sum())} exits, "
          f"{frame['tenure'].nunique()} distinct tenure days")

    def fit_engage() -> engage.CoxPH:
        return engage.CoxPH(ties="efron").fit(frame, "tenure", "left", covariates=cols)

    ours = fit_engage()
    rows = [("engage", best_of(fit_engage, args.repeat), f"{ours.n_iter_} Newton steps")]

    if not args.no_r and shutil.which("Rscript"):
        t_r, beta_r, loglik_r, version = run_r(frame, args.repeat)
        np.testing.assert_allclose(ours.params_.to_numpy(), beta_r, rtol=1e-8, atol=0)
        assert abs(ours.log_likelihood_ - loglik_r) <= 1e-10 * abs(loglik_r)
        print(f"agreement: engage vs R survival {version} coefficients within 1e-8 relative "
              f"(max {np.max(np.abs(ours.params_.to_numpy() / beta_r - 1)):.1e})")
        rows.append((f"R survival {version} coxph (C)", t_r, "inside R, proc.time"))
    elif not args.no_r:
        print("R: Rscript not found, skipped")

    if not args.no_lifelines:
        try:
            import lifelines
            from lifelines import CoxPHFitter
        except ImportError:
            print("lifelines: not installed, skipped (pip install lifelines)")
        else:
            def fit_lifelines() -> object:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    return CoxPHFitter().fit(frame, "tenure", "left")

            theirs = fit_lifelines()
            params = theirs.params_[cols].to_numpy()  # type: ignore[attr-defined]
            np.testing.assert_allclose(ours.params_.to_numpy(), params, rtol=1e-5, atol=1e-7)
            print(f"agreement: engage vs lifelines {lifelines.__version__} coefficients within 1e-5 relative "
                  f"(max {np.max(np.abs(ours.params_.to_numpy() / params - 1)):.1e})")
            rows.append((f"lifelines {lifelines.__version__} CoxPHFitter", best_of(fit_lifelines, min(args.repeat, 2)),
                         "Efron"))

    t0 = rows[0][1]
    print(f"\n{'implementation':<34}{'seconds':>10}{'ratio to engage':>18}  note")
    for name, t, note in rows:
        print(f"{name:<34}{t:>10.4f}{t / t0:>17.1f}x  {note}")


if __name__ == "__main__":
    main()
