"""Input conversion and checks shared by the Python wrappers: array-likes in, contiguous float64 views out;
scalar arguments checked before they reach the compiled core.

Numeric numpy arrays that are already contiguous float64 are passed through without a copy. Pandas nullable
columns (Int64, Float64 with <NA>) become float64 with NaN, which is engage's single representation of
"missing".

Every scalar argument goes through ``whole_number`` or ``real_number`` (``level`` for confidence levels) before
it is passed to ``_core``: pybind11 would otherwise answer a string, a bool or an integer too large for the C++
type with its "incompatible function arguments" signature dump. Errors are ``InvalidInputError`` (a
``ValueError``) or, for a wrong type, ``InvalidTypeError`` (also a ``TypeError``); both are ``engage.EngageError``
and name the argument and its value.
"""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._errors import ColumnError, InvalidInputError, InvalidTypeError

FloatArray = npt.NDArray[np.float64]


_KINDS = {"b": "boolean", "c": "complex", "m": "timedelta", "M": "datetime", "U": "text", "S": "bytes",
          "V": "structured", "O": "object"}


def _not_numeric(name: str, dtype: Any, allow_bool: bool, hint: str = "", column: Any = None) -> InvalidTypeError:
    """The error for data of a dtype engage does not read as numbers: names the argument (and the column of a
    DataFrame) and the dtype."""
    kind = dtype.kind if isinstance(dtype, np.dtype) else ("b" if pd.api.types.is_bool_dtype(dtype) else "")
    what = _KINDS.get(kind, "")
    accepted = "numeric or boolean" if allow_bool else "numeric"
    why = {"complex": " (the imaginary part would be lost)",
           "timedelta": " (convert durations to numbers first, e.g. .dt.days or / np.timedelta64(1, 'D'))",
           "datetime": " (dates are not numbers; compute durations first)",
           "boolean": " (booleans are not scores; convert explicitly, e.g. .astype(int), if 0/1 is meant)"}.get(what, "")
    where = f"; column {column!r} has dtype {dtype}" if column is not None else f"; got dtype {dtype}"
    return InvalidTypeError(f"{name} must be {accepted}{where}{why}{hint}")


def _object_floats(arr: npt.NDArray[Any], name: str, allow_bool: bool, column: Any = None) -> FloatArray:
    """float64 from an object array of real numbers and missing values (None, NaN, pandas NA); anything else (text,
    complex, dates, booleans unless allowed) is an InvalidTypeError naming the first offending element."""
    flat = arr.ravel()
    out = np.empty(flat.shape, dtype=np.float64)
    for i, v in enumerate(flat):
        if v is None or v is pd.NA:
            out[i] = np.nan
        elif isinstance(v, (bool, np.bool_)) and not allow_bool:
            raise _not_numeric(name, arr.dtype, allow_bool, f": element {i} is the boolean {v!r}", column)
        elif isinstance(v, (numbers.Real, np.bool_)):
            try:
                out[i] = float(v)
            except OverflowError:
                raise InvalidInputError(f"{name}: element {i} = {v!r} is too large for a floating-point number") \
                    from None
        else:
            raise _not_numeric(name, arr.dtype, allow_bool,
                               f": element {i} is {v!r} of type {type(v).__name__}, not a number", column)
    return out.reshape(arr.shape)


def numeric_ndarray(values: Any, name: str, *, allow_bool: bool = False) -> npt.NDArray[Any]:
    """``np.asarray(values)`` if it holds real numbers: any int, uint or float width as it is (no copy); an object
    array of numbers and missing values (None, pandas NA) as float64. Complex, timedelta, datetime, text and other
    dtypes, and booleans unless ``allow_bool`` (0/1 indicators such as an event or an outcome), are an
    ``InvalidTypeError`` naming ``name`` and the dtype. Any number of dimensions."""
    if isinstance(values, (pd.Series, pd.Index)):
        return column_floats(values, name, allow_bool=allow_bool)
    arr = np.asarray(values)
    if arr.dtype == object:
        return _object_floats(arr, name, allow_bool)
    if arr.dtype.kind in "iuf" or (allow_bool and arr.dtype.kind == "b"):
        return arr
    raise _not_numeric(name, arr.dtype, allow_bool)


def column_floats(column: pd.Series | pd.Index, name: str, *, allow_bool: bool = False, hint: str = "",
                  label: Any = None) -> FloatArray:
    """A pandas column as float64 with NaN for missing: numpy int/uint/float columns, pandas nullable Int/UInt/Float
    (NA = missing), pyarrow numbers, and object columns of numbers; booleans only with ``allow_bool``. Any other
    dtype (complex, timedelta, datetime, text, categorical...) is an ``InvalidTypeError`` naming ``name`` (and
    ``label``, the column's name in a DataFrame) and the dtype."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype):
        if dtype == object:
            return _object_floats(column.to_numpy(), name, allow_bool, label)
        ok = dtype.kind in "iuf" or (allow_bool and dtype.kind == "b")
    elif pd.api.types.is_bool_dtype(dtype):
        ok = allow_bool
    else:
        ok = pd.api.types.is_integer_dtype(dtype) or pd.api.types.is_float_dtype(dtype)
    if not ok:
        raise _not_numeric(name, dtype, allow_bool, hint, label)
    return column.to_numpy(dtype=np.float64, na_value=np.nan)


def frame_floats(frame: pd.DataFrame, name: str, *, allow_bool: bool = False, hint: str = "") -> FloatArray:
    """A C-contiguous float64 matrix of a DataFrame's columns, each read by ``column_floats`` (the error for a
    column of the wrong dtype names ``name``, the column and its dtype); column names must be unique."""
    frame_columns(frame, frame.columns, name)
    out = np.empty(frame.shape, dtype=np.float64)
    errors: list[tuple[Any, InvalidTypeError]] = []
    for j, col in enumerate(frame.columns):
        try:
            out[:, j] = column_floats(frame.iloc[:, j], name, allow_bool=allow_bool, label=col)
        except InvalidTypeError as err:
            errors.append((col, err))
    if errors:
        listed = f" (columns that are not numbers: {[c for c, _ in errors]})" if len(frame.columns) > 1 else ""
        raise InvalidTypeError(f"{errors[0][1]}{listed}{hint}") from None
    return out


def as_float_array(values: Any, name: str, *, allow_bool: bool = False) -> FloatArray:
    """A 1-D contiguous float64 array from a list, numpy array or pandas Series (``numeric_ndarray`` /
    ``column_floats`` decide which dtypes are numbers)."""
    arr = numeric_ndarray(values, name, allow_bool=allow_bool)
    if arr.ndim != 1:
        raise InvalidInputError(f"{name} must be one-dimensional; got shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def frame_columns(frame: pd.DataFrame, names: Sequence[Any] | pd.Index, argument: str) -> list[Any]:
    """``names`` as a list, checked for selecting from ``frame``: every name present, named once, and held by
    one column of the frame (a label the frame has twice selects a DataFrame where a column is expected).
    ``ColumnError`` naming ``argument`` and the columns otherwise. The one check behind every column selection."""
    names = list(names)
    absent = [c for c in names if c not in frame.columns]
    if absent:
        what = f"column {absent[0]!r}" if len(names) == 1 else f"column(s) {absent}"
        raise ColumnError(f"{argument}: {what} not in the frame; available: {list(frame.columns)}")
    repeated = list(dict.fromkeys(c for c in names if names.count(c) > 1))
    shared = set(frame.columns[frame.columns.duplicated()])
    twice = list(dict.fromkeys(c for c in names if c in shared))
    if twice:
        raise ColumnError(f"{argument}: the frame has more than one column named {twice}; column names must be "
                          "unique (rename or drop the duplicates)")
    if repeated:
        raise ColumnError(f"{argument}: column(s) {repeated} named more than once")
    return names


def check_choice(value: str, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise InvalidInputError(f"{name} = {value!r}: expected one of {listed}")
    return value


INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1


def whole_number(value: Any, name: str, minimum: int | None = None, maximum: int = INT64_MAX) -> int:
    """``value`` as a Python int: an int or numpy integer (never a bool, a float or a string) within
    ``[minimum, maximum]``; ``maximum`` is the largest value the core's C++ type holds (int64 by default)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        what = "a whole number" + (f" >= {minimum}" if minimum is not None else "")
        raise InvalidTypeError(f"{name} = {value!r}: must be {what}; got {type(value).__name__}")
    v = int(value)
    if minimum is not None and v < minimum:
        raise InvalidInputError(f"{name} = {v}: must be a whole number >= {minimum}")
    if v > maximum:
        raise InvalidInputError(f"{name} = {v}: too large (at most {maximum})")
    if v < -maximum - 1:
        raise InvalidInputError(f"{name} = {v}: too small (at least {-maximum - 1})")
    return v


def optional_whole_number(value: Any, name: str, minimum: int | None = None, maximum: int = INT64_MAX) -> int | None:
    """``whole_number`` that lets None (the argument's default: not given) through."""
    return None if value is None else whole_number(value, name, minimum, maximum)


def seed_value(seed: Any) -> int:
    """A random seed: a whole number in [0, 2**64), the core's uint64."""
    return whole_number(seed, "seed", 0, UINT64_MAX)


def real_number(value: Any, name: str) -> float:
    """``value`` as a float: an int, float or numpy number (never a bool or a string). Range checks are left to
    the caller or the core, which name the argument."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise InvalidTypeError(f"{name} = {value!r}: must be a number; got {type(value).__name__}")
    try:
        return float(value)
    except OverflowError:
        raise InvalidInputError(f"{name} = {value!r}: too large for a floating-point number") from None


def optional_real_number(value: Any, name: str) -> float | None:
    """``real_number`` that lets None (the argument's default: not given) through."""
    return None if value is None else real_number(value, name)


def level(value: Any, name: str = "confidence_level") -> float:
    """A confidence (or credibility) level: a number strictly between 0 and 1."""
    v = real_number(value, name)
    if not 0.0 < v < 1.0:
        raise InvalidInputError(f"{name} = {value!r}: must be strictly between 0 and 1 (for example 0.95)")
    return v


def resampling(n_resamples: Any, seed: Any) -> tuple[int, int]:
    """Bootstrap settings: ``n_resamples`` a whole number >= 2 and ``seed`` in [0, 2**64)."""
    return whole_number(n_resamples, "n_resamples", 2), seed_value(seed)


IntArray = npt.NDArray[np.int64]


def whole_array(values: Any, name: str) -> IntArray:
    """A 1-D contiguous int64 array of whole numbers (counts, partition ids): integer arrays as they are; other
    numeric input only when every value is a whole number within int64. A missing value (NaN, pandas NA), a
    fraction or a number too large is an ``InvalidInputError`` naming ``name[i]`` and the value."""
    if not isinstance(values, (pd.Series, pd.Index)):
        arr = np.asarray(values)
        if arr.dtype.kind in "iu" and arr.ndim == 1:
            if arr.dtype.kind == "u" and arr.size and int(arr.max()) > INT64_MAX:
                i = int(np.argmax(arr > INT64_MAX))
                raise InvalidInputError(f"{name}[{i}] = {int(arr[i])}: too large (at most {INT64_MAX})")
            return np.ascontiguousarray(arr, dtype=np.int64)
    f = as_float_array(values, name)
    ok = np.isfinite(f) & (np.floor(f) == f) & (np.abs(f) < 2.0**63)
    if not ok.all():
        i = int(np.argmin(ok))
        why = "is missing" if np.isnan(f[i]) else "must be a whole number" if np.isfinite(f[i]) and abs(f[i]) < 2.0**63 \
            else "is out of range"
        shown = f"{f[i]:.17g}" if np.isfinite(f[i]) else str(f[i])
        raise InvalidInputError(f"{name}[{i}] = {shown}: {why}")
    return np.ascontiguousarray(f, dtype=np.int64)


def suppression_arguments(n: Any, parent: Any, min_group_size: Any) -> tuple[IntArray, IntArray | None, int]:
    """The checked arguments of ``engage.suppress``: counts, parent partition ids (None: one partition) of the
    same length, and the minimum (a whole number >= 1, as every grouped function takes it)."""
    size = whole_number(min_group_size, "min_group_size", 1)
    counts = whole_array(n, "n")
    if parent is None:
        return counts, None, size
    parents = whole_array(parent, "parent")
    if len(parents) != len(counts):
        raise InvalidInputError(f"parent has {len(parents)} elements but n has {len(counts)}; give one partition per "
                                "cell, or parent=None for a single partition")
    return counts, parents, size


# ----------------------------------------------------------------------------------------------------------------
# Item matrices: the one path of every function that takes respondents x items
# ----------------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemMatrix:
    """An item matrix as the core reads it, with the labels that name its cells in error messages."""

    values: FloatArray  # C-ordered float64, respondents x items
    names: list[Any] | None  # DataFrame column labels
    index: pd.Index | None  # DataFrame row labels


def item_matrix(items: Any, name: str = "items", *, allow_bool: bool = False) -> ItemMatrix:
    """A C-ordered float64 matrix from a 2-D array-like or a DataFrame (a Series is one item), read by
    ``numeric_ndarray`` / ``frame_floats``."""
    if isinstance(items, pd.Series):
        items = items.to_frame()
    if isinstance(items, pd.DataFrame):
        return ItemMatrix(frame_floats(items, name, allow_bool=allow_bool), list(items.columns), items.index)
    arr = numeric_ndarray(items, name, allow_bool=allow_bool)
    if arr.ndim != 2:
        raise InvalidInputError(
            f"{name} must be two-dimensional (persons x items); got shape {arr.shape}"
            + (" (for a single item pass x[:, None])" if arr.ndim == 1 else "")
        )
    return ItemMatrix(np.ascontiguousarray(arr, dtype=np.float64), None, None)


def scale_number(value: Any, name: str, maximum: int = INT32_MAX) -> int:
    """``whole_number`` that also takes a float holding a whole number (5.0, as a scale read from a file is)."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = int(value)
    return whole_number(value, name, maximum=maximum)


def scale_pair(value: Any, name: str) -> list[int]:
    """A pair of whole numbers such as a scale ``(1, 5)`` or bands ``(2, 4)``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, Sequence) or len(value) != 2:
        raise InvalidTypeError(f"{name} must be a pair of whole numbers such as (1, 5); got {value!r}")
    return [scale_number(v, name) for v in value]


def reverse_columns(reverse: Any, items: ItemMatrix) -> list[int]:
    """Column positions of reverse-keyed items from positions or (for DataFrames) column names."""
    if reverse is None:
        return []
    if isinstance(reverse, (str, int, np.integer)):
        reverse = [reverse]
    k = items.values.shape[1]
    out: list[int] = []
    for r in reverse:
        if items.names is not None and not isinstance(r, (bool, np.bool_)) and r in items.names:
            if items.names.count(r) > 1:
                raise InvalidInputError(f"reverse: column name {r!r} occurs more than once among the items")
            out.append(items.names.index(r))
        elif isinstance(r, (int, np.integer)) and not isinstance(r, (bool, np.bool_)):
            if not 0 <= r < k:
                raise InvalidInputError(f"reverse: column position {r} is out of range for {k} items")
            out.append(int(r))
        else:
            where = f"; columns are {items.names}" if items.names is not None else ""
            raise InvalidInputError(f"reverse: {r!r} is not a column position{' or name' if items.names else ''}{where}")
    return out


def item_options(items: ItemMatrix, scale: Any, bands: Any, reverse: Any, dont_know: Any) -> dict[str, Any]:
    """The checked ``scale``, ``bands``, ``reverse`` and ``dont_know`` arguments of the item functions, as the
    core's keyword arguments."""
    return {
        "scale": scale_pair(scale, "scale"),
        "bands": None if bands is None else scale_pair(bands, "bands"),
        "reverse": reverse_columns(reverse, items),
        "dont_know": optional_real_number(dont_know, "dont_know"),
    }


_CELL = re.compile(r"^items\[(\d+), (\d+)\] = ")
T = TypeVar("T")


def labelled_call(items: ItemMatrix, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Calls the core; a bad cell of a DataFrame (``items[i, j] = v: ...``) is also named by its row label and
    column name."""
    try:
        return fn(*args, **kwargs)
    except _core.InvalidInputError as err:
        m = _CELL.match(str(err))
        if m is None or items.names is None or items.index is None:
            raise
        i, j = int(m.group(1)), int(m.group(2))
        label, column = items.index[i], items.names[j]
        label = label.item() if isinstance(label, np.generic) else label
        column = column.item() if isinstance(column, np.generic) else column
        raise InvalidInputError(f"{err} (row label {label!r}, column {column!r})") from None


def scored_items(items: ItemMatrix, scale: Any, dont_know: Any, reverse: Any) -> FloatArray:
    """The answers as the engagement functions score them, for statistics computed on the answers themselves
    (reliability, agreement): ``scale=(low, high)`` checks every cell with the core's item coder (the one behind
    ``engagement_index``: whole numbers low..high, NaN = skipped, the ``dont_know`` code; anything else is an
    ``InvalidInputError`` naming row, column and value), turns don't-know cells into NaN and scores the
    ``reverse`` items ``low + high - x``.

    ``scale=None`` checks nothing (any real numbers, e.g. continuous scores): only ``dont_know`` cells become NaN;
    ``reverse`` then needs a scale and is refused."""
    if scale is not None:
        opts = item_options(items, scale, None, reverse, dont_know)
        opts.pop("bands")
        return labelled_call(items, _core.scored_items, items.values, **opts)
    if reverse is not None and not (isinstance(reverse, Sequence) and not isinstance(reverse, str) and len(reverse) == 0):
        raise InvalidInputError("reverse needs scale=(low, high): reverse-keyed items are scored low + high - x")
    dk = optional_real_number(dont_know, "dont_know")
    if dk is None:
        return items.values
    if not np.isfinite(dk):
        raise InvalidInputError(f"dont_know = {dk}: must be a finite number (NaN already means skipped)")
    return np.where(items.values == dk, np.nan, items.values)
