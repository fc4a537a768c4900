"""engage.LogisticRegression beside statsmodels and scikit-learn on the same data; prints timings and ratios.

    python3 benchmarks/python/bench_logistic.py [--rows 1000000] [--cols 20] [--repeat 3]

Issue 5 section 6 target: at least 3x faster than statsmodels on 10^6 rows x 20 columns.

Compared, each fitting the same unpenalised maximum-likelihood model (intercept + 20 slopes):
- statsmodels ``Logit(y, add_constant(X)).fit(method="newton")`` (its defaults: tol 1e-8, maxiter 35), which
  also gives standard errors, as engage does (``.bse`` is computed inside the timing);
- scikit-learn ``LogisticRegression(C=np.inf)`` (no penalty; ``penalty=None`` is deprecated from 1.8) with its
  default solver lbfgs (tol 1e-4): no standard errors, and on these unscaled columns it stops early (METHODS.md
  section 7 pitfall): its coefficients differ by ~1e-2 relative; the gap is printed, not asserted;
- scikit-learn ``LogisticRegression(C=np.inf, solver="newton-cholesky")``: its fastest exact solver.
engage is timed from the numpy array (zero-copy) and from a pandas DataFrame (one contiguous copy), with the full
result (standard errors, z, p, intervals, deviance, AIC) built.

Agreement is checked first: engage vs statsmodels coefficients and standard errors to 1e-6 relative (statsmodels
stops on its parameter tolerance 1e-8), scikit-learn newton-cholesky (tol 1e-4) to 1e-5.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import warnings
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


def relative_gap(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-12)))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--cols", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import sklearn
    import statsmodels
    import statsmodels.api as sm
    from sklearn.linear_model import LogisticRegression as SkLogistic

    rng = np.random.default_rng(20241123)
    n, p = args.rows, args.cols
    # Correlated predictors on different scales (as survey items next to tenure and salary would be).
    latent = rng.standard_normal((n, p))
    X = latent + 0.3 * latent[:, [0]]
    X *= rng.uniform(0.5, 3.0, size=p)
    X += rng.uniform(-2.0, 5.0, size=p)
    beta = rng.uniform(-0.4, 0.4, size=p) / X.std(axis=0)
    eta = -1.0 + (X - X.mean(axis=0)) @ beta
    y = (rng.random(n) < 1.0 / (1.0 + np.exp(-eta))).astype(np.float64)
    X = np.ascontiguousarray(X)
    frame = pd.DataFrame(X, columns=[f"x{j}" for j in range(p)])
    Xc = sm.add_constant(X, has_constant="add")

    def fit_engage() -> engage.LogisticRegression:
        return engage.LogisticRegression().fit(X, y)

    def fit_engage_frame() -> engage.LogisticRegression:
        return engage.LogisticRegression().fit(frame, y)

    def fit_statsmodels():  # type: ignore[no-untyped-def]
        r = sm.Logit(y, Xc).fit(method="newton", disp=0)
        _ = r.bse
        return r

    def fit_statsmodels_with_constant():  # type: ignore[no-untyped-def]
        r = sm.Logit(y, sm.add_constant(X, has_constant="add")).fit(method="newton", disp=0)
        _ = r.bse
        return r

    def fit_lbfgs() -> SkLogistic:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SkLogistic(C=np.inf).fit(X, y)

    def fit_newton_cholesky() -> SkLogistic:
        return SkLogistic(C=np.inf, solver="newton-cholesky").fit(X, y)

    # Same answers first.
    ours = fit_engage()
    sm_fit = fit_statsmodels()
    lb = fit_lbfgs()
    nc = fit_newton_cholesky()
    ours_params = ours.params_.to_numpy()
    gaps = {
        "statsmodels params": relative_gap(ours_params, np.asarray(sm_fit.params)),
        "statsmodels std errors": relative_gap(ours.standard_errors_.to_numpy(), np.asarray(sm_fit.bse)),
        "sklearn newton-cholesky params": relative_gap(ours_params, np.r_[nc.intercept_, nc.coef_[0]]),
        "sklearn lbfgs params": relative_gap(ours_params, np.r_[lb.intercept_, lb.coef_[0]]),
    }
    assert gaps["statsmodels params"] < 1e-6 and gaps["statsmodels std errors"] < 1e-6, gaps
    assert gaps["sklearn newton-cholesky params"] < 1e-5, gaps
    assert np.array_equal(fit_engage_frame().params_.to_numpy(), ours_params)

    timings = {
        "engage (numpy)": best_of(fit_engage, args.repeat),
        "engage (DataFrame)": best_of(fit_engage_frame, args.repeat),
        "statsmodels Logit newton (X with constant given)": best_of(fit_statsmodels, args.repeat),
        "statsmodels Logit newton (+ add_constant)": best_of(fit_statsmodels_with_constant, args.repeat),
        "sklearn lbfgs (default)": best_of(fit_lbfgs, args.repeat),
        "sklearn newton-cholesky": best_of(fit_newton_cholesky, args.repeat),
    }
    base = timings["engage (numpy)"]
    print(f"logistic regression, {n:,} rows x {p} columns (+ intercept); best of {args.repeat}; "
          f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}")
    print(f"numpy {np.__version__}, statsmodels {statsmodels.__version__}, scikit-learn {sklearn.__version__}")
    print(f"engage: {ours.n_iter_} Newton steps; statsmodels: {sm_fit.mle_retvals['iterations']} iterations; "
          f"lbfgs: {int(lb.n_iter_[0])} iterations; newton-cholesky: {int(nc.n_iter_[0])} iterations")
    print("agreement with engage (max relative difference): "
          + "; ".join(f"{k} {v:.1e}" for k, v in gaps.items()))
    print(f"{'method':52s} {'seconds':>9s} {'ratio to engage':>16s}")
    for name, t in timings.items():
        print(f"{name:52s} {t:9.3f} {t / base:15.1f}x")


if __name__ == "__main__":
    main()
