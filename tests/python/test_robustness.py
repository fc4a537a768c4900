"""Issue 13: every bad input is an ``engage.EngageError`` naming the argument, never pybind11's
"incompatible function arguments" signature dump, a bare OverflowError or a pandas internals error."""

from __future__ import annotations

import re
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest

import engage
from engage import EngageError

RNG = np.random.default_rng(13)
N = 60
FRAME = pd.DataFrame({
    "team": np.repeat(["a", "b", "c"], N // 3),
    "department": np.repeat(["x", "x", "y"], N // 3),
    "enps": RNG.integers(0, 11, N),
    **{f"q{i}": RNG.integers(1, 6, N) for i in range(1, 5)},
})
ITEMS = ["q1", "q2", "q3", "q4"]
X = FRAME[ITEMS]
SCORES = FRAME["enps"]
TIME = RNG.exponential(10.0, N)
EVENT = RNG.integers(0, 2, N)
Y = RNG.integers(0, 2, N)
P = RNG.uniform(0.05, 0.95, N)


def _organisation() -> Any:
    return engage.datasets.synthetic_organisation(n_employees=300, n_teams=10, waves=2, seed=1)


# The kinds of scalar argument and the bad values every one of them must refuse.
BAD: dict[str, list[Any]] = {
    "int": [True, 2.5, "5", 2**64, -(2**64)],
    "seed": [-1, True, 2.5, "0", 2**64],
    "level": ["0.95", True, [0.95], 95],
    "real": ["1", True, [1.0], 10**400],
    "breaks": [(0, 6, 8, 2**31), (0, 6, 8, 2**64), (0, 6, 8, "10"), (0, 6, 8, 10.5), (0, 6, True, 10)],
}

# (what is called, the call with one argument replaced, {argument: kind})
CASES: list[tuple[str, Callable[..., Any], dict[str, str]]] = [
    ("enps", lambda **kw: engage.enps(SCORES, **kw), {"population_size": "real", "breaks": "breaks"}),
    ("enps_counts", lambda **kw: engage.enps_counts(SCORES, **kw), {"breaks": "breaks"}),
    ("enps_compare", lambda **kw: engage.enps_compare(SCORES, SCORES[::-1], **kw), {"breaks": "breaks"}),
    ("enps_from_counts", lambda **kw: engage.enps_from_counts(engage.enps_counts(SCORES), **kw),
     {"population_size": "real"}),
    ("EnpsResult.confidence_interval",
     lambda **kw: engage.enps(SCORES).confidence_interval(**{"method": "bootstrap", "n_resamples": 50, **kw}),
     {"confidence_level": "level", "n_resamples": "int", "seed": "seed"}),
    ("EnpsResult.confidence_interval (weighted)",
     lambda **kw: engage.enps(SCORES, np.ones(N)).confidence_interval(
         **{"method": "bootstrap", "n_resamples": 50, **kw}),
     {"confidence_level": "level", "n_resamples": "int", "seed": "seed"}),
    ("EnpsComparison.confidence_interval",
     lambda **kw: engage.enps_compare(SCORES, SCORES[::-1]).confidence_interval(**kw), {"confidence_level": "level"}),
    ("EnpsPairedComparison.confidence_interval",
     lambda **kw: engage.enps_compare(SCORES, SCORES[::-1], paired=True).confidence_interval(**kw),
     {"confidence_level": "level"}),
    ("enps_by", lambda **kw: engage.enps_by(FRAME, **{"method": "bootstrap", "n_resamples": 50, **kw}),
     {"min_group_size": "int", "confidence_level": "level", "n_resamples": "int", "seed": "seed",
      "breaks": "breaks"}),
    ("engagement_index", lambda **kw: engage.engagement_index(X, **kw),
     {"min_answered": "int", "population_size": "real", "dont_know": "real"}),
    ("EngagementIndexResult.confidence_interval",
     lambda **kw: engage.engagement_index(X).confidence_interval(**kw), {"confidence_level": "level"}),
    ("engagement_index_by", lambda **kw: engage.engagement_index_by(FRAME, ITEMS, **kw),
     {"min_answered": "int", "min_group_size": "int", "confidence_level": "level", "dont_know": "real"}),
    ("favourability", lambda **kw: engage.favourability(X, **kw), {"dont_know": "real"}),
    ("scale_scores", lambda **kw: engage.scale_scores(X, **kw), {"min_answered": "int", "dont_know": "real"}),
    ("engagement_categories", lambda **kw: engage.engagement_categories(X, **kw),
     {"engaged": "real", "actively_disengaged": "real", "min_answered": "int", "dont_know": "real"}),
    ("EngagementCategoriesResult.rounded_percentages",
     lambda **kw: engage.engagement_categories(X).rounded_percentages(**kw), {"decimals": "int"}),
    ("CronbachAlphaResult.confidence_interval",
     lambda **kw: engage.cronbach_alpha(X).confidence_interval(**{"method": "bootstrap", "n_resamples": 50, **kw}),
     {"confidence_level": "level", "n_resamples": "int", "seed": "seed"}),
    ("cronbach_alpha_by", lambda **kw: engage.cronbach_alpha_by(FRAME, ITEMS, "team", **kw),
     {"min_group_size": "int", "confidence_level": "level"}),
    ("feldt_interval", lambda **kw: engage.feldt_interval(**{"statistic": 0.8, "n": 50, "n_items": 4, **kw}),
     {"statistic": "real", "n": "int", "n_items": "int", "confidence_level": "level"}),
    ("IccResult.confidence_interval", lambda **kw: engage.icc(FRAME["q1"], FRAME["team"]).confidence_interval(**kw),
     {"confidence_level": "level"}),
    ("rwg", lambda **kw: engage.rwg(FRAME["q1"], FRAME["team"], **kw),
     {"scale_points": "int", "null_variance": "real", "min_group_size": "int"}),
    ("rwg_j", lambda **kw: engage.rwg_j(X, FRAME["team"], **kw),
     {"scale_points": "int", "null_variance": "real", "min_group_size": "int"}),
    ("ad_index", lambda **kw: engage.ad_index(X, FRAME["team"], **kw), {"min_group_size": "int"}),
    ("awg", lambda **kw: engage.awg(X, FRAME["team"], **kw), {"min_group_size": "int"}),
    ("null_variance", lambda **kw: engage.null_variance(**kw), {"scale_points": "int"}),
    ("CorrelationResult.confidence_interval",
     lambda **kw: engage.correlation(FRAME["q1"], FRAME["q2"]).confidence_interval(
         **{"method": "bca", "n_resamples": 50, **kw}),
     {"confidence_level": "level", "n_resamples": "int", "seed": "seed"}),
    ("CorrelationResult.bootstrap",
     lambda **kw: engage.correlation(FRAME["q1"], FRAME["q2"]).bootstrap(**{"n_resamples": 50, **kw}),
     {"confidence_level": "level", "n_resamples": "int", "seed": "seed"}),
    ("correct_attenuation", lambda **kw: engage.correct_attenuation(**{"r": 0.3, "rxx": 0.8, "n": 100, **kw}),
     {"rxx": "real", "ryy": "real", "n": "int"}),
    ("CorrectedCorrelation.confidence_interval",
     lambda **kw: engage.correct_attenuation(0.3, 0.8, n=100).confidence_interval(**kw), {"confidence_level": "level"}),
    ("correct_range_restriction", lambda **kw: engage.correct_range_restriction(**{"r": 0.3, "u": 0.7, "n": 100, **kw}),
     {"u": "real", "n": "int"}),
    ("meta_analysis", lambda **kw: engage.meta_analysis([0.2, 0.3, 0.25], [50, 80, 60], **kw),
     {"confidence_level": "level", "credibility_level": "level"}),
    ("MetaAnalysisResult.confidence_interval_at",
     lambda **kw: engage.meta_analysis([0.2, 0.3, 0.25], [50, 80, 60]).confidence_interval_at(**kw),
     {"confidence_level": "level"}),
    ("MetaAnalysisResult.credibility_interval_at",
     lambda **kw: engage.meta_analysis([0.2, 0.3, 0.25], [50, 80, 60]).credibility_interval_at(**kw),
     {"credibility_level": "level"}),
    ("kaplan_meier", lambda **kw: engage.kaplan_meier(TIME, EVENT, **kw), {"confidence_level": "level"}),
    ("kaplan_meier (groups)", lambda **kw: engage.kaplan_meier(TIME, EVENT, FRAME["team"], **kw),
     {"confidence_level": "level", "min_group_size": "int"}),
    ("KaplanMeierResult.with_confidence", lambda **kw: engage.kaplan_meier(TIME, EVENT).with_confidence(**kw),
     {"confidence_level": "level"}),
    ("logrank_test", lambda **kw: engage.logrank_test(TIME, EVENT, FRAME["team"], **kw), {"min_group_size": "int"}),
    ("CoxPH.fit", lambda **kw: engage.CoxPH(**kw).fit(pd.DataFrame({"t": TIME, "e": EVENT, "x": P}), "t", "e"),
     {"penalizer": "real", "confidence_level": "level", "eps": "real", "max_iter": "int"}),
    ("CoxPH.predict_churn",
     lambda **kw: engage.CoxPH().fit(pd.DataFrame({"t": TIME, "e": EVENT, "x": P}), "t", "e").predict_churn(
         pd.DataFrame({"x": P}), **{"horizon": 5.0, **kw}), {"horizon": "real"}),
    ("LogisticRegression.fit", lambda **kw: engage.LogisticRegression(**kw).fit(P[:, None], Y),
     {"penalizer": "real", "max_iter": "int", "tol": "real", "confidence_level": "level"}),
    ("calibration_table", lambda **kw: engage.calibration_table(Y, P, **kw), {"bins": "int", "confidence_level": "level"}),
    ("RocAucResult.confidence_interval", lambda **kw: engage.roc_auc(Y, P).confidence_interval(**kw),
     {"confidence_level": "level"}),
    ("RocAucComparison.confidence_interval",
     lambda **kw: engage.roc_auc_compare(Y, P, P[::-1]).confidence_interval(**kw), {"confidence_level": "level"}),
    ("ConcordanceResult.confidence_interval",
     lambda **kw: engage.concordance_index(TIME, P, EVENT).confidence_interval(**kw), {"confidence_level": "level"}),
    ("time_dependent_auc", lambda **kw: engage.time_dependent_auc(**{"time": TIME, "event": EVENT, "score": P,
                                                                      "horizon": 5.0, **kw}), {"horizon": "real"}),
    ("Release", lambda **kw: engage.Release(**kw), {"min_group_size": "int", "min_distribution_size": "int"}),
    ("synthetic_organisation", lambda **kw: engage.datasets.synthetic_organisation(
        **{"n_employees": 50, "n_teams": 5, **kw}), {"n_employees": "int", "n_teams": "int", "waves": "int",
                                                    "seed": "seed"}),
]


def _sweep() -> list[tuple[str, str, Any]]:
    return [(label, arg, bad) for label, _, args in CASES for arg, kind in args.items() for bad in BAD[kind]]


@pytest.mark.parametrize(("label", "arg", "bad"), _sweep(), ids=lambda x: repr(x)[:40])
def test_bad_scalar_arguments_are_engage_errors_naming_the_argument(label: str, arg: str, bad: Any) -> None:
    call = next(c for name, c, _ in CASES if name == label)
    with pytest.raises(EngageError) as info:
        call(**{arg: bad})
    text = str(info.value)
    assert arg in text, text
    assert "incompatible function arguments" not in text and "Invoked with" not in text


def test_the_sweep_calls_work_with_good_arguments() -> None:
    # Each case must fail for the bad argument only: with its defaults every call succeeds.
    for label, call, _ in CASES:
        call()


def test_engage_error_is_the_base_of_every_engage_error() -> None:
    for cls in (engage.InvalidInputError, engage.InsufficientDataError, engage.ConvergenceError,
                engage.SeparationError, engage.InvalidTypeError, engage.io.ExportError):
        assert issubclass(cls, EngageError), cls
    assert issubclass(engage.InvalidInputError, ValueError) and issubclass(engage.ConvergenceError, RuntimeError)
    assert issubclass(engage.InvalidTypeError, TypeError) and issubclass(engage.InvalidTypeError, ValueError)
    with pytest.raises(EngageError, match=r"scores\[0\] = 11"):
        engage.enps([11])


def test_wrappers_raise_engage_errors_that_keep_their_builtin_kind() -> None:
    with pytest.raises(EngageError) as info:
        engage.enps_by(FRAME, score="nope")
    assert isinstance(info.value, KeyError)
    assert str(info.value).startswith("score: column 'nope' not in the frame")  # not KeyError's quoted repr
    with pytest.raises(EngageError) as info:
        engage.enps_by(FRAME.to_numpy())  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError) and "frame must be a pandas DataFrame" in str(info.value)
    with pytest.raises(EngageError) as info:
        engage.enps(SCORES).confidence_interval(method="nope")  # type: ignore[arg-type]
    assert isinstance(info.value, ValueError) and "method = 'nope'" in str(info.value)


DUPLICATED = pd.concat([FRAME, FRAME[["q1"]]], axis=1)  # two columns named q1
DUP_ITEMS = DUPLICATED[["q1", "q2"]]  # selects three columns: q1, q1, q2


@pytest.mark.parametrize("call", [
    lambda: engage.enps_by(pd.concat([FRAME, FRAME[["enps"]]], axis=1)),
    lambda: engage.enps_by(pd.concat([FRAME, FRAME[["team"]]], axis=1), by="team"),
    lambda: engage.engagement_index(DUP_ITEMS),
    lambda: engage.engagement_index_by(DUPLICATED, ["q1", "q2"]),
    lambda: engage.favourability(DUP_ITEMS),
    lambda: engage.scale_scores(DUP_ITEMS),
    lambda: engage.engagement_categories(DUP_ITEMS),
    lambda: engage.cronbach_alpha(DUP_ITEMS),
    lambda: engage.cronbach_alpha_by(DUPLICATED, ["q1", "q2"], "team"),
    lambda: engage.omega(DUPLICATED[["q1", "q2", "q3"]]),
    lambda: engage.rwg_j(DUP_ITEMS, FRAME["team"]),
    lambda: engage.ad_index(DUP_ITEMS, FRAME["team"]),
    lambda: engage.awg(DUP_ITEMS, FRAME["team"]),
], ids=["enps_by score", "enps_by by", "engagement_index", "engagement_index_by", "favourability", "scale_scores",
        "engagement_categories", "cronbach_alpha", "cronbach_alpha_by", "omega", "rwg_j", "ad_index", "awg"])
def test_duplicated_column_names_are_named(call: Callable[[], Any]) -> None:
    # Issue 13: AttributeError "'DataFrame' object has no attribute 'dtype'".
    with pytest.raises(EngageError, match=r"the frame has more than one column named \['(q1|enps|team)'\]"):
        call()


def test_a_column_listed_twice_is_named() -> None:
    with pytest.raises(EngageError, match=r"items: column\(s\) \['q2'\] named more than once"):
        engage.engagement_index_by(FRAME, ["q2", "q2"])


# --------------------------------------------------------------------------------------------------------------
# The command line on a corpus of bad files: one line on stderr naming the file / column / option and a non-zero
# exit, or (for the encodings and separators spreadsheet programs write) the same figures as the clean file.
# --------------------------------------------------------------------------------------------------------------

from pathlib import Path  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402

from engage.cli import main  # noqa: E402

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int | str, str]:
    """Exit status (0, or the SystemExit message) and stdout of ``engage report ...``; never a traceback."""
    try:
        code: int | str = main(["report", *args])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, (int, str)) else repr(stop.code)
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out
    return code, out.out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("corpus")
    s = pd.read_csv(EXAMPLES / "survey.csv").head(400)
    text = s.to_csv(index=False)
    files = {name: d / f"{name}.csv" for name in ("clean", "empty", "header", "bom", "semicolon", "latin1", "utf16",
                                                 "long_row", "short_row", "garbage", "noteam", "hris_bad_date",
                                                 "hris_no_exit")}
    files["clean"].write_text(text, encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["header"].write_text(text.splitlines()[0] + "\n", encoding="utf-8")
    files["bom"].write_text(text, encoding="utf-8-sig")
    files["semicolon"].write_text(s.to_csv(index=False, sep=";"), encoding="utf-8")
    accented = s.assign(team=s["team"].str.replace("T0", "Équipe-", regex=False))
    files["latin1"].write_text(accented.to_csv(index=False), encoding="latin-1")
    files["utf16"].write_text(text, encoding="utf-16")
    lines = text.splitlines()
    files["long_row"].write_text("\n".join(lines[:5] + [lines[5] + ",9,9"] + lines[6:]) + "\n", encoding="utf-8")
    files["short_row"].write_text("\n".join(lines[:7] + [",".join(lines[7].split(",")[:6])] + lines[8:]) + "\n",
                                  encoding="utf-8")
    files["garbage"].write_bytes(bytes(range(256)) * 8)
    s.drop(columns="team").to_csv(files["noteam"], index=False)
    h = pd.read_csv(EXAMPLES / "hris.csv")
    h.assign(hire_date=h["hire_date"].where(h.index != 3, "31/31/2020")).to_csv(files["hris_bad_date"], index=False)
    h.drop(columns="exit_date").to_csv(files["hris_no_exit"], index=False)
    return files


@pytest.mark.parametrize(("name", "message"), [
    ("empty", r"empty.csv: cannot be read as csv: No columns to parse"),
    ("header", r"header.csv: survey: no responses \(0 rows, 20 columns\)"),
    ("long_row", r"long_row.csv: cannot be read as csv: .*Expected 20 fields in line 6, saw 22"),
    ("short_row", r"short_row.csv: row 8 has 6 field\(s\) but the header has 20 columns"),
    ("garbage", r"garbage.csv: is not text in UTF-8, UTF-16 or Windows-1252"),
    ("noteam", r"noteam.csv: row 1 \(header\): required column\(s\) \['team'\] missing"),
])
def test_cli_bad_survey_files_are_one_line_errors(capsys: pytest.CaptureFixture[str], corpus: dict[str, Path],
                                                  name: str, message: str) -> None:
    code, _ = _cli(capsys, "--survey", str(corpus[name]))
    assert isinstance(code, str) and "\n" not in code and code.startswith("engage: "), code
    assert re.search(message, code), code


@pytest.mark.parametrize("name", ["bom", "semicolon", "latin1", "utf16"])
def test_cli_reads_what_spreadsheet_programs_write(capsys: pytest.CaptureFixture[str], corpus: dict[str, Path],
                                                   name: str) -> None:
    # Excel writes a UTF-8 byte-order mark, ';' in European locales, Windows-1252 and UTF-16 "Unicode text":
    # read them as pandas would with the encoding and separator given, and give the clean file's figures.
    clean = _cli(capsys, "--survey", str(corpus["clean"]), "--format", "json")
    code, out = _cli(capsys, "--survey", str(corpus[name]), "--format", "json")
    assert code == 0 and clean[0] == 0
    got, want = json.loads(out), json.loads(clean[1])
    assert got["enps"]["overall"] == want["enps"]["overall"]
    assert got["engagement"]["overall"] == want["engagement"]["overall"]
    teams = [r["team"] for r in got["enps"]["by_unit"]]
    if name == "latin1":
        assert any(t.startswith("Équipe-") for t in teams)
    else:
        assert teams == [r["team"] for r in want["enps"]["by_unit"]]


def test_cli_bad_options_and_outputs_are_one_line_errors(capsys: pytest.CaptureFixture[str], corpus: dict[str, Path],
                                                         tmp_path: Path) -> None:
    survey = str(corpus["clean"])
    hris = str(EXAMPLES / "hris.csv")
    cases = [
        (["-o", str(tmp_path / "no" / "such" / "r.txt")], r"-o .*r.txt: folder .*such does not exist"),
        (["-o", str(tmp_path)], r"-o .*: is a folder"),
        (["-o", "/proc/engage-report.txt"], r"-o /proc/engage-report.txt: cannot write the report"),
        (["--min-group-size", "100000000000000000000"], r"--min-group-size 100000000000000000000: must be a whole"),
        (["--min-group-size", "0"], r"--min-group-size 0: must be a whole number from 1"),
        (["--score", "nope"], r"clean.csv: score: column 'nope' not in the frame"),
        (["--wave-date", "7=2024-02-15"], r"clean.csv: wave_dates: wave\(s\) \[7\] not in the survey; its waves are"),
        (["--wave-date", "1=notadate"], r"wave_dates\[1\] = 'notadate': not a date"),
        (["--hris", str(corpus["hris_no_exit"]), "--wave-date", "1=2024-02-15"],
         r"hris_no_exit.csv: hris: column\(s\) \['exit_date'\] not in the frame"),
        (["--hris", str(corpus["hris_bad_date"])], r"hris_bad_date.csv: row 5, column 'hire_date': value '31/31/2020'"),
    ]
    for args, message in cases:
        code, out = _cli(capsys, "--survey", survey, *args)
        assert isinstance(code, str) and "\n" not in code and code.startswith("engage: "), (args, code)
        assert re.search(message, code), (args, code)
        assert out == ""
    assert not (tmp_path / "no").exists() and os.listdir(tmp_path) == []
    code, _ = _cli(capsys, "--survey", survey, "--hris", hris, "--wave-date", "1=2024-02-15", "-o",
                   str(tmp_path / "ok.txt"))
    assert code == 0 and (tmp_path / "ok.txt").read_text().startswith("ENGAGE")
