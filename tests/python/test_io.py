"""Reading exports: CSV / Parquet / Excel, the shipped vendor mappings, and errors naming file, row and column."""

from __future__ import annotations

import doctest
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import engage.io
from engage.io import ExportError, load_mapping, mapping_names, read_export

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
SURVEY = EXAMPLES / "survey.csv"


@pytest.fixture(scope="module")
def native() -> pd.DataFrame:
    return read_export(SURVEY)


def test_docstring_examples() -> None:
    result = doctest.testmod(engage.io, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_native_files_read_as_pandas_does(native: pd.DataFrame) -> None:
    raw = pd.read_csv(SURVEY)
    assert list(native.columns) == list(raw.columns)
    pd.testing.assert_frame_equal(native, raw, check_dtype=False)
    hris = read_export(EXAMPLES / "hris.csv", "hris")
    assert hris["hire_date"].dtype.kind == "M" and hris["exit_date"].isna().sum() > 0
    assert set(hris["exit_type"]) <= {"voluntary", "involuntary", "none"}
    customers = read_export(EXAMPLES / "customers.csv", "customers")
    pd.testing.assert_frame_equal(customers, pd.read_csv(EXAMPLES / "customers.csv"), check_dtype=False)


@pytest.mark.parametrize("suffix", [".parquet", ".xlsx"])
def test_parquet_and_excel_read_the_same(native: pd.DataFrame, tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"survey{suffix}"
    head = pd.read_csv(SURVEY).head(300)
    if suffix == ".parquet":
        pytest.importorskip("pyarrow")
        head.to_parquet(path)
    else:
        pytest.importorskip("openpyxl")
        head.to_excel(path, index=False)
    got = read_export(path)
    pd.testing.assert_frame_equal(got, native.head(300), check_dtype=False)
    # an answer off the scale: the row is the spreadsheet's row (header = row 1)
    bad = head.copy()
    bad.loc[41, "q03"] = 7
    if suffix == ".parquet":
        bad.to_parquet(path)
    else:
        bad.to_excel(path, index=False)
    with pytest.raises(ExportError, match=rf"survey{suffix}: row 43, column 'q03': value .*7.* is off the item scale"):
        read_export(path)


def _vendor_export(native: pd.DataFrame, name: str) -> tuple[pd.DataFrame, engage.io.ColumnMapping]:
    """The sample survey written the way the mapping's vendor would (inverse of the mapping)."""
    m = load_mapping(name)
    out = pd.DataFrame(index=native.index)
    for engage_name, col in m.columns.items():
        if engage_name in native.columns:
            out[col] = native[engage_name]
    for col in m.ignore:
        out[col] = "ignored"
    dk = m.dont_know
    items = [k for k in m.columns if k.startswith("q") or k == "intent_to_stay"]
    for k in items:
        if k in native.columns:
            v = native[k].to_numpy(dtype=float)
            if dk is not None:
                v = np.where(v == 9, dk, v)
            out[m.columns[k]] = v
    return out, m


@pytest.mark.parametrize("name", ["culture_amp", "qualtrics", "glint", "engage"])
def test_shipped_mappings_read_vendor_exports(native: pd.DataFrame, tmp_path: Path, name: str) -> None:
    m = load_mapping(name)
    if "wave" in m.constants:  # a one-cycle export (Glint)
        native = native[native["wave"] == m.constants["wave"]].reset_index(drop=True)
    export, m = _vendor_export(native, name)
    path = tmp_path / f"{name}.csv"
    text = export.to_csv(index=False, float_format="%g")
    if m.skip_rows:  # Qualtrics: question text and import-id rows under the header
        header, body = text.split("\n", 1)
        extra = ",".join(f'"{c} text"' for c in export.columns) + "\n" + ",".join('"{}"' for _ in export.columns)
        text = header + "\n" + extra + "\n" + body
    path.write_text(text)
    got = read_export(path, mapping=name)
    for engage_name in m.columns:
        want = native[engage_name]
        if engage_name.startswith("q") or engage_name == "intent_to_stay":
            np.testing.assert_array_equal(got[engage_name].to_numpy(), want.to_numpy(dtype=float)
                                          if m.dont_know in (None, 9) else
                                          np.where(want == 9, m.dont_know, want))
        else:
            assert got[engage_name].astype(str).tolist() == want.astype(str).tolist(), engage_name
    for engage_name, value in m.constants.items():
        assert (got[engage_name] == value).all()
    assert got.attrs["mapping"].dont_know == m.dont_know


def test_text_answers_through_the_values_table(tmp_path: Path) -> None:
    path = tmp_path / "choice_text.csv"
    m = load_mapping("qualtrics")
    cols = {v: k for k, v in m.columns.items()}
    frame = pd.DataFrame({c: ["x"] * 3 for c in m.ignore})
    frame["ExternalReference"] = ["a", "b", "c"]
    frame["Team"] = ["t1", "t1", "t2"]
    for c in ("Department", "Location", "TenureBand"):
        frame[c] = "d"
    frame["Wave"] = 1
    frame["Q2"] = ["10 - Extremely likely", "7", "0 - Not at all likely"]
    for k in range(1, 13):
        frame[f"Q1_{k}"] = ["Strongly agree", " somewhat DISAGREE ", "Don't know"]
    frame["Q3"] = ["", "Neither agree nor disagree", "Strongly disagree"]
    lines = frame.to_csv(index=False).split("\n", 1)
    path.write_text(lines[0] + "\nquestion text row\nimport id row\n" + lines[1])
    got = read_export(path, mapping=m)
    assert got["enps"].tolist() == [10, 7, 0] and got["q05"].tolist() == [5, 2, 6]
    assert np.isnan(got["intent_to_stay"][0]) and got["intent_to_stay"][1] == 3
    assert cols["Q2"] == "enps"
    frame.loc[1, "Q1_4"] = "Mostly agree"
    lines = frame.to_csv(index=False).split("\n", 1)
    path.write_text(lines[0] + "\nquestion text row\nimport id row\n" + lines[1])
    # data row 2 is file row 5 (header, two skipped rows, then data)
    with pytest.raises(ExportError, match=r"choice_text.csv: row 5, column 'Q1_4': value 'Mostly agree' is not a "
                                          r"number; known text answers are"):
        read_export(path, mapping=m)


def test_errors_name_file_row_and_column(tmp_path: Path) -> None:
    good = pd.DataFrame({"respondent_id": ["a", "b", "c"], "team": ["x", "x", "y"], "wave": [1, 1, 1],
                         "enps": [9, 3, 10], "q01": [1, 5, 9], "q02": [2, 3, None]})
    path = tmp_path / "s.csv"

    def check(frame: pd.DataFrame, pattern: str, **kw: object) -> None:
        frame.to_csv(path, index=False)
        with pytest.raises(ExportError, match=pattern):
            read_export(path, **kw)  # type: ignore[arg-type]

    good.to_csv(path, index=False)
    assert read_export(path)["q02"].isna().sum() == 1
    check(good.assign(gender="f"), r"s.csv: row 1 \(header\), column 'gender' \(column 7\): not a survey column")
    check(good.assign(enps=["9", "ten", "3"]), r"s.csv: row 3, column 'enps': value 'ten' is not a number")
    check(good.assign(q01=[1, 6, 2]), r"row 3, column 'q01': value '6' is off the item scale: expected a whole "
                                      r"number from 1 to 5 or the don't-know code 9")
    check(good.assign(q02=[1.5, 2, 3]), r"row 2, column 'q02': value '1.5' is off the item scale")
    check(good.assign(enps=[9, -1, 3]), r"row 3, column 'enps': value '-1' is off the eNPS scale")
    check(good.assign(respondent_id=["a", "b", "a"]), r"row 4, column 'respondent_id': value 'a' appears twice")
    check(good.assign(wave=[1, 1.5, 1]), r"row 3, column 'wave': value '1.5' is not a whole number")
    check(good.assign(respondent_id=["a", "", "c"]), r"row 3, column 'respondent_id'.* is empty")
    check(good.drop(columns="team"), r"required column\(s\) \['team'\] missing")
    check(good.assign(enps=[11, 12, 3]), r"row 2, column 'enps': value '11' .* \(2 rows like this\)")

    hris = pd.DataFrame({"employee_id": ["a", "b"], "team": ["x", "y"], "hire_date": ["2020-01-01", "2021-13-45"],
                         "exit_date": ["", ""], "exit_type": ["none", "none"]})
    hp = tmp_path / "h.csv"
    hris.to_csv(hp, index=False)
    with pytest.raises(ExportError, match=r"h.csv: row 3, column 'hire_date': value '2021-13-45' is not a date"):
        read_export(hp, "hris")
    hris.assign(hire_date="2020-01-01", exit_type=["none", "fired"]).to_csv(hp, index=False)
    with pytest.raises(ExportError, match=r"row 3, column 'exit_type': value 'fired' is not one of"):
        read_export(hp, "hris")
    hris.assign(hire_date="2020-01-01", exit_date=["2019-01-01", ""]).to_csv(hp, index=False)
    with pytest.raises(ExportError, match=r"row 2, column 'exit_date'.* is before the hire date"):
        read_export(hp, "hris")
    cp = tmp_path / "c.csv"
    pd.DataFrame({"team": ["x"], "quarter": ["2024-1"], "csat_mean": [4.0]}).to_csv(cp, index=False)
    with pytest.raises(ExportError, match=r"c.csv: row 2, column 'quarter': value '2024-1' is not a quarter"):
        read_export(cp, "customers")
    pd.DataFrame({"team": ["x"], "quarter": ["2024Q1"], "csat_mean": [7.0]}).to_csv(cp, index=False)
    with pytest.raises(ExportError, match=r"row 2, column 'csat_mean': value '7.0' is off the range 1 to 5"):
        read_export(cp, "customers")
    with pytest.raises(ExportError, match=r"x.json: unknown file type '.json'"):
        (tmp_path / "x.json").write_text("{}")
        read_export(tmp_path / "x.json")
    with pytest.raises(ExportError, match="no such file"):
        read_export(tmp_path / "absent.csv")


def test_mapping_errors(tmp_path: Path) -> None:
    m = tmp_path / "m.toml"

    def check(text: str, pattern: str) -> None:
        m.write_text(text)
        with pytest.raises(ExportError, match=pattern):
            load_mapping(m)

    check("[columns]\nteam = 3\n", r"m.toml: \[columns\] team = 3: the export column must be a string")
    check("[items]\nfoo = 'A'\n", r"\[items\] 'foo': item names are q01, q02")
    check("[columns]\nteam = 'A'\nwave = 'A'\n", r"export column\(s\) \['A'\] mapped to more than one")
    check("[scale]\nitems = [5, 1]\n", r"\[scale\] items: expected \[low, high\]")
    check("[scale]\ndont_know = 3\n", r"dont_know = 3 is on the item scale")
    check("[colums]\nteam = 'A'\n", r"unknown table\(s\) \['colums'\]")
    check("[columns\n", "not valid TOML")
    m.write_text("[columns]\nteam = 'Team'\nenps = 'Recommend'\n")
    s = tmp_path / "s.csv"
    pd.DataFrame({"Team": ["a"], "Other": [1]}).to_csv(s, index=False)
    with pytest.raises(ExportError, match=r"s.csv: row 1 \(header\): mapped column\(s\) not in the file: "
                                          r"enps = 'Recommend'"):
        read_export(s, mapping=m)
    pd.DataFrame({"Team": ["a"], "Recommend": [3], "Other": [1]}).to_csv(s, index=False)
    with pytest.raises(ExportError, match=r"column 'Other' \(column 3\): not a survey column of engage; map it under "
                                          r"\[columns\] or list it under \[ignore\]"):
        read_export(s, mapping=m)


def test_shipped_mappings_are_packaged() -> None:
    assert {"culture_amp", "qualtrics", "glint", "officevibe", "engage"} <= set(mapping_names())
    for name in mapping_names():
        m = load_mapping(name)
        assert m.columns and "team" in m.columns, name


def _officevibe_wide(native: pd.DataFrame) -> pd.DataFrame:
    """The sample survey as an Officevibe-style wide export (items mapped onto the 0-10 scale)."""
    m = load_mapping("officevibe")
    items = [k for k in m.columns if k.startswith("q")]
    x = native[items].where(native[items] != 9).to_numpy(dtype=float)
    out = pd.DataFrame({m.columns[c]: native[c] for c in ("respondent_id", "team", "department", "wave", "enps")})
    out["Submitted On"] = "2024-02-20"
    for k, col in zip(items, (2.5 * x - 2.5).round().T):
        out[m.columns[k]] = col
    return out


def test_long_export_pivots_to_the_wide_reading(native: pd.DataFrame, tmp_path: Path) -> None:
    wide = _officevibe_wide(native.head(600))
    person = ["Member ID", "Team", "Group", "Period"]
    long = wide.melt(id_vars=person + ["Submitted On"], var_name="Question", value_name="Score")
    long = long[long["Score"].notna()]  # a skipped question has no row
    long = long.sample(frac=1.0, random_state=3).reset_index(drop=True)  # any row order
    wide_path, long_path = tmp_path / "wide.csv", tmp_path / "long.csv"
    wide.to_csv(wide_path, index=False, float_format="%g")
    long.to_csv(long_path, index=False, float_format="%g")
    a = read_export(wide_path, mapping="officevibe")
    b = read_export(long_path, mapping="officevibe_long")
    b = b.set_index(["respondent_id", "wave"]).loc[list(zip(a["respondent_id"], a["wave"]))].reset_index()
    pd.testing.assert_frame_equal(b[list(a.columns)], a, check_dtype=False)
    assert a[[c for c in a.columns if c.startswith("q")]].isna().sum().sum() > 0  # skipped answers came through

    # errors name the row of the offending answer
    bad = long.copy()
    bad.loc[17, "Score"] = 12
    bad.to_csv(long_path, index=False, float_format="%g")
    q = bad.loc[17, "Question"]
    col = "eNPS" if q == "eNPS" else q
    with pytest.raises(ExportError, match=rf"long.csv: row 19, column '{col}': value '12' is off the"):
        read_export(long_path, mapping="officevibe_long")
    bad = long.copy()
    bad.loc[5, "Question"] = "Mood"
    bad.to_csv(long_path, index=False, float_format="%g")
    with pytest.raises(ExportError, match=r"row 7, column 'Question': value 'Mood' is a question .* neither maps"):
        read_export(long_path, mapping="officevibe_long")
    bad = pd.concat([long, long.iloc[[4]]], ignore_index=True)
    bad.to_csv(long_path, index=False, float_format="%g")
    with pytest.raises(ExportError, match=rf"row {len(long) + 2}, column 'Question': .* is answered twice by the same "
                                          "person"):
        read_export(long_path, mapping="officevibe_long")
    bad = long.copy()
    bad.loc[8, "Question"] = "Team"
    bad.to_csv(long_path, index=False, float_format="%g")
    with pytest.raises(ExportError, match=r"row 10, column 'Question': value 'Team' is a question labelled like a "
                                          "column"):
        read_export(long_path, mapping="officevibe_long")
    # a question nobody answered is an empty item, not an error
    long[long["Question"] != "Wellness"].to_csv(long_path, index=False, float_format="%g")
    c = read_export(long_path, mapping="officevibe_long")
    assert c["q08"].isna().all() and c["q07"].notna().any()
    long.drop(columns="Score").to_csv(long_path, index=False)
    with pytest.raises(ExportError, match=r"the \[long\] column\(s\) \['Score'\]"):
        read_export(long_path, mapping="officevibe_long")


def test_long_export_needs_a_respondent_id(tmp_path: Path) -> None:
    m = tmp_path / "m.toml"
    m.write_text('[long]\nquestion = "Q"\nanswer = "A"\n[columns]\nteam = "Team"\nenps = "eNPS"\n')
    f = tmp_path / "l.csv"
    pd.DataFrame({"Team": ["a", "a"], "Q": ["eNPS", "eNPS"], "A": [9, 3]}).to_csv(f, index=False)
    with pytest.raises(ExportError, match=r"a long export needs the respondent id mapped"):
        read_export(f, mapping=load_mapping(m))


def test_long_mapping_errors(tmp_path: Path) -> None:
    m = tmp_path / "m.toml"
    m.write_text('[long]\nquestion = "Q"\n[columns]\nteam = "Team"\n')
    with pytest.raises(ExportError, match=r"\[long\] needs exactly question"):
        load_mapping(m)
    m.write_text('[long]\nquestion = "Q"\nanswer = "Q"\n[columns]\nteam = "Team"\n')
    with pytest.raises(ExportError, match="must be different columns"):
        load_mapping(m)
