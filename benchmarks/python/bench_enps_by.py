"""engage.enps_by beside what an analyst would otherwise write, on the same data; prints ratios.

    python benchmarks/python/bench_enps_by.py [--rows 10000000] [--groups 100000] [--repeat 3]

Compared, each producing per-team n, promoters, passives, detractors and eNPS (engage also gives the standard
error, the Tango interval and the suppression status):
- pandas: the groupby an analyst would write (boolean columns, one groupby-sum, then arithmetic);
- numpy.bincount: a single counting pass over the same integer codes, the floor for any grouped statistic.
"""

from __future__ import annotations

import argparse
import time
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


def pandas_enps(df: pd.DataFrame) -> pd.DataFrame:
    s = df["enps"]
    tmp = pd.DataFrame({"team": df["team"], "n": s.notna(), "promoters": s >= 9, "passives": (s >= 7) & (s <= 8),
                        "detractors": s <= 6})
    out = tmp.groupby("team").sum()
    out["enps"] = 100 * (out["promoters"] - out["detractors"]) / out["n"]
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--groups", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    rng = np.random.default_rng(1)
    team = rng.integers(0, args.groups, size=args.rows)
    scores = rng.integers(0, 11, size=args.rows).astype(np.float64)
    df = pd.DataFrame({"team": team, "enps": scores})
    codes = team.astype(np.int64)

    # Same answers first: engage's eNPS per team equals the pandas one.
    ours = engage.enps_by(df, score="enps", by="team", min_group_size=1)
    theirs = pandas_enps(df)
    np.testing.assert_allclose(ours["statistic"].to_numpy(), theirs["enps"].to_numpy(), rtol=1e-12)

    t_engage = best_of(lambda: engage.enps_by(df, score="enps", by="team"), args.repeat)
    t_engage_wald = best_of(lambda: engage.enps_by(df, score="enps", by="team", method="wald"), args.repeat)
    t_pandas = best_of(lambda: pandas_enps(df), args.repeat)
    t_bincount = best_of(lambda: np.bincount(codes, minlength=args.groups), args.repeat)

    print(f"rows {args.rows:,}, groups {args.groups:,}, best of {args.repeat}")
    print(f"  engage.enps_by (Tango intervals)   {t_engage * 1e3:9.1f} ms")
    print(f"  engage.enps_by (Wald intervals)    {t_engage_wald * 1e3:9.1f} ms")
    print(f"  pandas groupby (counts, eNPS only) {t_pandas * 1e3:9.1f} ms")
    print(f"  numpy.bincount (one counting pass) {t_bincount * 1e3:9.1f} ms")
    print(f"  pandas / engage      = {t_pandas / t_engage:6.1f}x  (target >= 10x)")
    print(f"  engage / bincount    = {t_engage / t_bincount:6.2f}x  (target <= 3x)")
    print(f"  engage(Wald)/bincount= {t_engage_wald / t_bincount:6.2f}x")


if __name__ == "__main__":
    main()
