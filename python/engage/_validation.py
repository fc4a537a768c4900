"""Input conversion shared by the Python wrappers: array-likes in, contiguous float64 views out.

Numeric numpy arrays that are already contiguous float64 are passed through without a copy. Pandas nullable
columns (Int64, Float64 with <NA>) become float64 with NaN, which is engage's single representation of
"missing".
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

FloatArray = npt.NDArray[np.float64]


def numeric_ndarray(values: Any, name: str) -> npt.NDArray[Any]:
    """``np.asarray(values)`` if it is numeric or boolean (object arrays of numbers are converted to float64);
    TypeError naming ``name`` otherwise. Any number of dimensions; no copy when the input already is numeric."""
    arr = np.asarray(values)
    if arr.dtype == object:
        try:
            return arr.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric; got values of type object that are not numbers") from None
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise TypeError(f"{name} must be numeric; got dtype {arr.dtype}")
    return arr


def as_float_array(values: Any, name: str) -> FloatArray:
    """A 1-D float64 array from a list, numpy array or pandas Series; TypeError for non-numeric data."""
    if isinstance(values, (pd.Series, pd.Index)):
        if not (pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_bool_dtype(values.dtype)):
            raise TypeError(f"{name} must be numeric; got a column of dtype {values.dtype}")
        arr = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        arr = numeric_ndarray(values, name)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def check_choice(value: str, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} = {value!r}: expected one of {listed}")
    return value
