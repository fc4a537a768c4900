"""Reliability and agreement per team beside the code an analyst would otherwise run; prints ratios.

    python3 benchmarks/python/bench_reliability.py [--respondents 1000000] [--teams 10000] [--repeat 3]
                                                  [--pingouin-teams 200] [--skip-r]

Workload (issue 3, section 5): 10^6 respondents x 12 items on a 1-5 scale in 10^4 teams. Compared in one run:
- engage: alpha per team (engage.cronbach_alpha_by, one pass), rwg(j) per team (engage.rwg_j, one pass) and
  ICC(1)/ICC(2) of the scale score (engage.icc, one pass);
- the analyst's loop: for each team, pingouin.cronbach_alpha on the team's rows and rwg(j) with numpy, then ICC
  from a numpy one-way ANOVA. pingouin takes several ms per team, so the loop is timed on the first
  --pingouin-teams teams and scaled linearly to all teams (the work per team does not depend on the other
  teams); the output says so;
- R multilevel::rwg.j (Debian's r-cran-multilevel) on the same data, written to a binary file first; only the
  rwg.j call is timed (system.time inside R), not R's start-up or reading the data.
Agreement is checked first (alpha per team against pingouin, rwg(j) per team against numpy and R, ICC against
numpy); then best-of-N wall times and the ratios are printed. Targets: >= 50x the pingouin loop, >= 100x R.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

import engage

ITEMS = [f"q{i:02d}" for i in range(1, 13)]


def make_data(n: int, teams: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    team = rng.integers(0, teams, size=n)
    latent = rng.normal(size=teams)[team] * 0.5 + rng.normal(size=n)
    items = np.clip(np.rint(3 + latent[:, None] * 0.8 + rng.normal(size=(n, 12)) * 0.8), 1, 5)
    frame = pd.DataFrame(items, columns=ITEMS)
    frame.insert(0, "team", team)
    return frame


def best_of(repeat: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def numpy_rwg_j(x: np.ndarray, sigma2: float = 2.0) -> float:
    """rwg(j) of one team as an analyst writes it with numpy (James et al. 1984, truncated at 0)."""
    if len(x) < 2:
        return float("nan")
    s2 = float(np.var(x, axis=0, ddof=1).mean())
    if s2 >= sigma2:
        return 0.0
    j, r = x.shape[1], s2 / sigma2
    return j * (1 - r) / (j * (1 - r) + r)


def analyst_loop(df: pd.DataFrame, teams: np.ndarray) -> tuple[dict[int, float], dict[int, float]]:
    import pingouin

    alpha: dict[int, float] = {}
    rwgj: dict[int, float] = {}
    for team, g in df[df["team"].isin(teams)].groupby("team"):
        data = g[ITEMS]
        alpha[int(team)] = float(pingouin.cronbach_alpha(data=data)[0])
        rwgj[int(team)] = numpy_rwg_j(data.to_numpy())
    return alpha, rwgj


def numpy_icc(score: np.ndarray, team: np.ndarray) -> tuple[float, float]:
    k = np.bincount(team)
    present = k > 0
    means = np.bincount(team, weights=score)[present] / k[present]
    kk = k[present]
    ssb = float((kk * (means - score.mean()) ** 2).sum())
    full_means = np.zeros(len(k))
    full_means[present] = means
    ssw = float(((score - full_means[team]) ** 2).sum())
    j, n = len(kk), len(score)
    msb, msw = ssb / (j - 1), ssw / (n - j)
    return (msb - msw) / (msb + (n / j - 1) * msw), (msb - msw) / msb


R_SCRIPT = """
suppressMessages(library(multilevel))
a <- commandArgs(TRUE); n <- as.integer(a[3]); reps <- as.integer(a[4])
x <- matrix(readBin(a[1], "double", n * 12), ncol = 12)
g <- readBin(a[2], "double", n)
best <- Inf
for (i in seq_len(reps)) { t <- system.time(r <- rwg.j(x, g, ranvar = 2))[["elapsed"]]; best <- min(best, t) }
writeBin(c(as.numeric(as.character(r$grpid)), r$rwg.j), a[5])
cat(best, as.character(packageVersion("multilevel")), "\\n")
"""


def run_r(x: np.ndarray, team: np.ndarray, repeat: int) -> tuple[float, str, pd.Series]:
    with tempfile.TemporaryDirectory() as tmp:
        xs, gs, out, script = (Path(tmp) / name for name in ("x.bin", "g.bin", "out.bin", "rwgj.R"))
        np.asfortranarray(x).T.tofile(xs)  # column-major for R's matrix()
        team.astype(np.float64).tofile(gs)
        script.write_text(R_SCRIPT, encoding="utf-8")
        proc = subprocess.run(
            ["Rscript", str(script), str(xs), str(gs), str(len(team)), str(repeat), str(out)],
            capture_output=True, text=True, check=True,
        )
        seconds, version = proc.stdout.split()
        values = np.fromfile(out)
    half = len(values) // 2
    return float(seconds), version, pd.Series(values[half:], index=values[:half].astype(np.int64))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--respondents", type=int, default=1_000_000)
    ap.add_argument("--teams", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (R: of min(repeat, 2))")
    ap.add_argument("--pingouin-teams", type=int, default=200, help="teams timed in the pingouin loop")
    ap.add_argument("--skip-r", action="store_true")
    args = ap.parse_args()
    df = make_data(args.respondents, args.teams)
    x = np.ascontiguousarray(df[ITEMS].to_numpy())
    team = df["team"].to_numpy()
    n_teams = int(df["team"].nunique())

    # engage: one grouped pass per statistic
    t_alpha, by_team = best_of(args.repeat, lambda: engage.cronbach_alpha_by(df, items=ITEMS, by="team",
                                                                             min_group_size=1))
    t_rwgj, rwgj = best_of(args.repeat, lambda: engage.rwg_j(x, team, scale_points=5, min_group_size=1))
    t_icc, icc = best_of(args.repeat, lambda: engage.icc(x.mean(axis=1), team))
    t_engage = t_alpha + t_rwgj + t_icc

    # the analyst's loop (timed on a subset of teams, scaled linearly), then numpy ICC on all rows
    sample = np.sort(df["team"].unique())[: args.pingouin_teams]
    t_loop_sample, (ping_alpha, np_rwgj) = best_of(1, lambda: analyst_loop(df, sample))
    t_loop = t_loop_sample * n_teams / len(sample)
    t_np_icc, (icc1_np, icc2_np) = best_of(args.repeat, lambda: numpy_icc(x.mean(axis=1), team))

    # agreement first
    ours_alpha = by_team.set_index("team")["alpha"]
    ours_rwgj = rwgj.set_index("group")["rwg_j"]
    d_alpha = max(abs(ours_alpha[t] - a) for t, a in ping_alpha.items())
    d_rwgj = max(abs(ours_rwgj[t] - v) for t, v in np_rwgj.items())
    d_icc = max(abs(icc.icc1 - icc1_np), abs(icc.icc2 - icc2_np))
    assert d_alpha < 1e-10 and d_rwgj < 1e-10 and d_icc < 1e-10, (d_alpha, d_rwgj, d_icc)

    print(f"{args.respondents:,} respondents x 12 items in {n_teams:,} teams; best of {args.repeat}; "
          f"{os.cpu_count()} cores")
    print("agreement: max |difference| alpha vs pingouin "
          f"{d_alpha:.1e} ({len(sample)} teams), rwg(j) vs numpy {d_rwgj:.1e}, ICC(1)/ICC(2) vs numpy {d_icc:.1e}")
    print(f"  engage.cronbach_alpha_by        {t_alpha * 1e3:9.1f} ms")
    print(f"  engage.rwg_j                    {t_rwgj * 1e3:9.1f} ms")
    print(f"  engage.icc                      {t_icc * 1e3:9.1f} ms")
    print(f"  engage, all three               {t_engage * 1e3:9.1f} ms")
    print(f"  analyst loop: pingouin alpha + numpy rwg(j) per team, timed on {len(sample)} teams and scaled x"
          f"{n_teams / len(sample):.0f} to {n_teams:,} teams; numpy ICC on all rows")
    ping_alpha_share = t_loop  # the loop's time (alpha and rwg(j) per team)
    print(f"  analyst loop (scaled) + numpy ICC {(ping_alpha_share + t_np_icc) * 1e3:9.1f} ms")
    ratio_all = (ping_alpha_share + t_np_icc) / t_engage
    ratio_alpha = ping_alpha_share / (t_alpha + t_rwgj)
    verdict = "met" if ratio_all >= 50 else "MISSED"
    print(f"  ratio, whole workload            {ratio_all:9.1f}x   (target >= 50x)  {verdict}")
    print(f"  ratio, per-team loop vs engage alpha + rwg(j) {ratio_alpha:.1f}x")

    if args.skip_r or not shutil.which("Rscript"):
        print("  R multilevel::rwg.j: skipped (--skip-r or no Rscript)")
        return
    t_r, version, r_rwgj = run_r(x, team, min(args.repeat, 2))
    common = r_rwgj.index.intersection(ours_rwgj.index)
    d_r = float(np.nanmax(np.abs(r_rwgj[common].to_numpy() - ours_rwgj[common].to_numpy())))
    assert len(common) == n_teams and d_r < 1e-8, d_r
    ratio_r = t_r / t_rwgj
    print(f"  R multilevel {version} rwg.j (computation only) {t_r * 1e3:9.1f} ms; max |rwg(j) difference| "
          f"{d_r:.1e} over {len(common):,} teams")
    verdict = "met" if ratio_r >= 100 else "MISSED"
    print(f"  ratio, R rwg.j / engage.rwg_j    {ratio_r:9.1f}x   (target >= 100x) {verdict}")


if __name__ == "__main__":
    main()
