"""pingouin reference values for Cronbach's alpha (tests/data/reliability_reference_pingouin.json).

Run from the repository root, after tests/data/reliability_reference.R (whose JSON holds the psych data sets):
    python3 tests/data/reliability_reference.py
Writes tests/data/reliability_reference_pingouin.json, read by tests/python/test_reliability.py (the tests do not
need pingouin: CI has no pingouin).

pingouin 0.7.0 is used as a black box: ``pingouin.cronbach_alpha(data, nan_policy=...)`` on each data set under both
policies. Its missing-data convention, established here by comparison of its output with the formulas of
METHODS.md section 3 (the asserts below):
  * ``nan_policy="pairwise"`` (the default): C = pandas DataFrame.cov() (pairwise-complete, pair-specific means,
    divisor n_ij - 1, as R cov(use="pairwise")); alpha = k/(k-1) (1 - tr C / 1'C1).
  * ``nan_policy="listwise"``: alpha from the complete rows only.
  * Under both policies the Feldt interval uses n = every row of the input (rows with missing answers included),
    and pingouin returns it rounded to 3 decimals. For pairwise this is also psych's n; for listwise psych::alpha(x,
    use="complete.obs") does the same, whereas psych::alpha(na.omit(x)) and multilevel::cronbach use the complete
    rows, as engage's missing="listwise" does. So pingouin's listwise interval is engage's
    ``feldt_interval(statistic, n=<all rows>, n_items)``.
The script checks that the unrounded Feldt interval at n = all rows, computed here with scipy, rounds to
pingouin's interval in every case, and that n = complete rows does not in at least one case (the convention is
identifiable from the data). The long-format example of pingouin's docstring (data set "cronbach_alpha") is
stored after pivoting to one column per item (engage takes the wide format).
Numbers are written with Python's shortest round-trip repr, so they read back to exactly the same doubles.
"""

from __future__ import annotations

import datetime
import json
import platform
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pingouin
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent
OUT = HERE / "reliability_reference_pingouin.json"
PSYCH = HERE / "reliability_reference.json"


def feldt(alpha: float, n: int, k: int, level: float = 0.95) -> list[float]:
    g = 1.0 - level
    df1, df2 = n - 1, (n - 1) * (k - 1)
    return [1 - (1 - alpha) * stats.f.ppf(1 - g / 2, df1, df2), 1 - (1 - alpha) * stats.f.ppf(g / 2, df1, df2)]


def alpha_direct(df: pd.DataFrame) -> float:
    c = df.cov().to_numpy()
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def columns(df: pd.DataFrame) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in df[c].to_numpy(dtype=float)] for c in df.columns]


def main() -> None:
    psych = json.loads(PSYCH.read_text(encoding="utf-8"))
    frames: dict[str, pd.DataFrame] = {}
    for case in psych["alpha"]:
        if case["missing"] != "pairwise":
            continue
        frames[case["name"]] = pd.DataFrame(
            {n: [np.nan if v is None else v for v in col] for n, col in zip(case["item_names"], case["columns"])},
            dtype=float,
        )
    frames["cronbach_wide_missing"] = pingouin.read_dataset("cronbach_wide_missing").astype(float)
    long = pingouin.read_dataset("cronbach_alpha")
    frames["cronbach_alpha_long"] = long.pivot(index="Subj", columns="Items", values="Scores").astype(float)
    # Many incomplete rows: the n of the listwise interval is unmistakable.
    rng = np.random.default_rng(20261123)
    latent = rng.normal(size=60)
    sparse = np.clip(np.rint(3 + 0.9 * latent[:, None] + rng.normal(size=(60, 5))), 1, 5)
    sparse[rng.random(sparse.shape) < 0.15] = np.nan
    frames["sparse"] = pd.DataFrame(sparse, columns=[f"q{i}" for i in range(1, 6)])

    cases: list[dict[str, Any]] = []
    distinguishes = False
    for name, df in frames.items():
        n_rows, k = df.shape
        n_complete = int(df.notna().all(axis=1).sum())
        results: dict[str, Any] = {}
        for policy in ("pairwise", "listwise"):
            alpha, ci = pingouin.cronbach_alpha(data=df, nan_policy=policy)
            used = df if policy == "pairwise" else df.dropna()
            assert abs(alpha - alpha_direct(used)) <= 1e-12 * max(1.0, abs(alpha)), (name, policy)
            at_all_rows = feldt(float(alpha), n_rows, k)
            assert np.round(at_all_rows, 3).tolist() == list(ci), (name, policy, at_all_rows, ci)
            if n_complete != n_rows and np.round(feldt(float(alpha), n_complete, k), 3).tolist() != list(ci):
                distinguishes = True
            results[policy] = {
                "alpha": float(alpha),
                "ci_rounded": [float(v) for v in ci],
                "feldt_n": n_rows,
                "feldt_unrounded": at_all_rows,
            }
        cases.append(
            {"name": name, "item_names": [str(c) for c in df.columns], "columns": columns(df), "n_rows": n_rows,
             "n_complete": n_complete, "pingouin": results}
        )
    assert distinguishes, "no case tells n = all rows from n = complete rows"
    docstring = {  # the values printed in pingouin's docstring (METHODS.md section 3)
        "cronbach_wide_missing": {"pairwise": [0.732660835214447, [0.435, 0.909]],
                                  "listwise": [0.8016949152542373, [0.581, 0.933]]},
        "cronbach_alpha_long": {"pairwise": [0.5917188485995826, [0.195, 0.84]]},
    }
    for name, by_policy in docstring.items():
        case = next(c for c in cases if c["name"] == name)
        for policy, (value, ci) in by_policy.items():
            assert abs(case["pingouin"][policy]["alpha"] - value) <= 1e-15, (name, policy)
            assert case["pingouin"][policy]["ci_rounded"] == ci, (name, policy)

    provenance = {
        "script": "tests/data/reliability_reference.py",
        "python_version": platform.python_version(),
        "pingouin_version": pingouin.__version__,
        "pandas_version": pd.__version__,
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "date": datetime.date.today().isoformat(),
        "method": "pingouin.cronbach_alpha(df, nan_policy=p) for p in pairwise, listwise on the psych data sets of "
                  "reliability_reference.json (pairwise cases), pingouin's cronbach_wide_missing and cronbach_alpha "
                  "(long format pivoted to wide) data sets and a seeded sparse case; feldt_unrounded = scipy F "
                  "quantiles at n = all rows, checked to round to pingouin's interval.",
        "conventions": "see the docstring of the script",
    }
    result = {"provenance": provenance, "docstring": docstring, "cases": cases}
    OUT.write_text(json.dumps(result, indent=1, allow_nan=False) + "\n", encoding="utf-8")
    back = json.loads(OUT.read_text(encoding="utf-8"))
    assert back["cases"][0]["pingouin"]["pairwise"]["alpha"] == cases[0]["pingouin"]["pairwise"]["alpha"]
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
