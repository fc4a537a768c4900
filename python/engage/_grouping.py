"""The one grouping pass on the Python side: DataFrame key columns to one int64 key per row.

The C++ core groups on these keys in the same sweep that computes the statistic (see ``grouping.hpp``), so a
single integer column (team ids) is passed without any copy or coding. Categorical columns reuse their codes,
other columns go through ``pandas.factorize``; several columns are combined as ``code0 * size1 + code1`` (last
column varies fastest), which puts the groups of one parent (all but the last column) next to each other and
lets the core find a group's parent as ``key // size_of_last``.

Rows with a missing key form their own group (shown as NaN in the key column): dropping them would let
"total minus all groups" reveal them.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import InvalidInputError
from ._validation import frame_columns
from . import _core

IntArray = npt.NDArray[np.int64]

SUPPRESSION_REASONS = np.array(["shown", "below_minimum", "complementary", "unanimous", "low_effective_n"], dtype=object)


@dataclass(frozen=True)
class GroupKeys:
    """One int64 key per row, and what is needed to turn keys back into the key columns' values."""

    keys: IntArray
    columns: list[str]
    uniques: list[pd.Index] | None  # None: a single integer column used as is
    sizes: list[int]

    @property
    def parent_stride(self) -> int:
        """Keys are parent * stride + last code; 0 when there is a single column (one partition)."""
        return self.sizes[-1] if len(self.columns) > 1 else 0

    def decode(self, present: IntArray) -> pd.DataFrame:
        """The key columns of the groups whose combined keys are ``present``."""
        if self.uniques is None:
            return pd.DataFrame({self.columns[0]: present})
        out: dict[str, object] = {}
        rest = present.copy()
        for name, uniques, size in reversed(list(zip(self.columns, self.uniques, self.sizes))):
            out[name] = uniques.take(rest % size)
            rest = rest // size
        return pd.DataFrame({c: np.asarray(out[c]) for c in self.columns})

    def encode(self, index: pd.Index, argument: str = "population") -> tuple[IntArray, npt.NDArray[np.bool_]]:
        """Combined keys of the labels in ``index`` (a MultiIndex for several columns), and which labels exist;
        an index with another number of levels than there are key columns is an error naming ``argument``."""
        if index.nlevels != len(self.columns):
            shape = (f"a MultiIndex with levels {self.columns}" if len(self.columns) > 1
                     else f"a plain index of {self.columns[0]!r} values")
            raise InvalidInputError(
                f"{argument}: its index has {index.nlevels} level(s) {list(index.names)} but the groups are keyed by "
                f"{len(self.columns)} column(s) {self.columns}; index it by {shape}")
        if self.uniques is None:
            return index.to_numpy(dtype=np.int64), np.ones(len(index), dtype=bool)
        levels = [index.get_level_values(i) for i in range(len(self.columns))] if len(self.columns) > 1 else [index]
        key = np.zeros(len(index), dtype=np.int64)
        ok = np.ones(len(index), dtype=bool)
        for values, uniques, size in zip(levels, self.uniques, self.sizes):
            codes = uniques.get_indexer(values)
            ok &= codes >= 0
            key = key * size + np.maximum(codes, 0)
        return key, ok

    @contextmanager
    def population_labels(self) -> Iterator[None]:
        """Re-raises the core's "no population size for group key K" with the group's labels instead of K."""
        try:
            yield
        except _core.InvalidInputError as err:
            text = str(err)
            if text.startswith("population: no population size for group key "):
                key = np.array([int(text.rsplit(" ", 1)[1])], dtype=np.int64)
                label = self.decode(key).iloc[0].tolist()
                raise InvalidInputError(f"population: no population size for group {label}") from None
            raise


def _column_codes(col: pd.Series) -> tuple[IntArray, pd.Index]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        codes = col.cat.codes.to_numpy(dtype=np.int64)
        cats = pd.Index(col.cat.categories)
        if (codes < 0).any():
            codes = np.where(codes < 0, len(cats), codes).astype(np.int64)
            cats = cats.append(pd.Index([np.nan]))
        return np.asarray(codes, dtype=np.int64), cats
    codes, uniques = pd.factorize(col, sort=True, use_na_sentinel=False)
    return np.asarray(codes, dtype=np.int64), pd.Index(uniques)


def group_keys(frame: pd.DataFrame, by: str | Sequence[str]) -> GroupKeys:
    """One int64 key per row of ``frame`` for the ``by`` columns."""
    columns = [by] if isinstance(by, str) else list(by)
    if not columns:
        raise InvalidInputError("by must name at least one column")
    frame_columns(frame, columns, "by")
    if len(columns) == 1:
        col = frame[columns[0]]
        if pd.api.types.is_integer_dtype(col.dtype) and not col.hasnans and not isinstance(col.dtype, pd.CategoricalDtype):
            return GroupKeys(np.ascontiguousarray(col.to_numpy(dtype=np.int64)), columns, None, [0])
    parts = [_column_codes(frame[c]) for c in columns]
    sizes = [max(len(u), 1) for _, u in parts]
    if float(np.prod(np.array(sizes, dtype=float))) > 2.0**62:
        raise InvalidInputError(f"by: the combination of {columns} has too many possible groups to code")
    key = parts[0][0]
    for (codes, _), size in zip(parts[1:], sizes[1:]):
        key = key * size + codes
    return GroupKeys(np.ascontiguousarray(key, dtype=np.int64), columns, [u for _, u in parts], sizes)
