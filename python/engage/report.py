"""The engage report: the figures a manager reads, built from a survey export.

``build_report`` computes the sections as plain data (so JSON output is exactly what the text and HTML show);
``render_text``, ``render_json`` and ``render_html`` format it. Every grouped figure goes through the
confidentiality engine; hidden cells are shown as hidden, never as numbers. Later areas (engagement index,
reliability, churn, linkage) add their sections here.
"""

from __future__ import annotations

import html
import json
import math
from typing import Any

import numpy as np
import pandas as pd

from .enps import enps, enps_by, enps_compare

__all__ = ["build_report", "render_html", "render_json", "render_text"]

_METHOD_NOTE = (
    "eNPS = % promoters (9-10) - % detractors (0-6), in points from -100 to 100. Intervals are 95% Tango score "
    "intervals; the change between waves uses the MOVER interval (independent samples) and the paired difference "
    "of respondents who answered both waves. Groups with fewer than {k} respondents are hidden, and the next "
    "smallest groups too where needed, so hidden groups cannot be recovered by subtraction. Team p-values compare "
    "each team with the rest of the company and are Holm-adjusted across the shown teams."
)


def _num(x: Any) -> float | None:
    """JSON-safe float: NaN and NA become None."""
    if x is None or x is pd.NA:
        return None
    v = float(x)
    return None if math.isnan(v) else v


def _int(x: Any) -> int | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else int(x)


def build_report(
    survey: pd.DataFrame,
    *,
    score: str = "enps",
    unit: str = "team",
    wave: str | None = "wave",
    respondent: str | None = "respondent_id",
    min_group_size: int = 5,
    confidence_level: float = 0.95,
    breakdown: tuple[str, ...] | None = ("department", "tenure_band"),
) -> dict[str, Any]:
    """Compute the report's sections from one row per response.

    Parameters
    ----------
    survey : DataFrame
        Survey responses with an eNPS column, a unit column (team) and optionally a wave and a respondent id.
    min_group_size : int
        Confidentiality threshold for every grouped figure, the overall ones included.
    breakdown : tuple of str, optional
        A demographic cut shown as well (default department then tenure band; complementary suppression works
        within the first column's groups). Skipped when the survey lacks one of the columns.

    Examples
    --------
    >>> import engage
    >>> org = engage.datasets.synthetic_organisation(n_employees=500, n_teams=20, seed=1)
    >>> rep = engage.report.build_report(org.survey)
    >>> sorted(rep["enps"])
    ['breakdown', 'by_unit', 'change', 'method', 'overall']
    """
    for col in [score, unit] + [c for c in (wave, respondent) if c]:
        if col not in survey.columns:
            raise KeyError(f"column {col!r} not in the survey file; columns are {list(survey.columns)}")
    waves = sorted(survey[wave].dropna().unique().tolist()) if wave else [None]
    by_wave = {w: (survey[survey[wave] == w] if wave else survey) for w in waves}

    overall = []
    results = {}
    for w, frame in by_wave.items():
        r = enps(frame[score])
        row: dict[str, Any] = {"wave": _int(w) if w is not None else None, "n": r.n, "missing": r.missing}
        if r.n >= min_group_size:
            low, high = r.confidence_interval(confidence_level)
            results[w] = r
            row.update(
                statistic=r.statistic,
                low=low,
                high=high,
                promoters=r.proportion_promoters,
                passives=r.proportion_passives,
                detractors=r.proportion_detractors,
                suppression="shown",
            )
        else:
            row.update(n=None, suppression="below_minimum")
        overall.append(row)

    latest = waves[-1]
    table = enps_by(
        by_wave[latest],
        score=score,
        by=unit,
        min_group_size=min_group_size,
        confidence_level=confidence_level,
        compare="rest",
    )
    by_unit = [
        {
            unit: str(t[unit]),
            "n": _int(t["n"]),
            "statistic": _num(t["statistic"]),
            "low": _num(t["low"]),
            "high": _num(t["high"]),
            "difference_vs_rest": _num(t["difference_vs_rest"]),
            "pvalue_adjusted": _num(t["pvalue_adjusted"]),
            "suppression": t["suppression"],
        }
        for t in table.to_dict("records")
    ]

    cut: list[dict[str, Any]] | None = None
    if breakdown and all(c in survey.columns for c in breakdown):
        cells = enps_by(by_wave[latest], score=score, by=list(breakdown), min_group_size=min_group_size,
                        confidence_level=confidence_level)
        cut = [
            {**{c: str(t[c]) for c in breakdown}, "n": _int(t["n"]), "statistic": _num(t["statistic"]),
             "low": _num(t["low"]), "high": _num(t["high"]), "suppression": t["suppression"]}
            for t in cells.to_dict("records")
        ]

    change: dict[str, Any] | None = None
    if len(waves) >= 2 and waves[-2] in results and latest in results:
        prev = waves[-2]
        d = enps_compare(results[latest], results[prev])
        low, high = d.confidence_interval(confidence_level)
        change = {
            "from_wave": _int(prev),
            "to_wave": _int(latest),
            "difference": d.difference,
            "low": low,
            "high": high,
            "pvalue": d.pvalue,
        }
        if respondent:
            a = by_wave[latest][[respondent, score]].drop_duplicates(respondent)
            b = by_wave[prev][[respondent, score]].drop_duplicates(respondent)
            both = a.merge(b, on=respondent, suffixes=("_a", "_b"))
            if len(both) >= max(min_group_size, 2):
                p = enps_compare(both[f"{score}_a"], both[f"{score}_b"], paired=True)
                if p.n >= min_group_size:
                    plow, phigh = p.confidence_interval(confidence_level)
                    change["paired"] = {
                        "n": p.n,
                        "difference": p.difference,
                        "low": plow,
                        "high": phigh,
                        "pvalue": p.pvalue,
                        "transitions": p.transitions.to_dict(),
                    }

    shown = sum(1 for r in by_unit if r["suppression"] == "shown")
    return {
        "title": "engage report",
        "settings": {"min_group_size": min_group_size, "confidence_level": confidence_level, "unit": unit},
        "enps": {
            "overall": overall,
            "change": change,
            "by_unit": by_unit,
            "breakdown": {"columns": list(breakdown or ()), "cells": cut} if cut is not None else None,
            "method": _METHOD_NOTE.format(k=min_group_size),
        },
        "summary": {"units": len(by_unit), "units_shown": shown, "responses": int(len(survey))},
    }


_NOTES = {"below_minimum": "hidden: too few respondents", "complementary": "hidden: protects a small group"}


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _interval(row: dict[str, Any]) -> str:
    if row.get("low") is None:
        return "hidden" if row.get("suppression", "shown") != "shown" else "-"
    return f"[{row['low']:.1f}, {row['high']:.1f}]"


def render_text(report: dict[str, Any]) -> str:
    """Plain-text rendering of ``build_report``'s result."""
    e = report["enps"]
    unit = report["settings"]["unit"]
    lines = [report["title"].upper(), "", "eNPS overall"]
    lines.append(f"  {'wave':>5} {'n':>6} {'eNPS':>7}  {'95% interval':<16} {'missing':>7}")
    for r in e["overall"]:
        lines.append(
            f"  {_fmt(r['wave']):>5} {_fmt(r['n']):>6} {_fmt(r.get('statistic')):>7}  {_interval(r):<16} "
            f"{_fmt(r['missing']):>7}"
        )
    c = e["change"]
    if c:
        lines += ["", f"Change from wave {c['from_wave']} to wave {c['to_wave']}"]
        lines.append(
            f"  all respondents: {c['difference']:+.1f} points, interval [{c['low']:.1f}, {c['high']:.1f}], "
            f"p = {c['pvalue']:.3g}"
        )
        if "paired" in c:
            p = c["paired"]
            lines.append(
                f"  same {p['n']} respondents (paired): {p['difference']:+.1f} points, interval "
                f"[{p['low']:.1f}, {p['high']:.1f}], p = {p['pvalue']:.3g}"
            )
    lines += ["", f"eNPS by {unit} (latest wave)"]
    lines.append(f"  {unit:<10} {'n':>5} {'eNPS':>7}  {'95% interval':<16} {'vs rest':>8} {'p (Holm)':>9}  note")
    for r in e["by_unit"]:
        note = "" if r["suppression"] == "shown" else _NOTES[r["suppression"]]
        lines.append(
            f"  {r[unit]:<10} {_fmt(r['n']):>5} {_fmt(r['statistic']):>7}  {_interval(r):<16} "
            f"{_fmt(r['difference_vs_rest']):>8} {_fmt(r['pvalue_adjusted'], 3):>9}  {note}"
        )
    if e.get("breakdown"):
        cols = e["breakdown"]["columns"]
        lines += ["", f"eNPS by {' and '.join(cols)} (latest wave)"]
        lines.append("  " + " ".join(f"{c:<14}" for c in cols) + f" {'n':>5} {'eNPS':>7}  {'95% interval':<16} note")
        for r in e["breakdown"]["cells"]:
            note = "" if r["suppression"] == "shown" else _NOTES[r["suppression"]]
            lines.append(
                "  " + " ".join(f"{r[c]:<14}" for c in cols)
                + f" {_fmt(r['n']):>5} {_fmt(r['statistic']):>7}  {_interval(r):<16} {note}"
            )
    lines += ["", "Method: " + e["method"]]
    return "\n".join(lines) + "\n"


def render_json(report: dict[str, Any]) -> str:
    """JSON rendering (hidden figures are null)."""
    return json.dumps(report, indent=2, default=lambda o: o.item() if isinstance(o, np.generic) else str(o))


def render_html(report: dict[str, Any]) -> str:
    """A self-contained HTML page (no network needed to open it)."""
    e = report["enps"]
    unit = report["settings"]["unit"]
    esc = html.escape

    def table(headers: list[str], rows: list[list[str]]) -> str:
        head = "".join(f"<th>{esc(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in r) + "</tr>" for r in rows)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    overall = table(
        ["wave", "n", "eNPS", "95% interval", "missing"],
        [[_fmt(r["wave"]), _fmt(r["n"]), _fmt(r.get("statistic")), _interval(r), _fmt(r["missing"])] for r in e["overall"]],
    )
    units = table(
        [unit, "n", "eNPS", "95% interval", "vs rest", "p (Holm)", "status"],
        [
            [r[unit], _fmt(r["n"]), _fmt(r["statistic"]), _interval(r), _fmt(r["difference_vs_rest"]),
             _fmt(r["pvalue_adjusted"], 3), r["suppression"].replace("_", " ")]
            for r in e["by_unit"]
        ],
    )
    cut = ""
    if e.get("breakdown"):
        cols = e["breakdown"]["columns"]
        cut = f"<h2>eNPS by {esc(' and '.join(cols))} (latest wave)</h2>" + table(
            [*cols, "n", "eNPS", "95% interval", "status"],
            [[*(r[c] for c in cols), _fmt(r["n"]), _fmt(r["statistic"]), _interval(r),
              r["suppression"].replace("_", " ")] for r in e["breakdown"]["cells"]],
        )
    change = ""
    c = e["change"]
    if c:
        change = (
            f"<h2>Change from wave {c['from_wave']} to wave {c['to_wave']}</h2><p>All respondents: "
            f"{c['difference']:+.1f} points (interval {c['low']:.1f} to {c['high']:.1f}, p = {c['pvalue']:.3g}).</p>"
        )
        if "paired" in c:
            p = c["paired"]
            change += (
                f"<p>The same {p['n']} respondents in both waves: {p['difference']:+.1f} points "
                f"(interval {p['low']:.1f} to {p['high']:.1f}, p = {p['pvalue']:.3g}).</p>"
            )
    style = (
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:60em;color:#222}"
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
        "th{background:#f3f3f3}td:first-child{text-align:left}.note{color:#555;font-size:.9em}"
    )
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{esc(report['title'])}</title>"
        f"<style>{style}</style></head><body><h1>{esc(report['title'])}</h1>"
        f"<h2>eNPS overall</h2>{overall}{change}<h2>eNPS by {esc(unit)} (latest wave)</h2>{units}{cut}"
        f"<p class='note'>{esc(e['method'])}</p></body></html>\n"
    )
