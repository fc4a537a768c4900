"""engage.meta_analysis against tests/data/meta_analysis_reference.json (R psychometric 2.3, metafor 3.8, the
formulas in base R, and METHODS.md's psychmeta 2.7.0 values at their printed precision), plus API and bad input."""

from __future__ import annotations

import importlib
import math
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import engage

meta = importlib.import_module("engage.meta_analysis")

REL = 1e-8
HSJ_R = [0.01, 0.14, 0.23, 0.34]
HSJ_N = [68, 68, 68, 68]

# JSON name -> attribute of the result
INTERVALS = {
    "ci_low": ("confidence_interval", 0),
    "ci_high": ("confidence_interval", 1),
    "cr_low": ("credibility_interval", 0),
    "cr_high": ("credibility_interval", 1),
    "ci_rho_low": ("confidence_interval_rho", 0),
    "ci_rho_high": ("confidence_interval_rho", 1),
    "cr_rho_low": ("credibility_interval_rho", 0),
    "cr_rho_high": ("credibility_interval_rho", 1),
}


def value(x: Any) -> float:
    if x is None:
        return math.nan
    if isinstance(x, str):
        return math.inf if x == "inf" else -math.inf
    return float(x)


def summary(m: engage.MetaAnalysisResult, name: str) -> float:
    if name in INTERVALS:
        attr, i = INTERVALS[name]
        return float(getattr(m, attr)[i])
    return float(getattr(m, name))


def close(got: float, expected: float, rel: float = REL) -> bool:
    if math.isnan(expected):
        return math.isnan(got)
    if math.isinf(expected):
        return got == expected
    return abs(got - expected) <= rel * max(1.0, abs(expected))


def run(case: dict[str, Any]) -> engage.MetaAnalysisResult:
    o = case["options"]
    return engage.meta_analysis(
        case["r"],
        case["n"],
        rxx=case["rxx"],
        ryy=case["ryy"],
        ux=case["ux"],
        rxx_restricted=case["rxx_restricted"],
        correct_bias=o["correct_bias"],
        var_unbiased=o["var_unbiased"],
        error_type=o["error_type"],
        conf_method=o["conf_method"],
        cred_method=o["cred_method"],
        confidence_level=o["confidence_level"],
        credibility_level=o["credibility_level"],
    )


@pytest.fixture(scope="module")
def ref(load_reference: Any) -> Any:
    return load_reference("meta_analysis_reference.json")


def test_reference_formulas(ref: Any) -> None:
    assert len(ref["cases"]) >= 14
    for case in ref["cases"]:
        m = run(case)
        frame = m.to_frame()
        for name, v in case["expected"].items():
            assert close(summary(m, name), value(v)), (case["name"], name, summary(m, name), v)
        for name, col in case["studies"].items():
            got = frame[name].to_numpy()
            want = np.array([value(v) for v in col])
            assert np.allclose(got, want, rtol=REL, atol=REL, equal_nan=True), (case["name"], name)


def test_reference_packages(ref: Any) -> None:
    checked = 0
    for case in ref["cases"]:
        m = run(case)
        for oracle in case["oracles"]:
            for name, v in oracle.get("values", {}).items():
                assert close(summary(m, name), value(v)), (case["name"], oracle["source"], name)
                checked += 1
            for name, col in oracle.get("studies", {}).items():
                assert np.allclose(m.to_frame()[name], [value(x) for x in col], rtol=REL, atol=REL)
                checked += len(col)
    assert checked >= 40


def test_published_psychmeta_values_at_their_precision(ref: Any) -> None:
    checked = 0
    for case in ref["cases"]:
        rounded = case.get("rounded")
        if rounded is None:
            continue
        m = run(case)
        for name, v in rounded["values"].items():
            if "decimals" in rounded:
                tol = 0.5 * 10.0 ** -rounded["decimals"]
            else:  # half a unit in the 7th significant digit, R's default print
                tol = 0.5 * 10.0 ** (math.floor(math.log10(abs(v))) - 6)
            got = float(m.to_frame()[name].iloc[0]) if name.startswith("rho") else summary(m, name)
            assert abs(got - v) <= tol, (case["name"], name, got, v)
            checked += 1
    assert checked >= 30


def test_presets_reproduce_reference_conventions(ref: Any) -> None:
    by_name = {c["name"]: c for c in ref["cases"]}
    for preset, case_name in [
        ("classic", "HSJt35 classic"),
        ("psychmeta", "HSJt35 psychmeta defaults"),
        ("hs_override", "HSJt35 psychmeta hs_override"),
    ]:
        case = by_name[case_name]
        m = engage.meta_analysis(case["r"], case["n"], preset=preset)
        assert m.preset == preset
        for name, v in case["expected"].items():
            assert close(summary(m, name), value(v)), (preset, name)
        for key, v in ref["provenance"]["presets"][preset].items():
            assert getattr(m, key) == v
    # no preset = psychmeta's defaults
    default = engage.meta_analysis(HSJ_R, HSJ_N)
    assert default.preset is None
    assert default.mean_r == engage.meta_analysis(HSJ_R, HSJ_N, preset="psychmeta").mean_r


def test_explicit_options_override_the_preset(ref: Any) -> None:
    abh = next(c for c in ref["cases"] if c["name"] == "ABHt32 classic with error_type mean_n")
    m = engage.meta_analysis(abh["r"], abh["n"], preset="classic", error_type="mean_n")
    assert (m.error_type, m.correct_bias, m.conf_method) == ("mean_n", False, "norm")
    assert close(m.var_e, abh["expected"]["var_e"])
    t = engage.meta_analysis(HSJ_R, HSJ_N, preset="classic", cred_method="t")
    assert t.cred_method == "t" and t.conf_method == "norm"
    assert t.credibility_interval.low < engage.meta_analysis(HSJ_R, HSJ_N, preset="classic").credibility_interval.low


def test_correct_bias_both_ways() -> None:
    off = engage.meta_analysis(HSJ_R, HSJ_N, correct_bias=False)
    on = engage.meta_analysis(HSJ_R, HSJ_N, correct_bias=True)
    assert close(off.mean_r, 0.18, 1e-15)
    assert close(on.mean_r, 0.18 * 135 / 134, 1e-14)  # r (2n - 1)/(2n - 2)
    assert np.allclose(on.to_frame()["r_bias_corrected"], np.array(HSJ_R) * 135 / 134)
    assert np.array_equal(on.to_frame()["r"], HSJ_R)


def test_intervals_at_other_levels(ref: Any) -> None:
    base = next(c for c in ref["cases"] if c["name"] == ref["intervals_at"]["case"])
    m = run(base)
    for lv in ref["intervals_at"]["levels"]:
        level = lv["level"]
        for got, want in [
            (m.confidence_interval_at(level), lv["conf_t"]),
            (m.confidence_interval_at(level, "norm"), lv["conf_norm"]),
            (m.credibility_interval_at(level), lv["cred_t"]),
            (m.credibility_interval_at(level, method="norm"), lv["cred_norm"]),
        ]:
            assert isinstance(got, engage.ConfidenceInterval)
            assert close(got.low, want[0]) and close(got.high, want[1])
    # scipy as a second oracle for the t and normal critical values
    q = stats.t.ppf(0.95, m.k - 1)
    ci = m.confidence_interval_at(0.90)
    assert close(ci.low, m.mean_r - q * m.se_mean_r, 1e-12)
    assert close(m.credibility_interval_at(0.80, corrected=True).high, m.credibility_interval_rho.high, 1e-15)
    low, high = m.confidence_interval  # a (low, high) tuple
    assert (low, high) == m.confidence_interval_at(0.95)


def test_study_intervals_are_fisher_z() -> None:
    r = np.array([0.12, -0.3, 0.45])
    n = np.array([40, 120, 25])
    m = engage.meta_analysis(r, n, confidence_level=0.9)
    z = stats.norm.ppf(0.95)
    f = m.to_frame()
    assert np.allclose(f["low"], np.tanh(np.arctanh(r) - z / np.sqrt(n - 3)), rtol=1e-12)
    assert np.allclose(f["high"], np.tanh(np.arctanh(r) + z / np.sqrt(n - 3)), rtol=1e-12)


def test_to_frame_and_summary() -> None:
    r = pd.Series([0.2, 0.35, 0.1], index=pd.Index(["north", "south", "west"], name="region"))
    m = engage.meta_analysis(r, [80, 45, 150], rxx=0.85, ryy=[0.7, 0.75, 0.8], ux=0.8)
    f = m.to_frame()
    assert list(f["study"]) == ["north", "south", "west"]
    assert list(f.columns) == ["study", "r", "n", "r_bias_corrected", "weight", "low", "high", "attenuation", "rho",
                               "weight_rho", "rho_low", "rho_high", "var_e", "var_e_rho"]
    assert np.allclose(f["rho"] * f["attenuation"], f["r_bias_corrected"], rtol=1e-14)
    assert np.allclose(f["weight_rho"], f["n"] * f["attenuation"] ** 2, rtol=1e-14)
    assert ((f["rho_low"] < f["rho"]) & (f["rho"] < f["rho_high"])).all()
    s = m.summary
    assert s.shape[0] == 1
    assert s["credibility_interval_low"].iloc[0] == m.credibility_interval.low
    assert m.corrected and s["corrected"].iloc[0]
    labelled = engage.meta_analysis([0.2, 0.3], [50, 60], labels=["a", "b"])
    assert list(labelled.to_frame()["study"]) == ["a", "b"]
    assert list(engage.meta_analysis([0.2, 0.3], [50, 60]).to_frame()["study"]) == [0, 1]


def test_repr_shows_the_intervals() -> None:
    m = engage.meta_analysis(HSJ_R, HSJ_N, preset="classic")
    text = repr(m)
    assert text.startswith("MetaAnalysisResult(k=4, n_total=272, mean_r=0.18,")
    assert "credibility_interval=(0.146677, 0.213323)" in text
    assert "mean_rho" not in text
    assert "mean_rho" in repr(engage.meta_analysis(HSJ_R, HSJ_N, rxx=0.8))
    assert "<table>" in m._repr_html_() and "credibility_interval" in m._repr_html_()


def test_degenerate_cases_are_flagged() -> None:
    m = engage.meta_analysis([0.3, 0.3, 0.3], [40, 60, 80], preset="classic")
    assert m.var_r == 0.0 and m.pct_var_sampling_error == math.inf
    assert m.var_res_truncated and m.var_res == 0.0
    hot = engage.meta_analysis([0.7, 0.2], [50, 50], rxx=0.5, ryy=0.5)
    assert hot.rho_out_of_range == 1
    tiny = engage.meta_analysis([0.5, 0.2], [3, 30])
    assert math.isnan(tiny.to_frame()["low"].iloc[0])


def test_threads_give_identical_results() -> None:
    # the module declares mod_gil_not_used: concurrent calls must not interfere
    rng = np.random.default_rng(7)
    r = rng.uniform(-0.2, 0.6, 500)
    n = rng.integers(20, 400, 500).astype(float)
    ux = rng.uniform(0.6, 1.0, 500)
    expected = engage.meta_analysis(r, n, rxx=0.8, ux=ux)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: engage.meta_analysis(r, n, rxx=0.8, ux=ux), range(8)))
    assert all(x.mean_rho == expected.mean_rho and x.var_rho == expected.var_rho for x in results)


# ---- bad input -----------------------------------------------------------------------------------------------


def test_too_few_studies() -> None:
    with pytest.raises(engage.InsufficientDataError, match=r"at least 2 studies \(k >= 2\); got k = 1"):
        engage.meta_analysis([0.3], [50])
    with pytest.raises(engage.InsufficientDataError, match="got k = 0"):
        engage.meta_analysis([], [])


def test_missing_values_name_their_index() -> None:
    with pytest.raises(engage.InvalidInputError, match=r"r\[1\] = nan: missing value"):
        engage.meta_analysis([0.1, np.nan, 0.3], [50, 60, 70])
    with pytest.raises(engage.InvalidInputError, match=r"r\[0\] = nan"):
        engage.meta_analysis([np.nan, np.nan], [50, 60])  # all missing
    with pytest.raises(engage.InvalidInputError, match=r"n\[2\] = nan"):
        engage.meta_analysis(pd.Series([0.1, 0.2, 0.3]), pd.array([50, 60, None], dtype="Int64"))
    with pytest.raises(engage.InvalidInputError, match=r"ux\[0\] = nan"):
        engage.meta_analysis([0.1, 0.2], [50, 60], ux=[np.nan, 0.8])


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"r": [0.1, 1.2], "n": [50, 60]}, r"r\[1\] = 1.2: correlations must lie in \[-1, 1\]"),
        ({"r": [0.1, 0.2], "n": [50, 1]}, r"n\[1\] = 1: sample sizes must be finite and greater than 1"),
        ({"r": [0.1, 0.2], "n": [-5, 60]}, r"n\[0\] = -5"),
        ({"r": [0.1, 0.2, 0.3], "n": [50, 60]}, "r has 3 elements but n has 2"),
        ({"r": [0.1, 0.2, 0.3], "n": [50, 60, 70], "rxx": [0.8, 0.9]}, "rxx has 2 elements but r has 3"),
        ({"r": [0.1, 0.2], "n": [50, 60], "rxx": 1.3}, r"rxx\[0\] = 1.3: reliabilities must lie in \(0, 1\]"),
        ({"r": [0.1, 0.2], "n": [50, 60], "ryy": [0.7, 0]}, r"ryy\[1\] = 0: reliabilities"),
        ({"r": [0.1, 0.2], "n": [50, 60], "ux": 0}, r"ux\[0\] = 0: u ratios"),
        ({"r": [0.1, 0.2], "n": [50, 60], "rxx": 0.3, "ux": [1, 1.5]}, r"rxx\[0\] = 0.29999.*\(study 1\)"),
        ({"r": [0.1, 0.2], "n": [50, 60], "confidence_level": 95}, "confidence_level = 95"),
        ({"r": [0.1, 0.2], "n": [50, 60], "credibility_level": 1.0}, "credibility_level = 1"),
        ({"r": [0.1, 0.2], "n": [50, 60], "error_type": "sample"}, "error_type = 'sample': expected one of"),
        ({"r": [0.1, 0.2], "n": [50, 60], "conf_method": "z"}, "conf_method = 'z'"),
        ({"r": [0.1, 0.2], "n": [50, 60], "cred_method": "normal"}, "cred_method = 'normal'"),
        ({"r": [0.1, 0.2], "n": [50, 60], "preset": "metafor"}, "preset = 'metafor'"),
        ({"r": [0.1, 0.2], "n": [50, 60], "labels": ["a"]}, "labels has 1 elements but r has 2"),
        ({"r": [[0.1, 0.2]], "n": [50, 60]}, "r must be one-dimensional"),
    ],
)
def test_invalid_input(kwargs: dict[str, Any], pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        engage.meta_analysis(**kwargs)


def test_wrong_types() -> None:
    with pytest.raises(TypeError, match="r must be numeric"):
        engage.meta_analysis(["a", "b"], [50, 60])
    with pytest.raises(TypeError, match="n must be numeric"):
        engage.meta_analysis([0.1, 0.2], pd.Series(["50", "60"]))
    with pytest.raises(TypeError, match="correct_bias must be True or False"):
        engage.meta_analysis([0.1, 0.2], [50, 60], correct_bias="yes")  # type: ignore[arg-type]
    m = engage.meta_analysis([0.1, 0.2], [50, 60])
    with pytest.raises(ValueError, match="method = 'z'"):
        m.confidence_interval_at(0.9, "z")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="credibility_level = 0"):
        m.credibility_interval_at(0.0)


def test_module_exports() -> None:
    assert meta.__all__ == ["MetaAnalysisResult", "meta_analysis"]
    assert engage.meta_analysis is meta.meta_analysis


# ---- forest plot ---------------------------------------------------------------------------------------------


def test_forest_plot_draws_studies_pooled_mean_and_intervals() -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    m = engage.meta_analysis(HSJ_R, HSJ_N, rxx=0.8, ryy=0.6, labels=["P", "S", "We", "Wo"], preset="classic")
    ax = m.plot(ax=Figure().add_subplot(), title="HSJ table 3.5")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["80% credibility", "pooled (95% CI)", "P", "S", "We", "Wo"]
    assert ax.get_title(loc="left") == "HSJ table 3.5"
    squares = ax.collections[1]  # hlines, then the study squares
    np.testing.assert_allclose(squares.get_offsets()[:, 0], HSJ_R)
    diamond = ax.patches[0].get_xy()
    assert diamond[:, 0].min() == pytest.approx(m.confidence_interval.low)
    assert diamond[:, 0].max() == pytest.approx(m.confidence_interval.high)
    segments = ax.collections[0].get_segments()  # study intervals are the Fisher-z bounds of to_frame()
    np.testing.assert_allclose([s[0][0] for s in segments], m.to_frame()["low"])
    bar = ax.collections[-1].get_segments()[0]
    assert (bar[0][0], bar[1][0]) == pytest.approx(tuple(m.credibility_interval))
    rho = m.plot(ax=Figure().add_subplot(), corrected=True)
    np.testing.assert_allclose(rho.collections[1].get_offsets()[:, 0], m.to_frame()["rho"])
    assert rho.patches[0].get_xy()[:, 0].max() == pytest.approx(m.confidence_interval_rho.high)
    assert "ρ" in rho.get_xlabel()


def test_forest_plot_without_matplotlib_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    m = engage.meta_analysis(HSJ_R, HSJ_N)
    for name in [k for k in sys.modules if k == "matplotlib" or k.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match="need matplotlib.*pip install matplotlib"):
        m.plot()
