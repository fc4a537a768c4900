"""The release engine: which figures may be published, decided jointly for everything published together.

A *release* is everything published together: the tables of one report, or the calls an analyst makes through
one :class:`Release`. Every grouped function of engage takes ``release=``; without it each call is a release of
its own, which is safe alone but not against the results of other calls (department minus its shown teams).
The decision is taken in the C++ core (``engage::release``): each published cell is a sum over respondents, and
a cell is hidden when some combination of the published cells would otherwise determine a cell below the
minimum, a class of fewer respondents than the minimum (a filter subtracted from the unfiltered table), or a
group whose answers all fall into one category. :func:`audit` checks a release the way an attacker would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._errors import ColumnError, InvalidTypeError
from ._grouping import SUPPRESSION_REASONS, GroupKeys
from ._validation import suppression_arguments, whole_number

__all__ = ["Release", "audit", "suppress"]

IntArray = npt.NDArray[np.int64]


def _whole(value: Any, name: str, minimum: int = 1) -> int:
    return whole_number(value, name, minimum)


@dataclass
class _Table:
    name: str
    labels: list[str]


class Release:
    """Everything published together, decided jointly so that no hidden group can be worked out.

    Pass the same ``Release`` as ``release=`` to every grouped call whose results go out together (or build a
    report, which uses one release for all its sections). Each table is decided against every table published
    before it in the release: cells already published stay published, and new cells are hidden where they would
    let someone subtract their way to a small group. Respondents are recognised across tables (and across
    filtered subsets of the same frame) by the frame's index, or by the ``respondent`` columns.

    Parameters
    ----------
    min_group_size : int
        Fewest answers behind a published figure, and fewest respondents in any class an observer could
        isolate (default 5).
    min_distribution_size : int
        Below this many answers, a group whose answers all fall into one category is hidden
        (``"unanimous"``); at or above it the row is published with ``unanimous`` True (default 10).
    respondent : str or list of str, optional
        Columns that identify a response across the frames of the release (for example
        ``["respondent_id", "wave"]``). Default: the frame's index, so filter frames with ``frame[mask]``, not
        by building new frames.

    Examples
    --------
    >>> import engage
    >>> org = engage.datasets.synthetic_organisation()
    >>> w2 = org.survey[org.survey["wave"] == 2]
    >>> release = engage.Release(min_group_size=5)
    >>> teams = engage.enps_by(w2, by="team", release=release)
    >>> departments = engage.enps_by(w2, by="department", release=release)
    >>> engage.audit(release).empty
    True
    """

    def __init__(self, min_group_size: int = 5, *, min_distribution_size: int = 10,
                 respondent: str | Sequence[str] | None = None) -> None:
        self._core = _core.Release(_whole(min_group_size, "min_group_size"),
                                   _whole(min_distribution_size, "min_distribution_size"))
        if respondent is not None and not isinstance(respondent, str):
            respondent = list(respondent)
            if not respondent:
                raise _core.InvalidInputError("respondent = []: name at least one column, or None for the index")
        self.respondent = respondent
        self._known: pd.Index | None = None
        self._tables: list[_Table] = []

    @property
    def min_group_size(self) -> int:
        return int(self._core.min_group_size)

    @property
    def min_distribution_size(self) -> int:
        return int(self._core.min_distribution_size)

    @property
    def seconds(self) -> float:
        """Seconds the engine has spent deciding this release's tables (joint suppression)."""
        return float(self._core.seconds)

    def __repr__(self) -> str:
        return (f"Release(min_group_size={self.min_group_size}, min_distribution_size={self.min_distribution_size}, "
                f"tables={len(self._tables)})")

    def units(self, frame: pd.DataFrame, identity: pd.Index | None = None) -> IntArray:
        """The release's respondent id of every row of ``frame`` (new respondents get new ids).

        ``identity`` overrides the release's rule (one label per row): churn tables name employees, which are
        not survey responses.
        """
        if not isinstance(frame, pd.DataFrame):
            raise InvalidTypeError(f"frame must be a pandas DataFrame; got {type(frame).__name__}")
        if identity is not None:
            identity = pd.Index(identity)
            if len(identity) != len(frame):
                raise _core.InvalidInputError(f"identity has {len(identity)} labels for {len(frame)} rows")
        elif self.respondent is None:
            identity = frame.index
        else:
            cols = [self.respondent] if isinstance(self.respondent, str) else self.respondent
            absent = [c for c in cols if c not in frame.columns]
            if absent:
                raise ColumnError(f"respondent: column(s) {absent} not in the frame; available: {list(frame.columns)}")
            identity = (pd.Index(frame[cols[0]]) if len(cols) == 1
                        else pd.MultiIndex.from_frame(frame[cols]))
        if identity.has_duplicates:
            dup = int(np.flatnonzero(identity.duplicated())[0])
            what = "the frame's index" if self.respondent is None else f"respondent {self.respondent!r}"
            raise _core.InvalidInputError(
                f"release: {what} repeats at row {dup} ({identity[dup]!r}); each row must be one response (use "
                "respondent=['respondent_id', 'wave'] for several waves in one frame)")
        # Labels of every kind (integers, strings, tuples from several columns) live in one object index, so a
        # respondent is the same label wherever it appears and labels of different kinds never meet.
        labels = pd.Index(identity.to_flat_index() if isinstance(identity, pd.MultiIndex) else identity,
                          dtype=object, tupleize_cols=False)
        if self._known is None:
            self._known = labels[:0]
        codes = np.asarray(self._known.get_indexer(labels), dtype=np.int64)
        new = codes < 0
        if new.any():
            start = len(self._known)
            self._known = self._known.append(labels[new])
            codes[new] = np.arange(start, start + int(new.sum()), dtype=np.int64)
        return np.ascontiguousarray(codes)

    # Used by the grouped functions: the keyword arguments of a core call, and the labels of its cells after.
    def _kwargs(self, frame: pd.DataFrame, table: str, measures: Sequence[str],
                identity: pd.Index | None = None) -> dict[str, Any]:
        return {"release": self._core, "units": self.units(frame, identity),
                "table": f"{table} #{len(self._tables) + 1}", "measures": [str(m) for m in measures]}

    def _register(self, labels: Sequence[str]) -> None:
        names = self._core.table_names()
        self._tables.append(_Table(names[len(self._tables)], [str(x) for x in labels]))

    def publish_counts(self, frame: pd.DataFrame, by: str | Sequence[str], *, measure: str = "respondents",
                       name: str | None = None) -> pd.DataFrame:
        """Publishes respondent counts by ``by`` in this release (a participation table) and returns them.

        Returns the ``by`` columns, ``n`` (missing where hidden), ``suppressed`` and ``suppression``.
        """
        from ._grouping import group_keys

        keys = group_keys(frame, by)
        present, cells = np.unique(keys.keys, return_inverse=True)
        labels = _labels(keys, present)
        decision = self._core.publish(
            f"{name or 'counts(' + ','.join(keys.columns) + ')'} #{len(self._tables) + 1}", len(present),
            self.units(frame), np.ascontiguousarray(cells, dtype=np.int64),
            np.full(len(cells), self._core.measure(measure), dtype=np.int64), cell_labels=labels)
        self._register(labels)
        out = keys.decode(present)
        status = decision["status"]
        n = pd.array(decision["n"], dtype="Int64")
        n[status != 0] = pd.NA
        out["n"] = n
        out["suppressed"] = status != 0
        out["suppression"] = SUPPRESSION_REASONS[status]
        return out

    def record(self, frame: pd.DataFrame, published: pd.DataFrame, by: str | Sequence[str], *,
               measures: Sequence[str] = (), name: str | None = None) -> None:
        """Records a table that was published outside this release, so that :func:`audit` checks it.

        ``published`` is a grouped result with the ``by`` columns and ``suppression`` (for example from a
        separate ``enps_by`` call); ``frame`` holds the rows it was computed from, and ``measures`` the columns
        its figures use (an answer is a non-missing value; none: head counts only).

        Examples
        --------
        >>> import engage, pandas as pd
        >>> df = pd.DataFrame({"dept": ["x"] * 9 + ["y"] * 13, "team": ["a"] * 6 + ["c"] * 3 + ["b"] * 5 + ["d"] * 8,
        ...                    "enps": [9, 10, 7, 3, 9, 8, 2, 10, 6, 1, 5, 9, 10, 7, 8, 8, 9, 4, 10, 0, 6, 9]})
        >>> r = engage.Release()
        >>> r.record(df, engage.enps_by(df, by="team"), "team", measures=["enps"])
        >>> r.record(df, engage.enps_by(df, by="dept"), "dept", measures=["enps"])
        >>> found = engage.audit(r)   # two separate calls: department x minus team a gives team c
        >>> found.loc[0, ["label", "determined_by"]].tolist()
        ['record #1[team=c]', '-1 record #1[team=a] +1 record #2[dept=x]']
        """
        from ._grouping import group_keys

        cols = [by] if isinstance(by, str) else list(by)
        keys = group_keys(frame, cols)
        index = pd.MultiIndex.from_frame(published[cols]) if len(cols) > 1 else pd.Index(published[cols[0]])
        cell_keys, known = keys.encode(index)
        if not known.all():
            raise _core.InvalidInputError(f"published: {int((~known).sum())} row(s) name groups not in the frame")
        order = {int(k): i for i, k in enumerate(cell_keys)}
        cell = np.array([order.get(int(k), -1) for k in keys.keys], dtype=np.int64)
        rows = np.flatnonzero(cell >= 0)
        units = self.units(frame)
        ids = [self._core.measure(str(m)) for m in measures] or [self._core.measure("respondents")]
        unit_parts, cell_parts, measure_parts = [], [], []
        for j, m in enumerate(measures or [None]):
            answered = np.ones(len(frame), dtype=bool) if m is None else frame[m].notna().to_numpy()
            unit_parts.append(units[rows])
            cell_parts.append(cell[rows])
            measure_parts.append(np.where(answered[rows], ids[j], -1))
        codes = {str(r): i for i, r in enumerate(SUPPRESSION_REASONS)}
        status = np.array([codes[str(x)] for x in published["suppression"]], dtype=np.int64)
        labels = [", ".join(f"{c}={v}" for c, v in zip(cols, row)) for row in published[cols].itertuples(index=False)]
        self._core.record(f"{name or 'record'} #{len(self._tables) + 1}", len(published),
                          np.ascontiguousarray(np.concatenate(unit_parts)), np.ascontiguousarray(np.concatenate(cell_parts)),
                          np.ascontiguousarray(np.concatenate(measure_parts)), status, cell_labels=labels)
        self._register(labels)

    def utility(self) -> pd.DataFrame:
        """Cells shown by this release, table by table, beside what each table would show as a release of its
        own (table-by-table suppression): the price of protecting the tables jointly."""
        rows = []
        for i, t in enumerate(self._tables):
            joint = self._core.decision(i)["status"]
            alone = self._core.decision_alone(i)["status"]
            rows.append({"table": t.name, "cells": len(joint), "shown": int((joint == 0).sum()),
                         "shown_alone": int((alone == 0).sum())})
        return pd.DataFrame(rows)

    def tables(self) -> pd.DataFrame:
        """One row per table published: its name and how many cells are in each state."""
        rows = []
        for i, t in enumerate(self._tables):
            status = self._core.decision(i)["status"]
            row: dict[str, Any] = {"table": t.name, "cells": len(status)}
            for code, reason in enumerate(SUPPRESSION_REASONS):
                row[str(reason)] = int((status == code).sum())
            rows.append(row)
        return pd.DataFrame(rows)

    def _label(self, table: int, cell: int) -> str:
        t = self._tables[table]
        if cell < 0:
            return f"{t.name}[total]" if cell == -1 else f"{t.name}[total of parent {-1 - cell}]"
        return f"{t.name}[{t.labels[cell]}]" if cell < len(t.labels) else f"{t.name}[{cell}]"


def _labels(keys: GroupKeys, present: IntArray) -> list[str]:
    decoded = keys.decode(present)
    cols = list(decoded.columns)
    return [", ".join(f"{c}={v}" for c, v in zip(cols, row)) for row in decoded.itertuples(index=False)]


def _publication(release: Release | None, frame: pd.DataFrame, table: str, measures: Sequence[str],
                 identity: pd.Index | None = None) -> dict[str, Any]:
    """Keyword arguments of a grouped core call: into ``release``, or (None) a release of its own."""
    if release is None:
        return {}
    if not isinstance(release, Release):
        raise InvalidTypeError(f"release must be an engage.Release; got {type(release).__name__}")
    return release._kwargs(frame, table, measures, identity)


def _registered(release: Release | None, keys: GroupKeys, present: IntArray) -> None:
    if release is not None:
        release._register(_labels(keys, present))


def _names(keys: GroupKeys) -> str:
    return ",".join(str(c) for c in keys.columns)


def _check_hidden_n(release: Release | None, show_suppressed_n: bool) -> None:
    if release is not None and show_suppressed_n:
        raise _core.InvalidInputError(
            "show_suppressed_n = True publishes the counts of hidden groups, which a release cannot protect; "
            "leave it False when publishing through a release")


def _min_group_size(release: Release | None, min_group_size: int | None) -> int:
    """The minimum that applies: the release's, or the argument (default 5); both must agree when given."""
    if min_group_size is not None:
        _whole(min_group_size, "min_group_size")
    if release is not None and not isinstance(release, Release):
        raise InvalidTypeError(f"release must be an engage.Release; got {type(release).__name__}")
    if release is None:
        return 5 if min_group_size is None else int(min_group_size)
    if min_group_size is not None and int(min_group_size) != release.min_group_size:
        raise _core.InvalidInputError(
            f"min_group_size = {min_group_size} differs from the release's {release.min_group_size}; a release "
            "applies one minimum to every table (leave min_group_size out)")
    return release.min_group_size


def audit(release: Release, *, bounds: bool = False) -> pd.DataFrame:
    """What an attacker can work out from a release: every hidden cell that the published cells determine.

    The exact check (always) finds every hidden cell below the minimum (or unanimous, or with a low effective
    n), and every class of fewer than ``min_group_size`` respondents, whose counts some linear combination of
    the published cells and their totals gives; ``determined_by`` names the combination. With ``bounds``, it
    also bounds each hidden cell's category counts by linear programming over non-negative counts (as sdcTable's
    ``attack()``; scipy's HiGHS) and reports hidden cells whose bounds force every member into one category
    (``what = "one category"``), with the bounds.

    Returns
    -------
    DataFrame
        ``table``, ``cell``, ``label``, ``n``, ``what`` (``"answers"``, ``"head count"``, ``"one category"``),
        ``determined_by`` and, with ``bounds``, ``low`` / ``high`` (lists per category). Empty when safe.

    Examples
    --------
    >>> import engage, pandas as pd
    >>> df = pd.DataFrame({"team": ["a"] * 6 + ["b"] * 3, "enps": [9, 10, 7, 3, 9, 8, 2, 10, 6]})
    >>> r = engage.Release()
    >>> engage.enps_by(df, by="team", release=r)["suppression"].tolist()
    ['complementary', 'below_minimum']
    >>> engage.audit(r).empty
    True
    """
    if not isinstance(release, Release):
        raise InvalidTypeError(f"release must be an engage.Release; got {type(release).__name__}")
    rows = []
    for f in release._core.audit():
        combo = [(int(t), int(c), float(k)) for t, c, k in f["combination"]]
        text = " ".join(f"{'+' if k > 0 else ''}{k:g} {release._label(t, c)}" for t, c, k in combo)
        label = release._label(_table_index(release, f["table"]), f["cell"]) if f["table"] else f["label"]
        rows.append({"table": f["table"], "cell": f["cell"], "label": label, "n": f["n"], "what": f["what"],
                     "determined_by": text})
    if bounds:
        rows.extend(_bounds_findings(release))
    columns = ["table", "cell", "label", "n", "what", "determined_by"] + (["low", "high"] if bounds else [])
    return pd.DataFrame(rows, columns=columns)


def _table_index(release: Release, name: str) -> int:
    for i, t in enumerate(release._tables):
        if t.name == name:
            return i
    return -1


def _bounds_findings(release: Release) -> list[dict[str, Any]]:
    """Hidden cells whose category counts the published counts force into one category (LP over x >= 0)."""
    from scipy.optimize import linprog  # type: ignore[import-untyped]
    from scipy.sparse import block_diag, csr_matrix  # type: ignore[import-untyped]

    s = release._core.structure()
    counts = np.asarray(s["counts"], dtype=np.float64)
    n_coord, n_cat = counts.shape if counts.ndim == 2 else (0, 0)
    if n_cat == 0 or len(s["hidden_cell"]) == 0:
        return []
    indptr, indices = s["published"]
    pub = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(indptr) - 1, n_coord))
    hptr, hidx = s["hidden"]
    hid = csr_matrix((np.ones(len(hidx)), hidx, hptr), shape=(len(hptr) - 1, n_coord))
    # Variables x[k * n_coord + c]: coordinate c's count in category k; published rows fix each category's total.
    a_eq = block_diag([pub] * n_cat, format="csr")
    b_eq = np.concatenate([pub @ counts[:, k] for k in range(n_cat)])
    # A count lies between 0 and the coordinate's size; coordinates of measures without categories are 0.
    categorical = counts.sum(axis=1) > 0
    upper = np.tile(np.where(categorical, np.asarray(s["size"], dtype=np.float64), 0.0), n_cat)
    bounds_list = np.column_stack([np.zeros(len(upper)), upper])
    out: list[dict[str, Any]] = []
    for h in range(hid.shape[0]):
        cols = hid.indices[hid.indptr[h]:hid.indptr[h + 1]]
        if not categorical[cols].any():
            continue
        lows, highs = [], []
        for k in range(n_cat):
            c = np.zeros(n_coord * n_cat)
            c[k * n_coord + cols] = 1.0
            hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds_list, method="highs")
            lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds_list, method="highs")
            highs.append(round(-hi.fun, 6) if hi.status == 0 else np.inf)
            lows.append(round(lo.fun, 6) if lo.status == 0 else 0.0)
        positive = [k for k in range(n_cat) if highs[k] > 0]
        if len(positive) == 1 and lows[positive[0]] > 0:
            t, cell = int(s["hidden_table"][h]), int(s["hidden_cell"][h])
            out.append({"table": release._tables[t].name, "cell": cell, "label": release._label(t, cell),
                        "n": int(release._core.decision(t)["n"][cell]), "what": "one category",
                        "determined_by": f"bounds force every member into category {positive[0]}",
                        "low": lows, "high": highs})
    return out


def suppress(n: Any, parent: Any = None, *, min_group_size: int = 5) -> npt.NDArray[np.object_]:
    """Which cells of a breakdown of counts may be published, as a release of its own.

    Cells with fewer than ``min_group_size`` respondents are hidden (``"below_minimum"``); then the smallest
    other cells are hidden (``"complementary"``) until no hidden cell can be recovered from the shown cells and
    the totals (of each ``parent`` partition, or the grand total). Tables that go out together should share one
    :class:`Release` instead.

    Parameters
    ----------
    n : array-like of int
        Respondents behind each cell.
    parent : array-like of int, optional
        Partition of each cell (for example the department of each team); one partition when omitted.

    Examples
    --------
    >>> import engage
    >>> engage.suppress([12, 3, 9, 30]).tolist()
    ['shown', 'below_minimum', 'complementary', 'shown']
    """
    counts, parents, size = suppression_arguments(n, parent, min_group_size)
    return SUPPRESSION_REASONS[_core.suppress(counts, parents, size)]
