"""Independent reference values for the engagement indices (tests/data/engagement_reference.json).

Run from the repository root:   python3 tests/data/engagement_reference.py
Writes tests/data/engagement_reference.json, read by tests/cpp/test_engagement.cpp and
tests/python/test_engagement.py. tests/data/engagement_reference.R cross-checks the linearised standard errors
written here against R's survey package (svyratio and svymean variances).

Everything here is computed person by person with numpy from the definitions in include/engage/engagement.hpp
and METHODS.md section 2 (no engage code is imported). Interval peers:
  * Wilson: statsmodels.stats.proportion.proportion_confint(count, nobs, alpha, method="wilson") with
    nobs = effective n / fpc and count = p * nobs (non-integer counts are accepted and used as is);
  * t: scipy.stats.t.interval(confidence, df = n - 1, loc = statistic, scale = standard error);
  * the finite-population correction is applied by hand: (N - n)/(N - 1) on the variance of proportion indices,
    1 - n/N on the variance of mean indices.
The vendor worked examples of PRODUCT.md section 3.3 are written with their exact values (fractions).
Numbers are written with Python's shortest round-trip repr, so they read back to exactly the same doubles.
"""

from __future__ import annotations

import datetime
import json
import math
import platform
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import scipy
import statsmodels
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

OUT = Path(__file__).resolve().parent / "engagement_reference.json"
LEVELS = (0.95, 0.90)
PROPORTION = {"favourable_items", "favourable_pooled", "favourable_persons", "favourable_all", "top3"}
METHODS = ["favourable_items", "favourable_pooled", "favourable_persons", "favourable_all", "mean_100",
           "person_mean", "grand_mean", "top3"]

# Viva Glint favourability map on the 1..k coding: (highest unfavourable, lowest favourable) by k.
GLINT = {2: (1, 2), 3: (1, 3), 4: (1, 4), 5: (2, 4), 6: (3, 4), 7: (3, 6), 8: (3, 6), 9: (3, 7), 10: (3, 8),
         11: (7, 10)}


def bands(low: int, high: int, override: list[int] | None) -> tuple[int, int]:
    if override is not None:
        return override[0], override[1]
    u, f = GLINT[high - low + 1]
    return low + u - 1, low + f - 1


def prepare(case: dict[str, Any]) -> dict[str, Any]:
    """Scored values (NaN where unscored), answered mask, counts of skips and don't-knows."""
    x = np.array([[np.nan if v is None else v for v in row] for row in case["items"]], dtype=float)
    low, high = case["scale"]
    dk = case.get("dont_know")
    is_dk = np.zeros_like(x, dtype=bool) if dk is None else (x == dk)
    is_missing = np.isnan(x)
    scored = np.where(is_dk, np.nan, x)
    for j in case.get("reverse") or []:
        scored[:, j] = low + high - scored[:, j]
    ok = ~np.isnan(scored)
    assert np.all((scored[ok] >= low) & (scored[ok] <= high) & (scored[ok] == np.round(scored[ok])))
    u, f = bands(low, high, case.get("bands"))
    return {"x": scored, "ok": ok, "low": low, "high": high, "k": high - low + 1, "unfav_max": u, "fav_min": f,
            "missing": int(is_missing.sum()), "dont_know": int(is_dk.sum())}


def ratio_var(y: np.ndarray, a: np.ndarray) -> tuple[float, float]:
    """Ratio sum(y)/sum(a) and its linearised variance sum (y_i - R a_i)^2 / (sum a)^2 (divisor n)."""
    r = y.sum() / a.sum()
    return float(r), float(np.sum((y - r * a) ** 2) / a.sum() ** 2)


def item_average(y: np.ndarray, ok: np.ndarray) -> tuple[float, float, int]:
    """Mean of item ratios over items with answers and sum of squared influences z_i (divisor n)."""
    a = ok.astype(float)
    yv = np.where(ok, y, 0.0)
    A = a.sum(axis=0)
    used = A > 0
    K = int(used.sum())
    r = np.where(used, yv.sum(axis=0) / np.where(used, A, 1), 0.0)
    z = np.zeros(y.shape[0])
    for j in np.flatnonzero(used):
        z += (yv[:, j] - r[j] * a[:, j]) / (K * A[j])
    return float(r[used].mean()), float(np.sum(z ** 2)), K


def index(case: dict[str, Any], spec: dict[str, Any]) -> dict[str, Any]:
    d = prepare(case)
    x, ok, low, high, k = d["x"], d["ok"], d["low"], d["high"], d["k"]
    method = spec["method"]
    n_items = x.shape[1]
    m = spec.get("min_answered") or (n_items if method in ("favourable_persons", "favourable_all") else 1)
    answered = ok.sum(axis=1)
    keep = answered >= max(m, 1)
    x, ok, answered = x[keep], ok[keep], answered[keep].astype(float)
    n = int(keep.sum())
    fav = np.where(ok, x >= d["fav_min"], False)
    proportion = method in PROPORTION
    out: dict[str, Any] = {"n": n, "responses": int(ok.sum()), "missing": d["missing"], "dont_know": d["dont_know"],
                           "excluded": int((~keep).sum()), "items": n_items, "min_answered": int(m)}
    if method in ("favourable_pooled", "top3"):
        hit = fav if method == "favourable_pooled" else np.where(ok, x >= high - 2, False)
        p, var = ratio_var(hit.sum(axis=1).astype(float), answered)
    elif method == "favourable_items":
        p, var, out["items"] = item_average(fav.astype(float), ok)
    elif method in ("favourable_persons", "favourable_all"):
        pm = np.nanmean(x, axis=1)
        c = (pm >= d["fav_min"] - 0.5) if method == "favourable_persons" else (fav.sum(axis=1) == answered)
        p = float(c.mean())
        var = p * (1 - p) / n
    if proportion:
        neff = float(n)
        if method not in ("favourable_persons", "favourable_all") and var > 0 and 0 < p < 1:
            neff = min(p * (1 - p) / var, float(ok.sum()))
        fpc = 1.0
        if spec.get("population_size") is not None:
            N = spec["population_size"]
            fpc = (N - n) / (N - 1)
        out.update(statistic=100 * p, standard_error=100 * math.sqrt(var * fpc), effective_n=neff)
        out["intervals"] = []
        for level in LEVELS:
            nobs = neff / fpc
            lo, hi = proportion_confint(p * nobs, nobs, alpha=1 - level, method="wilson")
            out["intervals"].append({"level": level, "low": 100 * float(lo), "high": 100 * float(hi)})
        return out
    factor = n / (n - 1)
    unit = 1.0
    if method == "mean_100":
        est, var = ratio_var(np.nansum(x - low, axis=1), answered)
        var *= factor
        unit = 100 / (high - low)
        est *= unit
    elif method == "person_mean":
        pm = np.nanmean(x, axis=1)
        est, var = float(pm.mean()), float(pm.var(ddof=1) / n)
    else:  # grand_mean
        est, s2, out["items"] = item_average(np.where(ok, x, 0.0), ok)
        var = s2 * factor
    fpc = 1.0
    if spec.get("population_size") is not None:
        fpc = 1 - n / spec["population_size"]
    se = unit * math.sqrt(var * fpc)
    if spec.get("rescale") is not None:
        a, b = spec["rescale"]
        scale = (b - a) / (high - low)
        est = a + scale * (est - low)
        se *= abs(scale)
    out.update(statistic=float(est), standard_error=se, effective_n=float(n))
    out["intervals"] = []
    for level in LEVELS:
        lo, hi = stats.t.interval(level, df=n - 1, loc=est, scale=se)
        out["intervals"].append({"level": level, "low": float(lo), "high": float(hi)})
    return out


def favourability(case: dict[str, Any]) -> list[dict[str, Any]]:
    d = prepare(case)
    x, ok = d["x"], d["ok"]
    raw = np.array([[np.nan if v is None else v for v in row] for row in case["items"]], dtype=float)
    rows = []
    for j in range(x.shape[1]):
        v = x[ok[:, j], j]
        n = len(v)
        fav, unfav = int((v >= d["fav_min"]).sum()), int((v <= d["unfav_max"]).sum())
        mean = float(v.mean()) if n else None
        m100 = 100 * (mean - d["low"]) / (d["high"] - d["low"]) if n else None
        if n == 0:
            rows.append({"n": 0, "missing": int(np.isnan(raw[:, j]).sum()), "dont_know": 0, "favourable": 0,
                         "neutral": 0, "unfavourable": 0, "pct_favourable": None, "pct_neutral": None,
                         "pct_unfavourable": None, "mean": None, "sd": None, "mean_100": None, "glint_score": None,
                         "counts": [0] * d["k"]})
            continue
        rows.append({
            "n": n, "missing": int(np.isnan(raw[:, j]).sum()),
            "dont_know": 0 if case.get("dont_know") is None else int((raw[:, j] == case["dont_know"]).sum()),
            "favourable": fav, "neutral": n - fav - unfav, "unfavourable": unfav,
            "pct_favourable": 100 * fav / n, "pct_neutral": 100 * (n - fav - unfav) / n,
            "pct_unfavourable": 100 * unfav / n, "mean": mean,
            "sd": float(v.std(ddof=1)) if n > 1 else None, "mean_100": m100,
            "glint_score": round(m100),  # Python round: half to even
            "counts": [int((v == s).sum()) for s in range(d["low"], d["high"] + 1)],
        })
    return rows


def scale_scores(case: dict[str, Any], min_answered: int) -> dict[str, Any]:
    d = prepare(case)
    a = d["ok"].sum(axis=1)
    with np.errstate(all="ignore"):
        s = np.where(a >= min_answered, np.nansum(d["x"], axis=1) / np.maximum(a, 1), np.nan)
    return {"min_answered": min_answered, "scores": [None if math.isnan(v) else float(v) for v in s],
            "answered": a.tolist(), "below_minimum": int((a < min_answered).sum())}


def categories(case: dict[str, Any], basis: str, engaged: float | None, disengaged: float | None,
               min_answered: int) -> dict[str, Any]:
    d = prepare(case)
    x, ok = d["x"], d["ok"]
    a = ok.sum(axis=1)
    if basis == "mean":
        e = d["fav_min"] if engaged is None else engaged
        ad = d["unfav_max"] if disengaged is None else disengaged
        with np.errstate(all="ignore"):
            pm = np.nansum(x, axis=1) / a
        is_e, is_d = pm >= e, pm <= ad
    else:
        e = 1.0 if engaged is None else engaged
        ad = 0.5 if disengaged is None else disengaged
        with np.errstate(all="ignore"):
            is_e = (np.where(ok, x >= d["fav_min"], False).sum(axis=1) / a) >= e
            is_d = (np.where(ok, x <= d["unfav_max"], False).sum(axis=1) / a) >= ad
    cls = np.where(a < min_answered, "unclassified",
                   np.where(is_e, "engaged", np.where(is_d, "actively_disengaged", "not_engaged")))
    counts = {c: int((cls == c).sum()) for c in ("engaged", "not_engaged", "actively_disengaged", "unclassified")}
    n = counts["engaged"] + counts["not_engaged"] + counts["actively_disengaged"]
    return {"basis": basis, "engaged_threshold": e, "actively_disengaged_threshold": ad,
            "rule_engaged": engaged, "rule_actively_disengaged": disengaged, "min_answered": min_answered,
            "categories": cls.tolist(), **counts,
            "pct_engaged": 100 * counts["engaged"] / n, "pct_not_engaged": 100 * counts["not_engaged"] / n,
            "pct_actively_disengaged": 100 * counts["actively_disengaged"] / n,
            "engagement_ratio": counts["engaged"] / counts["actively_disengaged"] if counts["actively_disengaged"]
            else None}


def simulate(rng: np.random.Generator, n: int, k: int, low: int, high: int, p_missing: float,
             p_dk: float, dk: float | None, reverse: tuple[int, ...] = ()) -> list[list[float | None]]:
    """Correlated Likert answers: a person effect plus item noise, rounded onto the scale; the `reverse` columns
    are negatively keyed (asked the other way round), so scoring them reversed restores the correlation."""
    person = rng.normal(0.0, 1.0, size=(n, 1))
    item = rng.normal(0.6, 0.4, size=(1, k))
    z = 0.8 * person + item + rng.normal(0.0, 0.8, size=(n, k))
    mid, half = (low + high) / 2, (high - low) / 2
    x = np.clip(np.round(mid + half * np.tanh(0.6 * z) * 1.2), low, high)
    for j in reverse:
        x[:, j] = low + high - x[:, j]
    u = rng.uniform(size=(n, k))
    out: list[list[float | None]] = []
    for i in range(n):
        row: list[float | None] = []
        for j in range(k):
            if u[i, j] < p_missing:
                row.append(None)
            elif u[i, j] < p_missing + p_dk and dk is not None:
                row.append(dk)
            else:
                row.append(float(x[i, j]))
        out.append(row)
    return out


def main() -> None:
    rng = np.random.default_rng(20240611)
    cases: list[dict[str, Any]] = [
        {"name": "likert5_missing_dontknow_reverse", "scale": [1, 5], "bands": None, "reverse": [1, 4],
         "dont_know": 9, "items": simulate(rng, 60, 6, 1, 5, 0.08, 0.05, 9, (1, 4))},
        {"name": "likert7_missing", "scale": [1, 7], "bands": None, "reverse": [], "dont_know": None,
         "items": simulate(rng, 40, 4, 1, 7, 0.10, 0.0, None)},
        {"name": "scale0_10_dontknow", "scale": [0, 10], "bands": None, "reverse": [2], "dont_know": -1,
         "items": simulate(rng, 30, 3, 0, 10, 0.05, 0.05, -1, (2,))},
        {"name": "likert4_custom_bands", "scale": [1, 4], "bands": [2, 3], "reverse": [], "dont_know": None,
         "items": simulate(rng, 35, 3, 1, 4, 0.05, 0.0, None)},
        {"name": "single_item_complete", "scale": [1, 5], "bands": None, "reverse": [], "dont_know": None,
         "items": simulate(rng, 25, 1, 1, 5, 0.0, 0.0, None)},
    ]
    # A person who skipped everything; an item answered by one person only (so favourable_persons, which needs
    # every item by default, rests on that one person); an item nobody answers (left out of item averages).
    cases[1]["items"][0] = [None] * 4
    for row in cases[3]["items"]:
        row[2] = None
    cases[3]["items"][5][2] = 3.0
    never = {"name": "item_never_answered", "scale": [1, 5], "bands": None, "reverse": [], "dont_know": None,
             "items": simulate(rng, 20, 3, 1, 5, 0.05, 0.0, None),
             "methods": ["favourable_items", "grand_mean", "favourable_pooled", "person_mean", "mean_100"]}
    for row in never["items"]:
        row[1] = None
    cases.append(never)

    for case in cases:
        n_rows = len(case["items"])
        specs: list[dict[str, Any]] = []
        for method in case.get("methods", METHODS):
            if method == "top3" and case["scale"][1] - case["scale"][0] + 1 < 4:
                continue
            specs.append({"method": method})
            specs.append({"method": method, "population_size": n_rows + 40})
        k = len(case["items"][0])
        if k > 2 and "methods" not in case:
            specs.append({"method": "favourable_persons", "min_answered": k - 1})
            specs.append({"method": "favourable_all", "min_answered": k - 2})
            specs.append({"method": "favourable_pooled", "min_answered": k})
            specs.append({"method": "grand_mean", "min_answered": 2})
        specs.append({"method": "person_mean", "rescale": [0, 10]})
        specs.append({"method": "grand_mean", "rescale": [0, 100], "population_size": n_rows + 5})
        case["results"] = [dict(spec, **index(case, spec)) for spec in specs]
        case["favourability"] = favourability(case)
        case["scale_scores"] = [scale_scores(case, 1), scale_scores(case, max(1, k - 1))]
        case["categories"] = [categories(case, "mean", None, None, 1),
                              categories(case, "mean", case["scale"][1] - 0.5, case["scale"][0] + 1.5, max(1, k - 1)),
                              categories(case, "share", None, None, 1),
                              categories(case, "share", 0.6, 0.5, 1)]

    # PRODUCT.md 3.3 worked examples.
    peakon = [[10, 6, 9, 9], [7, 7, 8, 5], [6, 5, None, 4]]
    perceptyx = [
        {"counts": [0, 3, 7, 23, 16], "pct_favourable": 100 * 39 / 49, "mean": 199 / 49,
         "printed": {"pct_favourable": 79.6, "mean": 4.06}},
        {"counts": [2, 11, 31, 92, 62], "pct_favourable": 100 * 154 / 198, "mean": 795 / 198,
         "printed": {"pct_favourable": 77.8, "mean": 4.02}},
    ]
    for p in perceptyx:
        c = p["counts"]
        total = sum(c)
        assert round(p["pct_favourable"], 1) == p["printed"]["pct_favourable"]
        assert round(p["mean"], 2) == p["printed"]["mean"]
        lo, hi = proportion_confint(c[3] + c[4], total, alpha=0.05, method="wilson")
        p["wilson_95"] = [100 * float(lo), 100 * float(hi)]
        values = np.repeat(np.arange(1, 6), c).astype(float)
        se = float(values.std(ddof=1) / math.sqrt(total))
        lo, hi = stats.t.interval(0.95, df=total - 1, loc=values.mean(), scale=se)
        p["mean_se"], p["t_95"] = se, [float(lo), float(hi)]
    # Engagedly: five items whose % favourable are 80, 60, 20, 60, 0 (five persons, 1-5 scale).
    engagedly = [[5, 4, 4, 5, 2], [4, 5, 2, 4, 3], [4, 4, 1, 5, 1], [5, 2, 3, 2, 2], [2, 3, 3, 3, 3]]
    e = np.array(engagedly)
    assert ((e >= 4).mean(axis=0) * 100).tolist() == [80, 60, 20, 60, 0]
    vendor = {
        "peakon": {"items": peakon, "scale": [0, 10], "person_means": [8.5, 6.75, 5.0], "person_mean": 6.75,
                   "item_means": [23 / 3, 6.0, 8.5, 6.0],
                   "grand_mean": float(Fraction(23, 3) / 4 + Fraction(6 + 8.5 + 6) / 4)},
        "lattice": {"counts": {"5": 30, "4": 20, "3": 10, "2": 25, "1": 15}, "non_responders": 50,
                    "statistic": 50.0, "n": 100, "excluded": 50, "with_non_responders_in_denominator": 100 * 50 / 150,
                    "note": "50% = favourable (SA + A = 50) over the 100 responders; non-responders are excluded "
                            "(counting them gives 33.3%). One item, so every favourable method gives 50%; "
                            "Lattice's theme method is favourable_persons (mean >= 3.5)."},
        "perceptyx": perceptyx,
        "engagedly": {"items": engagedly, "scale": [1, 5], "item_pct_favourable": [80, 60, 20, 60, 0],
                      "favourable_items": 44.0},
        "glint_fpc": {"population_size": 1000, "n": 500, "p": 0.5,
                      "standard_error": 100 * math.sqrt(0.25 / 500 * (1000 - 500) / (1000 - 1)),
                      "printed": {"standard_error": 1.58, "margin_95": 3.1}},
    }
    g = vendor["glint_fpc"]
    assert round(g["standard_error"], 2) == 1.58
    assert round(1.959963984540054 * g["standard_error"], 1) == 3.1
    nobs = 500 / ((1000 - 500) / (1000 - 1))
    lo, hi = proportion_confint(0.5 * nobs, nobs, alpha=0.05, method="wilson")
    g["wilson_95"] = [100 * float(lo), 100 * float(hi)]

    provenance = {
        "script": "tests/data/engagement_reference.py",
        "python_version": platform.python_version(),
        "numpy_version": np.__version__,
        "scipy_version": scipy.__version__,
        "statsmodels_version": statsmodels.__version__,
        "date": datetime.date.today().isoformat(),
        "method": "Indices recomputed person by person with numpy from the definitions in engagement.hpp "
                  "(ratio and item-average linearised variances with persons as clusters, divisor n for "
                  "proportion indices, n/(n-1) for mean indices). Wilson intervals from statsmodels "
                  "proportion_confint(method='wilson') with nobs = effective_n / fpc; t intervals from "
                  "scipy.stats.t.interval with n - 1 df; FPC by hand ((N-n)/(N-1) for proportions, 1-n/N for "
                  "means). Standard errors cross-checked against R survey by engagement_reference.R.",
    }
    result = {"provenance": provenance, "levels": list(LEVELS), "cases": cases, "vendor": vendor}
    text = json.dumps(result, indent=1, allow_nan=False)
    OUT.write_text(text + "\n", encoding="utf-8")
    back = json.loads(OUT.read_text(encoding="utf-8"))
    assert back["cases"][0]["results"][0]["standard_error"] == cases[0]["results"][0]["standard_error"]
    print(f"wrote {OUT.relative_to(Path.cwd()) if OUT.is_relative_to(Path.cwd()) else OUT}")


if __name__ == "__main__":
    main()
