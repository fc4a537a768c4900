"""The release engine inside the report: time of the joint suppression and of the audit, as a share of the report.

    python benchmarks/python/bench_release.py [--employees 100000] [--teams 2000]

Two runs: the report on the bundled sample organisation, and on a synthetic company (``--employees``,
``--teams``, two waves) whose release also carries five breakdowns of each wave (department, location, tenure
band, department x tenure band, location x team). Printed per run: the report's time, the time the engine spent
deciding its tables jointly (``Release.seconds``), the exact audit's time (``engage.audit``), their share of the
whole, and the cells shown beside table-by-table suppression (``Release.utility``).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

import engage
from engage.report import build_report

DATA = Path(__file__).resolve().parents[2] / "examples" / "data"
BREAKDOWNS = ["department", "location", "tenure_band", ["department", "tenure_band"], ["location", "team"]]


def run(name: str, survey: pd.DataFrame, extra: bool) -> None:
    out: list[engage.Release] = []
    t0 = time.perf_counter()
    build_report(survey, release_out=out)
    release = out[0]
    if extra:
        s = survey.reset_index(drop=True)
        for w in sorted(s["wave"].unique()):
            for by in BREAKDOWNS:
                engage.enps_by(s[s["wave"] == w], by=by, release=release)
    report = time.perf_counter() - t0
    t1 = time.perf_counter()
    findings = engage.audit(release)
    audit = time.perf_counter() - t1
    u = release.utility()
    joint = release.seconds
    print(f"{name}: {len(survey):,} responses, {len(u)} tables, {u['cells'].sum():,} cells")
    print(f"  report (with its release) {report:7.2f} s")
    print(f"  joint suppression         {joint:7.2f} s  ({100 * joint / report:.1f}% of the report)")
    print(f"  exact audit               {audit:7.2f} s  ({len(findings)} findings)")
    print(f"  suppression + audit       {joint + audit:7.2f} s  ({100 * (joint + audit) / (report + audit):.1f}% of "
          "report + audit)")
    print(f"  cells shown               {u['shown'].sum():,} of {u['shown_alone'].sum():,} shown table by table "
          f"({100 * u['shown'].sum() / u['shown_alone'].sum():.1f}%)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--employees", type=int, default=100_000)
    ap.add_argument("--teams", type=int, default=2_000)
    args = ap.parse_args()
    run("sample organisation", pd.read_csv(DATA / "survey.csv"), extra=False)
    org = engage.datasets.synthetic_organisation(n_employees=args.employees, n_teams=args.teams, seed=7)
    run(f"synthetic company ({args.employees:,} employees, {args.teams:,} teams)", org.survey, extra=True)


if __name__ == "__main__":
    main()
