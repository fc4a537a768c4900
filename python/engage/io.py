"""Reading survey, HRIS and customer-outcome exports (CSV, Parquet, Excel), with column mappings.

engage's own names (the columns of ``engage.datasets.synthetic_organisation``) are the target of every read:

* survey: ``respondent_id``, ``team``, ``department``, ``location``, ``tenure_band``, ``wave``, ``enps`` (0-10),
  item columns ``q01``, ``q02``, ... (whole numbers on the item scale, default 1-5, with a "don't know" code,
  default 9) and ``intent_to_stay`` (item scale);
* HRIS: ``employee_id``, ``team``, ``department``, ``location``, ``hire_date``, ``exit_date``, ``exit_type``;
* customers: ``team``, ``quarter``, ``csat_mean`` (1-5), ``customer_nps`` (-100..100), ``customers_surveyed``.

Text files are read as spreadsheet programs write them: UTF-8 with or without a byte-order mark, UTF-16 with its
mark, or else Windows-1252 (Latin-1); separated by ``,``, ``;`` or tab, whichever the header line holds most of
(tab for ``.tsv``). A row with fewer or more fields than the header is an error naming the row.

A vendor export (Culture Amp, Qualtrics, Viva Glint, Officevibe, ...) is mapped onto these names by a small TOML
file, read with :func:`load_mapping`; example mappings ship with the package (:func:`mapping_names`)::

    [mapping]
    name = "Qualtrics Employee Experience, numeric-values CSV"
    skip_rows = [2, 3]                  # file rows (header = row 1) that are not data

    [columns]                           # engage name = export column
    respondent_id = "ResponseId"
    team = "Team"
    enps = "Q2"
    gender = "Gender"                   # any other name is kept as an extra grouping column

    [items]                             # item name (q01, q02, ...) = export column
    q01 = "Q1_1"

    [values]                            # text answers to numbers (case and surrounding spaces ignored)
    "Strongly agree" = 5
    "Don't know" = 9

    [scale]
    items = [1, 5]
    enps = [0, 10]
    dont_know = 9

    [constants]                         # columns the export lacks, with one value for every row
    wave = 1

    [ignore]
    columns = ["StartDate", "EndDate"]  # export columns dropped on purpose

Long ("tidy") exports, with one row per person and question, name their question and answer columns in a
``[long]`` table; the question labels then stand where wide exports have column names (under ``[columns]`` and
``[items]``, or ``[ignore]``), and the rows are pivoted to one row per person (every other column kept is a
person-level column, such as the id, team and period)::

    [long]
    question = "Question"
    answer = "Score"

Every problem is an :class:`ExportError` (a ``ValueError``) naming the file, the row (as a spreadsheet numbers it:
the header is row 1) and the column: an export column the mapping neither maps nor ignores, a mapped column that
is missing, text where a number belongs, an answer off the scale, a duplicated respondent in a wave (in a long export: the row of
the offending answer, a question the mapping does not know, the same question answered twice). Checks are
vectorised (no loop over rows).
"""

from __future__ import annotations

import csv
import dataclasses
import re
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Mapping, TextIO

import numpy as np
import pandas as pd

from ._errors import InvalidInputError, InvalidTypeError

if sys.version_info >= (3, 11):
    import tomllib as _toml
else:  # pragma: no cover - Python 3.10 needs the tomli backport
    import tomli as _toml

__all__ = [
    "ColumnMapping",
    "ExportError",
    "Progress",
    "load_mapping",
    "mapping_names",
    "read_export",
]

Kind = Literal["survey", "hris", "customers"]

ITEM_NAME = re.compile(r"^q\d+$")

# Column roles: "id" (text, required unique per wave for the survey), "key" (any value, grouping), "wave",
# "enps" (whole 0..10), "item" (whole on the item scale or the don't-know code), "date", "exit_type",
# "quarter", "real:<low>:<high>", "count".
_SCHEMAS: dict[str, dict[str, str]] = {
    "survey": {
        "respondent_id": "id",
        "team": "key",
        "department": "key",
        "location": "key",
        "tenure_band": "key",
        "wave": "wave",
        "enps": "enps",
        "intent_to_stay": "item",
    },
    "hris": {
        "employee_id": "id",
        "team": "key",
        "department": "key",
        "location": "key",
        "hire_date": "date",
        "exit_date": "date",
        "exit_type": "exit_type",
    },
    "customers": {
        "team": "key",
        "quarter": "quarter",
        "csat_mean": "real:1:5",
        "customer_nps": "real:-100:100",
        "customers_surveyed": "count",
    },
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    "survey": ("team",),
    "hris": ("employee_id", "team", "hire_date"),
    "customers": ("team", "quarter"),
}
_EXIT_TYPES = ("voluntary", "involuntary", "none")
_QUARTER = re.compile(r"^\d{4}Q[1-4]$")


class ExportError(InvalidInputError):
    """A problem in an export file; the message names the file, row and column."""


@dataclasses.dataclass(frozen=True)
class ColumnMapping:
    """How one export's columns map onto engage's names (see the module docstring for the TOML format).

    Attributes
    ----------
    name : str
        What the mapping is for (shown in messages).
    columns : dict
        engage name -> export column, items included (``q01`` ...).
    values : dict
        Lower-cased, stripped text answer -> number, applied to the eNPS and item columns.
    item_scale, enps_scale : (low, high)
    dont_know : float or None
        The unscored "don't know" code of the items (after ``values``).
    constants : dict
        engage name -> value for columns the export lacks.
    ignore : tuple of str
        Export columns dropped on purpose.
    skip_rows : tuple of int
        File rows (the header is row 1) that are not data.
    sheet : str or int
        Excel sheet (default the first).
    long : (str, str) or None
        The question and answer columns of a long export (one row per person and question), else None.
    source : str
        Where the mapping was read from.
    """

    name: str = "engage"
    columns: Mapping[str, str] = dataclasses.field(default_factory=dict)
    values: Mapping[str, float] = dataclasses.field(default_factory=dict)
    item_scale: tuple[int, int] = (1, 5)
    enps_scale: tuple[int, int] = (0, 10)
    dont_know: float | None = 9
    constants: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    ignore: tuple[str, ...] = ()
    skip_rows: tuple[int, ...] = ()
    sheet: str | int = 0
    long: tuple[str, str] | None = None
    source: str = "<engage names>"

    @property
    def is_identity(self) -> bool:
        """True for the default: the file already uses engage's names."""
        return not self.columns


def mapping_names() -> list[str]:
    """Names of the example mappings shipped with engage (usable as ``load_mapping(name)``).

    Examples
    --------
    >>> import engage.io
    >>> "qualtrics" in engage.io.mapping_names()
    True
    """
    folder = resources.files("engage") / "mappings"
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


def _scale(value: Any, where: str) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] >= value[1]
    ):
        raise ExportError(f"{where}: expected [low, high] whole numbers with low < high; got {value!r}")
    return int(value[0]), int(value[1])


def load_mapping(source: str | Path) -> ColumnMapping:
    """Read a column mapping: a TOML file path, or the name of a shipped example (``mapping_names()``).

    Examples
    --------
    >>> import engage.io
    >>> m = engage.io.load_mapping("culture_amp")
    >>> m.columns["respondent_id"], m.item_scale, m.dont_know
    ('Employee Id', (1, 5), 9.0)
    """
    path = Path(source)
    if path.suffix != ".toml" and not path.exists():
        names = mapping_names()
        if str(source) not in names:
            raise ExportError(f"mapping {str(source)!r}: no such file, and not a shipped mapping ({', '.join(names)})")
        text = (resources.files("engage") / "mappings" / f"{source}.toml").read_text(encoding="utf-8")
        where = f"mapping {source!r}"
    else:
        if not path.exists():
            raise ExportError(f"{path}: no such mapping file")
        text = path.read_text(encoding="utf-8")
        where = str(path)
    try:
        doc = _toml.loads(text)
    except _toml.TOMLDecodeError as err:
        raise ExportError(f"{where}: not valid TOML: {err}") from None
    known = {"mapping", "columns", "items", "values", "scale", "constants", "ignore", "long"}
    unknown = sorted(set(doc) - known)
    if unknown:
        raise ExportError(f"{where}: unknown table(s) {unknown}; expected some of {sorted(known)}")
    head = doc.get("mapping", {})
    columns: dict[str, str] = {}
    for table in ("columns", "items"):
        for name, col in doc.get(table, {}).items():
            if not isinstance(col, str):
                raise ExportError(f"{where}: [{table}] {name} = {col!r}: the export column must be a string")
            if table == "items" and not ITEM_NAME.match(name) and name != "intent_to_stay":
                raise ExportError(f"{where}: [items] {name!r}: item names are q01, q02, ... (or intent_to_stay)")
            if name in columns:
                raise ExportError(f"{where}: {name!r} is mapped twice")
            columns[name] = col
    targets = list(columns.values())
    twice = sorted({c for c in targets if targets.count(c) > 1})
    if twice:
        raise ExportError(f"{where}: export column(s) {twice} mapped to more than one engage name")
    values: dict[str, float] = {}
    for label, number in doc.get("values", {}).items():
        if isinstance(number, bool) or not isinstance(number, (int, float)):
            raise ExportError(f"{where}: [values] {label!r} = {number!r}: must be a number")
        values[str(label).strip().lower()] = float(number)
    scale = doc.get("scale", {})
    item_scale = _scale(scale.get("items", [1, 5]), f"{where}: [scale] items")
    enps_scale = _scale(scale.get("enps", [0, 10]), f"{where}: [scale] enps")
    # No dont_know key: engage's 9 on the default 1-5 scale, none otherwise; "none" says there is no such answer.
    dk = scale.get("dont_know", 9 if item_scale == (1, 5) else None)
    if dk == "none":
        dk = None
    if dk is not None and (isinstance(dk, bool) or not isinstance(dk, (int, float))):
        raise ExportError(f"{where}: [scale] dont_know = {dk!r}: must be a number or \"none\"")
    if dk is not None and item_scale[0] <= dk <= item_scale[1]:
        raise ExportError(f"{where}: [scale] dont_know = {dk!r} is on the item scale {item_scale}; pick a code off it")
    skip = head.get("skip_rows", [])
    if not isinstance(skip, list) or not all(isinstance(r, int) and r >= 2 for r in skip):
        raise ExportError(f"{where}: [mapping] skip_rows = {skip!r}: expected file row numbers >= 2 (header = row 1)")
    ignore = doc.get("ignore", {}).get("columns", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise ExportError(f"{where}: [ignore] columns must be a list of strings")
    long = doc.get("long")
    if long is not None:
        if (not isinstance(long, dict) or set(long) != {"question", "answer"}
                or not all(isinstance(v, str) for v in long.values())):
            raise ExportError(f"{where}: [long] needs exactly question = \"<column>\" and answer = \"<column>\"; "
                              f"got {long!r}")
        if long["question"] == long["answer"]:
            raise ExportError(f"{where}: [long] question and answer must be different columns")
    return ColumnMapping(
        name=str(head.get("name", where)),
        columns=columns,
        values=values,
        item_scale=item_scale,
        enps_scale=enps_scale,
        dont_know=None if dk is None else float(dk),
        constants=dict(doc.get("constants", {})),
        ignore=tuple(ignore),
        skip_rows=tuple(sorted(set(skip))),
        sheet=head.get("sheet", 0),
        long=None if long is None else (long["question"], long["answer"]),
        source=where,
    )


# ----------------------------------------------------------------------------------------------------------------
# Progress on a terminal
# ----------------------------------------------------------------------------------------------------------------


class Progress:
    """A one-line progress bar on standard error, drawn only when it is a terminal.

    ``Progress(total, label)``; ``update(amount, label=None)`` adds to the done amount; ``close()`` ends the line.
    Quiet (draws nothing) when the stream is not a terminal, so logs and pipes stay clean.

    Examples
    --------
    >>> import io, engage.io
    >>> p = engage.io.Progress(3, "report", stream=io.StringIO())   # not a terminal: quiet
    >>> p.update(1, "eNPS"); p.close(); p.enabled
    False
    """

    def __init__(self, total: float, label: str = "", *, stream: TextIO | None = None,
                 enabled: bool | None = None) -> None:
        self.stream = sys.stderr if stream is None else stream
        if enabled is None:
            isatty = getattr(self.stream, "isatty", None)
            enabled = bool(isatty()) if callable(isatty) else False
        self.enabled = enabled
        self.total = max(float(total), 1e-12)
        self.done = 0.0
        self.label = label
        self._width = 0

    def update(self, amount: float = 1.0, label: str | None = None) -> None:
        self.done = min(self.total, self.done + amount)
        if label is not None:
            self.label = label
        if self.enabled:
            frac = self.done / self.total
            bar = "#" * int(round(24 * frac))
            line = f"\r{self.label[:40]:<40} [{bar:<24}] {100 * frac:3.0f}%"
            self._width = max(self._width, len(line))
            self.stream.write(line)
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
        self._width = 0


# ----------------------------------------------------------------------------------------------------------------
# Reading
# ----------------------------------------------------------------------------------------------------------------

_CHUNK_BYTES = 16 << 20  # files larger than this are read in chunks, with a progress bar on a terminal


def _text_format(path: Path, suffix: str) -> tuple[str, str]:
    """Encoding and separator of a text export, as spreadsheet programs write them: UTF-8 (with or without a
    byte-order mark), UTF-16 (with its mark; Excel's "Unicode text"), else Windows-1252 (Excel's "CSV" on
    Windows, Latin-1 included); the separator is the one of ``,``, ``;`` (European Excel) and tab that the header
    line holds most of (tab for ``.tsv``)."""
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        for encoding in ("utf-8-sig", "cp1252"):  # the first that decodes the whole file
            try:
                with open(path, encoding=encoding) as text:
                    for _ in text:
                        pass
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ExportError(f"{path}: is not text in UTF-8, UTF-16 or Windows-1252 (Latin-1); is it a "
                              "spreadsheet or binary file saved with a .csv name?")
    if suffix == ".tsv":
        return encoding, "\t"
    try:
        first = head.decode(encoding, errors="replace").lstrip("\ufeff").splitlines()[0] if head else ""
    except IndexError:
        first = ""
    counts = {sep: first.count(sep) for sep in (",", ";", "\t")}
    best = max(counts, key=lambda k: counts[k])
    return encoding, best if counts[best] > 0 else ","


def _check_short_rows(path: Path, encoding: str, sep: str, width: int, skip_rows: set[int]) -> None:
    """pandas fills the missing fields of a row shorter than the header with empty cells, which would read as
    unanswered; a short row is a file cut short or a lost separator, named by its row (header = row 1)."""
    with open(path, encoding=encoding, newline="") as fh:
        for row_number, row in enumerate(csv.reader(fh, delimiter=sep), start=1):
            if row and row_number not in skip_rows and len(row) < width:
                raise ExportError(f"{path}: row {row_number} has {len(row)} field(s) but the header has {width} "
                                  "columns; the file is cut short or a separator is missing")


def _read_raw(path: Path, mapping: ColumnMapping, progress: bool | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The file as text/number columns, and the file row number of each data row (header = row 1)."""
    suffix = path.suffix.lower()
    skip = [r - 1 for r in mapping.skip_rows]  # pandas skiprows are 0-based file lines
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(path)
            if skip:
                frame = frame.drop(index=frame.index[[r - 1 for r in skip if r - 1 < len(frame)]])
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, sheet_name=mapping.sheet, skiprows=skip or None, dtype=object)
        elif suffix in (".csv", ".tsv", ".txt"):
            encoding, sep = _text_format(path, suffix)
            size = path.stat().st_size
            bar = Progress(size, f"reading {path.name}", enabled=None if progress is None else progress)
            if bar.enabled and size > _CHUNK_BYTES:
                chunks = []
                with open(path, "rb") as fh:
                    reader = pd.read_csv(fh, sep=sep, skiprows=skip or None, dtype=str, keep_default_na=False,
                                         chunksize=200_000, encoding=encoding)
                    last = 0
                    for chunk in reader:
                        chunks.append(chunk)
                        pos = fh.tell()
                        bar.update(pos - last)
                        last = pos
                bar.close()
                frame = pd.concat(chunks, ignore_index=True)
            else:
                frame = pd.read_csv(path, sep=sep, skiprows=skip or None, dtype=str, keep_default_na=False,
                                    encoding=encoding)
            _check_short_rows(path, encoding, sep, frame.shape[1], {r for r in mapping.skip_rows})
        else:
            raise ExportError(f"{path}: unknown file type {suffix!r}; engage reads .csv, .tsv, .parquet, .xlsx, .xls")
    except ExportError:
        raise
    except ImportError as err:
        extra = "pyarrow" if suffix == ".parquet" else "openpyxl"
        raise ExportError(f"{path}: reading {suffix} files needs {extra} (pip install {extra}): {err}") from None
    except (ValueError, OSError, pd.errors.ParserError, UnicodeError) as err:
        text = " ".join(str(err).split())
        raise ExportError(f"{path}: cannot be read as {suffix.lstrip('.') or 'CSV'}: {text}") from None
    frame = frame.reset_index(drop=True)
    frame.columns = [str(c).strip() for c in frame.columns]
    data_lines = np.setdiff1d(np.arange(2, len(frame) + len(skip) + 2), np.asarray(mapping.skip_rows, dtype=int))
    return frame, data_lines[: len(frame)]


def _pivot_long(path: Path, raw: pd.DataFrame, rows: np.ndarray, mapping: ColumnMapping
                ) -> tuple[pd.DataFrame, np.ndarray, dict[str, np.ndarray]]:
    """One row per person from a long export (one row per person and question), with the file row of every
    answer cell (``cells``: question label -> file rows) so that errors still name the row that holds the answer.

    The person is the combination of the other columns kept (id, team, period, ...); a question the mapping
    neither maps nor ignores, and a person answering a question twice, are errors naming the row."""
    assert mapping.long is not None
    question, answer = mapping.long
    absent = [c for c in (question, answer) if c not in raw.columns]
    if absent:
        raise ExportError(f"{path}: row 1 (header): the [long] column(s) {absent} of {mapping.source} are not in the "
                          f"file; the file's columns are {list(raw.columns)}")
    if "respondent_id" not in mapping.columns:
        raise ExportError(f"{path}: a long export needs the respondent id mapped ([columns] respondent_id = ...) in "
                          f"{mapping.source}: without it, whose answers belong together is not known")
    q = raw[question].astype("string").str.strip()
    _fail(path, rows, _blank(raw[question]), question, raw[question], "is empty: every answer needs its question")
    ignored = set(mapping.ignore)
    # a label that names a column of the file (or the [long] columns) would overwrite that column in the pivot
    clash = q.isin(set(raw.columns)).to_numpy(dtype=bool)
    _fail(path, rows, clash, question, raw[question], "is a question labelled like a column of the file")
    known = set(mapping.columns.values())
    unknown = ~q.isin(known | ignored).to_numpy(dtype=bool)
    _fail(path, rows, unknown, question, raw[question],
          f"is a question {mapping.source} neither maps (under [columns] or [items]) nor ignores")
    keep = ~q.isin(ignored).to_numpy(dtype=bool)
    person_cols = [c for c in raw.columns if c not in (question, answer) and c not in ignored]
    sub = raw.loc[keep, person_cols].reset_index(drop=True)
    labels = q[keep].to_numpy(dtype=object)
    answers = raw.loc[keep, answer].reset_index(drop=True)
    file_rows = rows[keep]
    if person_cols:
        person = sub.groupby(person_cols, sort=False, dropna=False).ngroup().to_numpy()
    else:
        person = np.zeros(len(sub), dtype=np.int64)
    qcode, qlabels = pd.factorize(labels)
    twice = pd.DataFrame({"p": person, "q": qcode}).duplicated().to_numpy()
    _fail(path, file_rows, twice, question, pd.Series(labels),
          "is answered twice by the same person (same " + ", ".join(repr(c) for c in person_cols) + ")")
    n_people = int(person.max()) + 1 if len(person) else 0
    first = np.unique(person, return_index=True)[1]  # each person's first row (codes 0..n_people-1 all occur)
    wide = np.full((n_people, len(qlabels)), "", dtype=object)
    wide[person, qcode] = answers.to_numpy(dtype=object)
    cell_rows = np.repeat(file_rows[first][:, None], len(qlabels), axis=1)
    cell_rows[person, qcode] = file_rows
    frame = sub.iloc[first].reset_index(drop=True)
    for j, label in enumerate(qlabels):
        frame[str(label)] = wide[:, j]
    # A mapped question nobody answered (a pulse that rotates its questions) is an empty column, not an error.
    for name, label in mapping.columns.items():
        if label not in frame.columns and label not in raw.columns and (ITEM_NAME.match(name) or name in (
                "enps", "intent_to_stay")):
            frame[label] = ""
    return frame, file_rows[first], {str(label): cell_rows[:, j] for j, label in enumerate(qlabels)}


def _blank(col: pd.Series) -> np.ndarray:
    """Missing cells: NA, or empty / whitespace text."""
    out = col.isna().to_numpy(copy=True)  # writable (pandas 3 hands out read-only views)
    if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
        text = col.astype("string").str.strip()
        out |= (text == "").fillna(True).to_numpy(dtype=bool)
    return out


def _fail(path: Path, rows: np.ndarray, where: np.ndarray, column: str, raw: pd.Series, why: str) -> None:
    if where.any():
        i = int(np.flatnonzero(where)[0])
        count = int(where.sum())
        more = f" ({count} rows like this)" if count > 1 else ""
        raise ExportError(f"{path}: row {int(rows[i])}, column {column!r}: value {raw.iloc[i]!r} {why}{more}")


def _numeric(path: Path, rows: np.ndarray, col: pd.Series, column: str, values: Mapping[str, float]) -> np.ndarray:
    """Numbers from a column of numbers or text (text answers through ``values``); text that is neither fails."""
    blank = _blank(col)
    if pd.api.types.is_numeric_dtype(col.dtype) and not pd.api.types.is_bool_dtype(col.dtype):
        return col.to_numpy(dtype=np.float64, na_value=np.nan)
    text = col.astype("string").str.strip()
    num = pd.to_numeric(text, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    if values:
        labels = text.str.lower().map(values)
        num = np.where(np.isnan(num), labels.to_numpy(dtype=np.float64, na_value=np.nan), num)
    bad = ~blank & np.isnan(num)
    known = f"; known text answers are {sorted(values)}" if values else ""
    _fail(path, rows, bad, column, col, f"is not a number{known}")
    num[blank] = np.nan
    return num


def _whole_on(path: Path, rows: np.ndarray, col: pd.Series, x: np.ndarray, column: str, low: float, high: float,
              extra: float | None = None, what: str = "scale") -> None:
    ok = np.isnan(x) | ((x >= low) & (x <= high) & (x == np.round(x)))
    if extra is not None:
        ok |= x == extra
    dk = f" or the don't-know code {extra:g}" if extra is not None else ""
    _fail(path, rows, ~ok, column, col, f"is off the {what}: expected a whole number from {low:g} to {high:g}{dk}")


def read_export(
    path: str | Path,
    kind: Kind = "survey",
    mapping: ColumnMapping | str | Path | None = None,
    *,
    progress: bool | None = None,
) -> pd.DataFrame:
    """Read a survey, HRIS or customer-outcomes export and check it, returning engage's column names.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` / ``.tsv``, ``.parquet`` or ``.xlsx`` / ``.xls`` file.
    kind : {"survey", "hris", "customers"}
        What the file holds (see the module docstring for each kind's columns).
    mapping : ColumnMapping, str or Path, optional
        A column mapping (or a TOML path or shipped mapping name). Without one the file must use engage's names.
    progress : bool, optional
        Show a progress bar while reading a large CSV; by default only when standard error is a terminal.

    Returns
    -------
    DataFrame
        engage's columns with numeric eNPS / items (float64, NaN = missing), dates as datetime64 and the mapping
        kept in ``frame.attrs["mapping"]`` (its scale and don't-know code are what the report uses).

    Raises
    ------
    ExportError
        Unknown or missing columns, text where a number belongs, answers off the scale, bad dates, duplicated
        respondents in a wave: the message names the file, the row (header = row 1) and the column.

    Examples
    --------
    >>> import engage.io, pandas as pd, tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "s.csv")
    >>> pd.DataFrame({"team": ["a", "b"], "enps": [9, 11]}).to_csv(p, index=False)
    >>> engage.io.read_export(p)
    Traceback (most recent call last):
    ...
    engage.io.ExportError: ...s.csv: row 3, column 'enps': value '11' is off the eNPS scale: expected a whole number from 0 to 10
    """
    if kind not in _SCHEMAS:
        raise InvalidInputError(f"kind = {kind!r}: expected one of 'survey', 'hris', 'customers'")
    if not isinstance(path, (str, Path)):
        hint = (" (a DataFrame already in memory goes straight to engage.report.build_report or the analysis "
                "functions)" if isinstance(path, pd.DataFrame) else "")
        raise InvalidTypeError(f"path must be a file name (str or pathlib.Path); got {type(path).__name__}{hint}")
    p = Path(path)
    if not p.exists():
        raise ExportError(f"{p}: no such file")
    if mapping is None:
        mapping = ColumnMapping()
    elif not isinstance(mapping, ColumnMapping):
        mapping = load_mapping(mapping)
    raw, rows = _read_raw(p, mapping, progress)
    cells: dict[str, np.ndarray] = {}
    if mapping.long is not None:
        raw, rows, cells = _pivot_long(p, raw, rows, mapping)
    schema = _SCHEMAS[kind]

    # Names: export column -> engage name.
    if mapping.is_identity:
        rename = {c: c for c in raw.columns}
        unknown = [c for c in raw.columns if c not in schema and not (kind == "survey" and ITEM_NAME.match(c))]
        hint = "pass a column mapping (--mapping FILE) that maps or ignores it"
    else:
        rename = {col: name for name, col in mapping.columns.items()}
        missing = [f"{name} = {col!r}" for name, col in mapping.columns.items() if col not in raw.columns]
        if missing:
            raise ExportError(
                f"{p}: row 1 (header): mapped column(s) not in the file: {', '.join(missing)} "
                f"(mapping {mapping.source}); the file's columns are {list(raw.columns)}"
            )
        unknown = [c for c in raw.columns if c not in rename and c not in mapping.ignore]
        hint = f"map it under [columns] or list it under [ignore] in {mapping.source}"
    if unknown:
        pos = list(raw.columns).index(unknown[0]) + 1
        more = f" (all unknown: {unknown})" if len(unknown) > 1 else ""
        raise ExportError(f"{p}: row 1 (header), column {unknown[0]!r} (column {pos}): not a {kind} column of engage; "
                          f"{hint}{more}")
    dupes = sorted({c for c in raw.columns if list(raw.columns).count(c) > 1})
    if dupes:
        raise ExportError(f"{p}: row 1 (header): column name(s) {dupes} appear more than once")
    frame = raw[[c for c in raw.columns if c in rename]].rename(columns=rename)
    for name, value in mapping.constants.items():
        if name in frame.columns:
            raise ExportError(f"{p}: column {name!r} is both in the file and under [constants] in {mapping.source}")
        frame[name] = value
    absent = [c for c in _REQUIRED[kind] if c not in frame.columns]
    if absent:
        raise ExportError(f"{p}: row 1 (header): required column(s) {absent} missing; the file's columns are "
                          f"{list(raw.columns)}")

    out: dict[str, Any] = {}
    low, high = mapping.item_scale
    for name in frame.columns:
        col = frame[name]
        role = schema.get(name, "item" if kind == "survey" and ITEM_NAME.match(name) else "key")
        label = next((c for c, n in rename.items() if n == name), name)
        at = cells.get(label, rows)  # the file row of each cell (in a long export: of each answer)
        if role == "id":
            _fail(p, at, _blank(col), label, col, "is empty: every row needs an id")
            out[name] = col.astype("string").str.strip().astype(object)
        elif role == "key":
            if col.dtype == object or pd.api.types.is_string_dtype(col.dtype):
                out[name] = col.astype("string").str.strip().astype(object).where(~_blank(col), np.nan)
            else:
                out[name] = col
        elif role == "wave":
            x = _numeric(p, at, col, label, {})
            _fail(p, at, np.isnan(x), label, col, "is empty: every response needs its wave")
            _fail(p, at, x != np.round(x), label, col, "is not a whole number (waves are numbered 1, 2, ...)")
            out[name] = x.astype(np.int64)
        elif role == "enps":
            x = _numeric(p, at, col, label, mapping.values)
            _whole_on(p, at, col, x, label, *mapping.enps_scale, what="eNPS scale")
            if mapping.enps_scale != (0, 10):  # e.g. a 1..11 coding of the 0..10 question
                x = x - mapping.enps_scale[0]
            out[name] = x
        elif role == "item":
            x = _numeric(p, at, col, label, mapping.values)
            _whole_on(p, at, col, x, label, low, high, mapping.dont_know, what="item scale")
            out[name] = x
        elif role == "date":
            blank = _blank(col)
            d = pd.to_datetime(col.where(~blank, None), errors="coerce", format="mixed" if col.dtype == object else None)
            _fail(p, at, ~blank & d.isna().to_numpy(), label, col, "is not a date (use YYYY-MM-DD)")
            out[name] = d
        elif role == "exit_type":
            text = col.astype("string").str.strip().str.lower().fillna("none").replace("", "none")
            _fail(p, at, ~text.isin(_EXIT_TYPES).to_numpy(), label, col, f"is not one of {list(_EXIT_TYPES)}")
            out[name] = text.astype(object)
        elif role == "quarter":
            text = col.astype("string").str.strip()
            _fail(p, at, ~text.str.match(_QUARTER).fillna(False).to_numpy(dtype=bool), label, col,
                  "is not a quarter like 2024Q1")
            out[name] = text.astype(object)
        elif role.startswith("real:"):
            lo, hi = (float(v) for v in role.split(":")[1:])
            x = _numeric(p, at, col, label, {})
            _fail(p, at, ~np.isnan(x) & ((x < lo) | (x > hi)), label, col, f"is off the range {lo:g} to {hi:g}")
            out[name] = x
        elif role == "count":
            x = _numeric(p, at, col, label, {})
            _fail(p, at, ~np.isnan(x) & ((x < 0) | (x != np.round(x))), label, col, "is not a count (0, 1, 2, ...)")
            out[name] = x
    result = pd.DataFrame(out, index=pd.RangeIndex(len(frame)))
    if kind == "survey" and "respondent_id" in result.columns:
        keys = ["respondent_id"] + (["wave"] if "wave" in result.columns else [])
        dup = result.duplicated(keys).to_numpy()
        label = mapping.columns.get("respondent_id", "respondent_id")
        _fail(p, rows, dup, label, result["respondent_id"], "appears twice in the same wave")
    if kind == "hris":
        dup = result.duplicated("employee_id").to_numpy()
        _fail(p, rows, dup, mapping.columns.get("employee_id", "employee_id"), result["employee_id"],
              "appears twice")
        if "exit_date" in result.columns:
            early = (result["exit_date"] < result["hire_date"]).to_numpy()
            _fail(p, rows, early, mapping.columns.get("exit_date", "exit_date"), result["exit_date"].astype(str),
                  "is before the hire date")
    result.attrs["mapping"] = mapping
    result.attrs["source"] = str(p)
    return result

