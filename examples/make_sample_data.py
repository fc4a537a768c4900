"""Write the sample CSVs in examples/data from engage's synthetic organisation (default arguments).

    python examples/make_sample_data.py            # writes examples/data/{survey,hris,customers}.csv
    python examples/make_sample_data.py --out DIR  # somewhere else

The data are synthetic, with known planted effects (see ``engage.datasets.synthetic_organisation``): about
3000 employees in 100 teams, two survey waves (2024-02-15 and 2024-08-15), exits observed for two years and
eight quarters of team customer outcomes. The generator is deterministic, so rerunning this script reproduces
the files byte for byte.

CSV conventions: empty cells are missing (skipped questions, no exit date); item answers are whole numbers,
with 9 for "don't know / does not apply"; dates are ISO ``YYYY-MM-DD``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from engage.datasets import ITEMS, synthetic_organisation


def _whole_numbers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Integer-valued float columns as nullable integers, so the CSV reads "4" rather than "4.0"."""
    return frame.astype({c: "Int64" for c in columns})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)

    org = synthetic_organisation()
    survey = _whole_numbers(org.survey, ["enps", *ITEMS, "intent_to_stay"])
    survey.to_csv(args.out / "survey.csv", index=False, lineterminator="\n")
    hris = org.hris.assign(
        hire_date=org.hris["hire_date"].dt.strftime("%Y-%m-%d"),
        exit_date=org.hris["exit_date"].dt.strftime("%Y-%m-%d"),
    )
    hris.to_csv(args.out / "hris.csv", index=False, lineterminator="\n")
    # 10 significant digits: csat_mean and customer_nps are ratios of counts, exact far beyond that.
    org.customers.to_csv(args.out / "customers.csv", index=False, float_format="%.10g", lineterminator="\n")
    for name, frame in (("survey", survey), ("hris", hris), ("customers", org.customers)):
        print(f"{args.out / (name + '.csv')}: {len(frame)} rows")


if __name__ == "__main__":
    main()
