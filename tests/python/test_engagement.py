"""Engagement indices: reference values (tests/data/engagement_reference.py, Python peers statsmodels and scipy,
standard errors cross-checked against R survey by engagement_reference.R), the PRODUCT.md 3.3 vendor examples,
the grouped table, the item table, scale scores, categories and bad input."""

from __future__ import annotations

import math
import threading
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import engage

REL = 1e-8


@pytest.fixture(scope="module")
def ref(load_reference: Any) -> dict[str, Any]:
    data: dict[str, Any] = load_reference("engagement_reference.json")
    return data


def _matrix(rows: list[list[float | None]]) -> np.ndarray:
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def _case_kwargs(case: dict[str, Any]) -> dict[str, Any]:
    return {"scale": tuple(case["scale"]), "bands": None if case["bands"] is None else tuple(case["bands"]),
            "reverse": case["reverse"], "dont_know": case["dont_know"]}


def _from_counts(counts: list[int], low: int = 1, nan_rows: int = 0) -> np.ndarray:
    values = np.repeat(np.arange(low, low + len(counts), dtype=float), counts)
    return np.r_[values, [np.nan] * nan_rows][:, None]


# ---- reference values ------------------------------------------------------------------------------------------


def test_indices_match_reference(ref: dict[str, Any]) -> None:
    checked = 0
    for case in ref["cases"]:
        x = _matrix(case["items"])
        frame = pd.DataFrame(x, columns=[f"q{j}" for j in range(x.shape[1])])
        for res in case["results"]:
            kwargs = _case_kwargs(case)
            # Every other case goes in as a DataFrame with reverse-keyed items named.
            items: Any = x
            if checked % 2:
                items, kwargs["reverse"] = frame, [f"q{j}" for j in case["reverse"]]
            r = engage.engagement_index(
                items, res["method"], min_answered=res["min_answered"], population_size=res.get("population_size"),
                rescale=None if res.get("rescale") is None else tuple(res["rescale"]), **kwargs)
            what = (case["name"], res["method"], res.get("population_size"), res["min_answered"])
            assert r.statistic == pytest.approx(res["statistic"], rel=REL, abs=1e-10), what
            assert r.standard_error == pytest.approx(res["standard_error"], rel=REL, abs=1e-10), what
            assert r.effective_n == pytest.approx(res["effective_n"], rel=REL), what
            assert (r.n, r.responses, r.missing, r.dont_know, r.excluded, r.items) == (
                res["n"], res["responses"], res["missing"], res["dont_know"], res["excluded"], res["items"]), what
            for iv in res["intervals"]:
                low, high = r.confidence_interval(iv["level"])
                assert low == pytest.approx(iv["low"], rel=REL, abs=1e-10), what
                assert high == pytest.approx(iv["high"], rel=REL, abs=1e-10), what
            checked += 1
    assert checked >= 100


def test_intervals_against_peers_directly() -> None:
    """One complete item: Wilson exactly as statsmodels on the integer counts, t exactly as scipy."""
    x = _from_counts([3, 4, 5, 8, 5])
    values = x[:, 0]
    for method in ("favourable_items", "favourable_pooled", "favourable_persons", "favourable_all"):
        r = engage.engagement_index(x, method)
        for level in (0.95, 0.8):
            lo, hi = proportion_confint(13, 25, alpha=1 - level, method="wilson")
            assert r.confidence_interval(level) == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
    r = engage.engagement_index(x, "top3")
    assert r.confidence_interval() == pytest.approx(
        tuple(100 * v for v in proportion_confint(18, 25, method="wilson")), rel=1e-12)
    for method in ("person_mean", "grand_mean"):
        r = engage.engagement_index(x, method)
        se = values.std(ddof=1) / 5
        assert r.standard_error == pytest.approx(se, rel=1e-12)
        assert r.confidence_interval(0.9) == pytest.approx(
            stats.t.interval(0.9, 24, loc=values.mean(), scale=se), rel=1e-12)
    # FPC by hand: proportion (N - n)/(N - 1) on the variance, Wilson with n / fpc; mean 1 - n/N.
    r = engage.engagement_index(x, "favourable_pooled", population_size=60)
    fpc = 35 / 59
    assert r.standard_error == pytest.approx(100 * math.sqrt(0.52 * 0.48 / 25 * fpc), rel=1e-12)
    lo, hi = proportion_confint(0.52 * 25 / fpc, 25 / fpc, method="wilson")
    assert r.confidence_interval() == pytest.approx((100 * lo, 100 * hi), rel=1e-12)
    m = engage.engagement_index(x, "person_mean", population_size=60)
    assert m.standard_error == pytest.approx(values.std(ddof=1) / 5 * math.sqrt(1 - 25 / 60), rel=1e-12)


def test_favourability_matches_reference(ref: dict[str, Any]) -> None:
    for case in ref["cases"]:
        t = engage.favourability(_matrix(case["items"]), **_case_kwargs(case))
        low, high = case["scale"]
        for j, e in enumerate(case["favourability"]):
            row = t.iloc[j]
            assert (row["n"], row["missing"], row["dont_know"]) == (e["n"], e["missing"], e["dont_know"])
            assert (row["favourable"], row["neutral"], row["unfavourable"]) == (
                e["favourable"], e["neutral"], e["unfavourable"])
            assert [row[f"count_{v}"] for v in range(low, high + 1)] == e["counts"]
            if e["n"] == 0:
                assert pd.isna(row["glint_score"]) and math.isnan(t["mean"].iloc[j])
                continue
            for name in ("pct_favourable", "pct_neutral", "pct_unfavourable", "mean", "mean_100"):
                assert row[name] == pytest.approx(e[name], rel=REL), (case["name"], j, name)
            assert row["glint_score"] == e["glint_score"]
            if e["sd"] is not None:
                assert row["sd"] == pytest.approx(e["sd"], rel=REL)


def test_scale_scores_and_categories_match_reference(ref: dict[str, Any]) -> None:
    for case in ref["cases"]:
        x = _matrix(case["items"])
        kw = _case_kwargs(case)
        for e in case["scale_scores"]:
            s = engage.scale_scores(x, min_answered=e["min_answered"], scale=kw["scale"], reverse=kw["reverse"],
                                    dont_know=kw["dont_know"])
            expected = np.array([np.nan if v is None else v for v in e["scores"]])
            np.testing.assert_allclose(s.scores, expected, rtol=REL)
            assert s.answered.tolist() == e["answered"]
            assert s.below_minimum == e["below_minimum"]
        for e in case["categories"]:
            c = engage.engagement_categories(x, rule=e["basis"], engaged=e["rule_engaged"],
                                             actively_disengaged=e["rule_actively_disengaged"],
                                             min_answered=e["min_answered"], **kw)
            assert (c.engaged, c.not_engaged, c.actively_disengaged, c.unclassified) == (
                e["engaged"], e["not_engaged"], e["actively_disengaged"], e["unclassified"])
            assert list(c.categories) == e["categories"]
            assert c.pct_engaged == pytest.approx(e["pct_engaged"], rel=REL)
            assert c.pct_not_engaged == pytest.approx(e["pct_not_engaged"], rel=REL)
            assert c.pct_actively_disengaged == pytest.approx(e["pct_actively_disengaged"], rel=REL)
            assert c.engaged_threshold == pytest.approx(e["engaged_threshold"])
            assert c.actively_disengaged_threshold == pytest.approx(e["actively_disengaged_threshold"])
            if e["engagement_ratio"] is None:
                assert not c.ratio_defined
            else:
                assert c.engagement_ratio == pytest.approx(e["engagement_ratio"], rel=REL)


# ---- PRODUCT.md 3.3 vendor worked examples -------------------------------------------------------------------


def test_peakon_aggregation_order(ref: dict[str, Any]) -> None:
    p = ref["vendor"]["peakon"]
    x = _matrix(p["items"])
    person = engage.engagement_index(x, "person_mean", scale=(0, 10))
    assert person.statistic == 6.75
    np.testing.assert_allclose(engage.scale_scores(x, scale=(0, 10)).scores, p["person_means"])
    grand = engage.engagement_index(x, "grand_mean", scale=(0, 10))
    assert grand.statistic == pytest.approx(p["grand_mean"], rel=1e-12)
    assert round(grand.statistic, 2) == 7.04
    np.testing.assert_allclose(engage.favourability(x, scale=(0, 10))["mean"], p["item_means"])


def test_lattice_fifty_percent() -> None:
    """30 SA, 20 A, 10 N, 25 D, 15 SD plus 50 non-responders -> 50%: favourable (SA + A = 50) over the 100
    responders; the non-responders are excluded (in the denominator they would give 33.3%). With one question
    every favourable method agrees; Lattice's theme score is favourable_persons (person mean >= 3.5)."""
    x = _from_counts([15, 25, 10, 20, 30], nan_rows=50)
    for method in ("favourable_persons", "favourable_items", "favourable_pooled", "favourable_all"):
        r = engage.engagement_index(x, method)
        assert (r.statistic, r.n, r.excluded, r.missing) == (50.0, 100, 50, 50)
    assert 100 * 50 / 150 == pytest.approx(33.33, abs=0.01)  # the other reading, which Lattice does not use
    assert engage.engagement_index(x, "top3").statistic == 60.0


def test_perceptyx_counts(ref: dict[str, Any]) -> None:
    for p in ref["vendor"]["perceptyx"]:
        x = _from_counts(p["counts"])
        fav = engage.engagement_index(x, "favourable_pooled")
        assert fav.statistic == pytest.approx(p["pct_favourable"], rel=1e-12)
        assert round(fav.statistic, 1) == p["printed"]["pct_favourable"]
        assert fav.confidence_interval() == pytest.approx(tuple(p["wilson_95"]), rel=REL)
        mean = engage.engagement_index(x, "grand_mean")
        assert mean.statistic == pytest.approx(p["mean"], rel=1e-12)
        assert round(mean.statistic, 2) == p["printed"]["mean"]  # the vendor doc prints 4.10 and 4.00
        assert mean.standard_error == pytest.approx(p["mean_se"], rel=REL)
        assert mean.confidence_interval() == pytest.approx(tuple(p["t_95"]), rel=REL)
        t = engage.favourability(x)
        assert t.loc[0, "pct_favourable"] == pytest.approx(p["pct_favourable"], rel=1e-12)


def test_engagedly_theme(ref: dict[str, Any]) -> None:
    e = ref["vendor"]["engagedly"]
    x = np.array(e["items"], dtype=float)
    assert engage.favourability(x)["pct_favourable"].tolist() == e["item_pct_favourable"]
    assert engage.engagement_index(x, "favourable_items").statistic == pytest.approx(44.0, rel=1e-12)


def test_glint_finite_population_margin(ref: dict[str, Any]) -> None:
    g = ref["vendor"]["glint_fpc"]
    x = _from_counts([250, 0, 0, 0, 250])
    r = engage.engagement_index(x, "favourable_pooled", population_size=1000)
    assert r.standard_error == pytest.approx(g["standard_error"], rel=1e-12)
    assert round(r.standard_error, 2) == 1.58
    assert round(1.959963984540054 * r.standard_error, 1) == 3.1
    assert r.confidence_interval() == pytest.approx(tuple(g["wilson_95"]), rel=REL)
    census = engage.engagement_index(x, "favourable_pooled", population_size=500)
    assert census.standard_error == 0 and census.confidence_interval() == (50.0, 50.0)


# ---- behaviour ---------------------------------------------------------------------------------------------------


def _survey(seed: int, n: int = 2000, k: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    person = rng.integers(-1, 2, size=(n, 1))
    x = np.clip(rng.integers(1, 6, size=(n, k)) + person, 1, 5).astype(float)
    x[rng.uniform(size=x.shape) < 0.08] = np.nan
    x[rng.uniform(size=x.shape) < 0.03] = 9
    df = pd.DataFrame(x, columns=[f"q{j + 1}" for j in range(k)])
    df["dept"] = rng.choice(["ops", "sales", "tech"], size=n)
    df["team"] = rng.integers(0, 12, size=n)
    return df


@pytest.mark.parametrize("method", engage.INDEX_METHODS)
def test_engagement_index_by_matches_per_group(method: str) -> None:
    df = _survey(1)
    items = ["q1", "q2", "q3", "q4", "q5"]
    pop = df.groupby(["dept", "team"]).size() * 3
    t = engage.engagement_index_by(df, items=items, by=["dept", "team"], method=method, dont_know=9,
                                   reverse=["q2"], population=pop, confidence_level=0.9)
    assert len(t) == df.groupby(["dept", "team"]).ngroups
    assert (t["suppression"] == "shown").all()
    for row in t.itertuples():
        mine = (df["dept"] == row.dept) & (df["team"] == row.team)
        r = engage.engagement_index(df.loc[mine, items], method, dont_know=9, reverse=["q2"],
                                    population_size=pop[(row.dept, row.team)])
        assert row.statistic == pytest.approx(r.statistic, rel=1e-12)
        assert row.standard_error == pytest.approx(r.standard_error, rel=1e-10)
        assert (row.low, row.high) == pytest.approx(r.confidence_interval(0.9), rel=1e-10)
        assert (row.n, row.missing, row.dont_know, row.excluded) == (r.n, r.missing, r.dont_know, r.excluded)


def test_engagement_index_by_suppression() -> None:
    df = pd.DataFrame({"team": ["a"] * 8 + ["b"] * 6 + ["c"] * 2, "q1": [4.0] * 16, "q2": [5.0] * 16})
    # Everyone favourable: teams of 8 and 6 (under the distribution minimum, 10) at 100 % would tell each
    # member's answers, so they are hidden too.
    t = engage.engagement_index_by(df, items=["q1", "q2"], by="team")
    assert t["suppression"].tolist() == ["unanimous", "unanimous", "below_minimum"]
    assert not t["unanimous"].any()
    # With the distribution minimum at 8 the team of 8 is shown, and flagged.
    t = engage.engagement_index_by(df, items=["q1", "q2"], by="team", release=engage.Release(min_distribution_size=8))
    assert t["unanimous"].tolist() == [True, False, False]
    assert t["suppression"].tolist() == ["shown", "unanimous", "below_minimum"]
    assert t["suppressed"].tolist() == [False, True, True]
    assert t.loc[0, "statistic"] == 100.0 and t.loc[0, "n"] == 8
    assert t.loc[1:, ["n", "missing", "responses"]].isna().all().all()
    assert t.loc[1:, ["statistic", "standard_error", "low", "high"]].isna().all().all()
    shown = engage.engagement_index_by(df, items=["q1", "q2"], by="team", show_suppressed_n=True)
    assert shown["n"].tolist() == [8, 6, 2] and shown.loc[1:, "statistic"].isna().all()
    everyone = engage.Release(min_group_size=1, min_distribution_size=1)
    assert (engage.engagement_index_by(df, items=["q1", "q2"], by="team", release=everyone)["suppression"]
            == "shown").all()


def test_reverse_dont_know_and_names() -> None:
    df = pd.DataFrame({"pos": [5, 4, 9], "neg": [1, 9, 2]}, index=["x", "y", "z"])
    r = engage.engagement_index(df, "grand_mean", reverse=["neg"], dont_know=9)
    assert r.statistic == pytest.approx(4.5)
    assert (r.dont_know, r.missing, r.responses) == (2, 0, 4)
    assert engage.engagement_index(df, "grand_mean", reverse=[1], dont_know=9).statistic == pytest.approx(4.5)
    s = engage.scale_scores(df, reverse="neg", dont_know=9)
    assert s.scores.index.tolist() == ["x", "y", "z"] and s.scores.tolist() == [5.0, 4.0, 4.0]
    c = engage.engagement_categories(df, reverse=["neg"], dont_know=9)
    assert c.categories.tolist() == ["engaged", "engaged", "engaged"] and not c.ratio_defined
    assert math.isinf(c.engagement_ratio)


def test_min_answered_rules() -> None:
    x = np.array([[5, 5, np.nan], [4, 3, 4], [1, 2, 2]])
    # Default for favourable_persons: every item answered (Culture Amp "unclassified").
    r = engage.engagement_index(x, "favourable_persons")
    assert (r.n, r.excluded, r.statistic) == (2, 1, 50.0)
    r2 = engage.engagement_index(x, "favourable_persons", min_answered=2)
    assert (r2.n, r2.statistic) == (3, pytest.approx(200 / 3))
    assert engage.engagement_index(x, "favourable_all", min_answered=2).statistic == pytest.approx(100 / 3)
    assert engage.engagement_index(x, "person_mean").min_answered == 1


def test_rescale_and_families() -> None:
    x = _from_counts([1, 2, 3, 4, 5])
    a = engage.engagement_index(x, "person_mean", rescale=(0, 100))
    b = engage.engagement_index(x, "mean_100")
    assert a.statistic == pytest.approx(b.statistic) and a.standard_error == pytest.approx(b.standard_error)
    assert a.family == "MEAN-PERSON" and b.family == "MEAN-100"
    assert engage.engagement_index(x, "grand_mean", rescale=(0, 10)).statistic == pytest.approx(b.statistic / 10)


def test_categories_rounding_and_ratio() -> None:
    c = engage.engagement_categories(_from_counts([18, 0, 52, 0, 30]))
    assert c.engagement_ratio == pytest.approx(30 / 18) and c.ratio_defined
    assert c.rounded_percentages() == (30.0, 52.0, 18.0)
    thirds = engage.engagement_categories(_from_counts([1, 0, 1, 0, 1]))
    assert sum(thirds.rounded_percentages(1)) == pytest.approx(100.0)
    assert thirds.pct_engaged + thirds.pct_not_engaged + thirds.pct_actively_disengaged == pytest.approx(100.0)
    assert "not Gallup" in thirds.note
    nobody = engage.engagement_categories(_from_counts([0, 0, 3, 0, 0]))
    assert math.isnan(nobody.engagement_ratio) and not nobody.ratio_defined
    share = engage.engagement_categories([[5, 4, 1], [2, 2, 4]], rule="share", engaged=2 / 3, actively_disengaged=0.6)
    assert share.categories.tolist() == ["engaged", "actively_disengaged"]


def test_glint_bands_and_score_rounding() -> None:
    assert [engage.glint_bands((1, k)) for k in range(2, 12)] == [
        (1, 2), (1, 3), (1, 4), (2, 4), (3, 4), (3, 6), (3, 6), (3, 7), (3, 8), (7, 10)]
    t = engage.favourability([[3], [4]])  # mean 3.5 -> 62.5 -> 62 (half to even, as Python and R round)
    assert t.loc[0, "glint_score"] == 62 == round(62.5)
    t7 = engage.favourability(np.array([[6], [7], [4], [3]]), scale=(1, 7))
    assert (t7.loc[0, "favourable"], t7.loc[0, "neutral"], t7.loc[0, "unfavourable"]) == (2, 1, 1)
    custom = engage.favourability(np.array([[6], [7], [4], [3]]), scale=(1, 7), bands=(4, 7))
    assert (custom.loc[0, "favourable"], custom.loc[0, "unfavourable"]) == (1, 2)


def test_result_rendering() -> None:
    r = engage.engagement_index([[5, 4], [3, 2]], "favourable_pooled")
    assert repr(r).startswith("EngagementIndexResult(statistic=50, standard_error=")
    assert "<table>" in r._repr_html_()
    f = r.to_frame()
    assert f.loc[0, "family"] == "FAV-POOLED" and "_core" not in f.columns
    assert "scores" not in repr(engage.scale_scores([[1, 2]]))


def test_every_result_renders_and_converts() -> None:
    x = [[5, 4, 2], [4, 3, 1], [2, 2, 3], [5, 5, 4]]
    results = [
        engage.engagement_index(x, "grand_mean"),
        engage.scale_scores(x),
        engage.engagement_categories(x),
    ]
    for r in results:
        frame = r.to_frame()
        assert isinstance(frame, pd.DataFrame) and frame.shape[0] == 1, type(r).__name__
        assert f"<caption>{type(r).__name__}</caption>" in r._repr_html_()
        assert repr(r).startswith(type(r).__name__)
    assert results[2].to_frame().loc[0, "note"].startswith("approximation")
    t = engage.favourability(x)
    assert isinstance(t, engage.engagement.FavourabilityTable) and isinstance(t, pd.DataFrame)
    assert "<table" in t._repr_html_()
    assert type(t.round(1)) is pd.DataFrame and type(t[["item", "n"]]) is pd.DataFrame  # derived: plain frames


def test_favourability_plot() -> None:
    import matplotlib  # in CI's dependencies

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    x = np.array([[5, 4, 1], [4, 3, 1], [2, 3, 2], [5, 3, np.nan]], dtype=float)
    t = engage.favourability(pd.DataFrame(x, columns=["q1", "q2", "q3"]))
    fig, ax = plt.subplots()
    assert t.plot(ax=ax) is ax
    bars = {label: [] for label in ("unfavourable", "neutral", "favourable")}
    for container in ax.containers:
        bars[container.get_label()] = [(p.get_x(), p.get_width()) for p in container]
    # q1: 75% favourable, 25% unfavourable, no neutral; bars start at -(unfav + neutral/2)
    assert bars["unfavourable"][0] == pytest.approx((-25.0, 25.0))
    assert bars["favourable"][0] == pytest.approx((0.0, 75.0))
    # q2: 25 / 75 / 0: neutral centred on 0
    assert bars["neutral"][1] == pytest.approx((-37.5, 75.0))
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["q1", "q2", "q3"]
    plt.close(fig)
    ax2 = t.plot()  # a new figure
    assert ax2.get_xlabel().startswith("% of answers")
    plt.close(ax2.figure)
    # pandas' own plot accessor is still there
    ax3 = t.plot.bar(x="item", y="pct_favourable")
    assert len(ax3.patches) == 3
    plt.close(ax3.figure)
    with pytest.raises(KeyError, match="pct_neutral"):
        engage.engagement.plot_favourability(t.drop(columns="pct_neutral"))


def test_favourability_plot_without_matplotlib(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    t = engage.favourability([[5, 4], [3, 2]])
    with pytest.raises(ImportError, match="pip install matplotlib"):
        t.plot()


def test_pandas_nullable_and_series() -> None:
    df = pd.DataFrame({"a": pd.array([5, None, 4], dtype="Int64"), "b": pd.array([4, 4, None], dtype="Int64")})
    r = engage.engagement_index(df, "favourable_pooled")
    assert (r.missing, r.n, r.statistic) == (2, 3, 100.0)
    assert engage.engagement_index(pd.Series([5, 1, 4, 2], name="q"), "favourable_items").statistic == 50.0


def test_threads_give_identical_results() -> None:
    """The core holds no shared state and releases the GIL: concurrent calls agree with a serial one."""
    df = _survey(5, n=20_000)
    items = ["q1", "q2", "q3", "q4", "q5"]
    expected = engage.engagement_index(df[items], "favourable_items", dont_know=9)
    table = engage.engagement_index_by(df, items=items, by="team", method="grand_mean", dont_know=9)
    results: list[Any] = []

    def work() -> None:
        r = engage.engagement_index(df[items], "favourable_items", dont_know=9)
        t = engage.engagement_index_by(df, items=items, by="team", method="grand_mean", dont_know=9)
        results.append((r.statistic, r.standard_error, t["statistic"].tolist()))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [(expected.statistic, expected.standard_error, table["statistic"].tolist())] * 4


def test_large_input_is_fast_enough() -> None:
    """Smoke test of the one-sweep design (the full 10^6 x 12 timing is in the report, not in CI)."""
    rng = np.random.default_rng(0)
    x = rng.integers(1, 6, size=(200_000, 12)).astype(float)
    x[rng.uniform(size=x.shape) < 0.05] = np.nan
    for method in ("favourable_items", "favourable_pooled", "person_mean"):
        r = engage.engagement_index(x, method)
        assert r.n == 200_000


# ---- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "error", "match"),
    [
        ([[1, 2], [3, 6]], engage.InvalidInputError, r"items\[1, 1\] = 6: not a response on the scale"),
        ([[1, 2.5]], engage.InvalidInputError, r"items\[0, 1\] = 2.5"),
        ([[np.inf, 2]], engage.InvalidInputError, r"items\[0, 0\] = inf"),
        ([[0, 2]], engage.InvalidInputError, r"items\[0, 0\] = 0"),
        (np.empty((3, 0)), engage.InvalidInputError, "0 columns"),
        (np.empty((0, 3)), engage.InsufficientDataError, "no rows"),
        ([[np.nan, np.nan], [np.nan, np.nan]], engage.InsufficientDataError, "no person has at least 1"),
        ([["a", "b"]], TypeError, "items must be numeric"),
        ([1, 2, 3], ValueError, "two-dimensional"),
        (np.ones((2, 2, 2)), ValueError, "two-dimensional"),
        ("abc", TypeError, "numeric"),
    ],
)
def test_bad_items(items: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        engage.engagement_index(items)


@pytest.mark.parametrize(
    "call",
    [
        lambda x: engage.favourability(x),
        lambda x: engage.scale_scores(x),
        lambda x: engage.engagement_categories(x),
    ],
)
def test_bad_items_other_entries(call: Any) -> None:
    with pytest.raises(engage.InvalidInputError, match=r"items\[1, 0\] = 8"):
        call([[1, 2], [8, 3]])
    with pytest.raises(engage.InvalidInputError, match="0 columns"):
        call(np.empty((2, 0)))
    with pytest.raises(engage.InsufficientDataError):
        call(np.empty((0, 2)))
    with pytest.raises(TypeError, match="numeric"):
        call([["x"]])
    with pytest.raises(ValueError, match="two-dimensional"):
        call([1, 2])


def test_dataframe_errors_name_the_column() -> None:
    df = pd.DataFrame({"q1": [1, 2], "engaged?": [3, 7]}, index=[10, 11])
    with pytest.raises(engage.InvalidInputError, match=r"items\[1, 1\] = 7: .*\(row label 11, column 'engaged\?'\)"):
        engage.engagement_index(df)
    with pytest.raises(TypeError, match="column 'name' has dtype"):
        engage.engagement_index(pd.DataFrame({"q1": [1], "name": ["x"]}))


def test_bad_options() -> None:
    x = [[1, 2], [3, 4]]
    with pytest.raises(ValueError, match="method = 'favourable': expected one of 'favourable_items'"):
        engage.engagement_index(x, "favourable")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="has 1 points; engagement items need 2 to 11"):
        engage.engagement_index(x, scale=(1, 1))
    with pytest.raises(engage.InvalidInputError, match="has 12 points"):
        engage.engagement_index(x, scale=(0, 11))
    with pytest.raises(ValueError, match="has 12 points"):
        engage.glint_bands((0, 11))
    with pytest.raises(TypeError, match="scale must be a pair"):
        engage.engagement_index(x, scale=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale = 1.5"):
        engage.engagement_index(x, scale=(1.5, 5))  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="bands"):
        engage.engagement_index(x, bands=(4, 3))
    with pytest.raises(ValueError, match="column position 2 is out of range"):
        engage.engagement_index(x, reverse=[2])
    with pytest.raises(engage.InvalidInputError, match="listed twice"):
        engage.engagement_index(x, reverse=[1, 1])
    with pytest.raises(ValueError, match="'q9' is not a column position"):
        engage.engagement_index(pd.DataFrame(x, columns=["q1", "q2"]), reverse=["q9"])
    with pytest.raises(engage.InvalidInputError, match="dont_know = 3: lies on the scale"):
        engage.engagement_index(x, dont_know=3)
    with pytest.raises(TypeError, match="dont_know = .9.: must be a number"):
        engage.engagement_index(x, dont_know="9")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="min_answered = 3: more than the 2 items"):
        engage.engagement_index(x, min_answered=3)
    with pytest.raises(ValueError, match="min_answered = 0"):
        engage.engagement_index(x, min_answered=0)
    with pytest.raises(engage.InvalidInputError, match="top three points"):
        engage.engagement_index([[1, 2]], "top3", scale=(1, 3))
    with pytest.raises(engage.InvalidInputError, match="rescale: only for method"):
        engage.engagement_index(x, rescale=(0, 10))
    with pytest.raises(engage.InvalidInputError, match="population_size = 1"):
        engage.engagement_index(x, population_size=1)
    r = engage.engagement_index(x)
    with pytest.raises(engage.InvalidInputError, match="confidence_level = 95"):
        r.confidence_interval(95)
    with pytest.raises(ValueError, match="its interval is 'wilson'"):
        r.confidence_interval(method="t")
    with pytest.raises(ValueError, match="rule = 'gallup'"):
        engage.engagement_categories(x, rule="gallup")  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="actively_disengaged < engaged"):
        engage.engagement_categories(x, engaged=2, actively_disengaged=3)
    with pytest.raises(engage.InvalidInputError, match="sum to more than 1"):
        engage.engagement_categories(x, rule="share", engaged=0.5, actively_disengaged=0.5)
    with pytest.raises(engage.InvalidInputError, match="min_answered = 3"):
        engage.scale_scores(x, min_answered=3)
    one = engage.engagement_index([[4, 5]], "person_mean")
    assert math.isnan(one.standard_error) and all(math.isnan(v) for v in one.confidence_interval())


def test_engagement_index_by_bad_input() -> None:
    df = pd.DataFrame({"team": ["a", "b"], "q1": [1.0, 12.0]})
    with pytest.raises(engage.InvalidInputError, match=r"items\[1, 0\] = 12: .*column 'q1'"):
        engage.engagement_index_by(df, items=["q1"], by="team")
    with pytest.raises(KeyError, match="'nope'"):
        engage.engagement_index_by(df, items=["nope"], by="team")
    with pytest.raises(KeyError, match="by"):
        engage.engagement_index_by(df, items=["q1"], by="dept")
    with pytest.raises(TypeError, match="DataFrame"):
        engage.engagement_index_by([[1, 2]], items=["q1"], by="team")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_group_size"):
        engage.engagement_index_by(df, items=["q1"], by="team", min_group_size=0)
    with pytest.raises(ValueError, match="method"):
        engage.engagement_index_by(df, items=["q1"], by="team", method="mean")  # type: ignore[arg-type]
    with pytest.raises(engage.InsufficientDataError, match="no rows"):
        engage.engagement_index_by(df.iloc[:0], items=["q1"], by="team")
    with pytest.raises(engage.InsufficientDataError, match="no person"):
        engage.engagement_index_by(df.assign(q1=np.nan), items=["q1"], by="team")
    ok = df.assign(q1=[1.0, 2.0])
    with pytest.raises(ValueError, match="no population size for group"):
        engage.engagement_index_by(ok, items=["q1"], by="team", population=pd.Series({"a": 10}),
                                   release=engage.Release(min_group_size=1, min_distribution_size=1))
    with pytest.raises(TypeError, match="population must be"):
        engage.engagement_index_by(ok, items=["q1"], by="team", population={"a": 10})  # type: ignore[arg-type]
