"""Issue 13: every function that takes an item matrix checks it as ``engagement_index`` does (``scale=``,
``dont_know=``, ``reverse=``), and every numeric argument refuses dtypes that are not real numbers (complex,
boolean scores, durations, dates, text) with an ``InvalidTypeError`` naming the argument and the dtype."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import engage
from engage import EngageError

SURVEY = Path(__file__).resolve().parents[2] / "examples" / "data" / "survey.csv"
ITEMS = [f"q{i:02d}" for i in range(1, 13)]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return pd.read_csv(SURVEY)


# ---------------------------------------------------------------------------------------------------------------
# 1. scale, dont_know and reverse on every item function
# ---------------------------------------------------------------------------------------------------------------


def test_alpha_of_the_sample_wave_2_is_the_reports(survey: pd.DataFrame) -> None:
    """The sample's wave-2 items hold 9 = "don't know" on a 1-5 scale: alpha of the answers on the scale is the
    report's 0.880; the 9s taken as answers gave 0.813 without a word."""
    w2 = survey[survey["wave"] == 2]
    a = engage.cronbach_alpha(w2[ITEMS], scale=(1, 5), dont_know=9)
    rep = engage.report.build_report(survey)
    shown = rep["reliability"]["waves"][-1]
    assert shown["wave"] == 2
    assert a.statistic == shown["alpha"] and a.n == shown["n"]
    assert f"{a.statistic:.3f}" == "0.880"
    assert f"{engage.cronbach_alpha(w2[ITEMS]).statistic:.3f}" == "0.813"  # the default reads any numbers
    with pytest.raises(EngageError, match=r"items\[\d+, \d+\] = 9: not a response on the scale.*column 'q\d\d'"):
        engage.cronbach_alpha(w2[ITEMS], scale=(1, 5))
    o = engage.omega(w2[ITEMS], scale=(1, 5), dont_know=9)
    assert shown["omega_total"] == o.omega_total


def _frame(seed: int = 4, n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    latent = rng.normal(size=n)
    answers = np.clip(np.round(3 + latent[:, None] + rng.normal(scale=0.7, size=(n, 4))), 1, 5)
    df = pd.DataFrame(answers, columns=["a", "b", "c", "d"], index=np.arange(100, 100 + n))
    df["d"] = 6 - df["d"]  # reverse-keyed
    df.iloc[[3, 7], 1] = 9.0  # don't know
    df.iloc[5, 2] = np.nan
    df["team"] = np.repeat(["x", "y"], n // 2)
    return df


ITEM_FUNCTIONS: list[tuple[str, Callable[..., Any]]] = [
    ("cronbach_alpha", lambda x, **kw: engage.cronbach_alpha(x, **kw).statistic),
    ("omega", lambda x, **kw: engage.omega(x, **kw).omega_total),
    ("cronbach_alpha_by", lambda x, **kw: engage.cronbach_alpha_by(
        x.assign(team=np.repeat(["x", "y"], len(x) // 2)), list(x.columns), "team", min_group_size=2, **kw)["alpha"]
     .tolist()),
    ("engagement_index", lambda x, **kw: engage.engagement_index(x, **kw).statistic),
    ("engagement_index_by", lambda x, **kw: engage.engagement_index_by(
        x.assign(team=np.repeat(["x", "y"], len(x) // 2)), list(x.columns), "team", min_group_size=2, **kw)
     ["statistic"].tolist()),
    ("favourability", lambda x, **kw: engage.favourability(x, **kw)["mean"].tolist()),
    ("scale_scores", lambda x, **kw: engage.scale_scores(x, **kw).scores.tolist()),
    ("engagement_categories", lambda x, **kw: engage.engagement_categories(x, **kw).engaged),
    ("rwg_j", lambda x, **kw: engage.rwg_j(x, np.repeat([1, 2], len(x) // 2), min_group_size=2, **kw)["rwg_j"]
     .tolist()),
    ("ad_index", lambda x, **kw: engage.ad_index(x, np.repeat([1, 2], len(x) // 2), min_group_size=2, **kw)["ad"]
     .tolist()),
]


@pytest.mark.parametrize("name,fn", ITEM_FUNCTIONS, ids=[n for n, _ in ITEM_FUNCTIONS])
def test_item_functions_share_scale_dont_know_and_reverse(name: str, fn: Callable[..., Any]) -> None:
    df = _frame()[["a", "b", "c", "d"]]
    # Off the scale without dont_know: the error names the row label, the column and the value.
    with pytest.raises(engage.InvalidInputError,
                       match=r"items\[3, 1\] = 9: not a response on the scale.*\(row label 103, column 'b'\)"):
        fn(df, scale=(1, 5))
    # With dont_know and reverse: the same figures as the recoded answers, whatever the function.
    recoded = df.mask(df == 9).assign(d=6 - df["d"])
    got = fn(df, scale=(1, 5), dont_know=9, reverse=["d"])
    want = fn(recoded, scale=(1, 5))
    assert got == want
    assert fn(df, scale=(1, 5), dont_know=9, reverse=[3]) == want  # positions as well as names
    with pytest.raises(engage.InvalidInputError, match="dont_know = 3: lies on the scale"):
        fn(df, scale=(1, 5), dont_know=3)
    with pytest.raises(engage.InvalidInputError, match="reverse: 'zz' is not a column"):
        fn(df, scale=(1, 5), dont_know=9, reverse=["zz"])
    with pytest.raises(engage.InvalidInputError, match=r"items\[0, 0\] = 2.5"):
        fn(df.assign(a=df["a"].astype(float).where(df.index != 100, 2.5)), scale=(1, 5), dont_know=9)


@pytest.mark.parametrize("name", ["cronbach_alpha", "omega", "rwg_j", "ad_index"])
def test_default_scale_none_reads_any_numbers(name: str) -> None:
    """Reliability and agreement also serve continuous scores: without ``scale`` nothing is checked against a
    Likert scale (as before), ``dont_know`` still marks missing answers, and ``reverse`` needs a scale."""
    fn = dict(ITEM_FUNCTIONS)[name]
    rng = np.random.default_rng(2)
    x = pd.DataFrame(np.clip(3 + rng.normal(size=(40, 4)) * 0.5 + rng.normal(size=(40, 1)), 1, 5), columns=list("abcd"))
    assert (x != x.round()).any().all()  # continuous: not Likert answers
    assert math.isfinite(np.nansum(fn(x)))
    dk = x.copy()
    dk.iloc[[1, 2], 0] = -99.0  # (off the span of the scale points)
    assert fn(dk, dont_know=-99) == fn(dk.mask(dk == -99))
    with pytest.raises(engage.InvalidInputError, match=r"reverse needs scale=\(low, high\)"):
        fn(x, reverse=["a"])


def test_agreement_scale_arguments() -> None:
    df = _frame()[["a", "b", "c", "d"]]
    groups = np.repeat([1, 2], 20)
    t = engage.rwg_j(df, groups, scale=(1, 5), dont_know=9, min_group_size=2)
    assert t["rwg_j"].tolist() == engage.rwg_j(df.mask(df == 9), groups, 5, min_group_size=2)["rwg_j"].tolist()
    with pytest.raises(engage.InvalidInputError, match="scale_points = 7 but scale = .1, 5. has 5 points"):
        engage.rwg_j(df, groups, 7, scale=(1, 5), dont_know=9)
    seven = engage.rwg_j(df.mask(df == 9), groups, scale=(1, 7), min_group_size=2)  # the scale gives A = 7
    assert seven["rwg_j"].tolist() == engage.rwg_j(df.mask(df == 9), groups, 7, min_group_size=2)["rwg_j"].tolist()
    # awg keeps its range (any numbers in it) and takes the don't-know code and reverse-keyed items
    a = engage.awg(df, groups, dont_know=9, reverse=["d"], min_group_size=2)
    b = engage.awg(df.mask(df == 9).assign(d=6 - df["d"]), groups, min_group_size=2)
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(engage.InvalidInputError, match="dont_know = 3: lies on the scale"):
        engage.awg(df, groups, dont_know=3)
    with pytest.raises(engage.InvalidInputError, match=r"items\[3, 1\] = 9"):
        engage.awg(df, groups)
    one = engage.ad_index(df["b"], groups, scale=(1, 5), dont_know=9, min_group_size=2)
    assert one["ad"].tolist() == engage.ad_index(df["b"].mask(df["b"] == 9), groups, min_group_size=2)["ad"].tolist()


def test_scored_items_is_the_engagement_coder() -> None:
    """One check: the reliability path and engagement_index refuse exactly the same cells with the same words."""
    for bad in (0.0, 6.0, 2.5, np.inf, -1.0):
        x = np.array([[1.0, 2.0], [3.0, bad], [4.0, 5.0]])
        messages = []
        for call in (lambda: engage.engagement_index(x), lambda: engage.cronbach_alpha(x, scale=(1, 5))):
            with pytest.raises(engage.InvalidInputError) as info:
                call()
            messages.append(str(info.value))
        assert messages[0] == messages[1] and messages[0].startswith("items[1, 1] = ")


# ---------------------------------------------------------------------------------------------------------------
# 2. dtypes that are not real numbers
# ---------------------------------------------------------------------------------------------------------------

N = 24
_RNG = np.random.default_rng(7)
SCORES = _RNG.integers(0, 11, N).astype(float)
ANSWERS = _RNG.integers(1, 6, (N, 3)).astype(float)
GROUPS = np.repeat([1, 2, 3], N // 3)
DURATION = _RNG.integers(1, 30, N).astype(float)


def _bad_columns(values: np.ndarray) -> dict[str, Any]:
    """The same values in every dtype engage must refuse, each as (numpy array, pandas Series)."""
    out: dict[str, Any] = {
        "complex128": values.astype(np.complex128) + 0j,
        "complex64": values.astype(np.complex64),
        "bool": values > np.median(values),
        "timedelta64[D]": values.astype("int64").astype("timedelta64[D]"),
        "datetime64[s]": values.astype("int64").astype("datetime64[s]"),
        "str": values.astype(str),
        "object (text)": np.array([str(v) for v in values], dtype=object),
        "object (bool)": np.array([bool(v > 3) for v in values], dtype=object),
        "object (complex)": np.array([complex(v, 1) for v in values], dtype=object),
    }
    return out


def _pandas_bad(values: np.ndarray) -> dict[str, pd.Series]:
    return {
        "boolean": pd.Series(values > np.median(values), dtype="boolean"),
        "string": pd.Series(values.astype(str), dtype="string"),
        "category": pd.Series(values, dtype="category"),
        "timedelta": pd.Series(pd.to_timedelta(values, unit="D")),
        "datetime tz": pd.Series(pd.to_datetime(values, unit="D", utc=True)),
    }


# (function, call taking one column of scores / a matrix of answers)
SCORE_FUNCTIONS: list[tuple[str, Callable[[Any], Any], np.ndarray]] = [
    ("enps", lambda s: engage.enps(s).statistic, SCORES),
    ("enps weights", lambda w: engage.enps(SCORES, w).statistic, np.ones(N) + (SCORES > 5)),
    ("enps_by", lambda s: engage.enps_by(pd.DataFrame({"team": GROUPS, "enps": s}), min_group_size=1)
     ["statistic"].tolist(), SCORES),
    ("enps_compare", lambda s: engage.enps_compare(s, SCORES).difference, SCORES),
    ("correlation x", lambda s: engage.correlation(s, DURATION).statistic, SCORES),
    ("correlation y", lambda s: engage.correlation(DURATION, s).statistic, SCORES),
    ("rwg", lambda s: engage.rwg(s, GROUPS, 11, min_group_size=1)["rwg"].tolist(), SCORES),
    ("icc", lambda s: engage.icc(s, GROUPS).icc1, SCORES),
    ("kaplan_meier duration", lambda d: engage.kaplan_meier(d).table["survival"].tolist(), DURATION),
    ("ad_index (one item)", lambda s: engage.ad_index(s, GROUPS, min_group_size=1)["ad"].tolist(), SCORES),
    ("adjust_pvalues", lambda p: engage.adjust_pvalues(p, "holm").tolist(), SCORES / 11 + 0.01),
]
MATRIX_FUNCTIONS: list[tuple[str, Callable[[Any], Any]]] = [
    ("engagement_index", lambda x: engage.engagement_index(x).statistic),
    ("favourability", lambda x: engage.favourability(x)["mean"].tolist()),
    ("scale_scores", lambda x: engage.scale_scores(x).scores.tolist()),
    ("engagement_categories", lambda x: engage.engagement_categories(x).engaged),
    ("omega", lambda x: engage.omega(x).omega_total),
    ("rwg_j", lambda x: engage.rwg_j(x, GROUPS, min_group_size=1)["rwg_j"].tolist()),
    ("ad_index", lambda x: engage.ad_index(x, GROUPS, min_group_size=1)["ad"].tolist()),
    ("awg", lambda x: engage.awg(x, GROUPS, min_group_size=1)["awg"].tolist()),
]


@pytest.mark.parametrize("name,fn,values", SCORE_FUNCTIONS, ids=[c[0] for c in SCORE_FUNCTIONS])
def test_score_arguments_refuse_dtypes_that_are_not_real_numbers(name: str, fn: Callable[[Any], Any],
                                                                 values: np.ndarray) -> None:
    for dtype, bad in {**_bad_columns(values), **_pandas_bad(values)}.items():
        for form in ([bad, pd.Series(bad)] if isinstance(bad, np.ndarray) else [bad]):
            with pytest.raises(engage.InvalidTypeError, match=r"must be numeric.*dtype") as info:
                fn(form)
            shown = str(pd.DataFrame({"v": form})["v"].dtype if name == "enps_by" else form.dtype)
            assert f"dtype {shown}" in str(info.value), (name, dtype, str(info.value))


@pytest.mark.parametrize("name,fn", MATRIX_FUNCTIONS + [("cronbach_alpha", lambda x: engage.cronbach_alpha(x))],
                         ids=[c[0] for c in MATRIX_FUNCTIONS] + ["cronbach_alpha"])
def test_item_matrices_refuse_dtypes_that_are_not_real_numbers(name: str, fn: Callable[[Any], Any]) -> None:
    for dtype, bad in _bad_columns(ANSWERS[:, 0]).items():
        if name in ("cronbach_alpha", "omega") and dtype in ("bool", "object (bool)"):
            continue  # reliability reads dichotomous items as 0/1 (alpha is then KR-20; test_reliability.py)
        frame = pd.DataFrame(ANSWERS, columns=["a", "b", "c"]).assign(b=bad)
        with pytest.raises(engage.InvalidTypeError, match=rf"items must be numeric.*column 'b' has dtype {re.escape(str(frame['b'].dtype))}"):
            fn(frame)
        matrix = np.column_stack([ANSWERS[:, 0].astype(bad.dtype), bad, bad]) if bad.dtype != object else None
        if matrix is not None and matrix.dtype.kind not in "iuf":
            with pytest.raises(engage.InvalidTypeError, match=rf"items must be numeric.*dtype {re.escape(str(matrix.dtype))}"):
                fn(matrix)


GOOD_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
               "float64", "Int64", "Int8", "UInt16", "Float64", "Float32"]


@pytest.mark.parametrize("name,fn,values", SCORE_FUNCTIONS, ids=[c[0] for c in SCORE_FUNCTIONS])
def test_score_arguments_take_every_integer_and_float_width(name: str, fn: Callable[[Any], Any],
                                                            values: np.ndarray) -> None:
    want = fn(values)
    for dtype in GOOD_DTYPES:
        if dtype == "float16" or (name == "adjust_pvalues" and dtype not in ("float64", "Float64")):
            continue  # float16 does not hold the values exactly; p-values are fractions (float32 rounds them)
        col = pd.Series(values).astype(dtype)
        assert fn(col) == want, (name, dtype)
        if dtype[0].islower():
            assert fn(col.to_numpy()) == want, (name, dtype)
    # pandas NA is missing, as NaN is
    if name.startswith(("enps", "kaplan", "correlation", "rwg", "icc", "ad_index")):
        with_na = pd.Series(values).astype("Float64")
        with_na.iloc[2] = pd.NA
        as_nan = values.copy()
        as_nan[2] = np.nan
        try:
            expected = fn(as_nan)
        except EngageError as err:  # e.g. kaplan_meier refuses missing durations by default
            with pytest.raises(type(err)):
                fn(with_na)
        else:
            got = fn(with_na)
            assert got == expected or (np.asarray(got, dtype=float).tolist() == np.asarray(expected, dtype=float)
                                       .tolist()), name


def test_object_arrays_of_numbers_and_missing_values() -> None:
    scores = np.array([1, 2.5, None, pd.NA, np.int8(4), 7], dtype=object)
    assert engage.correlation(scores, [1, 2, 3, 4, 5, 7]).n == 4
    with pytest.raises(engage.InvalidTypeError, match=r"x must be numeric; got dtype object: element 1 is 'b'"):
        engage.correlation(np.array([1, "b", 3], dtype=object), [1, 2, 3])
    with pytest.raises(engage.InvalidTypeError, match=r"element 0 is the boolean True"):
        engage.enps(np.array([True, 3, 4], dtype=object))


def test_indicators_still_take_booleans() -> None:
    """Booleans are refused as scores, not as 0/1 indicators: an event, an outcome, a design column."""
    t = np.array([1.0, 2, 3, 4, 5, 6])
    e = np.array([True, False, True, True, False, True])
    assert engage.kaplan_meier(t, e).table["survival"].tolist() == engage.kaplan_meier(t, e.astype(float)) \
        .table["survival"].tolist()
    assert engage.roc_auc(e, t).statistic == engage.roc_auc(e.astype(int), t).statistic
    with pytest.raises(engage.InvalidTypeError, match="duration must be numeric; got dtype bool"):
        engage.kaplan_meier(e, e)
