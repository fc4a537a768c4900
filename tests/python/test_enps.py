"""eNPS: reference values from R (tests/data/enps_reference.R), API behaviour and bad input."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

import engage

REL = 1e-8


def _counts_scores(d: int, p: int, r: int) -> np.ndarray:
    return np.array([0.0] * d + [7.0] * p + [10.0] * r)


def test_counts_cases_match_reference(enps_reference: dict) -> None:
    for c in enps_reference["counts_cases"]:
        res = engage.enps(_counts_scores(c["d"], c["p"], c["r"]))
        assert res.n == c["n"]
        assert res.statistic == pytest.approx(100 * c["nps"], rel=REL, abs=1e-12)
        assert res.standard_error == pytest.approx(100 * c["se"], rel=REL, abs=1e-12)
        for iv in c["intervals"]:
            lvl = iv["level"]
            for method, key in (("wald", "wald"), ("adjusted-wald", "adjusted_wald"), ("tango", "tango")):
                low, high = res.confidence_interval(lvl, method)
                assert low == pytest.approx(100 * iv[f"{key}_low"], rel=REL, abs=1e-9), (c, method)
                assert high == pytest.approx(100 * iv[f"{key}_high"], rel=REL, abs=1e-9), (c, method)


def test_methods_md_golden_values() -> None:
    """METHODS.md section 1 [REF] values (NPS 2.0.999 and Rocks' paper), rounded there to 8 digits."""
    r = engage.enps(_counts_scores(20, 30, 50))
    assert r.statistic == pytest.approx(30.0)
    assert r.standard_error == pytest.approx(7.8102497, abs=1e-6)
    assert r.confidence_interval(method="wald") == pytest.approx((14.692192, 45.307808), abs=1e-5)
    assert r.confidence_interval(method="adjusted-wald") == pytest.approx((14.05113, 44.201297), abs=1e-5)
    assert r.confidence_interval(method="tango") == pytest.approx((13.955141, 44.339305), abs=1e-5)
    d = engage.enps_compare(r, engage.enps(_counts_scores(30, 30, 40)))
    assert d.difference == pytest.approx(20.0)
    assert d.standard_error == pytest.approx(11.401754, abs=1e-5)
    assert d.pvalue == pytest.approx(0.079410626, abs=1e-8)
    assert d.confidence_interval(method="mover") == pytest.approx((-2.5286574, 41.786365), abs=1e-5)


def test_product_guide_examples() -> None:
    """PRODUCT.md 3.3: 40/35/25 gives +15 with Wald about [-0.5, 30.5] and adjusted Wald about [-0.7, 29.8]."""
    r = engage.enps(np.r_[[10.0] * 40, [7.0] * 35, [0.0] * 25])
    assert r.statistic == pytest.approx(15.0)
    assert r.confidence_interval(method="wald") == pytest.approx((-0.5, 30.5), abs=0.1)
    assert r.confidence_interval(method="adjusted-wald") == pytest.approx((-0.7, 29.8), abs=0.1)
    team = engage.enps([10, 10, 10, 8, 8, 7, 3, 2])
    assert team.statistic == 12.5
    low, high = team.confidence_interval(method="wald")
    assert (high - low) / 2 == pytest.approx(54, abs=1)


def test_weighted_matches_survey(enps_reference: dict) -> None:
    for case in enps_reference["weighted"]:
        scores = np.array([np.nan if s is None else s for s in case["scores"]], dtype=float)
        w = np.array(case["weights"], dtype=float)
        r = engage.enps(scores, w)
        assert r.missing == case["missing"]
        assert r.statistic == pytest.approx(100 * case["nps"], rel=REL)
        assert r.standard_error == pytest.approx(100 * case["se"], rel=REL)
        assert r.effective_n == pytest.approx(case["effective_n"], rel=REL)
        if case.get("population_size") is not None:
            rf = engage.enps(scores, w, population_size=case["population_size"])
            assert rf.standard_error == pytest.approx(100 * case["se_fpc"], rel=REL)


def test_finite_population(enps_reference: dict) -> None:
    for case in enps_reference["finite_population"]:
        r = engage.enps(_counts_scores(case["d"], case["p"], case["r"]), population_size=case["N"])
        assert r.standard_error == pytest.approx(100 * case["se_fpc"], rel=REL)


def test_two_sample(enps_reference: dict) -> None:
    for case in enps_reference["two_sample"]:
        a = engage.enps(_counts_scores(*case["x"]))
        b = engage.enps(_counts_scores(*case["y"]))
        d = engage.enps_compare(a, b)
        assert d.difference == pytest.approx(100 * case["difference"], rel=REL, abs=1e-10)
        assert d.standard_error == pytest.approx(100 * case["se"], rel=REL)
        assert d.pvalue == pytest.approx(case["p"], rel=REL)
        assert d.confidence_interval(method="wald") == pytest.approx(
            (100 * case["wald_low"], 100 * case["wald_high"]), rel=REL)
        assert d.confidence_interval(method="mover") == pytest.approx(
            (100 * case["mover_low"], 100 * case["mover_high"]), rel=REL)


def test_paired(enps_reference: dict) -> None:
    case = enps_reference["paired"]
    a = np.array([np.nan if s is None else s for s in case["a"]], dtype=float)
    b = np.array([np.nan if s is None else s for s in case["b"]], dtype=float)
    p = engage.enps_compare(a, b, paired=True)
    assert p.n == case["n"] and p.missing == case["missing"]
    assert p.transitions.to_numpy().tolist() == case["transitions"]
    assert p.statistic_a == pytest.approx(100 * case["nps_a"], rel=REL)
    assert p.statistic_b == pytest.approx(100 * case["nps_b"], rel=REL)
    assert p.difference == pytest.approx(100 * case["difference"], rel=REL)
    assert p.standard_error == pytest.approx(100 * case["se"], rel=REL)
    assert p.pvalue == pytest.approx(case["p"], rel=REL)


def test_cutpoints(enps_reference: dict) -> None:
    case = enps_reference["cutpoints"]
    r = engage.enps(case["scores"], breaks=engage.CULTUREIQ_BREAKS)
    assert (r.detractors, r.passives, r.promoters) == (case["d"], case["p"], case["r"])
    assert r.statistic == pytest.approx(100 * case["nps"], rel=REL)


def test_unweighted_vs_ones_weights_differ_by_design() -> None:
    """Without weights the SE is multinomial (divisor n); with weights it is survey's linearised SE, which has
    the n/(n−1) factor. Equal weights therefore give SE·sqrt(n/(n−1)): documented, not a bug."""
    s = np.array([10, 9, 7, 3, 10, 8, 6, 9, 0, 5], dtype=float)
    plain, ones = engage.enps(s), engage.enps(s, np.ones_like(s))
    assert ones.statistic == plain.statistic
    assert ones.standard_error == pytest.approx(plain.standard_error * math.sqrt(10 / 9), rel=1e-12)
    assert ones.effective_n == pytest.approx(10)


def test_counts_merge_and_pickle() -> None:
    rng = np.random.default_rng(1)
    s = rng.integers(0, 11, size=1000).astype(float)
    s[rng.integers(0, 1000, size=30)] = np.nan
    w = rng.uniform(0.5, 2, size=1000)
    whole = engage.enps_counts(s, w)
    parts = [engage.enps_counts(s[i:i + 137], w[i:i + 137]) for i in range(0, 1000, 137)]
    merged = parts[0]
    for p in parts[1:]:
        merged = merged + p
    assert (merged.n, merged.missing) == (whole.n, whole.missing)
    a, b = engage.enps_from_counts(whole), engage.enps_from_counts(merged)
    assert a.statistic == pytest.approx(b.statistic, rel=1e-12)
    assert a.standard_error == pytest.approx(b.standard_error, rel=1e-12)
    assert engage.enps(s, w).statistic == pytest.approx(a.statistic, rel=1e-12)
    assert pickle.loads(pickle.dumps(whole)) == whole


def test_bootstrap_is_seeded() -> None:
    r = engage.enps(_counts_scores(20, 30, 50))
    a = r.confidence_interval(method="bootstrap", seed=3, n_resamples=2000)
    assert a == r.confidence_interval(method="bootstrap", seed=3, n_resamples=2000)
    # n = 100 puts the resampled eNPS on a 1-point lattice, so seeds are told apart on weighted data.
    rv = engage.enps(_counts_scores(20, 30, 50), np.linspace(0.5, 2.0, 100))
    assert rv.confidence_interval(method="bootstrap", seed=3, n_resamples=500) != rv.confidence_interval(
        method="bootstrap", seed=4, n_resamples=500)
    assert a.low == pytest.approx(14.7, abs=2) and a.high == pytest.approx(45.3, abs=2)
    rw = engage.enps(_counts_scores(20, 30, 50), np.ones(100))
    bw = rw.confidence_interval(method="bootstrap", seed=3, n_resamples=2000)
    assert bw.low == pytest.approx(14.7, abs=2.5) and bw.high == pytest.approx(45.3, abs=2.5)
    with pytest.raises(ValueError, match="needs the respondents' data"):
        engage.enps_from_counts(rw.counts).confidence_interval(method="bootstrap")


def test_pandas_input_and_nullable() -> None:
    s = pd.Series([10, 9, None, 3], dtype="Int64")
    r = engage.enps(s)
    assert (r.n, r.missing, r.statistic) == (3, 1, pytest.approx(100 / 3))


def test_result_rendering() -> None:
    r = engage.enps([10, 9, 7, 3, 10, 8, 6, 9])
    assert repr(r).startswith("EnpsResult(statistic=25, n=8, promoters=4")
    assert "<table>" in r._repr_html_()
    frame = r.to_frame()
    assert frame.loc[0, "statistic"] == 25.0 and "_core" not in frame.columns


@pytest.mark.parametrize(
    ("scores", "error", "match"),
    [
        ([], engage.InsufficientDataError, "no eNPS scores"),
        ([np.nan, np.nan], engage.InsufficientDataError, "all 2 values are missing"),
        ([1, 2, 11], engage.InvalidInputError, r"scores\[2\] = 11: eNPS scores must lie in \[0, 10\]"),
        ([3, -1], engage.InvalidInputError, r"scores\[1\] = -1"),
        ([3, 7.5], engage.InvalidInputError, r"scores\[1\] = 7.5: eNPS scores must be whole numbers"),
        ([3, np.inf], engage.InvalidInputError, r"scores\[1\] = inf"),
        (["a", "b"], TypeError, "scores must be numeric"),
        ([[1, 2], [3, 4]], ValueError, "one-dimensional"),
    ],
)
def test_bad_scores(scores: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        engage.enps(scores)


def test_bad_options() -> None:
    with pytest.raises(ValueError, match="same length"):
        engage.enps([1, 2, 3], weights=[1, 1])
    with pytest.raises(ValueError, match=r"weights\[1\] = -1"):
        engage.enps([1, 2], weights=[1, -1])
    with pytest.raises(ValueError, match=r"weights\[0\] = nan"):
        engage.enps([1, 2], weights=[np.nan, 1])
    with pytest.raises(ValueError, match="breaks"):
        engage.enps([1, 2], breaks=(0, 8, 6, 10))
    with pytest.raises(ValueError, match="population_size"):
        engage.enps([1, 2, 3], population_size=2)
    r = engage.enps([1, 9])
    with pytest.raises(ValueError, match="confidence_level = 95"):
        r.confidence_interval(95)
    with pytest.raises(ValueError, match="method = 'score'"):
        r.confidence_interval(method="score")  # type: ignore[arg-type]


def test_compare_bad_input() -> None:
    with pytest.raises(ValueError, match="same length"):
        engage.enps_compare([1, 2, 3], [1, 2], paired=True)
    with pytest.raises(ValueError, match="at least 2 respondents"):
        engage.enps_compare([1, np.nan], [np.nan, 2], paired=True)
    with pytest.raises(TypeError, match="paired=True needs"):
        engage.enps_compare(engage.enps([1, 2]), [1, 2], paired=True)
    with pytest.raises(ValueError, match=r"b\[0\] = 12"):
        engage.enps_compare([1, 2], [12, 3], paired=True)


def test_enps_by_matches_per_group_results() -> None:
    rng = np.random.default_rng(7)
    df = pd.DataFrame({"team": rng.integers(0, 30, size=3000), "enps": rng.integers(0, 11, size=3000).astype(float)})
    df.loc[rng.integers(0, 3000, size=100), "enps"] = np.nan
    t = engage.enps_by(df, score="enps", by="team", method="adjusted-wald")
    assert t["team"].tolist() == sorted(df["team"].unique())
    for row in t.itertuples():
        r = engage.enps(df.loc[df["team"] == row.team, "enps"])
        assert row.statistic == pytest.approx(r.statistic, rel=1e-12)
        assert row.standard_error == pytest.approx(r.standard_error, rel=1e-12)
        assert (row.low, row.high) == pytest.approx(r.confidence_interval(method="adjusted-wald"), rel=1e-12)
        assert row.missing == r.missing


def test_enps_by_multiple_columns_and_categoricals() -> None:
    df = pd.DataFrame({
        "dept": pd.Categorical(["x"] * 12 + ["y"] * 12, categories=["y", "x", "unused"]),
        "team": ["a"] * 6 + ["b"] * 6 + ["a"] * 6 + ["c"] * 6,
        "enps": [10.0] * 24,
    })
    t = engage.enps_by(df, by=["dept", "team"])
    assert list(zip(t["dept"], t["team"])) == [("y", "a"), ("y", "c"), ("x", "a"), ("x", "b")]
    assert (t["suppression"] == "unanimous").all()  # teams of 6 promoters: each member's answer would be known
    t = engage.enps_by(df, by=["dept", "team"], release=engage.Release(min_distribution_size=6))
    assert (t["statistic"] == 100).all() and t["unanimous"].all()


def test_enps_by_compare_rest_and_weights() -> None:
    rng = np.random.default_rng(3)
    df = pd.DataFrame({"team": np.repeat(list("abcd"), 50), "enps": rng.integers(0, 11, 200).astype(float),
                       "w": rng.uniform(0.5, 2.0, 200)})
    t = engage.enps_by(df, by="team", weights="w", compare="rest")
    for row in t.itertuples():
        mine = df["team"] == row.team
        a = engage.enps(df.loc[mine, "enps"], df.loc[mine, "w"])
        b = engage.enps(df.loc[~mine, "enps"], df.loc[~mine, "w"])
        d = engage.enps_compare(a, b)
        assert row.statistic == pytest.approx(a.statistic, rel=1e-12)
        assert row.difference_vs_rest == pytest.approx(d.difference, rel=1e-10)
        assert row.pvalue_vs_rest == pytest.approx(d.pvalue, rel=1e-10)
    assert t["pvalue_adjusted"].tolist() == pytest.approx(engage.adjust_pvalues(t["pvalue_vs_rest"]).tolist())


def test_enps_by_population_fpc() -> None:
    df = pd.DataFrame({"team": ["a"] * 10 + ["b"] * 10, "enps": [10.0, 3.0] * 10})
    pop = pd.Series({"a": 12, "b": 40})
    t = engage.enps_by(df, by="team", population=pop)
    assert t.loc[0, "standard_error"] == pytest.approx(engage.enps([10.0, 3.0] * 5, population_size=12).standard_error)
    with pytest.raises(ValueError, match="no population size"):
        engage.enps_by(df, by="team", population=pd.Series({"a": 12}))


def test_enps_by_bad_input() -> None:
    df = pd.DataFrame({"team": ["a", "b"], "enps": [1.0, 12.0]})
    with pytest.raises(ValueError, match=r"scores\[1\] = 12"):
        engage.enps_by(df, by="team")
    with pytest.raises(KeyError, match="'nope'"):
        engage.enps_by(df, score="nope", by="team")
    with pytest.raises(KeyError, match="by"):
        engage.enps_by(df, by="dept")
    with pytest.raises(TypeError, match="DataFrame"):
        engage.enps_by([1, 2], by="team")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_group_size"):
        engage.enps_by(df, by="team", min_group_size=0)
    with pytest.raises(ValueError, match="compare"):
        engage.enps_by(df, by="team", compare="all")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="numeric"):
        engage.enps_by(pd.DataFrame({"team": ["a"], "enps": ["x"]}), by="team")
    with pytest.raises(engage.InsufficientDataError, match="no rows"):
        engage.enps_by(df.iloc[:0], by="team")
    with pytest.raises(engage.InsufficientDataError, match="all 2 values are missing"):
        engage.enps_by(pd.DataFrame({"team": ["a", "b"], "enps": [np.nan, np.nan]}), by="team")
    with pytest.raises(ValueError, match="weights"):
        engage.enps_by(df.assign(w=[1.0, -2.0]).assign(enps=[1.0, 2.0]), by="team", weights="w")


def test_counts_bad_input() -> None:
    with pytest.raises(ValueError, match=r"scores\[0\] = 10.5"):
        engage.enps_counts([10.5])
    with pytest.raises(ValueError, match="same length"):
        engage.enps_counts([1, 2], [1.0])
    with pytest.raises(engage.InsufficientDataError):
        engage.enps_from_counts(engage.enps_counts([np.nan]))
    with pytest.raises(TypeError):
        engage.enps_counts(["a"])


def test_enps_by_reads_integer_scores_as_the_same_numbers() -> None:
    """An int64 score column is read in place (no float copy); every integer dtype gives the float64 table, and an
    off-scale whole number is named as for floats."""
    rng = np.random.default_rng(12)
    df = pd.DataFrame({"team": rng.integers(0, 40, 4000), "enps": rng.integers(0, 11, 4000)})
    want = engage.enps_by(df.assign(enps=df["enps"].astype(float)), score="enps", by="team", compare="rest")
    for dtype in ("int64", "int32", "uint8", "Int64"):
        got = engage.enps_by(df.assign(enps=df["enps"].astype(dtype)), score="enps", by="team", compare="rest")
        pd.testing.assert_frame_equal(got, want)
    bad = df.copy()
    bad.loc[123, "enps"] = 11
    with pytest.raises(ValueError, match=r"scores\[123\] = 11: eNPS scores must lie in \[0, 10\]"):
        engage.enps_by(bad, score="enps", by="team")


def test_population_indexed_by_too_few_key_columns_is_named() -> None:
    # Issue 13: by=["department", "team"] with a population indexed by team alone raised IndexError.
    df = pd.DataFrame({"department": ["x"] * 12 + ["y"] * 6, "team": ["a"] * 6 + ["b"] * 6 + ["c"] * 6,
                       "enps": [10, 9, 8, 7, 3, 10] * 3})
    by_team = pd.Series({"a": 10.0, "b": 12.0, "c": 8.0})
    with pytest.raises(engage.EngageError, match=r"population: its index has 1 level\(s\) .* keyed by 2 column\(s\) "
                                                 r"\['department', 'team'\]; index it by a MultiIndex"):
        engage.enps_by(df, by=["department", "team"], population=by_team)
    with pytest.raises(engage.EngageError, match="population: its index has 2 level"):
        engage.enps_by(df, by="team", population=pd.Series([10.0], index=pd.MultiIndex.from_tuples([("x", "a")])))
    both = pd.Series(by_team.to_numpy(), index=pd.MultiIndex.from_tuples([("x", "a"), ("x", "b"), ("y", "c")]))
    t = engage.enps_by(df, by=["department", "team"], population=both)
    assert t["standard_error"].notna().all()


def test_huge_weights_are_refused_not_nan() -> None:
    # Issue 13: enps([10, 10, 0], weights=[1e308] * 3) returned NaN (w^2 overflowed).
    assert engage.enps([10, 10, 0], weights=[1e150] * 3).statistic == pytest.approx(100 / 3)
    with pytest.raises(engage.EngageError, match=r"weights\[0\] = 1e\+308: too large"):
        engage.enps([10, 10, 0], weights=[1e308] * 3)


def test_resamples_are_capped_with_a_clear_error() -> None:
    # Issue 13: n_resamples=10**9 raised std::bad_alloc.
    r = engage.enps([10, 9, 3, 7, 8, 0])
    with pytest.raises(engage.EngageError, match=r"n_resamples = 1000000000: must lie in \[2, 10000000\]"):
        r.confidence_interval(method="bootstrap", n_resamples=10**9)
    with pytest.raises(engage.EngageError, match="n_resamples"):
        engage.cronbach_alpha(np.random.default_rng(0).integers(1, 6, size=(20, 3)).astype(float)).confidence_interval(
            method="bootstrap", n_resamples=10**9)
    with pytest.raises(engage.EngageError, match="n_resamples"):
        engage.correlation([1.0, 2, 3, 4, 5], [2.0, 1, 4, 3, 5]).bootstrap(n_resamples=10**9)
