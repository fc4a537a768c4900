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

from typing import Any, Sequence

import numbers

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import ColumnError, InvalidInputError, InvalidTypeError

FloatArray = npt.NDArray[np.float64]


def numeric_ndarray(values: Any, name: str) -> npt.NDArray[Any]:
    """``np.asarray(values)`` if it is numeric or boolean (object arrays of numbers are converted to float64);
    TypeError naming ``name`` otherwise. Any number of dimensions; no copy when the input already is numeric."""
    arr = np.asarray(values)
    if arr.dtype == object:
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError):
            raise InvalidTypeError(f"{name} must be numeric; got values of type object that are not numbers") from None
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise InvalidTypeError(f"{name} must be numeric; got dtype {arr.dtype}")
    return arr


def as_float_array(values: Any, name: str) -> FloatArray:
    """A 1-D float64 array from a list, numpy array or pandas Series; TypeError for non-numeric data."""
    if isinstance(values, (pd.Series, pd.Index)):
        if not (pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)):
            raise InvalidTypeError(f"{name} must be numeric; got a column of dtype {values.dtype}")
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = numeric_ndarray(values, name)
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
