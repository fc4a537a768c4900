"""Within-group agreement: R multilevel 2.7 / psych reference values (tests/data/agreement_reference.R), the
missing-data policies, grouping and suppression, and bad input."""

from __future__ import annotations

import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import engage

REL = 1e-8
DATA = Path(__file__).resolve().parents[1] / "data"
LEAD = [f"LEAD{i:02d}" for i in range(1, 12)]


@pytest.fixture(scope="module")
def ref(load_reference: Any) -> Any:
    return load_reference("agreement_reference.json")


@pytest.fixture(scope="module")
def datasets(ref: Any) -> dict[str, pd.DataFrame]:
    return {name: pd.read_csv(DATA / file) for name, file in ref["provenance"]["datasets"].items()}


def _run(case: dict[str, Any], x: Any, groups: Any) -> pd.DataFrame:
    f = case["function"]
    if f == "rwg":
        return engage.rwg(x, groups, null_variance=case["null_variance"], min_group_size=1)
    if f in ("rwg_j", "rwg_j_lindell"):
        method = "james" if f == "rwg_j" else "lindell"
        return engage.rwg_j(x, groups, null_variance=case["null_variance"], method=method, min_group_size=1)
    if f == "ad":
        return engage.ad_index(x, groups, case["type"], min_group_size=1)
    if f == "awg":
        return engage.awg(x, groups, tuple(case["range"]), min_group_size=1)
    raise AssertionError(f)


def _column(f: str) -> str:
    return {"rwg": "rwg", "rwg_j": "rwg_j", "rwg_j_lindell": "rwg_j_lindell", "ad": "ad", "awg": "awg"}[f]


def _compare(table: pd.DataFrame, case: dict[str, Any], what: str) -> None:
    res = case["result"]
    stat = table.set_index("group")
    column = _column(case["function"])
    for g, expected, n in zip(res["group"], res["statistic"], res["n"]):
        row = stat.loc[g]
        assert row["n"] == n, (what, g)
        if expected is None:
            assert math.isnan(row[column]), (what, g, row[column])
        else:
            assert row[column] == pytest.approx(expected, rel=REL, abs=1e-12), (what, g)
    # Groups R leaves out have no usable respondent: kept, hidden, n 0 (shown as missing).
    absent = stat.loc[~stat.index.isin(res["group"])]
    assert (absent["suppression"] == "below_minimum").all(), what
    assert absent["n"].isna().all(), what


def test_dataset_cases_match_multilevel(ref: Any, datasets: dict[str, pd.DataFrame]) -> None:
    assert len(ref["cases"]) >= 40
    for case in ref["cases"]:
        d = datasets[case["dataset"]]
        x = d[case["x"][0]] if len(case["x"]) == 1 else d[case["x"]]
        table = _run(case, x, d[case["groups"]])
        _compare(table, case, f'{case["function"]} {case["dataset"]} {case["x"][0]} ({len(case["x"])} items)')


def test_inline_edge_cases_match_multilevel(ref: Any) -> None:
    for case in ref["inline_cases"]:
        x = np.array(case["x"], dtype=float)  # None -> nan
        if x.ndim == 2:
            x = x.T  # stored as columns
        _compare(_run(case, x, case["groups"]), case, f'inline {case["function"]} {case["result"]["group"]}')


def test_icc_matches_aov_and_statsby(ref: Any, datasets: dict[str, pd.DataFrame]) -> None:
    for case in ref["icc"]:
        d = datasets[case["dataset"]]
        x = d[case["x"]].mean(axis=1) if case["scale_mean"] else d[case["x"][0]]
        r = engage.icc(x, d[case["groups"]])
        for name in ("icc1", "icc2", "f", "pvalue", "ms_between", "ms_within", "mean_group_size"):
            assert getattr(r, name) == pytest.approx(case[name], rel=REL), (case["label"], name)
        for name in ("df_between", "df_within", "n_groups", "n", "missing"):
            assert getattr(r, name) == case[name], (case["label"], name)
        for iv in case["intervals"]:
            for which in ("icc1", "icc2"):
                low, high = r.confidence_interval(which, iv["level"])
                assert low == pytest.approx(iv[f"{which}_low"], rel=REL), (case["label"], which)
                assert high == pytest.approx(iv[f"{which}_high"], rel=REL), (case["label"], which)


def test_icc_matches_scipy_f_oneway(datasets: dict[str, pd.DataFrame]) -> None:
    scipy_stats = pytest.importorskip("scipy.stats")
    d = datasets["lq2002_na"].dropna(subset=["LEAD07"])
    samples = [g["LEAD07"].to_numpy() for _, g in d.groupby("COMPID")]
    expected = scipy_stats.f_oneway(*samples)
    r = engage.icc(d["LEAD07"], d["COMPID"])
    assert r.f == pytest.approx(expected.statistic, rel=REL)
    assert r.pvalue == pytest.approx(expected.pvalue, rel=1e-6)


def test_methods_md_values() -> None:
    assert engage.null_variance(5) == 2.0
    assert engage.null_variance(7) == 4.0
    assert engage.null_variance(9) == pytest.approx(6.67, abs=5e-3)
    presets = {"slight_skew": 1.34, "moderate_skew": 0.90, "heavy_skew": 0.44, "triangular": 1.32, "normal": 1.04}
    for shape, value in presets.items():
        assert engage.null_variance(5, shape) == value  # type: ignore[arg-type]
    with pytest.raises(engage.InvalidInputError, match="5-point scales only"):
        engage.null_variance(7, "normal")
    # A preset name and the number give the same table.
    x, g = [1, 2, 2, 3, 3, 3, 4], [1, 1, 1, 1, 2, 2, 2]
    a = engage.rwg(x, g, null_variance="slight_skew", min_group_size=1)
    b = engage.rwg(x, g, null_variance=1.34, min_group_size=1)
    pd.testing.assert_frame_equal(a, b)
    # scale_points sets the uniform null: 7 points -> 4.0.
    assert engage.rwg([1, 2, 3], [1, 1, 1], 7, min_group_size=1)["rwg"].iloc[0] == pytest.approx(0.75)


def test_pairwise_matches_direct_computation(datasets: dict[str, pd.DataFrame]) -> None:
    d = datasets["lq2002_na"]
    sigma2 = 2.0
    lind = engage.rwg_j(d[LEAD], d["COMPID"], method="lindell", missing="pairwise", min_group_size=1)
    james = engage.rwg_j(d[LEAD], d["COMPID"], missing="pairwise", min_group_size=1)
    ad = engage.ad_index(d[LEAD], d["COMPID"], "median", missing="pairwise", min_group_size=1)
    grouped = d.groupby("COMPID")[LEAD]
    var = grouped.var(ddof=1)
    counts = grouped.count()
    mean_var = var.mean(axis=1).where((counts >= 2).all(axis=1))
    expected_lind = 1 - mean_var / sigma2
    r = mean_var / sigma2
    expected_james = (len(LEAD) * (1 - r) / (len(LEAD) * (1 - r) + r)).mask(mean_var >= sigma2, 0.0)
    mad = grouped.agg(lambda s: (s.dropna() - s.dropna().median()).abs().mean()).mean(axis=1)
    expected_ad = mad.where((counts >= 2).all(axis=1))
    answered = d[LEAD].notna().any(axis=1).groupby(d["COMPID"]).sum()
    for table, column, expected in ((lind, "rwg_j_lindell", expected_lind), (james, "rwg_j", expected_james),
                                    (ad, "ad", expected_ad)):
        got = table.set_index("group")[column]
        pd.testing.assert_series_equal(got.rename(None), expected.rename(None), check_names=False, rtol=1e-10,
                                       check_index_type=False)
        assert (table.set_index("group")["n"].astype(int) == answered.reindex(got.index)).all()
    # Without missing answers the two policies agree.
    full = datasets["lq2002"]
    a = engage.rwg_j(full[LEAD], full["COMPID"], missing="pairwise")
    b = engage.rwg_j(full[LEAD], full["COMPID"])
    pd.testing.assert_frame_equal(a, b)


def test_listwise_counts_dropped_rows() -> None:
    items = np.array([[1, 2], [2, np.nan], [3, 4], [np.nan, np.nan], [2, 2]], dtype=float)
    t = engage.rwg_j(items, [1, 1, 1, 1, 1], min_group_size=1)
    assert t["n"].iloc[0] == 3
    assert t["missing"].iloc[0] == 2
    p = engage.rwg_j(items, [1, 1, 1, 1, 1], missing="pairwise", min_group_size=1)
    assert p["n"].iloc[0] == 4
    assert p["missing"].iloc[0] == 1


def test_groups_of_any_type_and_several_key_columns() -> None:
    rng = np.random.default_rng(7)
    x = rng.integers(1, 6, size=60).astype(float)
    labels = np.repeat(["north", "south", "east", "west"], 15)
    by_int = engage.rwg(x, np.repeat([3, 1, 0, 2], 15))
    by_str = engage.rwg(x, labels)
    by_cat = engage.rwg(x, pd.Series(pd.Categorical(labels)))
    by_idx = engage.rwg(x, pd.Series(labels, index=np.arange(100, 160)))  # the index does not matter
    assert by_str["group"].tolist() == ["east", "north", "south", "west"]
    assert by_int["group"].tolist() == [0, 1, 2, 3]
    np.testing.assert_allclose(by_str["rwg"], by_int["rwg"].to_numpy()[[0, 3, 1, 2]])
    pd.testing.assert_frame_equal(by_str, by_idx)
    np.testing.assert_allclose(by_cat["rwg"], by_str["rwg"])
    # Two key columns: the output carries both, and suppression works within the first.
    keys = pd.DataFrame({"dept": ["d1"] * 12 + ["d2"] * 10, "team": ["t1"] * 9 + ["t2"] * 3 + ["t3"] * 5 + ["t4"] * 5})
    t = engage.ad_index(np.arange(22) % 5 + 1.0, keys)
    assert list(t.columns[:2]) == ["dept", "team"]
    status = dict(zip(zip(t["dept"], t["team"]), t["suppression"]))
    assert status == {("d1", "t1"): "complementary", ("d1", "t2"): "below_minimum",
                      ("d2", "t3"): "shown", ("d2", "t4"): "shown"}
    # Missing group keys form their own group rather than vanishing.
    m = engage.rwg([1, 2, 3, 4, 5, 5], ["a", "a", "a", None, None, None], min_group_size=1)
    assert len(m) == 2 and m["n"].tolist() == [3, 3]


def test_suppression_defaults() -> None:
    x = np.array([1, 2, 3, 2, 2, 3, 4, 4, 5, 5, 4, 4, 3, 1, 1], dtype=float)
    g = [1] * 6 + [2] * 2 + [3] * 7
    for table, column in ((engage.rwg(x, g), "rwg"), (engage.rwg_j(np.c_[x, x], g), "rwg_j"),
                          (engage.ad_index(x, g), "ad"), (engage.awg(x, g), "awg")):
        assert table["suppression"].tolist() == ["complementary", "below_minimum", "shown"], column
        assert table["suppressed"].tolist() == [True, True, False]
        assert table[column].iloc[:2].isna().all()
        assert table["n"].iloc[:2].isna().all() and table["missing"].iloc[:2].isna().all()
    shown_n = engage.rwg(x, g, show_suppressed_n=True)
    assert shown_n["n"].tolist() == [6, 2, 7]
    assert shown_n["rwg"].iloc[:2].isna().all()


def test_icc_result_object() -> None:
    r = engage.icc([3, 4, 3, 5, 4, 5, 1, 2, 2, 3, 2, 3], [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    assert repr(r).startswith("IccResult(icc1=0.815385, icc2=0.929825, f=14.25")
    frame = r.to_frame()
    assert list(frame.columns)[:3] == ["icc1", "icc2", "f"]
    assert "<table>" in r._repr_html_()
    low, high = r.confidence_interval()
    assert low < r.icc1 < high
    low2, high2 = r.confidence_interval("icc2", 0.5)
    assert low2 < r.icc2 < high2
    with pytest.raises(dataclasses_frozen_error()):
        r.icc1 = 0.0  # type: ignore[misc]
    # Each group constant, groups different: F infinite, both ICCs 1, intervals [1, 1].
    c = engage.icc([1, 1, 2, 2, 3, 3], [1, 1, 2, 2, 3, 3])
    assert math.isinf(c.f) and c.icc1 == 1.0 and c.icc2 == 1.0 and c.pvalue == 0.0
    assert tuple(c.confidence_interval()) == (1.0, 1.0)


def dataclasses_frozen_error() -> type[Exception]:
    import dataclasses

    return dataclasses.FrozenInstanceError


def test_pandas_nullable_and_dataframe_items() -> None:
    items = pd.DataFrame({"a": pd.array([1, 2, None, 4], dtype="Int64"), "b": [2.0, 2.0, 3.0, 5.0]})
    t = engage.rwg_j(items, [1, 1, 1, 1], method="lindell", min_group_size=1)
    assert t["n"].iloc[0] == 3 and t["missing"].iloc[0] == 1
    expected = 1 - (np.var([1, 2, 4], ddof=1) + np.var([2, 2, 5], ddof=1)) / 2 / 2
    assert t["rwg_j_lindell"].iloc[0] == pytest.approx(expected)


def test_threads_give_identical_tables() -> None:
    rng = np.random.default_rng(3)
    items = rng.integers(1, 6, size=(20000, 5)).astype(float)
    groups = rng.integers(0, 500, size=20000)
    expected = engage.rwg_j(items, groups)
    results: list[pd.DataFrame] = []

    def work() -> None:
        results.append(engage.rwg_j(items, groups))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 4
    for r in results:
        pd.testing.assert_frame_equal(r, expected)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: engage.rwg([], []), engage.InsufficientDataError, "no rows"),
        (lambda: engage.rwg([np.nan, np.nan], [1, 2]), engage.InsufficientDataError, "missing"),
        (lambda: engage.rwg([1, 2, 3], [1, 1]), engage.InvalidInputError, "x has 3 elements but groups has 2"),
        (lambda: engage.rwg(["a", "b"], [1, 1]), TypeError, "x must be numeric"),
        (lambda: engage.rwg([[1, 2], [3, 4]], [1, 1]), ValueError, "one-dimensional"),
        (lambda: engage.rwg([1, np.inf], [1, 1]), engage.InvalidInputError, r"x\[1\] = inf"),
        (lambda: engage.rwg([1, 2], [1, 1], null_variance=0.0), engage.InvalidInputError, "null_variance = 0"),
        (lambda: engage.rwg([1, 2], [1, 1], null_variance=-1), engage.InvalidInputError, "positive"),
        (lambda: engage.rwg([1, 2], [1, 1], null_variance="skewed"), ValueError, "null_variance = 'skewed'"),
        (lambda: engage.rwg([1, 2], [1, 1], null_variance=[2.0]), TypeError, "null_variance must be"),
        (lambda: engage.rwg([1, 2], [1, 1], scale_points=1), engage.InvalidInputError, "at least 2 points"),
        (lambda: engage.rwg([1, 2], [1, 1], scale_points=5.5), TypeError, "scale_points"),
        (lambda: engage.rwg([1, 2], [1, 1], min_group_size=0), ValueError, "min_group_size"),
        (lambda: engage.rwg([1, 2], [[1, 1]]), ValueError, "groups must be one-dimensional"),
        (lambda: engage.rwg_j([[1, 2], [3, 4]], [1]), engage.InvalidInputError, "items .rows. has 2"),
        (lambda: engage.rwg_j([[1, 2]], [1], method="bliese"), ValueError, "method = 'bliese'"),
        (lambda: engage.rwg_j([[1, 2]], [1], missing="available"), ValueError, "missing = 'available'"),
        (lambda: engage.rwg_j(np.ones((2, 2, 2)), [1, 1]), ValueError, "1-D .one item. or 2-D"),
        (lambda: engage.rwg_j(np.empty((2, 0)), [1, 1]), engage.InvalidInputError, "no columns"),
        (lambda: engage.rwg_j([[1, np.inf]], [1]), engage.InvalidInputError, r"items\[0, 1\] = inf"),
        (lambda: engage.rwg_j(pd.DataFrame({"a": ["x"], "b": [1]}), [1]), TypeError, r"\['a'\]"),
        (lambda: engage.rwg_j(np.array([["a", "b"]]), [1]), TypeError, "numeric"),
        (lambda: engage.ad_index([1, 2], [1, 1], "mode"), ValueError, "type = 'mode'"),
        (lambda: engage.ad_index([[np.nan, 1]], [1]), engage.InsufficientDataError, "no usable"),
        (lambda: engage.awg([1, 6], [1, 1]), engage.InvalidInputError, r"x\[1\] = 6.*\[1, 5\]"),
        (lambda: engage.awg([[1, 2], [0, 3]], [1, 1]), engage.InvalidInputError, r"items\[1, 0\] = 0"),
        (lambda: engage.awg([1, 2], [1, 1], scale=(5, 1)), engage.InvalidInputError, "low < high"),
        (lambda: engage.awg([1, 2], [1, 1], scale=(1, 3, 5)), ValueError, "expected .low, high."),
        (lambda: engage.icc([1, 2, 3], [1, 1, 1]), engage.InsufficientDataError, "at least two groups"),
        (lambda: engage.icc([1, 2, 3], [1, 2, 3]), engage.InsufficientDataError, "df_within = 0"),
        (lambda: engage.icc([2, 2, 2, 2], [1, 1, 2, 2]), engage.InsufficientDataError, "no variance"),
        (lambda: engage.icc([np.nan, np.nan], [1, 2]), engage.InsufficientDataError, "all 2 values"),
        (lambda: engage.icc([], []), engage.InsufficientDataError, "no rows"),
        (lambda: engage.icc([1, 2], [1, 2, 3]), engage.InvalidInputError, "x has 2 elements but groups has 3"),
        (lambda: engage.icc(["a"], [1]), TypeError, "x must be numeric"),
        (lambda: engage.null_variance(5, "skewed"), ValueError, "shape = 'skewed'"),
        # answers further apart than the scale allows
        (lambda: engage.rwg([1, 7, 3], [1, 1, 2]), engage.InvalidInputError,
         r"x\[1\] = 7 and x\[0\] = 1 are 6 apart: more than a 5-point scale allows"),
        (lambda: engage.rwg_j([[1, 2], [3, 0]], [1, 1], scale_points=3), engage.InvalidInputError,
         r"items\[1, 0\] = 3 and items\[1, 1\] = 0 are 3 apart: more than a 3-point scale"),
        (lambda: engage.rwg_j([[1, 2], [3, 9]], [1, 1], scale_points=7, method="lindell"), engage.InvalidInputError,
         r"items\[1, 1\] = 9 .* 8 apart"),
        (lambda: engage.rwg([1, 7], [1, 1], null_variance="slight_skew"), engage.InvalidInputError, "5-point"),
    ],
)
def test_bad_input(call: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        call()


def test_scale_check_accepts_any_coding() -> None:
    """The check is on the spread of the answers, so 0-4 and 1-5 codings of a 5-point scale both pass; with the
    null variance given as a number the answers are not checked against scale_points."""
    zero_based = engage.rwg([0, 4, 2, 2], [1, 1, 2, 2], min_group_size=1)
    one_based = engage.rwg([1, 5, 3, 3], [1, 1, 2, 2], min_group_size=1)
    pd.testing.assert_frame_equal(zero_based, one_based)
    seven = engage.rwg_j([[1, 7], [2, 6], [1, 1]], [1, 1, 1], scale_points=7, min_group_size=1)
    assert seven["rwg_j"].iloc[0] >= 0
    numeric = engage.rwg([1, 7, 3], [1, 1, 1], null_variance=4.0, min_group_size=1)
    assert numeric["rwg"].iloc[0] == 0.0  # s^2 = 9.33 > 4: truncated
    assert engage.rwg([1, np.nan, 5], [1, 1, 1], min_group_size=1)["n"].iloc[0] == 2  # NaN is not an answer


def test_groups_of_one_are_not_defined() -> None:
    """A group of one respondent gives NaN ("not defined", as R's NA) for every index, never an error."""
    items = np.array([[1, 2], [2, 2], [4, 5], [5, 5], [3, 3]], dtype=float)
    groups = ["a", "a", "b", "b", "solo"]
    for table, column in (
        (engage.rwg(items[:, 0], groups, min_group_size=1), "rwg"),
        (engage.rwg_j(items, groups, min_group_size=1), "rwg_j"),
        (engage.rwg_j(items, groups, method="lindell", min_group_size=1), "rwg_j_lindell"),
        (engage.ad_index(items, groups, min_group_size=1), "ad"),
        (engage.awg(items, groups, min_group_size=1), "awg"),
    ):
        solo = table[table["group"] == "solo"].iloc[0]
        assert math.isnan(solo[column]) and solo["n"] == 1 and solo["suppression"] == "shown", column
        if column != "awg":  # a_wg is also NaN when a group mean lies outside its feasible band
            assert table[table["group"] != "solo"][column].notna().all(), column
    r = engage.icc(items[:, 0], groups)  # the single respondent counts in J and N, adds nothing within groups
    assert (r.n_groups, r.n, r.df_within) == (3, 5, 2)


def test_bad_interval_arguments() -> None:
    r = engage.icc([3, 4, 3, 5, 4, 5, 1, 2, 2], [1, 1, 1, 2, 2, 2, 3, 3, 3])
    with pytest.raises(engage.InvalidInputError, match="confidence_level = 95"):
        r.confidence_interval("icc1", 95)
    with pytest.raises(ValueError, match="which = 'icc3'"):
        r.confidence_interval("icc3")  # type: ignore[arg-type]
