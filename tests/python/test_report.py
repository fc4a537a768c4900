"""The main job: `engage report` on the bundled sample organisation, in all three formats."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import engage
import engage.io
from engage.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "data"
SURVEY = EXAMPLES / "survey.csv"
HRIS = EXAMPLES / "hris.csv"
CUSTOMERS = EXAMPLES / "customers.csv"
ITEMS = [f"q{i:02d}" for i in range(1, 13)]
DATES = ["--wave-date", "1=2024-02-15", "--wave-date", "2=2024-08-15"]


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    return pd.read_csv(SURVEY)


@pytest.fixture(scope="module")
def rep(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("rep") / "report.json"
    assert main(["report", "--survey", str(SURVEY), "--hris", str(HRIS), "--customers", str(CUSTOMERS), *DATES,
                 "--format", "json", "-o", str(out)]) == 0
    return json.loads(out.read_text())  # type: ignore[no-any-return]


def _items(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[ITEMS].mask(frame[ITEMS] == 9)


def test_json_enps_figures_match_the_library(survey: pd.DataFrame, rep: dict[str, Any]) -> None:
    waves = sorted(survey["wave"].unique())
    assert [row["wave"] for row in rep["enps"]["overall"]] == waves
    for row in rep["enps"]["overall"]:
        r = engage.enps(survey.loc[survey["wave"] == row["wave"], "enps"])
        assert row["statistic"] == pytest.approx(r.statistic, rel=1e-12)
        assert (row["low"], row["high"]) == pytest.approx(tuple(r.confidence_interval()), rel=1e-12)
        assert row["missing"] == r.missing
    latest = survey[survey["wave"] == waves[-1]]
    # teams are protected within their department
    table = engage.enps_by(latest, by=["department", "team"], compare="rest")
    by_unit = rep["enps"]["by_unit"]
    assert len(by_unit) == len(table)
    for got, (_, want) in zip(by_unit, table.iterrows()):
        assert got["team"] == want["team"] and got["suppression"] == want["suppression"]
        if want["suppressed"]:
            assert got["statistic"] is None and got["n"] is None and got["low"] is None
            assert got["difference_vs_rest"] is None and got["pvalue_adjusted"] is None
        else:
            assert got["statistic"] == pytest.approx(want["statistic"], rel=1e-12)
    dept = engage.enps_by(latest, by="department")
    for got, (_, want) in zip(rep["enps"]["by_parent"]["rows"], dept.iterrows()):
        assert got["statistic"] == pytest.approx(want["statistic"], rel=1e-12)
        assert got["promoters"] == pytest.approx(want["proportion_promoters"], rel=1e-12)
    change = rep["enps"]["change"]
    first = survey[survey["wave"] == waves[-2]]
    d = engage.enps_compare(engage.enps(latest["enps"]), engage.enps(first["enps"]))
    assert change["difference"] == pytest.approx(d.difference, rel=1e-12)
    both = latest.merge(first, on="respondent_id", suffixes=("_a", "_b"))
    p = engage.enps_compare(both["enps_a"], both["enps_b"], paired=True)
    assert change["paired"]["n"] == p.n
    assert change["paired"]["difference"] == pytest.approx(p.difference, rel=1e-12)


def test_json_engagement_items_reliability_agreement_match_the_library(
    survey: pd.DataFrame, rep: dict[str, Any]
) -> None:
    g = rep["engagement"]
    assert g["items"] == ITEMS and g["index_method"] == "favourable_items" and g["family"] == "FAV-ITEM-AVG"
    for row in g["overall"]:
        r = engage.engagement_index(survey.loc[survey["wave"] == row["wave"], ITEMS], dont_know=9)
        assert row["statistic"] == pytest.approx(r.statistic, rel=1e-12) and row["n"] == r.n
        assert (row["low"], row["high"]) == pytest.approx(tuple(r.confidence_interval()), rel=1e-12)
    latest = survey[survey["wave"] == 2]
    t = engage.engagement_index_by(latest, items=ITEMS, by=["department", "team"], dont_know=9)
    got = {r["team"]: next(x for x in r["waves"] if x["wave"] == 2) for r in g["by_unit"]}
    for want in t.to_dict("records"):
        x = got[want["team"]]
        assert x["suppression"] == want["suppression"]
        if want["suppression"] == "shown":
            assert x["statistic"] == pytest.approx(want["statistic"], rel=1e-12)
            assert (x["low"], x["high"]) == pytest.approx((want["low"], want["high"]), rel=1e-12)
        else:
            assert x["statistic"] is None and x["n"] is None and x["low"] is None

    fav = engage.favourability(latest[ITEMS], dont_know=9)
    for row, (_, want) in zip(rep["items"]["table"], fav.iterrows()):
        assert row["item"] == want["item"] and row["n"] == want["n"]
        assert row["favourable"] == pytest.approx(want["pct_favourable"], rel=1e-12)
        assert row["mean"] == pytest.approx(want["mean"], rel=1e-12)

    a = engage.cronbach_alpha(_items(latest))
    rl = rep["reliability"]["waves"][-1]
    assert rl["alpha"] == pytest.approx(a.statistic, rel=1e-12)
    assert (rl["low"], rl["high"]) == pytest.approx(tuple(a.confidence_interval()), rel=1e-12)
    assert rl["omega_total"] == pytest.approx(engage.omega(_items(latest)).omega_total, rel=1e-10)
    assert [r["alpha_if_dropped"] for r in rep["reliability"]["items"]] == pytest.approx(
        a.item_stats["alpha_if_dropped"].tolist(), rel=1e-12)

    ag = rep["agreement"]
    # Figures of the teams the report's release shows, as the library computes them without suppression.
    rw = engage.rwg_j(_items(latest), latest[["department", "team"]], scale_points=5,
                      release=engage.Release(min_group_size=1, min_distribution_size=1))
    shown_teams = {r["team"] for r in ag["rwg_j"] if r["suppression"] == "shown"}
    assert len(shown_teams) > 60
    shown = rw.loc[rw["team"].isin(shown_teams), "rwg_j"].dropna()
    assert ag["summary"]["teams_shown"] == len(shown)
    assert ag["summary"]["median"] == pytest.approx(float(np.median(shown)), rel=1e-12)
    scores = engage.scale_scores(_items(latest)).scores
    ok = scores.notna()
    r = engage.icc(scores[ok], latest.loc[ok, "team"])
    assert ag["icc"]["icc1"] == pytest.approx(r.icc1, rel=1e-12) and ag["icc"]["icc2"] == pytest.approx(r.icc2, rel=1e-12)
    assert (ag["icc"]["icc1_low"], ag["icc"]["icc1_high"]) == pytest.approx(tuple(r.confidence_interval("icc1")), rel=1e-12)
    # the sample organisation is built with real team effects: aggregation is justified
    assert ag["justified"] is True


def test_participation_against_hris_headcount(rep: dict[str, Any], survey: pd.DataFrame) -> None:
    hris = pd.read_csv(HRIS, parse_dates=["hire_date", "exit_date"])
    for row, date in zip(rep["participation"]["waves"], ("2024-02-15", "2024-08-15")):
        d = pd.Timestamp(date)
        active = hris[(hris["hire_date"] <= d) & (hris["exit_date"].isna() | (hris["exit_date"] > d))]
        n = int((survey["wave"] == row["wave"]).sum())
        assert row["date"] == date and row["headcount"] == len(active) and row["respondents"] == n
        assert row["rate"] == pytest.approx(100 * n / len(active), rel=1e-12)
    dept = rep["participation"]["by_parent"]["rows"]
    assert sum(r["headcount"] for r in dept) == rep["participation"]["waves"][-1]["headcount"]
    sup = rep["participation"]["suppressed"]
    assert sup["enps_by_unit"]["below_minimum"] > 0 and sup["heatmap_cells"]["complementary"] > 0
    for key in ("reading", "method"):
        for name in ("participation", "enps", "engagement", "items", "reliability", "agreement"):
            assert len(rep[name][key]) > 80, (name, key)
    assert rep["churn"]["available"] is True and len(rep["churn"]["reading"]) > 80
    assert rep["linkage"]["available"] is True and len(rep["linkage"]["reading"]) > 80


def _churn_people(survey: pd.DataFrame, hris: pd.DataFrame, landmark: str, as_of: str) -> pd.DataFrame:
    """Independent of the report: the landmark wave's respondents with their category and follow-up in months."""
    d, end = pd.Timestamp(landmark), pd.Timestamp(as_of)
    wave = {pd.Timestamp("2024-02-15"): 1, pd.Timestamp("2024-08-15"): 2}[d]
    resp = survey[survey["wave"] == wave]
    cat = np.asarray(engage.engagement_categories(resp[ITEMS], dont_know=9).categories, dtype=object)
    people = pd.DataFrame({"employee_id": resp["respondent_id"].to_numpy(), "category": cat}).merge(hris)
    people = people[(people["hire_date"] < d) & (people["exit_date"].isna() | (people["exit_date"] > d))
                    & (people["category"] != "unclassified")]
    ended = people["exit_date"].notna() & (people["exit_date"] < end)
    people = people.assign(
        months=(people["exit_date"].where(ended, end) - d).dt.days / (365.25 / 12),
        left=(ended & (people["exit_type"] == "voluntary")).astype(float),
    )
    return people


def test_churn_section_matches_the_library(survey: pd.DataFrame, rep: dict[str, Any]) -> None:
    ch = rep["churn"]
    hris = pd.read_csv(HRIS, parse_dates=["hire_date", "exit_date"])
    risk = engage.churn_risk(hris, survey, 12, by=["department", "team"], min_group_size=5,
                             wave_dates={1: "2024-02-15", 2: "2024-08-15"})
    assert (ch["as_of"], ch["landmark"], ch["split"]) == (risk.as_of, risk.final_landmark, risk.split)
    assert [d["feature"] for d in ch["drivers"]] == list(risk.drivers.index)
    for got, (_, want) in zip(ch["drivers"], risk.drivers.iterrows()):
        assert (got["ratio"], got["low"], got["high"], got["pvalue"]) == pytest.approx(
            (want["ratio"], want["low"], want["high"], want["pvalue"]), rel=1e-12)
    assert ch["expected_leavers"] == pytest.approx(risk.expected_leavers, rel=1e-12)
    assert ch["n_scored"] == risk.n_scored
    assert len(ch["teams"]) == len(risk.teams)
    hidden = 0
    for got, want in zip(ch["teams"], risk.teams.to_dict("records")):
        assert got["team"] == want["team"] and got["suppression"] == want["suppression"]
        if want["suppressed"]:
            hidden += 1
            assert all(got[c] is None for c in ("headcount", "n", "coverage", "expected", "low", "high",
                                                 "expected_rate")), got
        else:
            assert (got["expected"], got["low"], got["high"]) == pytest.approx(
                (want["expected"], want["low"], want["high"]), rel=1e-12)
            assert got["n"] == want["n"] and got["headcount"] == want["headcount"]
    assert hidden > 0 and ch["hidden"]["shown"] == len(ch["teams"]) - hidden
    for m, row in risk.quality.iterrows():
        assert ch["quality"][m]["estimate"] == pytest.approx(row["estimate"], rel=1e-12)
    assert ch["quality"]["concordance"]["low"] == pytest.approx(risk.quality.loc["concordance", "low"], rel=1e-12)

    # retention curves: engage.kaplan_meier by engagement category on the landmark wave's respondents
    people = _churn_people(survey, hris, ch["landmark"], ch["as_of"])
    km = engage.kaplan_meier(people["months"], people["left"], by=people["category"], min_group_size=5)
    groups = {g["category"]: g for g in ch["retention"]["groups"]}
    assert set(groups) == set(km.summary["category"])
    grid = np.arange(0.0, np.ceil(people["months"].max()) + 1.0)
    for c, curve in km.curves.items():
        g = groups[c]
        at = curve.survival_at([12.0]).iloc[0]
        assert g["n"] == curve.n and g["events"] == curve.n_events
        assert (g["retained"], g["low"], g["high"]) == pytest.approx((at["survival"], at["low"], at["high"]),
                                                                     rel=1e-12)
        # Published on whole months only (never the days people left), blank where fewer than 5 are at risk.
        drawn = next(x for x in ch["retention"]["curves"] if x["category"] == c)
        on_grid = curve.survival_at(grid)
        want = on_grid["survival"].where(on_grid["at_risk"] >= 5)
        assert drawn["time"] == grid.tolist()
        assert [np.nan if v is None else v for v in drawn["survival"]] == pytest.approx(want.tolist(), rel=1e-12,
                                                                                        nan_ok=True)
        assert all(float(t).is_integer() for t in drawn["time"])
    lr = engage.logrank_test(people["months"], people["left"], people["category"])
    assert ch["retention"]["logrank"]["statistic"] == pytest.approx(lr.statistic, rel=1e-12)
    # the planted effects: engaged people stay longer, low intent to stay raises the risk
    assert groups["engaged"]["retained"] > groups["actively_disengaged"]["retained"]
    assert ch["retention"]["logrank"]["pvalue"] < 0.05
    assert risk.drivers.loc["low_intent", "low"] > 1
    for key in ("reading", "method"):
        assert len(ch[key]) > 80


def _text_and_html(tmp_path: Path, *args: str) -> tuple[str, str]:
    """The report on the sample survey with extra command-line arguments, as plain text and as HTML."""
    outs = {}
    for fmt in ("text", "html"):
        out = tmp_path / f"r.{fmt}"
        assert main(["report", "--survey", str(SURVEY), *args, *DATES, "--format", fmt, "-o", str(out)]) == 0
        outs[fmt] = out.read_text()
    return outs["text"], outs["html"]


def test_churn_section_in_text_and_html_and_never_individuals(tmp_path: Path) -> None:
    text, page = _text_and_html(tmp_path, "--hris", str(HRIS))
    assert "CHURN RISK" in text and "Drivers of leaving (hazard ratios)" in text
    assert "Expected leavers by team over the next 12 months" in text
    assert "<section id='churn'>" in page
    for cid in ("chart-retention", "chart-churn-drivers", "chart-churn-teams"):
        assert f"id='{cid}'" in page
    hris = pd.read_csv(HRIS)
    ids = set(hris["employee_id"].astype(str))
    # no employee id anywhere in the churn part (groups, never persons)
    churn_text = text.split("CHURN RISK", 1)[1]
    churn_html = page.split("<section id='churn'>", 1)[1]
    assert not any(i in churn_text or i in churn_html for i in ids)
    assert "churn_probability" not in page


def test_churn_section_needs_wave_dates(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["report", "--survey", str(SURVEY), "--hris", str(HRIS), "--format", "json", "-o", str(out)]) == 0
    ch = json.loads(out.read_text())["churn"]
    assert ch["available"] is False and "--wave-date" in ch["reading"]


def test_linkage_section_matches_the_library(survey: pd.DataFrame, rep: dict[str, Any]) -> None:
    lk = rep["linkage"]
    assert lk["available"] is True and lk["quarters"] == {"1": "2024Q1", "2": "2024Q3"}
    customers = pd.read_csv(CUSTOMERS)
    rows = {(r["measure"], r["outcome"], r["lag"]): r for r in lk["rows"]}
    assert sorted(rows) == sorted([("engagement_index", "csat_mean", 0), ("engagement_index", "csat_mean", 1),
                                   ("engagement_index", "customer_nps", 0), ("engagement_index", "customer_nps", 1),
                                   ("enps", "csat_mean", 0), ("enps", "csat_mean", 1)])
    # The report decides its team-waves in one release with every other table; the library's linkage on exactly
    # the team-waves that release shows (and no further suppression) must give the report's figures.
    releases: list[engage.Release] = []
    engage.report.build_report(survey, hris=pd.read_csv(HRIS, parse_dates=["hire_date", "exit_date"]),
                               customers=customers, wave_dates={1: "2024-02-15", 2: "2024-08-15"},
                               release_out=releases)
    release = releases[0]
    shown_units: dict[str, set[tuple[int, str]]] = {}
    for i, t in enumerate(release.tables()["table"]):
        prefix = "engagement_index_by(__period__" if "engagement_index_by(__period__" in t else (
            "enps_by(__period__" if "enps_by(__period__" in t else None)
        if prefix is None:
            continue
        status = release._core.decision(i)["status"]
        units = set()
        for label, st in zip(release._tables[i].labels, status):
            if st == 0:
                parts = dict(p.split("=", 1) for p in label.split(", "))
                units.add((int(float(parts["__period__"])), parts["team"]))
        shown_units["engagement_index" if prefix.startswith("engagement") else "enps"] = units
    for (measure, outcome, lag), row in rows.items():
        keep = [(w, t) in shown_units[measure] for w, t in zip(survey["wave"], survey["team"])]
        res = engage.linkage(survey[keep], customers, lag=lag, measure=measure, outcome=outcome, items=ITEMS,
                             dont_know=9, employee_period="wave", period_map={1: "2024Q1", 2: "2024Q3"},
                             parent="department", release=engage.Release(min_group_size=1, min_distribution_size=1))
        assert row["available"] is True
        assert row["n_units"] == res.n_units
        for name in ("statistic", "low", "high", "pvalue", "corrected", "corrected_low", "corrected_high",
                     "reliability", "quartile_difference", "quartile_low", "quartile_high", "mean_top",
                     "mean_bottom"):
            assert row[name] == pytest.approx(getattr(res, name), rel=1e-12), name
    head = rows[("engagement_index", "csat_mean", 1)]
    assert lk["headline"] == {"measure": "engagement_index", "outcome": "csat_mean", "lag": 1}
    assert lk["scatter"]["n_units"] == head["n_units"] == len(lk["scatter"]["x"]) == len(lk["scatter"]["y"])
    # the planted lag-1 link (0.4 between latents) shows, the same-quarter link is weaker
    assert 0.15 < head["low"] < head["statistic"] < head["high"] and head["statistic"] > 0.2
    assert rows[("engagement_index", "csat_mean", 0)]["statistic"] < head["statistic"]
    assert f"{head['statistic']:.2f}" in lk["reading"] and "not people" in lk["reading"]
    assert "ecological fallacy" in lk["method"]


def test_linkage_section_in_text_and_html(tmp_path: Path) -> None:
    text, page = _text_and_html(tmp_path, "--customers", str(CUSTOMERS))
    part = text.split("EMPLOYEE-CUSTOMER LINKAGE", 1)[1]
    assert "engagement index" in part and "next quarter" in part and "same quarter" in part
    assert "<section id='linkage'>" in page and "id='chart-linkage'" in page
    svg = page.split("id='chart-linkage'")[1].split("</figure>")[0]
    assert svg.count("<use ") >= 100 or svg.count("<path") >= 100  # one mark per team-wave


def test_linkage_section_without_wave_dates_or_customers(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["report", "--survey", str(SURVEY), "--customers", str(CUSTOMERS), "--format", "json",
                 "-o", str(out)]) == 0
    lk = json.loads(out.read_text())["linkage"]
    assert lk["available"] is False and "--wave-date" in lk["reading"]
    assert main(["report", "--survey", str(SURVEY), *DATES, "--format", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["linkage"] is None


def _no_hidden_figures(node: Any) -> None:
    """Every row marked hidden carries no figure at all (only labels and its status)."""
    if isinstance(node, dict):
        if node.get("suppression") not in (None, "shown"):
            figures = {k: v for k, v in node.items()
                       if k not in ("suppression", "team", "department", "tenure_band", "item", "wave", "headcount",
                                    "category")}
            assert all(v is None for v in figures.values()), node
        for v in node.values():
            _no_hidden_figures(v)
    elif isinstance(node, list):
        for v in node:
            _no_hidden_figures(v)


def test_nothing_below_the_minimum_leaks_into_any_format(survey: pd.DataFrame, tmp_path: Path) -> None:
    """Make teams small, then check no hidden team's figure appears in text, JSON, HTML or its charts."""
    small = survey.groupby(["team", "wave"], group_keys=False).head(6)
    path = tmp_path / "small.csv"
    small.to_csv(path, index=False)
    for fmt in ("text", "json", "html"):
        out = tmp_path / f"report.{fmt}"
        assert main(["report", "--survey", str(path), "--format", fmt, "--min-group-size", "6", "-o", str(out),
                     "--hris", str(HRIS), "--customers", str(CUSTOMERS), *DATES]) == 0
    rep = json.loads((tmp_path / "report.json").read_text())
    _no_hidden_figures(rep)
    hidden = [r for r in rep["enps"]["by_unit"] if r["suppression"] != "shown"]
    assert hidden, "the test needs some hidden teams"
    table = engage.enps_by(small[small["wave"] == small["wave"].max()], by=["department", "team"], min_group_size=6,
                           show_suppressed_n=True)
    text = (tmp_path / "report.text").read_text()
    for r in hidden:
        line = next(line for line in text.splitlines() if line.strip().startswith(r["team"] + " "))
        assert "hidden" in line and "[" not in line
        n_hidden = int(table.loc[table["team"] == r["team"], "n"].iloc[0])
        assert f" {n_hidden} " not in line.replace(r["team"], "")
    # heatmap: hidden cells are null and shown as "--" in the text grid
    h = rep["items"]["heatmap"]
    for row, vals, sts in zip(h["rows"], h["values"], h["status"]):
        for v, st in zip(vals, sts):
            assert (v is None) == (st != "shown")
    grid = text.split("% favourable by team and item")[1]
    hidden_team = next(r["team"] for r, sts in zip(h["rows"], h["status"]) if all(s != "shown" for s in sts))
    line = next(line for line in grid.splitlines() if line.strip().startswith(hidden_team))
    assert re.sub(r"\s+", " ", line.split(hidden_team, 1)[1]).strip() == " ".join(["--"] * len(h["columns"]))

    html = (tmp_path / "report.html").read_text()
    assert html.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?(https?:|//)""", html)  # nothing to fetch
    assert "<script" not in html and "<metadata>" not in html
    # the engagement chart draws shown teams only: no hidden team's label inside its SVG
    eng_svg = html.split("id='chart-engagement'")[1].split("</figure>")[0]
    hidden_eng = [r["team"] for r in rep["engagement"]["by_unit"] if r["waves"][-1]["suppression"] != "shown"]
    shown_eng = [r["team"] for r in rep["engagement"]["by_unit"] if r["waves"][-1]["suppression"] == "shown"]
    assert hidden_eng and all(f">{t}<" not in eng_svg for t in hidden_eng)
    assert all(f">{t}<" in eng_svg for t in shown_eng)
    # churn: hidden teams are null in the JSON and not drawn in the expected-leavers chart
    ch = rep["churn"]
    hidden_churn = [r["team"] for r in ch["teams"] if r["suppression"] != "shown"]
    shown_churn = [r["team"] for r in ch["teams"] if r["suppression"] == "shown"]
    assert hidden_churn and shown_churn
    churn_svg = html.split("id='chart-churn-teams'")[1].split("</figure>")[0]
    assert all(f">{t}<" not in churn_svg for t in hidden_churn) and all(f">{t}<" in churn_svg for t in shown_churn)
    for r in ch["teams"]:
        if r["team"] in hidden_churn:
            line = next(line for line in text.split("CHURN RISK")[1].splitlines()
                        if line.strip().startswith(f"{r['department']} / {r['team']} "))
            assert "hidden" in line and "[" not in line
    # linkage: exactly the team-waves the engagement section shows (and that have a customer row) are linked, so
    # the scatter holds no figure of a hidden team
    lk = rep["linkage"]
    assert lk["available"] is True
    shown_pairs = sorted(
        (r["team"], x["statistic"]) for r in rep["engagement"]["by_unit"] for x in r["waves"]
        if x["suppression"] == "shown")
    hidden_n = sum(1 for r in rep["engagement"]["by_unit"] for x in r["waves"] if x["suppression"] != "shown")
    assert hidden_n > 0
    same = next(r for r in lk["rows"] if r["measure"] == "engagement_index" and r["lag"] == 0
                and r["outcome"] == "csat_mean")
    assert same["n_units"] == len(shown_pairs)
    assert same["dropped"]["below minimum group size"] + same["dropped"]["complementary suppression"] == hidden_n
    assert sorted(lk["scatter"]["x"]) == pytest.approx(sorted(v for _, v in shown_pairs), rel=1e-12)
    # the participation chart labels hidden departments as hidden
    part = html.split("id='chart-participation'")[1].split("</figure>")[0]
    hidden_dept = [r for r in rep["participation"]["by_parent"]["rows"] if r["suppression"] != "shown"]
    assert part.count("hidden:") == len(hidden_dept)


def test_overall_below_minimum_is_hidden() -> None:
    df = pd.DataFrame({"team": ["a"] * 3, "wave": [1] * 3, "respondent_id": ["x", "y", "z"], "enps": [10, 9, 0],
                       "q01": [4, 5, 2], "q02": [3, 4, 4], "q03": [5, 5, 1]})
    rep = engage.report.build_report(df, min_group_size=5)
    assert rep["enps"]["overall"][0]["suppression"] == "below_minimum"
    assert rep["enps"]["overall"][0]["n"] is None and "statistic" not in rep["enps"]["overall"][0]
    assert rep["engagement"]["overall"][0]["suppression"] == "below_minimum"
    assert "statistic" not in rep["engagement"]["overall"][0]
    assert all(r["favourable"] is None for r in rep["items"]["table"])
    assert "alpha" not in rep["reliability"]["waves"][0] and rep["agreement"]["icc"] is None
    assert rep["participation"]["waves"][0]["respondents"] is None
    _no_hidden_figures(rep)
    engage.report.render_html(rep)
    engage.report.render_text(rep)


def test_cli_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="no such file"):
        main(["report", "--survey", str(tmp_path / "missing.csv")])
    bad = tmp_path / "bad.csv"
    frame = pd.DataFrame({"team": ["a", "b"], "wave": [1, 1], "respondent_id": ["x", "y"], "enps": [3, 14]})
    frame.to_csv(bad, index=False)
    with pytest.raises(SystemExit, match=r"bad.csv: row 3, column 'enps': value '14' is off the eNPS scale"):
        main(["report", "--survey", str(bad)])
    no_team = tmp_path / "noteam.csv"
    frame.drop(columns="team").to_csv(no_team, index=False)
    with pytest.raises(SystemExit, match=r"noteam.csv: row 1 \(header\): required column\(s\) \['team'\] missing"):
        main(["report", "--survey", str(no_team)])
    with pytest.raises(SystemExit, match="--wave-date 'x': expected WAVE=YYYY-MM-DD"):
        main(["report", "--survey", str(SURVEY), "--wave-date", "x"])
    with pytest.raises(SystemExit, match="mapping 'nope': no such file, and not a shipped mapping"):
        main(["report", "--survey", str(SURVEY), "--mapping", "nope"])


def test_report_on_an_officevibe_style_export(survey: pd.DataFrame, tmp_path: Path) -> None:
    """A 0-10 item scale through a shipped mapping: bands, rwg(j) null and index follow the mapping's scale."""
    m = engage.io.load_mapping("officevibe")
    items = [k for k in m.columns if re.match(r"^q\d+$", k)]
    rng = np.random.default_rng(7)
    x = np.clip(np.round(2.5 * survey[items].where(survey[items] != 9).to_numpy() - 2.5
                         + rng.integers(-1, 2, size=(len(survey), len(items)))), 0, 10)
    export = pd.DataFrame({m.columns["respondent_id"]: survey["respondent_id"], m.columns["team"]: survey["team"],
                           m.columns["department"]: survey["department"], m.columns["wave"]: survey["wave"],
                           m.columns["enps"]: survey["enps"], "Submitted On": "2024-02-20"})
    for name, col in zip(items, x.T):
        export[m.columns[name]] = col
    path = tmp_path / "officevibe.csv"
    export.to_csv(path, index=False)
    out = tmp_path / "r.json"
    assert main(["report", "--survey", str(path), "--mapping", "officevibe", "--format", "json", "-o", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert rep["settings"]["scale"] == [0, 10] and rep["settings"]["dont_know"] is None
    frame = engage.io.read_export(path, mapping="officevibe")
    latest = frame[frame["wave"] == 2]
    r = engage.engagement_index(latest[items], scale=(0, 10))
    assert rep["engagement"]["overall"][-1]["statistic"] == pytest.approx(r.statistic, rel=1e-12)
    assert rep["engagement"]["favourable_from"] == engage.glint_bands((0, 10))[1]
    assert "A = 11 points" in rep["agreement"]["method"]


def test_progress_bar_only_on_a_terminal() -> None:
    quiet = io.StringIO()
    p = engage.io.Progress(4, "x", stream=quiet)
    p.update(2, "half")
    p.close()
    assert quiet.getvalue() == "" and not p.enabled

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    loud = Tty()
    p = engage.io.Progress(4, "x", stream=loud)
    p.update(2, "half")
    p.close()
    assert "half" in loud.getvalue() and "50%" in loud.getvalue() and loud.getvalue().endswith("\r")


def test_console_entry_point_runs() -> None:
    done = subprocess.run([sys.executable, "-m", "engage", "report", "--survey", str(SURVEY)],
                          capture_output=True, text=True, check=True)
    assert done.stdout.startswith("ENGAGE REPORT")
    assert "eNPS by team" in done.stdout and "ENGAGEMENT INDEX" in done.stdout and "RELIABILITY" in done.stdout
    assert done.stderr == ""  # not a terminal: no progress bar
    wave1 = next(line for line in done.stdout.splitlines() if line.split()[:1] == ["1"] and "[" in line)
    assert "[" in wave1  # the overall eNPS of wave 1 with its interval
    listed = subprocess.run([sys.executable, "-m", "engage", "mappings"], capture_output=True, text=True, check=True)
    assert "qualtrics:" in listed.stdout and "culture_amp:" in listed.stdout


def test_linkage_with_two_waves_in_one_quarter_shows_only_shown_team_waves(survey: pd.DataFrame) -> None:
    """Two pulses in one quarter: the scatter holds each shown team's per-wave figure, never a figure pooled over
    the waves (which, with a published wave, would give away a wave in which the team was hidden)."""
    customers = pd.read_csv(CUSTOMERS)
    rep = engage.report.build_report(survey, customers=customers, wave_dates={1: "2024-01-15", 2: "2024-03-15"},
                                     index_method="person_mean")
    lk = rep["linkage"]
    assert lk["available"] is True and lk["quarters"] == {"1": "2024Q1", "2": "2024Q1"}
    shown = sorted(x["statistic"] for r in rep["engagement"]["by_unit"] for x in r["waves"]
                   if x["suppression"] == "shown")
    hidden = sum(1 for r in rep["engagement"]["by_unit"] for x in r["waves"] if x["suppression"] != "shown")
    assert hidden > 0
    assert sorted(lk["scatter"]["x"]) == pytest.approx(shown, rel=1e-12)


def test_rows_without_a_team_form_their_own_group_in_every_format(survey: pd.DataFrame, tmp_path: Path) -> None:
    # Issue 13: eight latest-wave rows with a blank team crashed render_text (None.__format__) and render_html.
    frame = survey.copy()
    latest = frame["wave"] == frame["wave"].max()
    frame.loc[frame.index[latest & (frame["department"] == "Sales")][:8], "team"] = None
    frame.loc[frame.index[latest & (frame["department"] == "Finance")][:8], "department"] = None
    rep = engage.report.build_report(frame)
    table = engage.enps_by(frame[frame["wave"] == frame["wave"].max()], by=["department", "team"], compare="rest")
    missing = table[table["team"].isna()]
    assert len(missing) == 1  # enps_by: one group, NaN key
    rows = [r for r in rep["enps"]["by_unit"] if r["team"] is None]  # the JSON: null key
    assert len(rows) == 1 and rows[0]["n"] == int(missing["n"].iloc[0]) >= 5
    assert rows[0]["statistic"] == pytest.approx(float(missing["statistic"].iloc[0]))
    text = engage.report.render_text(rep)
    page = engage.report.render_html(rep)
    label = engage.report.MISSING_LABEL
    assert re.search(rf"^  {re.escape(label)}\s+{rows[0]['n']}\s+{rows[0]['statistic']:.1f}", text, re.M)
    assert f"<td>{label}</td>" in page
    assert "None" not in text and "<td>None</td>" not in page and "<td>nan</td>" not in page
    assert not re.search(r"^  nan ", text, re.M)
    csv = tmp_path / "blank.csv"
    frame.to_csv(csv, index=False)
    out = tmp_path / "r.txt"
    assert main(["report", "--survey", str(csv), "-o", str(out)]) == 0
    assert label in out.read_text()


def test_empty_survey_and_header_only_file_are_named(tmp_path: Path, survey: pd.DataFrame) -> None:
    # Issue 13: build_report raised IndexError on an empty frame and on a header-only CSV.
    with pytest.raises(engage.InsufficientDataError, match=r"survey: no responses \(0 rows, 0 columns\)"):
        engage.report.build_report(pd.DataFrame())
    header = tmp_path / "header.csv"
    survey.head(0).to_csv(header, index=False)
    with pytest.raises(engage.EngageError, match=r"survey: no responses \(0 rows, 20 columns\)"):
        engage.report.build_report(engage.io.read_export(header))
    with pytest.raises(SystemExit, match=r"header.csv: survey: no responses"):
        main(["report", "--survey", str(header)])
    with pytest.raises(engage.EngageError, match="wave: column 'wave' has no values"):
        engage.report.build_report(survey.assign(wave=np.nan))
    with pytest.raises(engage.EngageError, match="survey must be a pandas DataFrame; got str"):
        engage.report.build_report(str(SURVEY))  # type: ignore[arg-type]


def test_read_export_of_a_dataframe_says_what_to_do(survey: pd.DataFrame) -> None:
    # Issue 13: a pathlib TypeError ("expected str, bytes or os.PathLike object, not DataFrame").
    with pytest.raises(engage.EngageError, match=r"path must be a file name .* got DataFrame .*build_report"):
        engage.io.read_export(survey)  # type: ignore[arg-type]


def test_a_score_column_named_must_exist(survey: pd.DataFrame) -> None:
    with pytest.raises(engage.EngageError, match=r"score: column 'nope' not in the frame"):
        engage.report.build_report(survey, score="nope")
    without = engage.report.build_report(survey.drop(columns="enps"))  # default: eNPS only when there is one
    assert without["enps"] is None and without["engagement"] is not None
