"""engage's Kendall tau-b and paired BCa bootstrap beside scipy, on the same data, in one run; prints ratios.

    python3 benchmarks/python/bench_correlation.py [--pairs 1000000] [--units 10000] [--resamples 10000]
                                                  [--repeat 3]

Compared (issue 4, section 5):
- Kendall tau-b with its asymptotic test on 10^6 pairs with ties: engage.correlation(method="kendall") against
  scipy.stats.kendalltau(method="asymptotic"). Both are O(n log n). Target: engage at least as fast.
- A 10^4-resample BCa bootstrap interval of Pearson's r on 10^4 units: engage's CorrelationResult.bootstrap(
  method="bca") against scipy.stats.bootstrap((x, y), pearson, paired=True, method="BCa", vectorized=True) (the
  fair peer: scipy evaluates the resamples, and the jackknife, in vectorised numpy batches of --batch rows; one
  batch of all 10^4 x 10^4 would need several GB). Target: engage at least 20x faster.
  Both draw different random resamples (engage xoshiro256** vs numpy PCG64), so the intervals agree to Monte Carlo
  error only; the point estimate, the jackknife acceleration and the BCa levels are the same formulas
  (tests/python/test_correlation.py checks engage's BCa against scipy's formula on engage's own resamples).

Agreement is checked first; then best-of-N wall and CPU times (CPU = all threads of the process; engage uses
up to 8 threads for the bootstrap, scipy one) and their ratios are printed side by side. On a shared, loaded
machine wall times swing with the load; the CPU ratio shows the work each does.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Callable

import numpy as np
import scipy
from scipy import stats

import engage


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Best wall time and best CPU time (all threads of the process) over `repeat` runs, in seconds."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return min(wall), min(cpu)


def show(label: str, t: tuple[float, float]) -> None:
    print(f"  {label:<48} wall {t[0] * 1e3:9.1f} ms   CPU {t[1] * 1e3:9.1f} ms")


def pearson_statistic(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Pearson r along the last axis (scipy's own pearsonr is slower on batches: it also computes p-values)."""
    xm = x - x.mean(axis=axis, keepdims=True)
    ym = y - y.mean(axis=axis, keepdims=True)
    return (xm * ym).sum(axis=axis) / np.sqrt((xm * xm).sum(axis=axis) * (ym * ym).sum(axis=axis))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=1_000_000)
    ap.add_argument("--units", type=int, default=10_000)
    ap.add_argument("--resamples", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=500, help="scipy's resamples per vectorised batch (memory bound)")
    args = ap.parse_args()
    rng = np.random.default_rng(20261123)
    print(f"scipy {scipy.__version__}, numpy {np.__version__}, engage {engage.__version__}, "
          f"{os.cpu_count()} logical CPUs; best of {args.repeat}")

    # ---- Kendall tau-b on 10^6 pairs with ties --------------------------------------------------------------------
    n = args.pairs
    x = rng.integers(0, 1000, n).astype(np.float64)  # heavy ties in x (1000 values)
    y = np.round(0.3 * x + rng.normal(0, 300, n), 1)
    ours = engage.correlation(x, y, method="kendall")
    theirs = stats.kendalltau(x, y, method="asymptotic")
    assert abs(ours.statistic - theirs.statistic) <= 1e-12 * abs(theirs.statistic), (ours.statistic, theirs.statistic)
    assert abs(ours.pvalue - theirs.pvalue) <= 1e-9 * theirs.pvalue + 1e-300, (ours.pvalue, theirs.pvalue)
    t_ours = best_of(lambda: engage.correlation(x, y, method="kendall"), args.repeat)
    t_theirs = best_of(lambda: stats.kendalltau(x, y, method="asymptotic"), args.repeat)
    print(f"\nKendall tau-b, {n:,} pairs with ties: tau_b = {ours.statistic:.10f} (both), p = {ours.pvalue:.3g}")
    show("engage.correlation(method='kendall')", t_ours)
    show("scipy.stats.kendalltau(method='asymptotic')", t_theirs)
    print(f"  scipy / engage = {t_theirs[0] / t_ours[0]:6.2f}x wall, {t_theirs[1] / t_ours[1]:6.2f}x CPU  (target >= 1x)")

    # ---- BCa bootstrap of Pearson r, 10^4 resamples of 10^4 units -------------------------------------------------
    m, b = args.units, args.resamples
    u = rng.normal(size=m)
    v = 0.4 * u + np.sqrt(1 - 0.16) * rng.standard_t(5, size=m)  # heavy-ish tails: a skewed r distribution
    r = engage.correlation(u, v)
    ours_b = r.bootstrap(0.95, "bca", n_resamples=b, seed=1)

    def scipy_bca() -> stats._resampling.BootstrapResult:  # type: ignore[name-defined]
        return stats.bootstrap((u, v), pearson_statistic, paired=True, vectorized=True, method="BCa",
                               n_resamples=b, batch=args.batch, confidence_level=0.95,
                               rng=np.random.default_rng(2))

    theirs_b = scipy_bca()
    se = theirs_b.standard_error
    low, high = theirs_b.confidence_interval
    print(f"\nBCa bootstrap of Pearson r, {m:,} units, {b:,} resamples: r = {r.statistic:.6f}")
    print(f"  engage [{ours_b.low:.5f}, {ours_b.high:.5f}]  SE {ours_b.standard_error:.5f}  "
          f"z0 {ours_b.bias_correction:+.4f}  a {ours_b.acceleration:+.2e}")
    print(f"  scipy  [{low:.5f}, {high:.5f}]  SE {se:.5f}")
    # Monte Carlo agreement: each end has a Monte Carlo SD of roughly SE * 2.5 / sqrt(B); allow 5 of those, and the
    # two bootstrap SEs must agree within 5 %.
    tol = 5 * 2.5 * se / np.sqrt(b)
    assert abs(ours_b.low - low) < tol and abs(ours_b.high - high) < tol, (ours_b.low, low, ours_b.high, high, tol)
    assert abs(ours_b.standard_error / se - 1) < 0.05
    t_ours_b = best_of(lambda: r.bootstrap(0.95, "bca", n_resamples=b, seed=1), args.repeat)
    t_theirs_b = best_of(scipy_bca, args.repeat)
    show("engage CorrelationResult.bootstrap('bca')", t_ours_b)
    show("scipy.stats.bootstrap(paired, BCa, vectorized)", t_theirs_b)
    print(f"  scipy / engage = {t_theirs_b[0] / t_ours_b[0]:6.1f}x wall, {t_theirs_b[1] / t_ours_b[1]:6.1f}x CPU  "
          "(target >= 20x wall)")


if __name__ == "__main__":
    main()
