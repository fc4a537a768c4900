"""Python oracles for correlations: cross-checks tests/data/correlation_reference.json (R) against scipy and
pingouin, and writes tests/data/correlation_reference_scipy.json with cases R does not cover.

    python3 tests/data/correlation_reference.py        (run after Rscript tests/data/correlation_reference.R)

Checks (assertions, relative tolerance 1e-10 where the conventions agree):
  * scipy.stats.pearsonr statistic, p-value and Fisher interval (two-sided and one-sided) == R cor.test;
  * scipy.stats.spearmanr == R cor.test(method="spearman", exact=FALSE) (both use the t approximation);
  * scipy.stats.kendalltau(method="asymptotic") == R cor.test(method="kendall", exact=FALSE) (tie-corrected
    variance, no continuity correction). scipy's default method="auto" would use the exact null distribution
    for n <= 33 without ties, so the asymptotic method is named explicitly;
  * pingouin.partial_corr (Pearson and Spearman) == the R residual route for r and p; pingouin's CI95 column is
    rounded to 2 decimals (compared at 0.005).

Writes:
  * "kendall_ties": two sets of 3000 Likert-type pairs with heavy ties (numpy default_rng(7), a strong and
    default_rng(8), a weak association) and scipy's tau_b with its asymptotic p-values for the three
    alternatives, plus the Spearman and Pearson values;
  * "partial_pingouin": pingouin.partial_corr (Pearson and Spearman, two-sided and greater) on 60 random rows
    (numpy default_rng(5)) with missing values: n, r, p and its CI95 (rounded by pingouin to 2 decimals);
  * "bootstrap": scipy.stats.bootstrap(paired=True) percentile and BCa intervals (9999 resamples, rng 12345) for
    Pearson, Spearman and Kendall on attitude rating ~ complaints. engage draws different resamples (its
    xoshiro256** streams), so these are Monte Carlo targets (agreement within ~0.01), not exact values.
"""

from __future__ import annotations

import datetime
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin
import scipy
from scipy import stats

HERE = Path(__file__).resolve().parent
ALTS = ("two-sided", "less", "greater")


def close(a: float, b: float, rel: float = 1e-10, what: str = "") -> None:
    assert abs(a - b) <= rel * max(1.0, abs(b)), (what, a, b)


def arr(v: list) -> np.ndarray:
    return np.array([np.nan if x is None else x for x in v], dtype=float)


def check_r_reference(ref: dict) -> int:
    checked = 0
    for case in ref["cases"]:
        x, y = arr(case["x"]), arr(case["y"])
        ok = ~(np.isnan(x) | np.isnan(y))
        x, y = x[ok], y[ok]
        for t in case["tests"]:
            alt = t["alternative"]
            p = stats.pearsonr(x, y, alternative=alt)
            close(p.statistic, t["pearson"]["statistic"], what="pearson r")
            close(p.pvalue, t["pearson"]["pvalue"], what="pearson p")
            for iv in t["intervals"]:
                ci = p.confidence_interval(iv["level"])
                close(ci.low, iv["pearson_fisher"][0], what="pearson ci")
                close(ci.high, iv["pearson_fisher"][1], what="pearson ci")
            s = stats.spearmanr(x, y, alternative=alt)
            close(s.statistic, t["spearman"]["statistic"], what="spearman")
            close(s.pvalue, t["spearman"]["pvalue"], what=f"spearman p {case['name']} {alt}")
            k = stats.kendalltau(x, y, alternative=alt, method="asymptotic")
            close(k.statistic, t["kendall"]["statistic"], what="kendall")
            close(k.pvalue, t["kendall"]["pvalue"], what=f"kendall p {case['name']} {alt}")
            checked += 1
    for case in ref["partial"]:
        cols = {"x": arr(case["x"]), "y": arr(case["y"])}
        covar = []
        for j, z in enumerate(case["covariates"]):
            cols[f"z{j}"] = arr(z)
            covar.append(f"z{j}")
        df = pd.DataFrame(cols)
        for t in case["tests"]:
            for method in ("pearson", "spearman"):
                res = pingouin.partial_corr(df, x="x", y="y", covar=covar, method=method, alternative=t["alternative"])
                exp = t[method]
                assert int(res["n"].iloc[0]) == case["n"]
                close(float(res["r"].iloc[0]), exp["statistic"], 1e-10, "partial r")
                close(float(res["p_val"].iloc[0]), exp["pvalue"], 1e-9, "partial p")
                lo, hi = res["CI95"].iloc[0]
                ci = exp["intervals"][0]["fisher"]
                assert abs(lo - ci[0]) <= 0.005 and abs(hi - ci[1]) <= 0.005, (lo, hi, ci)  # printed to 2 decimals
                checked += 1
    return checked


def kendall_ties(slope: float, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    n = 3000
    x = rng.integers(1, 6, n).astype(float)
    y = np.clip(np.round(slope * x + rng.normal(0, 1.2, n)), 1, 7)
    out: dict = {"slope": slope, "seed": seed, "x": x.tolist(), "y": y.tolist(), "n": n, "tests": []}
    for alt in ALTS:
        k = stats.kendalltau(x, y, alternative=alt, method="asymptotic")
        s = stats.spearmanr(x, y, alternative=alt)
        p = stats.pearsonr(x, y, alternative=alt)
        out["tests"].append(
            {
                "alternative": alt,
                "kendall": {"statistic": float(k.statistic), "pvalue": float(k.pvalue)},
                "spearman": {"statistic": float(s.statistic), "pvalue": float(s.pvalue)},
                "pearson": {"statistic": float(p.statistic), "pvalue": float(p.pvalue)},
            }
        )
    return out


def bootstrap(ref: dict) -> dict:
    att = ref["cases"][0]
    x, y = arr(att["x"]), arr(att["y"])
    stats_fn = {
        "pearson": lambda a, b, axis=-1: stats.pearsonr(a, b, axis=axis).statistic,
        "spearman": lambda a, b: stats.spearmanr(a, b).statistic,
        "kendall": lambda a, b: stats.kendalltau(a, b).statistic,
    }
    out: dict = {"data": att["name"], "n_resamples": 9999, "rng": 12345, "confidence_level": 0.95, "methods": {}}
    for name, fn in stats_fn.items():
        row = {}
        for method, key in (("percentile", "percentile"), ("BCa", "bca")):
            res = stats.bootstrap(
                (x, y), fn, paired=True, vectorized=name == "pearson", n_resamples=9999, method=method,
                rng=np.random.default_rng(12345),
            )
            row[key] = [float(res.confidence_interval.low), float(res.confidence_interval.high)]
            row["standard_error"] = float(res.standard_error)
        out["methods"][name] = row
    return out


def partial_pingouin() -> list[dict]:
    """pingouin.partial_corr on random data with missing values in x's covariate and in y (rows with any missing
    value are dropped by pingouin): r, p and the rounded CI95, for both methods and two alternatives."""
    rng = np.random.default_rng(5)
    n = 60
    df = pd.DataFrame(rng.normal(size=(n, 4)), columns=["x", "y", "a", "b"])
    df["y"] += 0.5 * df["x"] + df["a"]
    df.loc[[3, 9], "a"] = np.nan
    df.loc[14, "y"] = np.nan
    data = {c: [None if math.isnan(v) else float(v) for v in df[c]] for c in df.columns}
    cases = []
    for method in ("pearson", "spearman"):
        for alt in ("two-sided", "greater"):
            res = pingouin.partial_corr(df, x="x", y="y", covar=["a", "b"], method=method, alternative=alt)
            low, high = res["CI95"].iloc[0]
            cases.append({"method": method, "alternative": alt, "n": int(res["n"].iloc[0]),
                          "r": float(res["r"].iloc[0]), "pvalue": float(res["p_val"].iloc[0]),
                          "ci95_rounded": [float(low), float(high)]})
    return [{"data": data, "covariates": ["a", "b"], "cases": cases}]


def main() -> None:
    ref = json.loads((HERE / "correlation_reference.json").read_text(encoding="utf-8"))
    checked = check_r_reference(ref)
    print(f"scipy {scipy.__version__}, pingouin {pingouin.__version__}: {checked} R reference tests agree")
    result = {
        "provenance": {
            "script": "tests/data/correlation_reference.py",
            "scipy_version": scipy.__version__,
            "pingouin_version": pingouin.__version__,
            "numpy_version": np.__version__,
            "date": datetime.date.today().isoformat(),
            "method": "scipy.stats.kendalltau(method='asymptotic'), spearmanr, pearsonr; "
            "scipy.stats.bootstrap(paired=True, method='percentile'/'BCa', n_resamples=9999, "
            "rng=np.random.default_rng(12345)) on attitude rating ~ complaints",
        },
        "kendall_ties": [kendall_ties(0.6, 7), kendall_ties(0.05, 8)],
        "bootstrap": bootstrap(ref),
        "partial_pingouin": partial_pingouin(),
    }
    # json writes floats with repr(), the shortest string that round-trips.
    text = json.dumps(result, indent=1, allow_nan=False)
    (HERE / "correlation_reference_scipy.json").write_text(text + "\n", encoding="utf-8")
    back = json.loads(text)
    assert back["kendall_ties"][1]["tests"][0]["kendall"]["pvalue"] == result["kendall_ties"][1]["tests"][0]["kendall"]["pvalue"]
    assert all(math.isfinite(v) for v in back["bootstrap"]["methods"]["pearson"]["bca"])
    print("wrote tests/data/correlation_reference_scipy.json")


if __name__ == "__main__":
    main()
