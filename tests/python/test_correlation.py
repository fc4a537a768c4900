"""Correlation: R and scipy/pingouin reference values, Kendall with ties and speed, the paired bootstrap,
corrections for attenuation and range restriction, and bad input."""

from __future__ import annotations

import concurrent.futures
import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import engage
from engage.correlation import CorrelationBootstrap
from engage.warnings import DegenerateDataWarning

REL = 1e-8


def _arr(values: list) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _approx(expected: float, rel: float = REL) -> object:
    return pytest.approx(expected, rel=rel, abs=rel)


@pytest.fixture(scope="module")
def ref(load_reference) -> dict:
    return load_reference("correlation_reference.json")


@pytest.fixture(scope="module")
def scipy_ref(load_reference) -> dict:
    return load_reference("correlation_reference_scipy.json")


@pytest.fixture(scope="module")
def attitude(ref) -> tuple[np.ndarray, np.ndarray]:
    case = ref["cases"][0]
    return _arr(case["x"]), _arr(case["y"])


# ---------------------------------------------------------------------------------------------------------------
# Reference values
# ---------------------------------------------------------------------------------------------------------------


def test_matches_r_cor_test(ref: dict) -> None:
    for case in ref["cases"]:
        x, y = _arr(case["x"]), _arr(case["y"])
        for t in case["tests"]:
            alt = t["alternative"]
            for method in ("pearson", "spearman", "kendall"):
                r = engage.correlation(x, y, method=method, alternative=alt)
                exp = t[method]
                assert (r.n, r.missing) == (case["n"], case["missing"])
                assert r.statistic == _approx(exp["statistic"]), (case["name"], method)
                assert r.pvalue == pytest.approx(exp["pvalue"], rel=REL, abs=1e-300), (case["name"], method, alt)
                if method == "kendall":
                    assert r.test_statistic == _approx(exp["z"])
                    assert math.isnan(r.df)
                else:
                    assert r.test_statistic == _approx(exp["t"])
                    assert r.df == case["n"] - 2
            p = engage.correlation(x, y, alternative=alt)
            s = engage.correlation(x, y, "spearman", alt)
            k = engage.correlation(x, y, "kendall", alt)
            for iv in t["intervals"]:
                lv = iv["level"]
                assert p.confidence_interval(lv) == pytest.approx(iv["pearson_fisher"], rel=REL)
                assert p.confidence_interval(lv, "fisher") == pytest.approx(iv["pearson_fisher"], rel=REL)
                assert s.confidence_interval(lv) == pytest.approx(iv["spearman_bonett_wright"], rel=REL)
                assert s.confidence_interval(lv, "bonett-wright") == pytest.approx(iv["spearman_bonett_wright"], rel=REL)
                assert s.confidence_interval(lv, "fieller") == pytest.approx(iv["spearman_fieller"], rel=REL)
                assert k.confidence_interval(lv) == pytest.approx(iv["kendall_fieller"], rel=REL)


def test_methods_md_golden_values(attitude: tuple[np.ndarray, np.ndarray], ref: dict) -> None:
    """METHODS.md section 5 [REF] (given there to 8 significant digits)."""
    x, y = attitude
    r = engage.correlation(x, y)
    assert r.statistic == pytest.approx(0.82541757, abs=5e-9)
    assert r.test_statistic == pytest.approx(7.7369777, abs=5e-8)
    assert r.pvalue == pytest.approx(1.9876822e-08, abs=5e-16)
    assert r.confidence_interval() == pytest.approx((0.66201277, 0.91391389), abs=5e-9)
    s = engage.correlation(x, y, method="spearman")
    assert s.statistic == pytest.approx(0.83220056, abs=5e-9)
    assert s.confidence_interval() == pytest.approx((0.63965815, 0.92647469), abs=5e-9)
    assert engage.correlation(x, y, method="kendall").statistic == pytest.approx(0.65497121, abs=5e-9)
    pc = ref["partial"][0]
    learning = _arr(pc["covariates"][0])
    assert engage.partial_correlation(x, y, learning).statistic == pytest.approx(0.7225924, abs=5e-8)


@pytest.mark.parametrize("alternative", ["two-sided", "less", "greater"])
def test_matches_scipy_directly(alternative: str) -> None:
    rng = np.random.default_rng(11)
    for n in (5, 12, 40, 333):
        x = rng.normal(size=n)
        y = 0.3 * x + rng.normal(size=n)
        yi = np.round(y * 2)  # ties for the rank methods
        p = engage.correlation(x, y, alternative=alternative)
        sp = stats.pearsonr(x, y, alternative=alternative)
        assert p.statistic == _approx(sp.statistic, 1e-12)
        assert p.pvalue == _approx(sp.pvalue, 1e-10)
        for level in (0.95, 0.8):
            assert p.confidence_interval(level) == pytest.approx(tuple(sp.confidence_interval(level)), rel=1e-12)
        s = engage.correlation(x, yi, "spearman", alternative)
        ss = stats.spearmanr(x, yi, alternative=alternative)
        assert s.statistic == _approx(ss.statistic, 1e-12)
        assert s.pvalue == _approx(ss.pvalue, 1e-10)
        k = engage.correlation(x, yi, "kendall", alternative)
        sk = stats.kendalltau(x, yi, alternative=alternative, method="asymptotic")
        assert k.statistic == _approx(sk.statistic, 1e-12)
        assert k.pvalue == _approx(sk.pvalue, 1e-10)


def test_partial_matches_r_and_pingouin(ref: dict) -> None:
    for case in ref["partial"]:
        x, y = _arr(case["x"]), _arr(case["y"])
        z = np.column_stack([_arr(c) for c in case["covariates"]])
        for t in case["tests"]:
            for method in ("pearson", "spearman"):
                r = engage.partial_correlation(x, y, z, method=method, alternative=t["alternative"])
                exp = t[method]
                assert (r.n, r.missing, r.covariates) == (case["n"], case["missing"], case["k"])
                assert r.statistic == _approx(exp["statistic"])
                assert r.test_statistic == _approx(exp["t"])
                assert r.df == exp["df"]
                assert r.pvalue == pytest.approx(exp["pvalue"], rel=REL)
                for iv in exp["intervals"]:
                    assert r.confidence_interval(iv["level"]) == pytest.approx(iv["fisher"], rel=REL)


def test_partial_matches_pingouin_on_random_data(scipy_ref: dict) -> None:
    """pingouin 0.7.0 partial_corr (tests/data/correlation_reference.py; pingouin is not needed here)."""
    block = scipy_ref["partial_pingouin"][0]
    df = pd.DataFrame({c: np.array([np.nan if v is None else v for v in vals]) for c, vals in block["data"].items()})
    assert len(block["cases"]) == 4
    for case in block["cases"]:
        r = engage.partial_correlation(df["x"], df["y"], df[block["covariates"]], method=case["method"],
                                       alternative=case["alternative"])
        assert r.n == case["n"] and r.missing == 3
        assert r.statistic == pytest.approx(case["r"], rel=1e-10)
        assert r.pvalue == pytest.approx(case["pvalue"], rel=1e-9)
        low, high = case["ci95_rounded"]  # pingouin rounds to 2 decimals
        ci = r.confidence_interval()
        assert ci.low == pytest.approx(low, abs=0.005) and ci.high == pytest.approx(high, abs=0.005)


def test_partial_accepts_1d_series_and_dataframe(ref: dict) -> None:
    pc = ref["partial"][1]
    x, y = _arr(pc["x"]), _arr(pc["y"])
    cols = {name: _arr(c) for name, c in zip(["learning", "raises", "critical"], pc["covariates"])}
    frame = pd.DataFrame(cols)
    a = engage.partial_correlation(x, y, frame)
    b = engage.partial_correlation(x, y, frame.to_numpy())
    c = engage.partial_correlation(pd.Series(x), pd.Series(y), frame)
    assert a.statistic == b.statistic == c.statistic
    one = engage.partial_correlation(x, y, frame["learning"])
    assert one.statistic == engage.partial_correlation(x, y, cols["learning"].tolist()).statistic
    assert one.covariates == 1


# ---------------------------------------------------------------------------------------------------------------
# Kendall
# ---------------------------------------------------------------------------------------------------------------


def test_kendall_heavy_ties_match_scipy(scipy_ref: dict) -> None:
    for case in scipy_ref["kendall_ties"]:
        x, y = _arr(case["x"]), _arr(case["y"])
        for t in case["tests"]:
            for method in ("kendall", "spearman", "pearson"):
                r = engage.correlation(x, y, method=method, alternative=t["alternative"])
                assert r.statistic == _approx(t[method]["statistic"])
                assert r.pvalue == pytest.approx(t[method]["pvalue"], rel=REL, abs=1e-300)


def test_kendall_against_naive_count() -> None:
    rng = np.random.default_rng(2)
    for rep in range(30):
        n = 4 + rep
        x = rng.integers(0, 4, n).astype(float)
        y = rng.integers(0, 3, n).astype(float) + (x if rep % 2 else 0)
        if len(set(x)) < 2 or len(set(y)) < 2:
            continue
        i, j = np.triu_indices(n, 1)
        s = np.sum(np.sign(x[i] - x[j]) * np.sign(y[i] - y[j]))
        n0 = n * (n - 1) / 2
        n1 = np.sum(x[i] == x[j])
        n2 = np.sum(y[i] == y[j])
        assert engage.correlation(x, y, method="kendall").statistic == pytest.approx(s / math.sqrt((n0 - n1) * (n0 - n2)), abs=1e-14)


def test_kendall_million_pairs_matches_scipy() -> None:
    """10^6 pairs with heavy ties: tau_b and the asymptotic p-value equal scipy's (speed is in benchmarks/)."""
    rng = np.random.default_rng(0)
    n = 1_000_000
    x = rng.integers(0, 1000, n).astype(float)
    y = x + rng.integers(0, 500, n)
    r = engage.correlation(x, y, method="kendall")
    exp = stats.kendalltau(x, y, method="asymptotic")
    assert r.statistic == _approx(exp.statistic, 1e-10)
    assert r.pvalue == exp.pvalue == 0.0
    small = engage.correlation(x[:5000], -y[:5000] + 3 * x[:5000], method="kendall", alternative="less")
    exp = stats.kendalltau(x[:5000], -y[:5000] + 3 * x[:5000], method="asymptotic", alternative="less")
    assert small.statistic == _approx(exp.statistic, 1e-10)
    assert small.pvalue == _approx(exp.pvalue, 1e-9)


# ---------------------------------------------------------------------------------------------------------------
# Bootstrap
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
def test_bootstrap_agrees_with_scipy_within_monte_carlo_error(
    attitude: tuple[np.ndarray, np.ndarray], scipy_ref: dict, method: str
) -> None:
    x, y = attitude
    exp = scipy_ref["bootstrap"]["methods"][method]
    r = engage.correlation(x, y, method=method)
    tol = 0.01 if method == "pearson" else 0.02
    for ci_method, key in (("bootstrap-percentile", "percentile"), ("bca", "bca")):
        b = r.bootstrap(method=ci_method)  # type: ignore[arg-type]
        assert isinstance(b, CorrelationBootstrap)
        assert not b.degenerate and b.dropped == 0 and b.n_resamples == 9999
        assert b.low == pytest.approx(exp[key][0], abs=tol)
        assert b.high == pytest.approx(exp[key][1], abs=tol)
        assert b.standard_error == pytest.approx(exp["standard_error"], rel=0.1)
        assert b.bootstrap_distribution.shape == (9999,)
        assert r.confidence_interval(method=ci_method) == (b.low, b.high)


@pytest.mark.parametrize("method", ["pearson", "spearman", "kendall"])
@pytest.mark.parametrize("alternative", ["two-sided", "greater"])
def test_bca_is_scipys_formula_on_engages_resamples(
    attitude: tuple[np.ndarray, np.ndarray], method: str, alternative: str
) -> None:
    """Exact check of the BCa step (METHODS.md section 5; scipy.stats.bootstrap's conventions): on engage's own
    resampled statistics, z0 = Phi^-1(#{theta* < theta_hat}/B), a from the jackknife, levels
    Phi(z0 + (z0 + z_alpha)/(1 - a (z0 + z_alpha))) and linear (type 7) percentiles give the interval."""
    x, y = attitude
    level = 0.9
    r = engage.correlation(x, y, method=method, alternative=alternative)
    b = r.bootstrap(level, n_resamples=3000, seed=8)
    d = b.bootstrap_distribution
    assert not np.isnan(d).any()
    fn = {"pearson": stats.pearsonr, "spearman": stats.spearmanr, "kendall": stats.kendalltau}[method]
    z0 = stats.norm.ppf(np.mean(d < r.statistic))
    keep = ~np.eye(len(x), dtype=bool)
    jack = np.array([fn(x[k], y[k]).statistic for k in keep])
    dev = jack.mean() - jack
    a = np.sum(dev**3) / (6 * np.sum(dev**2) ** 1.5)
    assert b.bias_correction == pytest.approx(z0, rel=1e-12, abs=1e-15)
    assert b.acceleration == pytest.approx(a, rel=1e-9)

    def level_of(alpha: float) -> float:
        za = stats.norm.ppf(alpha)
        return float(stats.norm.cdf(z0 + (z0 + za) / (1 - a * (z0 + za))))

    if alternative == "two-sided":
        expected = np.percentile(d, [100 * level_of(0.05), 100 * level_of(0.95)])
    else:
        expected = [np.percentile(d, 100 * level_of(0.10)), 1.0]
    assert (b.low, b.high) == pytest.approx(tuple(expected), rel=1e-10)
    pct = r.bootstrap(level, "bootstrap-percentile", n_resamples=3000, seed=8)
    np.testing.assert_array_equal(pct.bootstrap_distribution, d)  # same resamples for both methods
    tails = [5, 95] if alternative == "two-sided" else [10]
    assert np.percentile(d, tails)[0] == pytest.approx(pct.low, rel=1e-12)


def test_bootstrap_bca_vs_r_boot(attitude: tuple[np.ndarray, np.ndarray], ref: dict) -> None:
    """R's boot.ci BCa (regression acceleration, other resamples) is close but not equal."""
    x, y = attitude
    b = engage.correlation(x, y).bootstrap()
    assert b.low == pytest.approx(ref["bootstrap"]["bca"][0], abs=0.015)
    assert b.high == pytest.approx(ref["bootstrap"]["bca"][1], abs=0.015)
    assert not math.isnan(b.acceleration) and not math.isnan(b.bias_correction)
    pct = engage.correlation(x, y).bootstrap(method="bootstrap-percentile")
    assert math.isnan(pct.acceleration) and math.isnan(pct.bias_correction)


def test_bootstrap_is_deterministic_and_seeded(attitude: tuple[np.ndarray, np.ndarray]) -> None:
    x, y = attitude
    r = engage.correlation(x, y, method="kendall")
    a = r.bootstrap(n_resamples=999, seed=3)
    b = r.bootstrap(n_resamples=999, seed=3)
    c = r.bootstrap(n_resamples=999, seed=4)
    np.testing.assert_array_equal(a.bootstrap_distribution, b.bootstrap_distribution)
    assert (a.low, a.high) == (b.low, b.high)
    assert (a.low, a.high) != (c.low, c.high)


def test_bootstrap_one_sided_and_partial(ref: dict) -> None:
    pc = ref["partial"][0]
    x, y, z = _arr(pc["x"]), _arr(pc["y"]), _arr(pc["covariates"][0])
    greater = engage.partial_correlation(x, y, z, alternative="greater")
    two = engage.partial_correlation(x, y, z)
    g = greater.confidence_interval(0.95, "bootstrap-percentile", n_resamples=1999)
    t = two.confidence_interval(0.90, "bootstrap-percentile", n_resamples=1999)
    assert g.high == 1.0 and g.low == pytest.approx(t.low, abs=1e-12)
    fisher = greater.confidence_interval()
    assert fisher.high == 1.0 and fisher.low < greater.statistic
    bca = two.bootstrap(n_resamples=1999)
    assert bca.low < two.statistic < bca.high


def test_degenerate_bootstrap_warns_and_returns_nan() -> None:
    r = engage.correlation([1, 2, 3, 4, 5, 6], [3, 5, 7, 9, 11, 13])
    with pytest.warns(DegenerateDataWarning, match="degenerate"):
        ci = r.confidence_interval(method="bca", n_resamples=500)
    assert math.isnan(ci.low) and math.isnan(ci.high)
    with pytest.warns(DegenerateDataWarning):
        b = r.bootstrap(n_resamples=500)
    assert b.degenerate and "degenerate" in b.reason


def test_dropped_resamples_are_counted_and_warned() -> None:
    x = [1, 1, 1, 1, 1, 1, 1, 2]
    y = [1, 2, 3, 4, 5, 6, 7, 8]
    r = engage.correlation(x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = r.bootstrap(method="bootstrap-percentile", n_resamples=500)  # counted, no warning
    assert 100 < b.dropped < 500
    assert int(np.isnan(b.bootstrap_distribution).sum()) == b.dropped
    with pytest.warns(DegenerateDataWarning, match="were dropped"):
        r.confidence_interval(method="bootstrap-percentile", n_resamples=500)
    with pytest.warns(DegenerateDataWarning, match="leaving out observation 7"):
        ci = r.confidence_interval(method="bca", n_resamples=500)
    assert math.isnan(ci.low)


def test_threads_give_identical_results(attitude: tuple[np.ndarray, np.ndarray]) -> None:
    """The module runs without the GIL; concurrent calls give the serial answers."""
    x, y = attitude
    expected = engage.correlation(x, y, method="spearman").bootstrap(n_resamples=999)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: engage.correlation(x, y, method="spearman").bootstrap(n_resamples=999), range(8)))
    for got in results:
        assert (got.low, got.high) == (expected.low, expected.high)


# ---------------------------------------------------------------------------------------------------------------
# Corrections
# ---------------------------------------------------------------------------------------------------------------


def test_corrections_match_reference(ref: dict) -> None:
    corr = ref["corrections"]
    for c in corr["attenuation"]:
        got = engage.correct_attenuation(c["r"], c["rxx"], c["ryy"], n=c["n"])
        assert got.statistic == _approx(c["statistic"])
        assert got.exceeds_one == (abs(c["statistic"]) > 1)
        assert got.clipped == min(1.0, max(-1.0, got.statistic))
        if c["n"] is not None:
            assert got.confidence_interval() == pytest.approx(c["ci"], rel=REL)
    for c in corr["range_restriction"]:
        got = engage.correct_range_restriction(c["r"], c["u"], n=c["n"])
        assert got.statistic == _approx(c["statistic"])
        assert not got.exceeds_one
        if c["n"] is not None:
            assert got.confidence_interval() == pytest.approx(c["ci"], rel=REL)


def test_corrections_methods_md_values(attitude: tuple[np.ndarray, np.ndarray]) -> None:
    """METHODS.md: attitude 0.8254/sqrt(.8 * .7) = 1.103 (3 d.p.); meas(.3, .8, .7) 0.401 [0.147, 0.626];
    uvdrr_x(.3, .7) 0.4098 (psychmeta prints 0.41) [0.156, 0.604] (3 d.p.)."""
    r = engage.correlation(*attitude)
    c = engage.correct_attenuation(r, rxx=0.8, ryy=0.7)
    assert c.statistic == pytest.approx(1.103, abs=5e-4)
    assert c.exceeds_one and c.clipped == 1.0 and c.n == 30 and c.observed == r.statistic
    low, high = c.confidence_interval()
    assert high == 1.0 and low == pytest.approx(r.confidence_interval().low / math.sqrt(0.56))
    m = engage.correct_attenuation(0.3, 0.8, 0.7, n=100)
    assert m.statistic == pytest.approx(0.401, abs=5e-4)
    assert m.confidence_interval() == pytest.approx((0.147, 0.626), abs=5e-4)
    u = engage.correct_range_restriction(0.3, 0.7, n=100)
    assert u.statistic == pytest.approx(0.4098, abs=5e-5)
    assert u.confidence_interval() == pytest.approx((0.156, 0.604), abs=5e-4)


def test_corrections_bad_input() -> None:
    with pytest.raises(engage.InvalidInputError, match="r = 1.2"):
        engage.correct_attenuation(1.2, 0.8, 0.7)
    with pytest.raises(engage.InvalidInputError, match="rxx = 0"):
        engage.correct_attenuation(0.3, 0.0, 0.7)
    with pytest.raises(engage.InvalidInputError, match="ryy = 1.5"):
        engage.correct_attenuation(0.3, 0.8, 1.5)
    with pytest.raises(engage.InvalidInputError, match="rxx = nan"):
        engage.correct_attenuation(0.3, float("nan"))
    with pytest.raises(engage.InvalidInputError, match="u = -0.5"):
        engage.correct_range_restriction(0.3, -0.5)
    with pytest.raises(engage.InvalidInputError, match="r = -2"):
        engage.correct_range_restriction(-2, 0.5)
    with pytest.raises(TypeError, match="r must be a number"):
        engage.correct_attenuation("0.3", 0.8)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="needs the sample size"):
        engage.correct_attenuation(0.3, 0.8).confidence_interval()
    with pytest.raises(ValueError, match="n = 2"):
        engage.correct_attenuation(0.3, 0.8, n=2)
    r = engage.correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    with pytest.raises(ValueError, match="conflicts"):
        engage.correct_range_restriction(r, 0.7, n=10)


# ---------------------------------------------------------------------------------------------------------------
# API and bad input
# ---------------------------------------------------------------------------------------------------------------


def test_result_repr_and_frame() -> None:
    r = engage.correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    assert repr(r) == (
        "CorrelationResult(statistic=0.8, pvalue=0.104088, n=5, missing=0, method='pearson', "
        "alternative='two-sided', covariates=0, test_statistic=2.3094, df=3)"
    )
    frame = r.to_frame()
    assert list(frame.columns) == [
        "statistic", "pvalue", "n", "missing", "method", "alternative", "covariates", "test_statistic", "df"
    ]
    assert "<table>" in r._repr_html_()
    b = r.bootstrap(n_resamples=200)
    assert "bootstrap_distribution" not in repr(b)


def test_pairwise_missing_policy() -> None:
    x = pd.Series([1.0, 2.0, None, 4.0, 5.0, 6.0], dtype="Float64")
    y = [2.0, 1.0, 3.0, np.nan, 5.0, 7.0]
    r = engage.correlation(x, y, method="spearman")
    assert (r.n, r.missing) == (4, 2)
    assert r.statistic == engage.correlation([1, 2, 5, 6], [2, 1, 5, 7], method="spearman").statistic


def test_bad_input() -> None:
    with pytest.raises(engage.InsufficientDataError):
        engage.correlation([], [])
    with pytest.raises(engage.InsufficientDataError, match="found 0 .4 pairs dropped"):
        engage.correlation([np.nan] * 4, [1, 2, 3, 4])
    with pytest.raises(engage.InsufficientDataError, match="at least 3"):
        engage.correlation([1, 2], [2, 1])
    with pytest.raises(engage.InvalidInputError, match="x has 3 elements but y has 4"):
        engage.correlation([1, 2, 3], [1, 2, 3, 4])
    with pytest.raises(engage.InvalidInputError, match="y is constant"):
        engage.correlation([1, 2, 3, 4], [5, 5, 5, 5], method="kendall")
    with pytest.raises(engage.InvalidInputError, match=r"x\[1\] = inf"):
        engage.correlation([1, np.inf, 3, 4], [1, 2, 3, 4])
    with pytest.raises(TypeError, match="x must be numeric"):
        engage.correlation(["a", "b", "c"], [1, 2, 3])
    with pytest.raises(ValueError, match="one-dimensional"):
        engage.correlation(np.ones((3, 2)), [1, 2, 3])
    with pytest.raises(ValueError, match="method = 'pearsons'"):
        engage.correlation([1, 2, 3], [1, 2, 3], method="pearsons")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="alternative = 'two.sided'"):
        engage.correlation([1, 2, 3], [1, 2, 3], alternative="two.sided")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="different indexes"):
        engage.correlation(pd.Series([1, 2, 3], index=[0, 1, 2]), pd.Series([1, 2, 3], index=[1, 2, 3]))
    r = engage.correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])
    with pytest.raises(engage.InvalidInputError, match="confidence_level = 95"):
        r.confidence_interval(95)
    with pytest.raises(ValueError, match="method = 'wald'"):
        r.confidence_interval(method="wald")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="bonett-wright"):
        r.confidence_interval(method="bonett-wright")
    with pytest.raises(engage.InvalidInputError, match="not valid for Kendall"):
        engage.correlation([1, 2, 3, 4, 5], [2, 1, 4, 3, 5], method="kendall").confidence_interval(method="fisher")
    with pytest.raises(engage.InsufficientDataError, match="n >= 4"):
        engage.correlation([1, 2, 3], [2, 1, 3], method="kendall").confidence_interval()
    with pytest.raises(ValueError, match="n_resamples = 1"):
        r.bootstrap(n_resamples=1)
    with pytest.raises(ValueError, match="seed = -1"):
        r.bootstrap(seed=-1)
    with pytest.raises(ValueError, match="method = 'fisher'"):
        r.bootstrap(method="fisher")  # type: ignore[arg-type]


def test_partial_bad_input() -> None:
    x = [1, 2, 3, 4, 5, 6]
    y = [2, 1, 4, 3, 6, 5]
    z = pd.DataFrame({"tenure": [1, 2, 3, 4, 5, 6], "tenure_months": [12, 24, 36, 48, 60, 72]})
    with pytest.raises(engage.InvalidInputError, match="collinear"):
        engage.partial_correlation(x, y, z)
    with pytest.raises(engage.InvalidInputError, match="covariates column 'site' is constant"):
        engage.partial_correlation(x, y, pd.DataFrame({"site": [3] * 6}))
    with pytest.raises(engage.InvalidInputError, match="x is a linear function of the covariates"):
        engage.partial_correlation(x, y, z["tenure"])
    with pytest.raises(engage.InsufficientDataError, match="3 \\+ number of covariates 2"):
        engage.partial_correlation([1, 2, 3, 4], [2, 1, 4, 3], [[1, 0], [2, 1], [3, 3], [4, 2]])
    with pytest.raises(engage.InvalidInputError, match="covariates \\(rows\\) has 5"):
        engage.partial_correlation(x, y, [1, 2, 3, 4, 5])
    with pytest.raises(TypeError, match="column 'team' has dtype"):
        engage.partial_correlation(x, y, pd.DataFrame({"team": list("abcdef")}))
    with pytest.raises(ValueError, match="1-D .one covariate. or 2-D"):
        engage.partial_correlation(x, y, np.ones((6, 1, 1)))
    with pytest.raises(ValueError, match="method = 'kendall'"):
        engage.partial_correlation(x, y, z["tenure"], method="kendall")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="different indexes"):
        engage.partial_correlation(pd.Series(x), y, pd.DataFrame({"a": [1, 3, 2, 5, 4, 6]}, index=range(1, 7)))


def test_pearson_is_scale_invariant_at_the_extremes() -> None:
    # Issue 13: x * 1e160 gave r = 0, p = 1 (the squares overflowed); x * 1e-170 gave NaN; one value of 1e200 r = 0.
    rng = np.random.default_rng(3)
    x = rng.normal(size=50)
    y = x + rng.normal(size=50)
    r = engage.correlation(x, y).statistic
    for scale in (1e160, 1e-170, 1e300, 1e-300):
        assert engage.correlation(x * scale, y).statistic == pytest.approx(r, rel=1e-12)
        assert engage.correlation(x, y * scale).statistic == pytest.approx(r, rel=1e-12)
    outlier = np.array([1.0, 2.0, 3.0, 1e200])
    z = np.array([2.0, 1.0, 4.0, 3.0])
    # the outlier dominates: r equals that of the indicator (0, 0, 0, 1) to within 1e-190
    assert engage.correlation(outlier, z).statistic == pytest.approx(
        engage.correlation(np.array([0.0, 0.0, 0.0, 1.0]), z).statistic, rel=1e-12)
