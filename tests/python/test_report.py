"""The main job: `engage report` on the bundled sample organisation, in all three formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import engage
from engage.cli import main

SURVEY = Path(__file__).resolve().parents[2] / "examples" / "data" / "survey.csv"


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return pd.read_csv(SURVEY)


def test_json_report_figures_match_the_library(survey: pd.DataFrame, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--survey", str(SURVEY), "--format", "json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    waves = sorted(survey["wave"].unique())
    assert [row["wave"] for row in rep["enps"]["overall"]] == waves
    for row in rep["enps"]["overall"]:
        r = engage.enps(survey.loc[survey["wave"] == row["wave"], "enps"])
        assert row["statistic"] == pytest.approx(r.statistic, rel=1e-12)
        assert (row["low"], row["high"]) == pytest.approx(tuple(r.confidence_interval()), rel=1e-12)
        assert row["missing"] == r.missing
    latest = survey[survey["wave"] == waves[-1]]
    table = engage.enps_by(latest, by="team", compare="rest")
    by_unit = rep["enps"]["by_unit"]
    assert len(by_unit) == len(table)
    for got, (_, want) in zip(by_unit, table.iterrows()):
        assert got["team"] == want["team"] and got["suppression"] == want["suppression"]
        if want["suppressed"]:
            assert got["statistic"] is None and got["n"] is None and got["low"] is None
            assert got["difference_vs_rest"] is None and got["pvalue_adjusted"] is None
        else:
            assert got["statistic"] == pytest.approx(want["statistic"], rel=1e-12)
    change = rep["enps"]["change"]
    first = survey[survey["wave"] == waves[-2]]
    d = engage.enps_compare(engage.enps(latest["enps"]), engage.enps(first["enps"]))
    assert change["difference"] == pytest.approx(d.difference, rel=1e-12)
    both = latest.merge(first, on="respondent_id", suffixes=("_a", "_b"))
    p = engage.enps_compare(both["enps_a"], both["enps_b"], paired=True)
    assert change["paired"]["n"] == p.n
    assert change["paired"]["difference"] == pytest.approx(p.difference, rel=1e-12)


def test_nothing_below_the_minimum_leaks_into_any_format(survey: pd.DataFrame, tmp_path: Path) -> None:
    """Make teams small, then check no hidden team's figure appears in text, JSON or HTML."""
    small = survey.groupby(["team", "wave"], group_keys=False).head(6)
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    for fmt in ("text", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["report", "--survey", str(path), "--format", fmt, "--min-group-size", "6", "-o", str(out)]) == 0
    rep = json.loads((tmp_path / "report.json").read_text())
    hidden = [r for r in rep["enps"]["by_unit"] if r["suppression"] != "shown"]
    assert hidden, "the test needs some hidden teams"
    table = engage.enps_by(small[small["wave"] == small["wave"].max()], by="team", min_group_size=6,
                           show_suppressed_n=True)
    text = (tmp_path / "report.text").read_text()
    for r in hidden:
        line = next(line for line in text.splitlines() if line.strip().startswith(r["team"] + " "))
        assert "hidden" in line and "[" not in line
        n_hidden = int(table.loc[table["team"] == r["team"], "n"].iloc[0])
        assert f" {n_hidden} " not in line.replace(r["team"], "")
    html = (tmp_path / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>") and "http" not in html.split("<body>")[1]
    cells = rep["enps"]["breakdown"]["cells"]
    hidden_cells = [c for c in cells if c["suppression"] != "shown"]
    assert all(c["statistic"] is None and c["n"] is None and c["low"] is None for c in hidden_cells)
    assert html.count("complementary") + html.count("below minimum") == len(hidden) + len(hidden_cells)


def test_overall_below_minimum_is_hidden() -> None:
    df = pd.DataFrame({"team": ["a"] * 3, "wave": [1] * 3, "respondent_id": ["x", "y", "z"], "enps": [10, 9, 0]})
    rep = engage.report.build_report(df, min_group_size=5)
    assert rep["enps"]["overall"][0]["suppression"] == "below_minimum"
    assert rep["enps"]["overall"][0]["n"] is None and "statistic" not in rep["enps"]["overall"][0]


def test_cli_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no such file"):
        main(["report", "--survey", str(tmp_path / "missing.csv")])
    bad = tmp_path / "bad.csv"
    frame = pd.DataFrame({"team": ["a", "b"], "wave": [1, 1], "respondent_id": ["x", "y"], "enps": [3, 14]})
    frame.to_csv(bad, index=False)
    with pytest.raises(SystemExit, match=r"bad.csv: scores\[1\] = 14"):
        main(["report", "--survey", str(bad)])
    no_team = tmp_path / "noteam.csv"
    frame.drop(columns="team").to_csv(no_team, index=False)
    with pytest.raises(SystemExit, match="column 'team' not in the survey file"):
        main(["report", "--survey", str(no_team)])


def test_console_entry_point_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "engage", "report", "--survey", str(SURVEY)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("ENGAGE REPORT")
    assert "eNPS by team" in done.stdout
    wave1 = next(line for line in done.stdout.splitlines() if line.split()[:1] == ["1"])
    assert "[" in wave1  # the overall eNPS of wave 1 with its interval
