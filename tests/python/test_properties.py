"""Issue 13, property-based: the figures never depend on how the numbers arrive.

For each function, Hypothesis draws valid data (with missing values where the function takes them) as the canonical
float64 C-contiguous array, then the same values in another form: any int/uint/float width that holds them, pandas
nullable Int64/Float64 (NA = missing), Fortran order, a strided or negatively strided view, a read-only array, a
pandas Series or DataFrame with a shuffled index. Each call must give the canonical call's figures, or the same
``engage.EngageError`` as the canonical call; any other exception fails. The number of examples run per function is
counted in ``HYPOTHESIS_EXAMPLES`` and printed at the end of the session (conftest.py, ``pytest_terminal_summary``).
"""

from __future__ import annotations

import math
import warnings
from collections import Counter
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engage
from engage import EngageError

HYPOTHESIS_EXAMPLES: Counter[str] = Counter()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                    derandomize=True, database=None)

INT_DTYPES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]
FLOAT_DTYPES = ["float32", "float64"]
NULLABLE = ["Int64", "Float64"]
LAYOUTS = ["C", "F", "strided", "negative", "readonly"]


def _fits(values: np.ndarray, dtype: str) -> bool:
    """Whether every (non-missing) value is held exactly by ``dtype``."""
    finite = values[~np.isnan(values)]
    if dtype in ("float64", "Float64"):
        return True
    if dtype == "float32":
        return bool(np.all(finite.astype(np.float32).astype(np.float64) == finite))
    if np.any(finite != np.round(finite)):
        return False
    if dtype == "Int64":
        return True
    if np.isnan(values).any():
        return False  # numpy integers have no missing value
    info = np.iinfo(np.dtype(dtype))
    return bool(finite.size == 0 or (finite.min() >= info.min and finite.max() <= info.max))


@st.composite
def _form(draw: Any, values: np.ndarray) -> tuple[str, Any]:
    """The values of a canonical float64 array in another dtype and memory layout (numpy), or as nullable pandas."""
    dtypes = [d for d in INT_DTYPES + FLOAT_DTYPES + NULLABLE if _fits(values, d)]
    dtype = draw(st.sampled_from(dtypes))
    if dtype in NULLABLE:
        s = pd.array(np.where(np.isnan(values), None, values).ravel().tolist(), dtype=dtype)
        if values.ndim == 1:
            return f"{dtype}", pd.Series(s)
        frame = pd.DataFrame(np.asarray(s, dtype=object).reshape(values.shape)).astype(dtype)
        return f"{dtype}", frame
    arr = values.astype(dtype)
    layout = draw(st.sampled_from(LAYOUTS))
    if layout == "F":
        arr = np.asfortranarray(arr)
    elif layout == "strided":
        big = np.zeros((arr.shape[0] * 2,) + arr.shape[1:], dtype=arr.dtype)
        big[::2] = arr
        arr = big[::2]
    elif layout == "negative":
        arr = arr[::-1].copy()[::-1]
    elif layout == "readonly":
        arr = arr.copy()
        arr.setflags(write=False)
    return f"{dtype}/{layout}", arr


def _figures(result: Any) -> list[float]:
    """The numbers of a result, flattened (DataFrames: their numeric columns; results: their float fields)."""
    if isinstance(result, pd.DataFrame):
        out: list[float] = []
        for c in result.columns:
            col = result[c]
            if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
                out.extend(col.to_numpy(dtype=np.float64, na_value=np.nan).tolist())
            else:
                out.extend(str(v) for v in col)  # type: ignore[misc]
        return out
    if isinstance(result, np.ndarray):
        return [float(v) if isinstance(v, (int, float, np.number)) else v for v in result.ravel()]
    if isinstance(result, (tuple, list)):
        return [x for r in result for x in _figures(r)]
    if hasattr(result, "to_frame"):  # an engage result: its published fields
        return _figures(result.to_frame())
    return [float(result)]


def _same(a: list[Any], b: list[Any]) -> bool:
    if len(a) != len(b):
        return False
    for x, y in zip(a, b):
        if isinstance(x, float) and isinstance(y, float):
            if math.isnan(x) and math.isnan(y):
                continue
            if not math.isclose(x, y, rel_tol=1e-12, abs_tol=1e-12):
                return False
        elif x != y:
            return False
    return True


def _outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", figures) or ("error", the EngageError class); any other exception propagates and fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # engage warnings (degenerate data) are not the point here
        try:
            return "ok", _figures(call())
        except EngageError as err:
            return "error", type(err)


def _check(name: str, canonical: Callable[[], Any], variant: Callable[[], Any], what: str) -> None:
    HYPOTHESIS_EXAMPLES[name] += 1
    want, got = _outcome(canonical), _outcome(variant)
    assert got[0] == want[0], f"{name} with {what}: canonical {want}, variant {got}"
    if want[0] == "ok":
        assert _same(got[1], want[1]), f"{name} with {what}: {got[1]} != {want[1]}"
    else:
        assert got[1] is want[1], f"{name} with {what}: canonical raised {want[1]}, variant {got[1]}"


def _with_nan(draw: Any, values: np.ndarray, share: float = 0.3) -> np.ndarray:
    pattern = draw(st.sampled_from(["none", "some", "column", "row", "all"]))
    out = values.astype(np.float64).copy()
    if pattern == "some":
        mask = np.asarray(draw(st.lists(st.booleans(), min_size=out.size, max_size=out.size))).reshape(out.shape)
        out[mask & (np.arange(out.size).reshape(out.shape) % 3 == 0)] = np.nan
    elif pattern == "column" and out.ndim == 2:
        out[:, 0] = np.nan
    elif pattern == "row":
        out[0] = np.nan
    elif pattern == "all":
        out[:] = np.nan
    return out


def _ints(draw: Any, low: int, high: int, shape: tuple[int, ...]) -> np.ndarray:
    n = int(np.prod(shape))
    return np.asarray(draw(st.lists(st.integers(low, high), min_size=n, max_size=n)), dtype=np.float64).reshape(shape)


def _shuffled_index(draw: Any, n: int) -> pd.Index:
    labels = draw(st.permutations(list(range(1000, 1000 + n))))
    return pd.Index(labels)


# ---------------------------------------------------------------------------------------------------------------


@SETTINGS
@given(st.data())
def test_enps(data: Any) -> None:
    n = data.draw(st.integers(1, 40))
    s = _with_nan(data.draw, _ints(data.draw, 0, 10, (n,)))
    what, form = data.draw(_form(s))
    _check("enps", lambda: engage.enps(s), lambda: engage.enps(form), what)


@SETTINGS
@given(st.data())
def test_enps_by(data: Any) -> None:
    n = data.draw(st.integers(1, 40))
    s = _with_nan(data.draw, _ints(data.draw, 0, 10, (n,)))
    teams = _ints(data.draw, 0, 3, (n,)).astype(int)
    what, form = data.draw(_form(s))
    index = _shuffled_index(data.draw, n)
    col = form.to_numpy() if isinstance(form, pd.Series) else form
    canonical = pd.DataFrame({"team": teams, "enps": s})
    variant = pd.DataFrame({"team": teams, "enps": pd.Series(col, dtype=getattr(form, "dtype", None))})
    variant.index = index
    _check("enps_by", lambda: engage.enps_by(canonical, min_group_size=2),
           lambda: engage.enps_by(variant, min_group_size=2), what + "/shuffled index")


@SETTINGS
@given(st.data())
def test_engagement_index(data: Any) -> None:
    n, k = data.draw(st.integers(1, 25)), data.draw(st.integers(1, 5))
    x = _with_nan(data.draw, _ints(data.draw, 1, 5, (n, k)))
    method = data.draw(st.sampled_from(engage.INDEX_METHODS))
    what, form = data.draw(_form(x))
    _check("engagement_index", lambda: engage.engagement_index(x, method),
           lambda: engage.engagement_index(form, method), f"{what}/{method}")


@SETTINGS
@given(st.data())
def test_engagement_index_by(data: Any) -> None:
    n, k = data.draw(st.integers(1, 30)), data.draw(st.integers(1, 4))
    x = _with_nan(data.draw, _ints(data.draw, 1, 5, (n, k)))
    teams = _ints(data.draw, 0, 2, (n,)).astype(int)
    what, form = data.draw(_form(x))
    items = [f"q{j}" for j in range(k)]
    canonical = pd.DataFrame(x, columns=items).assign(team=teams)
    variant = (form if isinstance(form, pd.DataFrame) else pd.DataFrame(form)).set_axis(items, axis=1)
    variant = variant.assign(team=teams).set_axis(_shuffled_index(data.draw, n), axis=0)
    _check("engagement_index_by", lambda: engage.engagement_index_by(canonical, items, min_group_size=2),
           lambda: engage.engagement_index_by(variant, items, min_group_size=2), what + "/shuffled index")


@SETTINGS
@given(st.data())
def test_cronbach_alpha(data: Any) -> None:
    n, k = data.draw(st.integers(1, 25)), data.draw(st.integers(2, 5))
    x = _with_nan(data.draw, _ints(data.draw, 1, 5, (n, k)))
    missing = data.draw(st.sampled_from(["pairwise", "listwise"]))
    scale = data.draw(st.sampled_from([None, (1, 5)]))
    what, form = data.draw(_form(x))

    def run(v: Any) -> Any:
        a = engage.cronbach_alpha(v, missing=missing, scale=scale)
        return [a.statistic, a.standardized, a.n, a.missing]

    _check("cronbach_alpha", lambda: run(x), lambda: run(form), f"{what}/{missing}/scale={scale}")


@SETTINGS
@given(st.data())
def test_rwg(data: Any) -> None:
    n = data.draw(st.integers(1, 30))
    x = _with_nan(data.draw, _ints(data.draw, 1, 5, (n,)))
    groups = _ints(data.draw, 0, 3, (n,)).astype(int)
    what, form = data.draw(_form(x))
    _check("rwg", lambda: engage.rwg(x, groups, min_group_size=1), lambda: engage.rwg(form, groups, min_group_size=1),
           what)


@SETTINGS
@given(st.data())
def test_rwg_j(data: Any) -> None:
    n, k = data.draw(st.integers(1, 25)), data.draw(st.integers(1, 4))
    x = _with_nan(data.draw, _ints(data.draw, 1, 5, (n, k)))
    groups = _ints(data.draw, 0, 2, (n,)).astype(int)
    missing = data.draw(st.sampled_from(["listwise", "pairwise"]))
    what, form = data.draw(_form(x))
    _check("rwg_j", lambda: engage.rwg_j(x, groups, missing=missing, min_group_size=1),
           lambda: engage.rwg_j(form, groups, missing=missing, min_group_size=1), f"{what}/{missing}")


@SETTINGS
@given(st.data())
def test_icc(data: Any) -> None:
    n = data.draw(st.integers(1, 30))
    x = _with_nan(data.draw, _ints(data.draw, -5, 200, (n,)))
    groups = _ints(data.draw, 0, 4, (n,)).astype(int)
    what, form = data.draw(_form(x))

    def run(v: Any) -> Any:
        r = engage.icc(v, groups)
        return [r.icc1, r.icc2, r.f, r.n, r.missing]

    _check("icc", lambda: run(x), lambda: run(form), what)


@SETTINGS
@given(st.data())
def test_correlation(data: Any) -> None:
    n = data.draw(st.integers(1, 30))
    x = _with_nan(data.draw, _ints(data.draw, 0, 100, (n,)))
    y = _ints(data.draw, 0, 10, (n,))
    method = data.draw(st.sampled_from(["pearson", "spearman", "kendall"]))
    what, form = data.draw(_form(x))

    def run(v: Any) -> Any:
        r = engage.correlation(v, y, method=method)
        return [r.statistic, r.pvalue, r.n]

    _check("correlation", lambda: run(x), lambda: run(form), f"{what}/{method}")


@SETTINGS
@given(st.data())
def test_kaplan_meier(data: Any) -> None:
    n = data.draw(st.integers(1, 30))
    d = _ints(data.draw, 0, 60, (n,))
    e = _ints(data.draw, 0, 1, (n,))
    what, form = data.draw(_form(d))
    event_form = data.draw(st.sampled_from(["float", "int8", "bool"]))
    ev = e.astype(event_form)

    def run(v: Any, w: Any) -> Any:
        return engage.kaplan_meier(v, w).table[["time", "at_risk", "events", "survival"]]

    _check("kaplan_meier", lambda: run(d, e), lambda: run(form, ev), f"{what}/event {event_form}")


@SETTINGS
@given(st.data())
def test_suppress(data: Any) -> None:
    k = data.draw(st.integers(1, 12))
    n = _ints(data.draw, 0, 30, (k,))
    parent = _ints(data.draw, 0, 2, (k,)) if data.draw(st.booleans()) else None
    what, form = data.draw(_form(n))
    _check("suppress", lambda: engage.suppress(n, parent, min_group_size=5),
           lambda: engage.suppress(form, parent, min_group_size=5), what)


def test_every_function_ran_its_examples() -> None:
    """Runs last in this file: each property above drew its examples (the counts are printed in the summary)."""
    expected = {"enps", "enps_by", "engagement_index", "engagement_index_by", "cronbach_alpha", "rwg", "rwg_j", "icc",
                "correlation", "kaplan_meier", "suppress"}
    ran = {name for name in expected if HYPOTHESIS_EXAMPLES[name] > 0}
    if not ran:
        pytest.fail("no property test ran before this one (run the whole file)")
    assert ran == expected, sorted(expected - ran)
    print("hypothesis examples per function:", dict(sorted(HYPOTHESIS_EXAMPLES.items())))
