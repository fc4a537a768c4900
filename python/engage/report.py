"""The engage report: the figures a manager reads, built from a survey export.

``build_report`` computes the sections as plain data, so the JSON output is exactly what the text and HTML show
(charts are drawn from that data too, never from the raw responses); ``render_text``, ``render_json`` and
``render_html`` format it. Sections: response and participation, eNPS, the engagement index by team and wave,
item favourability with the team × item heatmap, reliability of the scale, whether team aggregation is
justified (within-team agreement and ICC), churn risk when an HRIS file is given (retention curves by engagement
category, drivers, expected leavers per team, held-out model quality), and a hook for employee–customer linkage.

Confidentiality: every figure of the report, participation counts included, is published through one
``engage.Release``, so the release engine decides all tables jointly: no combination of the report's figures (a
department minus its shown teams, a tenure cut against the team table, an item against the index) determines a
hidden group, and groups whose answers all fall in one category are hidden under the distribution minimum.
Retention curves are published on a grid of whole months, never at the dates people left. Hidden cells are shown
as hidden in every format, never as numbers, and no respondent count of a hidden group is published. Each section carries a plain-language ``reading`` and a
``method`` note (definition and interval method).
"""

from __future__ import annotations

import html
import json
import math
import re
import warnings
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ._errors import ColumnError, InsufficientDataError, InvalidInputError, InvalidTypeError
from ._validation import frame_columns
from .agreement import icc, rwg_j
from .confidentiality import Release
from .engagement import engagement_index, engagement_index_by, favourability, glint_bands, scale_scores
from .enps import enps, enps_by, enps_compare
from .reliability import cronbach_alpha, cronbach_alpha_by, omega

__all__ = ["build_report", "render_html", "render_json", "render_text"]

_METHOD_NOTE = (
    "eNPS = % promoters (9-10) - % detractors (0-6), in points from -100 to 100. Intervals are 95% Tango score "
    "intervals; the change between waves uses the MOVER interval (independent samples) and the paired difference "
    "of respondents who answered both waves. Groups with fewer than {k} respondents are hidden, and the next "
    "smallest groups too where needed, so that no combination of the report's figures gives a hidden group back. "
    "Team p-values compare "
    "each team with the rest of the company and are Holm-adjusted across the shown teams."
)
_ITEM = re.compile(r"^q\d+$")
_ALL = "__engage_all__"  # the one-cell grouping of a whole-wave figure
_SECTIONS = ("participation", "enps", "engagement", "items", "reliability", "agreement", "churn", "linkage")


def _num(x: Any) -> float | None:
    """JSON-safe float: NaN and NA become None."""
    if x is None or x is pd.NA:
        return None
    v = float(x)
    return None if math.isnan(v) else v


def _int(x: Any) -> int | None:
    return None if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else int(x)


def _key(x: Any) -> Any:
    """A wave or group label as JSON likes it."""
    if isinstance(x, (np.integer, int)) and not isinstance(x, bool):
        return int(x)
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    return str(x)


def _wave_label(w: Any) -> str:
    """A wave key as text, so that 1, 1.0 and "1" (from a file, a frame or the command line) are one wave."""
    return str(int(w)) if isinstance(w, (float, np.floating)) and float(w).is_integer() else str(_key(w))


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}%"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _count_hidden(rows: Sequence[Mapping[Any, Any]]) -> dict[str, int]:
    out = {"shown": 0, "below_minimum": 0, "complementary": 0}
    for r in rows:
        out[str(r["suppression"])] = out.get(str(r["suppression"]), 0) + 1
    return out


def _hidden_phrase(counts: Mapping[str, int], k: int, what: str = "teams") -> str:
    below, comp = counts.get("below_minimum", 0), counts.get("complementary", 0)
    alike, weighted = counts.get("unanimous", 0), counts.get("low_effective_n", 0)
    if not below and not comp and not alike and not weighted:
        return f"No {what} had to be hidden."
    parts = [f"{below} {what} with fewer than {k} respondents are hidden"]
    if alike:
        parts.append(f"{alike} small ones where everyone answered alike (each member's answer would be known)")
    if weighted:
        parts.append(f"{weighted} whose weights rest on fewer than {k} people")
    if comp:
        parts.append(f"{comp} more so that no hidden one can be worked out from the report's other figures")
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1] + "."


# ----------------------------------------------------------------------------------------------------------------
# Sections
# ----------------------------------------------------------------------------------------------------------------


def _overall_status(release: Release, frame: pd.DataFrame, table: Callable[..., pd.DataFrame], **kw: Any) -> str:
    """The release's decision on a whole-wave figure: the wave as a one-cell table of ``table``."""
    t = table(frame.assign(**{_ALL: "all"}), by=_ALL, release=release, **kw)
    return str(t["suppression"].iloc[0])


def _participation(
    survey: pd.DataFrame, by_wave: dict[Any, pd.DataFrame], waves: list[Any], score: str | None, items: list[str],
    unit: str, parent: str | None, hris: pd.DataFrame | None, wave_dates: Mapping[Any, Any] | None, k: int,
    dont_know: float | None, release: Release,
) -> dict[str, Any]:
    rows = []
    headcount_note = None
    if hris is not None and not wave_dates:
        headcount_note = "Headcount needs the date of each wave (--wave-date WAVE=YYYY-MM-DD): not computed."
    active_latest: pd.DataFrame | None = None
    for w in waves:
        frame = by_wave[w]
        answered_items = 0
        if items:
            x = frame[items].to_numpy(dtype=float, na_value=np.nan)
            if dont_know is not None:
                x = np.where(x == dont_know, np.nan, x)
            answered_items = int((~np.isnan(x)).any(axis=1).sum())
        row: dict[str, Any] = {
            "wave": _key(w),
            "respondents": int(len(frame)),
            "answered_enps": int(frame[score].notna().sum()) if score else None,
            "answered_items": answered_items,
            "date": None,
            "headcount": None,
            "rate": None,
        }
        if hris is not None and wave_dates and w in wave_dates:
            d = pd.Timestamp(wave_dates[w])
            active = hris[(hris["hire_date"] <= d) & (hris["exit_date"].isna() | (hris["exit_date"] > d))]
            row.update(date=d.strftime("%Y-%m-%d"), headcount=int(len(active)),
                       rate=100.0 * len(frame) / len(active) if len(active) else None)
            if w == waves[-1]:
                active_latest = active
        counted = release.publish_counts(frame.assign(**{_ALL: "all"}), by=_ALL, name=f"respondents (wave {_key(w)})")
        if counted["suppressed"].iloc[0]:
            row.update(respondents=None, answered_enps=None, answered_items=None, rate=None)
        rows.append(row)

    by_parent = None
    if active_latest is not None and parent and parent in survey.columns and parent in active_latest.columns:
        counted = release.publish_counts(by_wave[waves[-1]], by=parent, name=f"respondents by {parent}")
        resp = pd.Series(counted["n"].to_numpy(), index=counted[parent].astype(str))
        status_of = pd.Series(counted["suppression"].to_numpy(), index=counted[parent].astype(str))
        head = active_latest.groupby(parent, dropna=False).size()
        labels = sorted(set(resp.index) | set(head.index.astype(str)))
        by_parent = []
        for g in labels:
            h = int(head.get(g, 0))
            st = str(status_of.get(g, "no_respondents"))
            shown = st == "shown"
            n = resp.get(g, 0)
            by_parent.append({
                parent: g,
                "headcount": h,
                "respondents": int(n) if shown else None,
                "rate": (100.0 * n / h if h else None) if shown else None,
                "suppression": str(st),
            })
    latest = rows[-1]
    parts = []
    if latest["respondents"] is None:
        parts.append(f"Fewer than {k} people answered in the latest wave, so nothing can be published.")
    else:
        parts.append(f"In wave {latest['wave']}, {latest['respondents']:,} people answered the survey")
        if latest["rate"] is not None:
            parts[-1] += (f", {latest['rate']:.0f}% of the {latest['headcount']:,} people employed on "
                          f"{latest['date']}")
        parts[-1] += "."
        if len(rows) > 1 and rows[-2]["respondents"] is not None:
            prev = rows[-2]
            parts.append(f"In wave {prev['wave']} {prev['respondents']:,} answered"
                         + (f" ({prev['rate']:.0f}%)." if prev["rate"] is not None else "."))
        if latest["rate"] is not None:
            parts.append("Above about 70% the answers are broadly representative; much lower rates deserve a look "
                         "at who did not answer.")
    if headcount_note:
        parts.append(headcount_note)
    return {
        "waves": rows,
        "by_parent": {"column": parent, "wave": _key(waves[-1]), "rows": by_parent} if by_parent else None,
        "suppressed": {},
        "reading": " ".join(parts),
        "method": (
            "Respondents are the rows of the survey file in each wave (answered_enps and answered_items count those "
            "who answered the eNPS question and at least one item). Headcount is the people in the HRIS file "
            "employed on the wave date (hired on or before it, not yet left). The response rate is respondents / "
            f"headcount: a census figure, with no sampling interval. Groups with fewer than {k} respondents, and "
            "groups whose count would give away a hidden one, show only their headcount."
        ),
    }


def _enps_section(
    survey: pd.DataFrame, by_wave: dict[Any, pd.DataFrame], waves: list[Any], score: str, unit: str,
    by: list[str], parent: str | None, respondent: str | None, wave: str | None, k: int, level: float,
    breakdown: tuple[str, ...] | None, release: Release,
) -> dict[str, Any]:
    overall = []
    results = {}
    for w in waves:
        frame = by_wave[w]
        r = enps(frame[score])
        row: dict[str, Any] = {"wave": _key(w), "n": r.n, "missing": r.missing}
        status = _overall_status(release, frame, enps_by, score=score, confidence_level=level)
        if status == "shown":
            low, high = r.confidence_interval(level)
            results[w] = r
            row.update(statistic=r.statistic, low=low, high=high, promoters=r.proportion_promoters,
                       passives=r.proportion_passives, detractors=r.proportion_detractors, suppression="shown")
        else:
            row.update(n=None, missing=None, suppression=status)
        overall.append(row)

    latest = waves[-1]
    table = enps_by(by_wave[latest], score=score, by=by, confidence_level=level, compare="rest", release=release)
    by_unit = [
        {
            **{c: _key(t[c]) for c in by},
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
    by_parent = None
    if parent:
        ptab = enps_by(by_wave[latest], score=score, by=parent, confidence_level=level, release=release)
        by_parent = [
            {parent: _key(t[parent]), "n": _int(t["n"]), "statistic": _num(t["statistic"]), "low": _num(t["low"]),
             "high": _num(t["high"]), "promoters": _num(t["proportion_promoters"]),
             "passives": _num(t["proportion_passives"]), "detractors": _num(t["proportion_detractors"]),
             "suppression": t["suppression"]}
            for t in ptab.to_dict("records")
        ]

    cut: list[dict[str, Any]] | None = None
    if breakdown and all(c in survey.columns for c in breakdown):
        cells = enps_by(by_wave[latest], score=score, by=list(breakdown), confidence_level=level, release=release)
        cut = [
            {**{c: None if _key(t[c]) is None else str(t[c]) for c in breakdown}, "n": _int(t["n"]), "statistic": _num(t["statistic"]),
             "low": _num(t["low"]), "high": _num(t["high"]), "suppression": t["suppression"]}
            for t in cells.to_dict("records")
        ]

    change: dict[str, Any] | None = None
    if len(waves) >= 2 and waves[-2] in results and latest in results:
        prev = waves[-2]
        d = enps_compare(results[latest], results[prev])
        low, high = d.confidence_interval(level)
        change = {"from_wave": _key(prev), "to_wave": _key(latest), "difference": d.difference, "low": low,
                  "high": high, "pvalue": d.pvalue}
        if respondent and respondent in survey.columns:
            a = by_wave[latest][[respondent, score]].drop_duplicates(respondent)
            b = by_wave[prev][[respondent, score]].drop_duplicates(respondent)
            both = a.merge(b, on=respondent, suffixes=("_a", "_b"))
            if len(both) >= max(k, 2):
                p = enps_compare(both[f"{score}_a"], both[f"{score}_b"], paired=True)
                if p.n >= k:
                    plow, phigh = p.confidence_interval(level)
                    change["paired"] = {"n": p.n, "difference": p.difference, "low": plow, "high": phigh,
                                        "pvalue": p.pvalue, "transitions": p.transitions.to_dict()}

    hidden = _count_hidden(by_unit)
    o = overall[-1]
    parts = []
    if o["suppression"] == "shown":
        parts.append(
            f"The eNPS in wave {o['wave']} is {o['statistic']:+.0f} (95% interval {o['low']:+.0f} to {o['high']:+.0f}):"
            f" {100 * o['promoters']:.0f}% promoters, {100 * o['passives']:.0f}% passives and "
            f"{100 * o['detractors']:.0f}% detractors."
        )
    if change:
        clear = change["low"] > 0 or change["high"] < 0
        parts.append(
            f"Since wave {change['from_wave']} it moved {change['difference']:+.1f} points "
            f"(interval {change['low']:+.1f} to {change['high']:+.1f}), "
            + ("a change unlikely to be chance alone." if clear else "within what chance alone could produce.")
        )
    shown = [r for r in by_unit if r["suppression"] == "shown"]
    flagged = [r for r in shown if r["pvalue_adjusted"] is not None and r["pvalue_adjusted"] < 0.05]
    if shown:
        parts.append(
            f"Of the {len(shown)} {unit}s shown, {len(flagged)} differ clearly from the rest of the company once "
            "the many comparisons are allowed for; small teams have wide intervals, so most differences between "
            "teams are within noise."
        )
    parts.append(_hidden_phrase(hidden, k, f"{unit}s"))
    return {
        "overall": overall,
        "change": change,
        "by_unit": by_unit,
        "by_parent": {"column": parent, "rows": by_parent} if by_parent else None,
        "breakdown": {"columns": list(breakdown or ()), "cells": cut} if cut is not None else None,
        "hidden": hidden,
        "reading": " ".join(parts),
        "method": _METHOD_NOTE.format(k=k),
    }


def _engagement_section(
    by_wave: dict[Any, pd.DataFrame], waves: list[Any], items: list[str], unit: str, by: list[str], k: int,
    level: float, scale: tuple[int, int], dont_know: float | None, method: str, release: Release,
) -> dict[str, Any]:
    overall = []
    tables = {}
    family = ""
    for w in waves:
        frame = by_wave[w]
        r = engagement_index(frame[items], method=method, scale=scale, dont_know=dont_know)  # type: ignore[arg-type]
        family = r.family
        row: dict[str, Any] = {"wave": _key(w), "n": r.n, "missing": r.missing, "dont_know": r.dont_know,
                               "excluded": r.excluded}
        status = _overall_status(release, frame, engagement_index_by, items=items, method=method, scale=scale,
                                 dont_know=dont_know, confidence_level=level)
        if status == "shown":
            low, high = r.confidence_interval(level)
            row.update(statistic=r.statistic, low=_num(low), high=_num(high), suppression="shown")
        else:
            row.update(n=None, missing=None, dont_know=None, excluded=None, suppression=status)
        overall.append(row)
        tables[w] = engagement_index_by(frame, items=items, by=by, method=method, scale=scale,  # type: ignore[arg-type]
                                        dont_know=dont_know, confidence_level=level, release=release)
    # One row per group with each wave's figures.
    groups: dict[tuple[Any, ...], dict[str, Any]] = {}
    for w in waves:
        for t in tables[w].to_dict("records"):
            key = tuple(_key(t[c]) for c in by)
            entry = groups.setdefault(key, {**dict(zip(by, key)), "waves": []})
            entry["waves"].append({"wave": _key(w), "n": _int(t["n"]), "statistic": _num(t["statistic"]),
                                   "low": _num(t["low"]), "high": _num(t["high"]), "suppression": t["suppression"]})
    by_unit = [groups[g] for g in sorted(groups, key=lambda g: tuple(str(x) for x in g))]
    for entry in by_unit:  # groups absent from a wave: nobody answered
        seen = {x["wave"] for x in entry["waves"]}
        for w in waves:
            if _key(w) not in seen:
                entry["waves"].append({"wave": _key(w), "n": None, "statistic": None, "low": None, "high": None,
                                       "suppression": "no_respondents"})
        entry["waves"].sort(key=lambda x: str(x["wave"]))
    hidden = {str(_key(w)): _count_hidden([r for r in tables[w].to_dict("records")]) for w in waves}
    o = overall[-1]
    unit_word = "%" if method in ("favourable_items", "favourable_pooled", "favourable_persons", "favourable_all",
                                  "top3") else ""
    parts = []
    if o["suppression"] == "shown":
        parts.append(f"The engagement index in wave {o['wave']} is {o['statistic']:.1f}{unit_word} "
                     f"(95% interval {o['low']:.1f} to {o['high']:.1f}), from {o['n']:,} people.")
        if len(overall) > 1 and overall[-2]["suppression"] == "shown":
            prev = overall[-2]
            overlap = not (prev["high"] < o["low"] or o["high"] < prev["low"])
            parts.append(f"In wave {prev['wave']} it was {prev['statistic']:.1f}{unit_word} (interval "
                         f"{prev['low']:.1f} to {prev['high']:.1f})"
                         + ("; the intervals overlap, so treat the change with care." if overlap
                            else "; the intervals do not overlap, a real change."))
    shown_latest = [e for e in by_unit if e["waves"][-1]["suppression"] == "shown"]
    if shown_latest:
        vals = sorted(e["waves"][-1]["statistic"] for e in shown_latest)
        parts.append(f"Across the {len(shown_latest)} {unit}s shown in wave {o['wave']}, the index ranges from "
                     f"{vals[0]:.0f} to {vals[-1]:.0f} (middle {vals[len(vals) // 2]:.0f}).")
    parts.append(_hidden_phrase(hidden[str(_key(waves[-1]))], k, f"{unit}s"))
    bands = glint_bands(scale)
    return {
        "index_method": method,
        "family": family,
        "items": items,
        "scale": list(scale),
        "dont_know": dont_know,
        "favourable_from": bands[1],
        "overall": overall,
        "by_unit": by_unit,
        "group_columns": by,
        "hidden": hidden,
        "reading": " ".join(parts),
        "method": (
            f"Index method {method} ({family}): for each item, the % of answers that are favourable "
            f"({bands[1]} to {scale[1]} on the {scale[0]}-{scale[1]} scale), averaged over the {len(items)} items "
            "(Culture Amp's engagement favourability). 'Don't know' answers are left out, skipped items too. "
            "Intervals are 95% Wilson intervals with an effective sample size that accounts for the same person "
            "answering several items (mean indices use t intervals). "
            f"Groups with fewer than {k} people answering are hidden, with complementary suppression across the "
            "whole report."
            if method == "favourable_items"
            else f"Index method {method} ({family}); see engage.engagement_index for its definition. Intervals: "
            f"Wilson for % indices, t for mean indices, 95%. Groups with fewer than {k} people are hidden, with "
            "complementary suppression across the whole report."
        ),
    }


def _items_section(
    frame: pd.DataFrame, wave_label: Any, items: list[str], unit: str, by: list[str], k: int,
    scale: tuple[int, int], dont_know: float | None, team_rows: list[dict[str, Any]], release: Release,
) -> dict[str, Any]:
    table = favourability(frame[items], scale=scale, dont_know=dont_know, release=release)
    rows = []
    for t in table.to_dict("records"):
        shown = t["suppression"] == "shown"
        rows.append({
            "item": str(t["item"]),
            "n": int(t["n"]) if shown else None,
            "favourable": _num(t["pct_favourable"]) if shown else None,
            "neutral": _num(t["pct_neutral"]) if shown else None,
            "unfavourable": _num(t["pct_unfavourable"]) if shown else None,
            "mean": _num(t["mean"]) if shown else None,
            "dont_know": int(t["dont_know"]) if shown else None,
            "missing": int(t["missing"]) if shown else None,
            "suppression": t["suppression"],
        })
    # Heatmap: % favourable per group and item, one table per item in the report's release, so each cell is
    # protected against the group's index (the row), the item's overall figure (the column) and every other
    # table; rows of hidden groups stay hidden whole.
    labels = [tuple(r[c] for c in by) for r in team_rows]
    row_status = [r["waves"][-1]["suppression"] if r["waves"][-1]["suppression"] != "no_respondents" else "empty"
                  for r in team_rows]
    index_of = {lab: i for i, lab in enumerate(labels)}
    v = np.full((len(labels), len(items)), np.nan)
    status = np.empty((len(labels), len(items)), dtype=object)
    status[:] = "empty"
    for j, item in enumerate(items):
        tab = engagement_index_by(frame, items=[item], by=by, method="favourable_items", scale=scale,
                                  dont_know=dont_know, release=release)
        keys = [tuple(_key(x) for x in row) for row in tab[by].itertuples(index=False)]
        idx = np.array([index_of.get(key, -1) for key in keys])
        ok = idx >= 0
        v[idx[ok], j] = tab["statistic"].to_numpy(dtype=float, na_value=np.nan)[ok]
        status[idx[ok], j] = tab["suppression"].to_numpy(dtype=object)[ok]
    for i, s in enumerate(row_status):
        if s != "shown":
            status[i, :] = s
    values: list[list[float | None]] = [
        [_num(v[i, j]) if status[i, j] == "shown" else None for j in range(len(items))] for i in range(len(labels))
    ]
    cell_counts = {s: int((status == s).sum())
                   for s in ("shown", "below_minimum", "complementary", "unanimous", "low_effective_n", "empty")}
    shown_items = [r for r in rows if r["suppression"] == "shown"]
    parts = []
    if shown_items:
        best = max(shown_items, key=lambda r: r["favourable"] or 0)
        worst = min(shown_items, key=lambda r: r["favourable"] or 0)
        parts.append(
            f"Across everyone in wave {_key(wave_label)}, the most favourable item is {best['item']} "
            f"({best['favourable']:.0f}% favourable) and the least is {worst['item']} "
            f"({worst['favourable']:.0f}%, {worst['unfavourable']:.0f}% unfavourable): the place to start a "
            "conversation."
        )
    parts.append(
        f"The heatmap shows each {unit}'s % favourable per item; grey hatched cells are hidden "
        f"({cell_counts['below_minimum']} because fewer than {k} answered, {cell_counts['unanimous']} because "
        f"everyone answered alike, {cell_counts['complementary']} more to stop subtraction), and whole rows are "
        "hidden where the team is."
    )
    return {
        "wave": _key(wave_label),
        "table": rows,
        "heatmap": {
            "wave": _key(wave_label),
            "group_columns": by,
            "rows": [dict(zip(by, lab)) for lab in labels],
            "columns": items,
            "values": values,
            "status": status.tolist(),
            "cells": cell_counts,
        },
        "reading": " ".join(parts),
        "method": (
            f"Favourable = {glint_bands(scale)[1]} to {scale[1]}, neutral and unfavourable below, on the {scale[0]}-"
            f"{scale[1]} scale (Viva Glint's bands by scale length); percentages are of the item's scored answers "
            "('don't know' and skipped left out); the mean is on the raw scale. Heatmap cells are hidden when fewer "
            f"than {k} people answered the item in that group, or when everyone in a group of fewer than "
            f"{release.min_distribution_size} gave a favourable (or every one an unfavourable) answer; further "
            "cells are hidden until no hidden cell can be recovered from any combination of the report's figures."
        ),
    }


def _catch(fn: Callable[[], Any], notes: list[str]) -> Any:
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        out = fn()
    notes.extend(str(w.message) for w in seen)
    return out


def _reliability_section(
    by_wave: dict[Any, pd.DataFrame], waves: list[Any], items: list[str], k: int, level: float,
    scale: tuple[int, int], dont_know: float | None, release: Release,
) -> dict[str, Any]:
    per_wave = []
    notes: list[str] = []
    latest_alpha = None
    latest_omega = None
    for w in waves:
        x = by_wave[w][items].astype(float)
        row: dict[str, Any] = {"wave": _key(w)}
        status = "below_minimum" if len(x) < 3 else _overall_status(release, x, cronbach_alpha_by, items=items,
                                                                      missing="pairwise", scale=scale, dont_know=dont_know)
        if status != "shown":
            row.update(suppression=status)
            per_wave.append(row)
            continue
        try:
            a = _catch(lambda: cronbach_alpha(x, scale=scale, dont_know=dont_know), notes)
            low, high = a.confidence_interval(level)
            row.update(alpha=a.statistic, low=low, high=high, standardized=a.standardized, average_r=a.average_r,
                       n=a.n, suppression="shown")
            if w == waves[-1]:
                latest_alpha = a
        except ValueError as err:
            row.update(suppression="shown", note=str(err))
        if len(items) >= 3:
            try:
                o = _catch(lambda: omega(x, scale=scale, dont_know=dont_know), notes)
                row["omega_total"] = o.omega_total
                if w == waves[-1]:
                    latest_omega = o
            except ValueError as err:
                row["omega_note"] = str(err)
        per_wave.append(row)
    item_table = None
    if latest_alpha is not None:
        st = latest_alpha.item_stats
        item_table = [
            {"item": str(name), "r_drop": _num(r["r_drop"]), "alpha_if_dropped": _num(r["alpha_if_dropped"]),
             "loading": _num(latest_omega.loadings[name]) if latest_omega is not None else None}
            for name, r in st.iterrows()
        ]
    last = per_wave[-1]
    parts = []
    if "alpha" in last:
        a_val = last["alpha"]
        verdict = ("excellent" if a_val >= 0.9 else "good" if a_val >= 0.8 else "acceptable" if a_val >= 0.7
                   else "questionable")
        parts.append(
            f"The {len(items)} items hang together as one scale ({verdict} reliability): Cronbach's alpha is "
            f"{a_val:.2f} "
            f"(95% interval {last['low']:.2f} to {last['high']:.2f})"
            + (f" and McDonald's omega {last['omega_total']:.2f}" if "omega_total" in last else "")
            + ". Above 0.8 an index built from them is a dependable summary for groups."
        )
        if item_table:
            gains = [r for r in item_table if r["alpha_if_dropped"] is not None and r["alpha_if_dropped"] > a_val]
            if gains:
                parts.append(f"Dropping {', '.join(str(r['item']) for r in gains)} would raise alpha slightly: "
                             "these items measure something a little different.")
            else:
                parts.append("No item would raise alpha if dropped: every item contributes.")
    elif last.get("suppression") == "below_minimum":
        parts.append(f"Fewer than {k} people answered: reliability is not reported.")
    return {
        "waves": per_wave,
        "items": item_table,
        "notes": sorted(set(notes)),
        "reading": " ".join(parts),
        "method": (
            "Cronbach's alpha from the item covariances with pairwise deletion ('don't know' counted as missing), "
            "as R psych::alpha; 95% interval by Feldt, Woodruff & Salih (1987), F on (n-1, (n-1)(k-1)) degrees of "
            "freedom. McDonald's omega total from a one-factor minimum-residual model, 1 - sum of uniquenesses / "
            "sum of the item correlations (psych::omega); engage gives no interval for omega. r_drop is each item's "
            "correlation with the sum of the others."
        ),
    }


def _agreement_section(
    frame: pd.DataFrame, wave_label: Any, items: list[str], unit: str, by: list[str], k: int, level: float,
    scale: tuple[int, int], dont_know: float | None, release: Release,
) -> dict[str, Any]:
    x = frame[items].astype(float)
    points = scale[1] - scale[0] + 1
    table = rwg_j(x, frame[by], scale=scale, dont_know=dont_know, release=release)
    rows = [{**{c: _key(t[c]) for c in by}, "n": _int(t["n"]), "rwg_j": _num(t["rwg_j"]),
             "suppression": t["suppression"]} for t in table.to_dict("records")]
    values = np.array([r["rwg_j"] for r in rows if r["suppression"] == "shown" and r["rwg_j"] is not None])
    summary: dict[str, Any] = {"teams_shown": int(values.size)}
    if values.size:
        summary.update(median=float(np.median(values)), share_at_least_070=float(np.mean(values >= 0.70)),
                       minimum=float(values.min()), maximum=float(values.max()))
    scores = scale_scores(x, scale=scale, dont_know=dont_know).scores
    groups = frame[unit]
    ok = ~np.isnan(np.asarray(scores, dtype=float))
    icc_row: dict[str, Any] | None = None
    try:
        r = icc(np.asarray(scores, dtype=float)[ok], groups.to_numpy()[ok])
        l1, h1 = r.confidence_interval("icc1", level)
        l2, h2 = r.confidence_interval("icc2", level)
        icc_row = {"icc1": r.icc1, "icc1_low": l1, "icc1_high": h1, "icc2": r.icc2, "icc2_low": l2, "icc2_high": h2,
                   "f": r.f, "pvalue": r.pvalue, "groups": r.n_groups, "n": r.n, "mean_group_size": r.mean_group_size}
    except ValueError as err:
        icc_row = {"note": str(err)}
    if len(frame) < k:
        icc_row = None
    parts = []
    if values.size:
        parts.append(
            f"People within the same {unit} agree with each other: the median rwg(j) over the {values.size} "
            f"{unit}s shown is {summary['median']:.2f}, and {100 * summary['share_at_least_070']:.0f}% reach the "
            "usual 0.70 threshold."
        )
    justified = False
    if icc_row and "icc1" in icc_row:
        sig = icc_row["pvalue"] < 0.05
        parts.append(
            f"{100 * icc_row['icc1']:.0f}% of the differences between people's scores lie between {unit}s (ICC(1) "
            f"{icc_row['icc1']:.2f}, interval {icc_row['icc1_low']:.2f} to {icc_row['icc1_high']:.2f}), "
            + ("more than chance would give" if sig else "no more than chance would give")
            + f"; {unit} averages are reliable to {icc_row['icc2']:.2f} (ICC(2))."
        )
        justified = bool(values.size and summary["median"] >= 0.70 and sig and icc_row["icc2"] >= 0.70)
        parts.append(
            f"Reporting {unit} averages is therefore justified." if justified else
            f"Treat {unit} averages with care: "
            + ("agreement within teams is modest." if values.size and summary["median"] < 0.70 else
               "team averages are not very reliable (ICC(2) below 0.70), mostly because many teams are small.")
        )
    return {
        "wave": _key(wave_label),
        "rwg_j": rows,
        "summary": summary,
        "icc": icc_row,
        "justified": justified,
        "reading": " ".join(parts),
        "method": (
            f"rwg(j) (James, Demaree & Wolf 1984) per {unit}: J(1 - s2/v) / (J(1 - s2/v) + s2/v) with s2 the mean "
            f"item variance in the {unit} and v = (A^2 - 1)/12 = {(points ** 2 - 1) / 12:g}, the variance of a uniform "
            f"answer on A = {points} points; respondents with every item answered (listwise), as R multilevel. "
            "ICC(1) and ICC(2) from the one-way ANOVA of the person scale scores (mean of the answered items) on "
            f"{unit}, with F-based 95% intervals (psych::statsBy); the ICCs are organisation-wide figures over every "
            f"{unit}, small ones included. Rules of thumb: rwg(j) >= 0.70, ICC(2) >= 0.70 "
            f"(LeBreton & Senter 2008). {unit.capitalize()}s with fewer than {k} complete answers are hidden."
        ),
    }


_MONTH_DAYS = 365.25 / 12
_CATEGORY_ORDER = ("engaged", "not_engaged", "actively_disengaged")
_CATEGORY_LABEL = {"engaged": "engaged", "not_engaged": "not engaged", "actively_disengaged": "actively disengaged"}


def _churn_unavailable(why: str, k: int) -> dict[str, Any]:
    return {
        "available": False,
        "note": why,
        "reading": f"The churn section could not be computed: {why}",
        "method": (f"Churn risk needs the HRIS file (hire and exit dates), the date of each survey wave and the survey's "
                   f"eNPS, intent-to-stay and q01-q12 items; groups with fewer than {k} people are hidden."),
    }


def _churn_section(
    survey: pd.DataFrame, hris: pd.DataFrame | None, *, wave: str | None, respondent: str | None, score: str | None,
    unit: str, by: list[str], items: list[str], scale: tuple[int, int], dont_know: float | None,
    wave_dates: Mapping[Any, Any] | None, k: int, level: float, release: Release, horizon_months: int = 12,
) -> dict[str, Any] | None:
    """Churn risk from the survey and the HRIS file: retention curves by engagement category
    (``engage.kaplan_meier``), drivers, expected leavers per team and held-out quality (``engage.churn_risk``).

    Groups, never persons: every figure is a group's, under ``min_group_size`` with complementary suppression.
    """
    if hris is None:
        return None
    from .churn import churn_risk
    from .engagement import engagement_categories
    from .survival import kaplan_meier, logrank_test

    if not wave or not respondent or not score:
        return _churn_unavailable("the survey needs wave, respondent and eNPS columns.", k)
    s = survey.rename(columns={wave: "wave", respondent: "respondent_id", score: "enps"})
    dates: dict[Any, Any] | None = dict(wave_dates) if wave_dates else None
    if dates is None and "date" not in s.columns:
        return _churn_unavailable("it needs the date of each wave (--wave-date WAVE=YYYY-MM-DD).", k)
    by_h = [c for c in by if c in hris.columns]
    if unit not in by_h:
        return _churn_unavailable(f"the HRIS file has no {unit!r} column.", k)
    notes: list[str] = []
    try:
        risk = _catch(lambda: churn_risk(hris, s, horizon_months=horizon_months, by=by_h, wave_dates=dates,
                                         confidence_level=level, release=release), notes)
    except (ValueError, TypeError, KeyError) as err:
        return _churn_unavailable(f"{err}.", k)

    # Retention curves by engagement category: the people who answered at the final model's landmark wave, followed
    # from that date to their voluntary exit (other exits and the end of the data censor).
    landmark = pd.Timestamp(risk.final_landmark)
    as_of = pd.Timestamp(risk.as_of)
    if dates is not None:
        at = s["wave"].map({w: pd.Timestamp(d) for w, d in dates.items()})
    else:
        at = pd.to_datetime(s["date"])
    resp = s[(at == landmark).to_numpy()]
    cats = engagement_categories(resp[items], scale=scale, dont_know=dont_know).categories
    cats = np.asarray(cats, dtype=object)
    h = hris[["employee_id", "hire_date", "exit_date", "exit_type"]].copy()
    h["hire_date"] = pd.to_datetime(h["hire_date"])
    h["exit_date"] = pd.to_datetime(h["exit_date"])
    people = pd.DataFrame({"employee_id": resp["respondent_id"].to_numpy(), "category": cats}).merge(
        h, on="employee_id", how="inner")
    in_post = (people["hire_date"] < landmark) & (people["exit_date"].isna() | (people["exit_date"] > landmark))
    people = people[in_post.to_numpy() & (people["category"] != "unclassified").to_numpy()]
    ended = people["exit_date"].notna() & (people["exit_date"] < as_of)
    stop = people["exit_date"].where(ended, as_of)
    duration = ((stop - landmark) / np.timedelta64(1, "D")).to_numpy(dtype=float) / _MONTH_DAYS
    event = (ended & (people["exit_type"] == "voluntary")).to_numpy(dtype=float)
    category = people["category"].to_numpy(dtype=object)
    curves: list[dict[str, Any]] = []
    groups = []
    logrank: dict[str, Any] | None = None
    if len(people):
        # Published on whole months from the landmark, never at the days people left (a manager who knows who
        # left when would read their engagement category off the steps); months with fewer than the minimum at
        # risk are blank. The people are employees: their own respondents in the release.
        grid = np.arange(0.0, float(np.ceil(duration.max())) + 1.0) if len(duration) else np.zeros(1)
        people_frame = pd.DataFrame({"duration": duration, "event": event, "category": category},
                                    index=pd.MultiIndex.from_arrays([np.full(len(people), "employee"),
                                                                     people["employee_id"].to_numpy()]))
        km = kaplan_meier("duration", "event", by="category", data=people_frame, confidence_level=level,
                          grid=grid, release=release)
        summary = {str(r["category"]): r for r in km.summary.to_dict("records")}
        for c in _CATEGORY_ORDER:
            if c not in summary:
                continue
            r = summary[c]
            row: dict[str, Any] = {"category": c, "n": None, "events": None, "retained": None, "low": None,
                                   "high": None, "median": None, "suppression": r["suppression"]}
            if r["suppression"] == "shown":
                t = km.table[km.table["category"] == c]
                on_h = t[t["time"] == float(horizon_months)]
                at_h = (on_h.iloc[0] if len(on_h)
                        else pd.Series({"survival": np.nan, "low": np.nan, "high": np.nan}, dtype=float))
                row.update(n=int(r["n"]), events=int(r["events"]), retained=_num(at_h["survival"]),
                           low=_num(at_h["low"]), high=_num(at_h["high"]), median=_num(r["median"]))
                curves.append({"category": c, "time": [float(x) for x in t["time"]],
                               "survival": [_num(x) for x in t["survival"]],
                               "low": [_num(x) for x in t["low"]], "high": [_num(x) for x in t["high"]]})
            groups.append(row)
        shown = [g["category"] for g in groups if g["suppression"] == "shown"]
        keep = np.isin(category, shown)
        if len(shown) >= 2 and event[keep].sum() > 0:
            lr = logrank_test(duration[keep], event[keep], category[keep], min_group_size=k)
            logrank = {"statistic": lr.statistic, "df": lr.df, "pvalue": lr.pvalue}

    drivers = [
        {"feature": str(f), "description": str(r["description"]), "ratio": float(r["ratio"]), "low": float(r["low"]),
         "high": float(r["high"]), "pvalue": float(r["pvalue"])}
        for f, r in risk.drivers.iterrows()
    ]
    teams = []
    for tr in risk.teams.to_dict("records"):
        shown_t = tr["suppression"] == "shown"
        teams.append({
            **{col: _key(tr[col]) for col in by_h},
            "headcount": _int(tr["headcount"]) if shown_t else None,
            "n": _int(tr["n"]) if shown_t else None,
            "coverage": _num(tr["coverage"]) if shown_t else None,
            "expected": _num(tr["expected"]) if shown_t else None,
            "low": _num(tr["low"]) if shown_t else None,
            "high": _num(tr["high"]) if shown_t else None,
            "expected_rate": _num(tr["expected_rate"]) if shown_t else None,
            "suppression": tr["suppression"],
        })
    q = risk.quality
    quality = {m: {"estimate": _num(q.loc[m, "estimate"]), "low": _num(q.loc[m, "low"]), "high": _num(q.loc[m, "high"])}
               for m in q.index}
    hidden = _count_hidden(teams)

    # The plain-language reading
    parts = []
    gs = {g["category"]: g for g in groups if g["suppression"] == "shown"}
    if gs:
        bits = [f"{100 * g['retained']:.0f}% of the {_CATEGORY_LABEL[c]} (interval {100 * g['low']:.0f}-"
                f"{100 * g['high']:.0f}%)" for c, g in gs.items() if g["retained"] is not None]
        if bits:
            listed = bits[0] if len(bits) == 1 else ", ".join(bits[:-1]) + " and " + bits[-1]
            parts.append(f"Of the people who answered the survey on {risk.final_landmark}, {listed} had not left "
                         f"by choice {horizon_months} months later.")
        if logrank:
            parts.append("The difference between the curves is " + (
                "larger than chance would give" if logrank["pvalue"] < 0.05 else "within what chance could give")
                + f" (log-rank p = {logrank['pvalue']:.2g}).")
    d = {r["feature"]: r for r in drivers}
    if "engagement" in d:
        e = d["engagement"]
        parts.append(f"Taking tenure, eNPS and intent to stay into account, each standard deviation of higher "
                     f"engagement changes the risk of leaving by a factor {e['ratio']:.2f} (interval {e['low']:.2f} "
                     f"to {e['high']:.2f})")
        if "low_intent" in d:
            li = d["low_intent"]
            parts[-1] += (f", and people who say they do not intend to stay leave {li['ratio']:.1f} times as often "
                          f"(interval {li['low']:.1f} to {li['high']:.1f})")
        parts[-1] += "."
    parts.append(f"Over the next {horizon_months} months the model expects about {risk.expected_leavers:.0f} of the "
                 f"{risk.n_scored:,} people it could score to leave by choice; the table gives each {unit}'s "
                 "expected number with an interval.")
    conc = quality.get("concordance", {})
    ex, ob = quality.get("expected_leavers", {}), quality.get("observed_leavers", {})
    c_est, e_est, o_est = conc.get("estimate"), ex.get("estimate"), ob.get("estimate")
    if c_est is not None and e_est is not None and o_est is not None:
        parts.append(f"Checked on a period it had not seen (from {risk.split}), the model ranked leavers as "
                     f"riskier than stayers {100 * c_est:.0f}% of the time (50% is chance) and expected "
                     f"{e_est:.0f} leavers where {o_est:.0f} left.")
    parts.append("These are forecasts for groups: use them to decide where to listen and act, never to judge a "
                 "person. " + _hidden_phrase(hidden, k, f"{unit}s").replace("respondents", "people scored"))
    return {
        "available": True,
        "horizon_months": horizon_months,
        "as_of": risk.as_of,
        "landmark": risk.final_landmark,
        "split": risk.split,
        "retention": {"landmark": risk.final_landmark, "time_unit": "months", "groups": groups, "curves": curves,
                      "logrank": logrank},
        "drivers": drivers,
        "teams": teams,
        "group_columns": by_h,
        "expected_leavers": risk.expected_leavers,
        "n_scored": risk.n_scored,
        "quality": quality,
        "holdout": {"n": risk.n_holdout, "split": risk.split, "training_landmark": risk.training_landmark},
        "hidden": hidden,
        "notes": sorted(set(notes)),
        "reading": " ".join(parts),
        "method": (
            "Leaving means a voluntary exit in the HRIS file; other exits and the end of the data "
            f"({risk.as_of}) end follow-up without counting as leaving. Retention curves: Kaplan-Meier estimates "
            f"from the wave of {risk.final_landmark}, by engagement category (mean of the items: engaged at or above "
            "the lowest favourable answer, actively disengaged at or below the highest unfavourable one; an "
            "approximation, not Gallup's proprietary rule), with Greenwood log intervals and a log-rank test. "
            "Drivers: hazard ratios from a Cox model (Efron ties) on engagement (per standard deviation), eNPS "
            "category, low intent to stay and tenure band, each with a Wald interval; a ratio below 1 means "
            "lower risk. Expected leavers: the sum of each scored person's probability of leaving within "
            f"{horizon_months} months (1 - S(horizon), Breslow baseline), with an equal-tailed Poisson-binomial "
            f"prediction interval (exact, or normal for groups over 5,000). Model quality: the model is refitted on data before {risk.split} and checked on who left "
            "after it (Harrell's concordance, ROC AUC with DeLong interval, Brier score). "
            f"{unit.capitalize()}s with fewer than {k} people scored are hidden, with complementary suppression"
            + (f" within each {by_h[0]}" if len(by_h) > 1 else "") + ". Individual scores are never published."
        ),
    }


_OUTCOME_LABEL = {"csat_mean": "customer satisfaction (mean, 1-5)", "customer_nps": "customer NPS"}
_MEASURE_LABEL = {"engagement_index": "engagement index", "enps": "eNPS"}


def _linkage_unavailable(why: str) -> dict[str, Any]:
    return {
        "available": False,
        "note": why,
        "reading": f"The employee-customer linkage could not be computed: {why}",
        "method": ("The linkage needs the customer-outcomes file (team, quarter and an outcome such as csat_mean), "
                   "the survey's team and wave columns and the date of each wave (--wave-date), which places each "
                   "wave in its quarter."),
    }


def _timing(lag: int) -> str:
    return "next quarter" if lag else "same quarter"


def _strength(r: float) -> str:
    a = abs(r)
    return "hardly any" if a < 0.1 else "a weak" if a < 0.3 else "a moderate" if a < 0.5 else "a strong"


def _linkage_section(
    survey: pd.DataFrame, customers: pd.DataFrame | None, *, wave: str | None, unit: str, parent: str | None,
    items: list[str], score: str | None, scale: tuple[int, int], dont_know: float | None, method: str,
    wave_dates: Mapping[Any, Any] | None, k: int, level: float, release: Release,
) -> dict[str, Any] | None:
    """Employee-customer linkage (``engage.linkage``): team engagement (and eNPS) against the team's customer
    outcomes in the same quarter and in the next one, with the correlation corrected for unreliability, the
    top- vs bottom-quartile comparison, a scatter plot and the caveats.

    The unit figures go through the report's release, so a linked team is one whose figure the report may
    publish alongside everything else in it.
    """
    if customers is None:
        return None
    from .linkage import ECOLOGICAL_CAVEAT, linkage

    if not wave:
        return _linkage_unavailable("the survey needs a wave column to place responses in quarters.")
    if unit not in customers.columns or "quarter" not in customers.columns:
        return _linkage_unavailable(f"the customer file needs {unit!r} and 'quarter' columns; it has "
                                    f"{list(customers.columns)}.")
    outcomes = [c for c in _OUTCOME_LABEL if c in customers.columns]
    if not outcomes:
        return _linkage_unavailable("the customer file has no outcome column (csat_mean or customer_nps).")
    if not wave_dates:
        return _linkage_unavailable("it needs the date of each wave (--wave-date WAVE=YYYY-MM-DD) to find the "
                                    "quarter of each wave.")
    waves = survey[wave].dropna().unique().tolist()
    label = _wave_label  # wave keys may be 1, 1.0 or "1" on either side
    dates = {label(w): d for w, d in wave_dates.items()}
    missing = [_key(w) for w in waves if label(w) not in dates]
    if missing:
        return _linkage_unavailable(f"no date for wave(s) {missing} (--wave-date).")
    try:
        quarters = {w: str(pd.Period(pd.Timestamp(dates[label(w)]), freq="Q")) for w in waves}
    except (ValueError, TypeError) as err:
        return _linkage_unavailable(f"a wave date is not a date ({err}); use YYYY-MM-DD.")
    measures = (["engagement_index"] if items else []) + (["enps"] if score else [])
    if not measures:
        return _linkage_unavailable("the survey has neither engagement items nor an eNPS column.")

    notes: list[str] = []
    rows: list[dict[str, Any]] = []
    results: dict[tuple[str, str, int], Any] = {}
    for measure in measures:
        for outcome in outcomes if measure == "engagement_index" else outcomes[:1]:
            for lag in (0, 1):
                row: dict[str, Any] = {"measure": measure, "outcome": outcome, "lag": lag}
                try:
                    res = _catch(lambda: linkage(
                        survey, customers, unit=unit, period="quarter", lag=lag, measure=measure,  # type: ignore[arg-type]
                        outcome=outcome, items=items or None, method=method, scale=scale,  # type: ignore[arg-type]
                        dont_know=dont_know, score=score or "enps", employee_period=wave,
                        period_map=quarters, parent=parent, confidence_level=level, release=release), notes)
                except (ValueError, TypeError, KeyError) as err:
                    row.update(available=False, note=str(err))
                    rows.append(row)
                    continue
                results[(measure, outcome, lag)] = res
                row.update(
                    available=True, n_units=res.n_units, n_dropped=res.n_dropped, statistic=_num(res.statistic),
                    low=_num(res.low), high=_num(res.high), pvalue=_num(res.pvalue), corrected=_num(res.corrected),
                    corrected_low=_num(res.corrected_low), corrected_high=_num(res.corrected_high),
                    corrected_exceeds_one=res.corrected_exceeds_one, reliability=_num(res.reliability),
                    outcome_reliability=_num(res.outcome_reliability),
                    outcome_reliability_source=res.outcome_reliability_source,
                    quartile_difference=_num(res.quartile_difference), quartile_low=_num(res.quartile_low),
                    quartile_high=_num(res.quartile_high), quartile_pvalue=_num(res.quartile_pvalue),
                    mean_top=_num(res.mean_top), mean_bottom=_num(res.mean_bottom), n_top=res.n_top,
                    n_bottom=res.n_bottom,
                    dropped={str(r): int(n) for r, n in zip(res.dropped["reason"], res.dropped["units"])},
                )
                rows.append(row)
    if not results:
        return _linkage_unavailable("no analysis had at least 3 linked teams: " + "; ".join(
            str(r["note"]) for r in rows if r.get("note")))
    # The headline: engagement (else eNPS) against the first outcome, one quarter later when possible.
    key = next(key for key in ((m, o, lag) for m in measures for o in outcomes for lag in (1, 0)) if key in results)
    head = results[key]
    hm, ho, hl = key
    pts = head.units
    scatter = {
        "measure": hm, "outcome": ho, "lag": hl, "weighted": False,
        "x": [float(v) for v in pts["measure"]], "y": [float(v) for v in pts["outcome"]],
        "statistic": head.statistic, "low": head.low, "high": head.high, "n_units": head.n_units,
    }
    by_period = [{"wave": _key(r["period"]), "n_units": int(r["n_units"]), "statistic": _num(r["statistic"]),
                  "low": _num(r["low"]), "high": _num(r["high"])} for r in head.by_period.to_dict("records")]

    # The plain-language reading.
    m_label, o_label = _MEASURE_LABEL[hm], _OUTCOME_LABEL.get(ho, ho)
    when = "in the following quarter" if hl else "in the same quarter"
    excl = head.low > 0 or head.high < 0
    direction = "higher" if head.statistic >= 0 else "lower"
    parts = [
        f"Across {head.n_units} {unit}-waves, a higher {m_label} went with {direction} {o_label} {when}: "
        f"{_strength(head.statistic)} association, correlation {head.statistic:.2f} (interval {head.low:.2f} to "
        f"{head.high:.2f}" + ("" if excl else ", which includes no association at all") + ")."
    ]
    if math.isfinite(head.corrected):
        parts.append(f"Allowing for the noise in {unit} averages (reliability {head.reliability:.2f}), the "
                     f"correlation is about {head.corrected:.2f}.")
    if math.isfinite(head.quartile_difference):
        d = head.quartile_difference
        parts.append(f"The quarter of {unit}-waves with the highest {m_label} had {o_label} {abs(d):.2f} points "
                     f"{'higher' if d >= 0 else 'lower'} than the quarter with the lowest ({head.mean_top:.2f} vs "
                     f"{head.mean_bottom:.2f}; interval of the difference {head.quartile_low:+.2f} to "
                     f"{head.quartile_high:+.2f}).")
    other = results.get((hm, ho, 1 - hl))
    if other is not None:
        parts.append(f"{'In the same quarter' if hl else 'In the following quarter'} the correlation is "
                     f"{other.statistic:.2f} (interval {other.low:.2f} to {other.high:.2f}).")
    parts.append("This compares teams, not people, and an association is not proof that engagement causes the "
                 "outcome; other things (location, workload, the customers themselves) can drive both.")
    dropped = head.dropped.set_index("reason")["units"]
    hidden = int(dropped["below minimum group size"] + dropped["complementary suppression"])
    if hidden:
        parts.append(f"{_plural(hidden, unit + '-wave')} below the minimum group size (or protecting one) "
                     "are left out.")
    return {
        "available": True,
        "quarters": {label(w): q for w, q in quarters.items()},
        "rows": rows,
        "headline": {"measure": hm, "outcome": ho, "lag": hl},
        "scatter": scatter,
        "by_period": by_period,
        "notes": sorted(set(notes)),
        "caveat": ECOLOGICAL_CAVEAT,
        "reading": " ".join(parts),
        "method": (
            f"Each {unit}'s {m_label} per wave (computed as in the engagement section, with the same hiding of "
            f"{unit}s under {k} respondents and complementary suppression) is paired with the {unit}'s customer "
            "outcome of the quarter the wave fell in (same quarter) and of the next quarter (lagged: does engagement "
            f"come first?). Correlation: Pearson's r over the {unit}-waves with a Fisher z interval (a {unit} "
            "surveyed in two waves counts twice, which makes the interval somewhat too narrow). Corrected r: r "
            "divided by the square root of the reliabilities of the two sets of unit averages (employees: ICC(2) of "
            "the survey answers; customer outcomes: taken as 1 when only unit averages are given), Spearman's "
            "correction for attenuation. Quartile comparison: mean outcome of the top quarter of "
            f"{unit}-waves by the employee measure minus the bottom quarter, with a Welch interval. "
            + ECOLOGICAL_CAVEAT
        ),
    }


# ----------------------------------------------------------------------------------------------------------------
# The report
# ----------------------------------------------------------------------------------------------------------------


def build_report(
    survey: pd.DataFrame,
    *,
    score: str | None = None,
    unit: str = "team",
    wave: str | None = "wave",
    respondent: str | None = "respondent_id",
    min_group_size: int = 5,
    confidence_level: float = 0.95,
    breakdown: tuple[str, ...] | None = ("department", "tenure_band"),
    parent: str | None = "department",
    items: Sequence[str] | None = None,
    scale: tuple[int, int] | None = None,
    dont_know: float | None | str = "auto",
    index_method: str = "favourable_items",
    hris: pd.DataFrame | None = None,
    wave_dates: Mapping[Any, Any] | None = None,
    customers: pd.DataFrame | None = None,
    progress: Callable[[str], None] | None = None,
    min_distribution_size: int = 10,
    release_out: list[Release] | None = None,
) -> dict[str, Any]:
    """Compute the report's sections from one row per response.

    Parameters
    ----------
    survey : DataFrame
        Survey responses: a unit column (team), optionally a wave, a respondent id, an eNPS column and item
        columns (``q01``, ``q02``, ...). Frames from ``engage.io.read_export`` carry their mapping's scale and
        "don't know" code, which are used unless given here.
    score : str, optional
        The eNPS column. Default ``enps`` when the survey has it (no eNPS section otherwise); a column named here
        must be in the survey.
    min_group_size : int
        Confidentiality threshold for every grouped figure, the overall ones included; the whole report is one
        ``engage.Release``, decided jointly.
    min_distribution_size : int
        Groups under this size whose answers all fall into one category are hidden (default 10).
    breakdown : tuple of str, optional
        A demographic cut of the eNPS (default department then tenure band; complementary suppression works
        within the first column's groups). Skipped when the survey lacks one of the columns.
    parent : str, optional
        The column teams belong to (default department): teams are protected within it, and it gets its own
        eNPS and participation rows. Ignored when the survey lacks it.
    items : list of str, optional
        Item columns of the engagement index (default every ``q<number>`` column). No items: no engagement,
        item, reliability or agreement section.
    scale : (low, high), optional
        Item scale (default the mapping's, else 1-5).
    dont_know : float or None, optional
        The items' "don't know" code (default the mapping's, else 9, engage's convention).
    index_method : str
        The engagement index (``engage.engagement_index`` methods; default ``favourable_items``).
    hris : DataFrame, optional
        The HRIS file (``engage.io.read_export(..., "hris")``) for participation against headcount and for the
        churn section (retention curves by engagement category, drivers, expected leavers per team over 12 months
        and held-out model quality, from ``engage.kaplan_meier`` and ``engage.churn_risk``); both need
        ``wave_dates`` (or a ``date`` column in the survey for churn).
    wave_dates : mapping, optional
        Wave -> date of the wave (headcount is taken on that day).
    customers : DataFrame, optional
        Customer outcomes per team and quarter (``team``, ``quarter``, ``csat_mean`` and/or ``customer_nps``) for the
        employee-customer linkage section: the team engagement index and eNPS of each wave against the outcomes of
        the wave's quarter and of the next quarter (``engage.linkage``); needs ``wave_dates``.
    progress : callable, optional
        Called with each section's name as it starts (the command line draws a progress bar with it).
    release_out : list, optional
        If given, the report's ``engage.Release`` is appended to it (for ``engage.audit``).

    Examples
    --------
    >>> import engage
    >>> org = engage.datasets.synthetic_organisation(n_employees=500, n_teams=20, seed=1)
    >>> rep = engage.report.build_report(org.survey)
    >>> sorted(rep["enps"])
    ['breakdown', 'by_parent', 'by_unit', 'change', 'hidden', 'method', 'overall', 'reading']
    >>> rep["reliability"]["waves"][-1]["alpha"] > 0.8
    True
    """
    step = progress or (lambda name: None)
    if not isinstance(survey, pd.DataFrame):
        raise InvalidTypeError(f"survey must be a pandas DataFrame; got {type(survey).__name__}")
    if survey.empty:
        raise InsufficientDataError(f"survey: no responses ({len(survey)} rows, {len(survey.columns)} columns); "
                                    "the report needs at least one")
    mapping = survey.attrs.get("mapping")
    if scale is None:
        scale = (int(mapping.item_scale[0]), int(mapping.item_scale[1])) if mapping is not None else (1, 5)
    if dont_know == "auto":
        dont_know = mapping.dont_know if mapping is not None else 9.0
    dk = None if dont_know is None else float(dont_know)
    for col in [unit] + [c for c in (wave, respondent) if c]:
        if col not in survey.columns:
            raise ColumnError(f"column {col!r} not in the survey file; columns are {list(survey.columns)}")
    item_cols = list(items) if items is not None else [c for c in survey.columns if _ITEM.match(str(c))]
    missing_items = [c for c in item_cols if c not in survey.columns]
    if missing_items:
        raise ColumnError(f"items: column(s) {missing_items} not in the survey file")
    if parent and (parent not in survey.columns or parent == unit):
        parent = None
    if parent:
        # teams must sit in one parent each for the nesting to protect them
        spread = survey.groupby(unit, dropna=False)[parent].nunique(dropna=False)
        if (spread > 1).any():
            parent = None
    by = [parent, unit] if parent else [unit]
    if score is not None:
        frame_columns(survey, [score], "score")
    score_col = score if score is not None else "enps" if "enps" in survey.columns else None

    # One release for every figure of the report: each table is decided against all the others. Respondents are
    # the survey's rows (one per response), named by position; HRIS people are named by employee id.
    survey = survey.reset_index(drop=True)
    release = Release(min_group_size, min_distribution_size=min_distribution_size)
    waves = sorted(survey[wave].dropna().unique().tolist()) if wave else [None]
    if not waves:
        raise InsufficientDataError(f"wave: column {wave!r} has no values; give each response its wave")
    if wave_dates:
        known = {_wave_label(w) for w in waves}
        unknown = [w for w in wave_dates if _wave_label(w) not in known]
        if unknown:
            raise InvalidInputError(f"wave_dates: wave(s) {unknown} not in the survey; its waves are "
                                    f"{[_key(w) for w in waves]}")
        for w, d in wave_dates.items():
            try:
                pd.Timestamp(d)
            except (ValueError, TypeError):
                raise InvalidInputError(f"wave_dates[{w!r}] = {d!r}: not a date (use YYYY-MM-DD)") from None
    if hris is not None:
        frame_columns(hris, ["hire_date", "exit_date"], "hris")
    by_wave = {w: (survey[survey[wave] == w] if wave else survey) for w in waves}
    latest = waves[-1]
    k = min_group_size

    # Tables are offered in the order of what a manager reads first (cells already published stay published, so
    # the team tables come before the department cuts and the counts that could be subtracted from them).
    step("eNPS")
    enps_section = (
        _enps_section(survey, by_wave, waves, score_col, unit, by, parent, respondent, wave, k, confidence_level,
                      breakdown, release)
        if score_col else None
    )
    engagement = items_section = reliability = agreement = None
    if item_cols:
        step("engagement index")
        engagement = _engagement_section(by_wave, waves, item_cols, unit, by, k, confidence_level, scale, dk,
                                         index_method, release)
        step("items and heatmap")
        items_section = _items_section(by_wave[latest], latest, item_cols, unit, by, k, scale, dk,
                                       engagement["by_unit"], release)
        step("reliability")
        reliability = _reliability_section(by_wave, waves, item_cols, k, confidence_level, scale, dk, release)
        step("agreement")
        agreement = _agreement_section(by_wave[latest], latest, item_cols, unit, by, k, confidence_level, scale, dk,
                                       release)
    step("churn and linkage")
    churn = _churn_section(survey, hris, wave=wave, respondent=respondent, score=score_col, unit=unit, by=by,
                           items=item_cols, scale=scale, dont_know=dk, wave_dates=wave_dates, k=k,
                           level=confidence_level, release=release)
    linkage = _linkage_section(survey, customers, wave=wave, unit=unit, parent=parent, items=item_cols,
                               score=score_col, scale=scale, dont_know=dk, method=index_method,
                               wave_dates=wave_dates, k=k, level=confidence_level, release=release)
    step("participation")
    participation = _participation(survey, by_wave, waves, score_col, item_cols, unit, parent, hris, wave_dates, k, dk,
                                   release)

    if release_out is not None:
        release_out.append(release)
    participation["release"] = release.tables().to_dict("records")
    participation["suppressed"] = {
        "enps_by_unit": enps_section["hidden"] if enps_section else None,
        "engagement_by_unit": engagement["hidden"] if engagement else None,
        "heatmap_cells": items_section["heatmap"]["cells"] if items_section else None,
    }
    by_unit = enps_section["by_unit"] if enps_section else (engagement["by_unit"] if engagement else [])
    shown = sum(1 for r in by_unit if r.get("suppression", r.get("waves", [{}])[-1].get("suppression")) == "shown")
    return {
        "title": "engage report",
        "settings": {
            "min_group_size": k, "confidence_level": confidence_level, "unit": unit, "parent": parent,
            "scale": list(scale), "dont_know": dk, "index_method": index_method,
            "waves": [_key(w) for w in waves],
        },
        "participation": participation,
        "enps": enps_section,
        "engagement": engagement,
        "items": items_section,
        "reliability": reliability,
        "agreement": agreement,
        "churn": churn,
        "linkage": linkage,
        "summary": {"units": len(by_unit), "units_shown": shown, "responses": int(len(survey))},
    }


# ----------------------------------------------------------------------------------------------------------------
# Rendering
# ----------------------------------------------------------------------------------------------------------------

_NOTES = {
    "below_minimum": "hidden: too few respondents",
    "complementary": "hidden: protects a small group",
    "unanimous": "hidden: everyone answered alike",
    "low_effective_n": "hidden: weights rest on too few people",
    "no_respondents": "no respondents",
    "empty": "no answers",
}


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:.{digits}f}"
    return str(x)


def _interval(row: Mapping[str, Any], digits: int = 1, low: str = "low", high: str = "high",
              scale: float = 1.0) -> str:
    if row.get(low) is None:
        return "hidden" if row.get("suppression", "shown") not in ("shown",) else "-"
    return f"[{scale * row[low]:.{digits}f}, {scale * row[high]:.{digits}f}]"


_QUALITY_LABEL = {
    "concordance": "concordance (C)",
    "roc_auc": "ROC AUC (leaving within the horizon)",
    "brier_score": "Brier score",
    "brier_skill": "Brier skill (vs the base rate)",
    "expected_leavers": "expected leavers",
    "observed_leavers": "observed leavers",
}


def _pvalue(p: float | None) -> str:
    return "-" if p is None else "<0.001" if p < 0.001 else f"{p:.3f}"


def _qd(measure: str) -> int:
    """Digits of a model-quality measure: counts of leavers 1 (expected) or 0 (observed), the rest 3."""
    return {"expected_leavers": 1, "observed_leavers": 0}.get(measure, 3)


def _reasons(counts: Mapping[str, int]) -> str:
    """"88 shown, 8 below the minimum, 4 complementary": a table's cells by state, every reason named."""
    words = {"below_minimum": "below the minimum", "unanimous": "everyone alike",
             "low_effective_n": "weights on too few", "complementary": "complementary", "empty": "without answers"}
    return ", ".join([f"{counts.get('shown', 0)} shown"] + [f"{counts[r]} {w}" for r, w in words.items()
                                                             if counts.get(r)])


def _note(status: str) -> str:
    return "" if status == "shown" else _NOTES.get(status, status)


def _wrap(text: str, width: int = 108, indent: str = "  ") -> list[str]:
    words, lines, line = text.split(), [], indent
    for w in words:
        if len(line) + len(w) + 1 > width and line.strip():
            lines.append(line.rstrip())
            line = indent
        line += w + " "
    if line.strip():
        lines.append(line.rstrip())
    return lines


MISSING_LABEL = "(missing)"


def _label(x: Any) -> str:
    """A group key as the text and HTML show it: a missing key (None in the report's data, NaN in the grouped
    functions' tables) is the group of rows without one, shown as "(missing)"."""
    return MISSING_LABEL if x is None else str(x)


def _group_label(row: Mapping[str, Any], cols: Sequence[str]) -> str:
    return " / ".join(_label(row[c]) for c in cols)


def render_text(report: dict[str, Any]) -> str:
    """Plain-text rendering of ``build_report``'s result (the same figures as the JSON and HTML)."""
    s = report["settings"]
    unit = s["unit"]
    lines = [report["title"].upper(), ""]

    def section(title: str, sec: Mapping[str, Any]) -> None:
        lines.extend(["", title.upper(), "-" * len(title)])
        lines.extend(_wrap(sec["reading"], indent=""))
        lines.append("")

    def method(sec: Mapping[str, Any]) -> None:
        lines.append("")
        lines.extend(_wrap("Method: " + sec["method"], indent="  "))

    p = report["participation"]
    section("Response and participation", p)
    lines.append(f"  {'wave':>5} {'date':>10} {'respondents':>11} {'headcount':>9} {'rate':>6}")
    for r in p["waves"]:
        lines.append(f"  {_fmt(r['wave']):>5} {_fmt(r['date']):>10} {_fmt(r['respondents']):>11} "
                     f"{_fmt(r['headcount']):>9} {_pct(r['rate']):>6}")
    if p["by_parent"]:
        col = p["by_parent"]["column"]
        lines += ["", f"  Response rate by {col} (wave {p['by_parent']['wave']})"]
        lines.append(f"  {col:<16} {'headcount':>9} {'respondents':>11} {'rate':>6}  note")
        for r in p["by_parent"]["rows"]:
            lines.append(f"  {_label(r[col]):<16} {r['headcount']:>9} {_fmt(r['respondents']):>11} {_pct(r['rate']):>6}  "
                         f"{_note(r['suppression'])}")
    sup = p["suppressed"]
    lines.append("")
    if sup.get("enps_by_unit"):
        lines.append(f"  Hidden in eNPS by {unit}: {_reasons(sup['enps_by_unit'])}")
    if sup.get("engagement_by_unit"):
        for w, counts in sup["engagement_by_unit"].items():
            lines.append(f"  Hidden in the engagement index by {unit}, wave {w}: {_reasons(counts)}")
    if sup.get("heatmap_cells"):
        lines.append(f"  Heatmap cells: {_reasons(sup['heatmap_cells'])} (hidden rows count as hidden)")
    method(p)

    e = report["enps"]
    if e:
        section("eNPS", e)
        lines.append("eNPS overall")
        lines.append(f"  {'wave':>5} {'n':>6} {'eNPS':>7}  {'95% interval':<16} {'missing':>7}")
        for r in e["overall"]:
            lines.append(f"  {_fmt(r['wave']):>5} {_fmt(r['n']):>6} {_fmt(r.get('statistic')):>7}  "
                         f"{_interval(r):<16} {_fmt(r['missing']):>7}")
        c = e["change"]
        if c:
            lines += ["", f"Change from wave {c['from_wave']} to wave {c['to_wave']}"]
            lines.append(f"  all respondents: {c['difference']:+.1f} points, interval [{c['low']:.1f}, "
                         f"{c['high']:.1f}], p = {c['pvalue']:.3g}")
            if "paired" in c:
                pp = c["paired"]
                lines.append(f"  same {pp['n']} respondents (paired): {pp['difference']:+.1f} points, interval "
                             f"[{pp['low']:.1f}, {pp['high']:.1f}], p = {pp['pvalue']:.3g}")
        if e["by_parent"]:
            col = e["by_parent"]["column"]
            lines += ["", f"eNPS by {col} (latest wave)"]
            lines.append(f"  {col:<16} {'n':>5} {'eNPS':>7}  {'95% interval':<16} note")
            for r in e["by_parent"]["rows"]:
                lines.append(f"  {_label(r[col]):<16} {_fmt(r['n']):>5} {_fmt(r['statistic']):>7}  {_interval(r):<16} "
                             f"{_note(r['suppression'])}")
        lines += ["", f"eNPS by {unit} (latest wave)"]
        lines.append(f"  {unit:<10} {'n':>5} {'eNPS':>7}  {'95% interval':<16} {'vs rest':>8} {'p (Holm)':>9}  note")
        for r in e["by_unit"]:
            lines.append(f"  {_label(r[unit]):<10} {_fmt(r['n']):>5} {_fmt(r['statistic']):>7}  {_interval(r):<16} "
                         f"{_fmt(r['difference_vs_rest']):>8} {_fmt(r['pvalue_adjusted'], 3):>9}  "
                         f"{_note(r['suppression'])}")
        if e.get("breakdown"):
            cols = e["breakdown"]["columns"]
            lines += ["", f"eNPS by {' and '.join(cols)} (latest wave)"]
            lines.append("  " + " ".join(f"{c:<14}" for c in cols) + f" {'n':>5} {'eNPS':>7}  {'95% interval':<16} note")
            for r in e["breakdown"]["cells"]:
                lines.append("  " + " ".join(f"{_label(r[c]):<14}" for c in cols)
                             + f" {_fmt(r['n']):>5} {_fmt(r['statistic']):>7}  {_interval(r):<16} "
                             f"{_note(r['suppression'])}")
        lines += ["", "Method: " + e["method"]]

    g = report["engagement"]
    if g:
        section("Engagement index", g)
        lines.append(f"  {'wave':>5} {'n':>6} {'index':>7}  {'95% interval':<16}")
        for r in g["overall"]:
            lines.append(f"  {_fmt(r['wave']):>5} {_fmt(r['n']):>6} {_fmt(r.get('statistic')):>7}  {_interval(r):<16}")
        waves = s["waves"]
        cols = g["group_columns"]
        lines += ["", f"Engagement index by {unit} and wave"]
        head = f"  {' / '.join(cols):<24}" + "".join(f" | wave {w}: {'n':>4} {'index':>6} {'95% interval':<14}"
                                                     for w in waves)
        lines.append(head)
        for r in g["by_unit"]:
            cells = ""
            for x in r["waves"]:
                if x["suppression"] == "shown":
                    cells += f" |         {_fmt(x['n']):>4} {_fmt(x['statistic']):>6} {_interval(x):<14}"
                else:
                    cells += f" |         {_note(x['suppression']):<26}"
            lines.append(f"  {_group_label(r, cols):<24}{cells}")
        method(g)

    it = report["items"]
    if it:
        section("Items", it)
        lines.append(f"  {'item':<8} {'n':>6} {'fav %':>6} {'neu %':>6} {'unf %':>6} {'mean':>5} {'dk':>4}")
        for r in it["table"]:
            lines.append(f"  {r['item']:<8} {_fmt(r['n']):>6} {_fmt(r['favourable']):>6} {_fmt(r['neutral']):>6} "
                         f"{_fmt(r['unfavourable']):>6} {_fmt(r['mean'], 2):>5} {_fmt(r['dont_know']):>4}  "
                         f"{_note(r['suppression'])}")
        h = it["heatmap"]
        lines += ["", f"% favourable by {unit} and item (wave {h['wave']}; -- hidden, . no answers)"]
        lines.append(f"  {unit:<24}" + "".join(f"{c:>5}" for c in h["columns"]))
        for row, vals, sts in zip(h["rows"], h["values"], h["status"]):
            cells = "".join(
                f"{v:5.0f}" if st == "shown" and v is not None else ("    ." if st == "empty" else "   --")
                for v, st in zip(vals, sts)
            )
            lines.append(f"  {_label(row[h['group_columns'][-1]]):<24}{cells}")
        method(it)

    rl = report["reliability"]
    if rl:
        section("Reliability", rl)
        lines.append(f"  {'wave':>5} {'n':>6} {'alpha':>6}  {'95% interval':<16} {'omega':>6}")
        for r in rl["waves"]:
            lines.append(f"  {_fmt(r['wave']):>5} {_fmt(r.get('n')):>6} {_fmt(r.get('alpha'), 3):>6}  "
                         f"{_interval(r, 3):<16} {_fmt(r.get('omega_total'), 3):>6}")
        if rl["items"]:
            lines += ["", f"  {'item':<8} {'r_drop':>7} {'alpha if dropped':>17} {'loading':>8}"]
            for r in rl["items"]:
                lines.append(f"  {r['item']:<8} {_fmt(r['r_drop'], 3):>7} {_fmt(r['alpha_if_dropped'], 3):>17} "
                             f"{_fmt(r['loading'], 3):>8}")
        for n in rl["notes"]:
            lines.append(f"  note: {n}")
        method(rl)

    ag = report["agreement"]
    if ag:
        section("Agreement within teams", ag)
        sm = ag["summary"]
        if sm.get("teams_shown"):
            lines.append(f"  rwg(j): median {sm['median']:.3f} over {sm['teams_shown']} {unit}s shown; "
                         f"{100 * sm['share_at_least_070']:.0f}% at least 0.70; range {sm['minimum']:.3f} to "
                         f"{sm['maximum']:.3f}")
        ic = ag["icc"]
        if ic and "icc1" in ic:
            lines.append(f"  ICC(1) {ic['icc1']:.3f} [{ic['icc1_low']:.3f}, {ic['icc1_high']:.3f}]; "
                         f"ICC(2) {ic['icc2']:.3f} [{ic['icc2_low']:.3f}, {ic['icc2_high']:.3f}]; "
                         f"F = {ic['f']:.2f}, p = {ic['pvalue']:.3g}; {ic['groups']} {unit}s, {ic['n']} people")
        lines.append(f"  Team aggregation justified: {'yes' if ag['justified'] else 'with care'}")
        method(ag)
    ch = report.get("churn")
    if ch:
        section("Churn risk", ch)
        if ch.get("available"):
            ret = ch["retention"]
            h = ch["horizon_months"]
            lines.append(f"Retention by engagement category (survey of {ret['landmark']}; still employed after {h} "
                         "months)")
            lines.append(f"  {'category':<20} {'people':>6} {'left':>5} {'retained':>8}  {'95% interval':<14} "
                         f"{'median':>6}  note")
            for g in ret["groups"]:
                lines.append(f"  {_CATEGORY_LABEL.get(g['category'], g['category']):<20} {_fmt(g['n']):>6} "
                             f"{_fmt(g['events']):>5} {_pct(None if g['retained'] is None else 100 * g['retained']):>8}  "
                             f"{_interval(g, 0, scale=100.0):<14} {_fmt(g['median']):>6}  {_note(g['suppression'])}")
            if ret["logrank"]:
                lr = ret["logrank"]
                lines.append(f"  log-rank: chi-squared {lr['statistic']:.2f} on {lr['df']} df, p = {lr['pvalue']:.3g}")
            lines += ["", "Drivers of leaving (hazard ratios)"]
            lines.append(f"  {'driver':<42} {'ratio':>6}  {'95% interval':<16} {'p':>8}")
            for r in ch["drivers"]:
                lines.append(f"  {r['description']:<42} {_fmt(r['ratio'], 2):>6}  {_interval(r, 2):<16} "
                             f"{_pvalue(r['pvalue']):>8}")
            cols = ch["group_columns"]
            lines += ["", f"Expected leavers by {unit} over the next {h} months (about {ch['expected_leavers']:.0f} of "
                          f"{ch['n_scored']:,} people scored)"]
            lines.append(f"  {' / '.join(cols):<24} {'headcount':>9} {'scored':>6} {'expected':>8}  "
                         f"{'95% interval':<14} note")
            for r in ch["teams"]:
                lines.append(f"  {_group_label(r, cols):<24} {_fmt(r['headcount']):>9} {_fmt(r['n']):>6} "
                             f"{_fmt(r['expected']):>8}  {_interval(r, 0):<14} {_note(r['suppression'])}")
            lines += ["", f"Model quality on the held-out period (from {ch['split']})"]
            for m, v in ch["quality"].items():
                lines.append(f"  {_QUALITY_LABEL.get(m, m):<38} {_fmt(v['estimate'], _qd(m)):>8}  "
                             f"{_interval(v, _qd(m))}")
            for n in ch["notes"]:
                lines.append(f"  note: {n}")
        method(ch)
    lk = report.get("linkage")
    if lk:
        section("Employee-customer linkage", lk)
        if lk.get("available"):
            level = f"{100 * report['settings']['confidence_level']:.0f}% interval"
            lines.append(f"  {'employee measure':<17} {'customer outcome':<34} {'timing':<14} {'units':>5} "
                         f"{'r':>6}  {level:<16} {'corrected':>9}  {'top-bottom quartile':<26}")
            for r in lk["rows"]:
                label = f"  {_MEASURE_LABEL[r['measure']]:<17} {_OUTCOME_LABEL.get(r['outcome'], r['outcome']):<34} " \
                        f"{_timing(r['lag']):<14}"
                if not r["available"]:
                    lines.append(f"{label} not computed: {r['note']}")
                    continue
                q = (f"{_fmt(r['quartile_difference'], 2)} "
                     f"{_interval(r, 2, 'quartile_low', 'quartile_high')}") if r["quartile_difference"] is not None else ""
                lines.append(f"{label} {r['n_units']:>5} {_fmt(r['statistic'], 2):>6}  {_interval(r, 2):<16} "
                             f"{_fmt(r['corrected'], 2):>9}  {q:<26}")
            for n in lk["notes"]:
                lines.append(f"  note: {n}")
        method(lk)
    return "\n".join(lines) + "\n"


def render_json(report: dict[str, Any]) -> str:
    """JSON rendering (hidden figures are null)."""
    return json.dumps(report, indent=2, default=lambda o: o.item() if isinstance(o, np.generic) else str(o))


# ------------------------------------------------------------------------------------------------ HTML


def _charts(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Chart id -> (inline SVG, caption), drawn from the report's published figures only. Empty without
    matplotlib (the tables carry every figure anyway)."""
    try:
        from . import plots

        plots._mpl()
    except ImportError:
        return {}
    out: dict[str, tuple[str, str]] = {}
    unit = report["settings"]["unit"]
    p = report["participation"]
    if p["by_parent"]:
        col = p["by_parent"]["column"]
        t = pd.DataFrame(p["by_parent"]["rows"])
        t[col] = [_label(x) for x in t[col]]
        ax = plots.participation_bars(t, col, ax=plots.figure(7, 0.3 * len(t) + 1.2))
        out["chart-participation"] = (plots.to_svg(ax), f"Response rate by {col}, wave {p['by_parent']['wave']}.")
    e = report["enps"]
    if e:
        if e["by_parent"]:
            col = e["by_parent"]["column"]
            t = pd.DataFrame(e["by_parent"]["rows"])
        else:
            col = unit
            t = pd.DataFrame([r for r in e["by_unit"]])
            t = t.assign(promoters=np.nan, passives=np.nan, detractors=np.nan)
        t = t.rename(columns={"promoters": "proportion_promoters", "passives": "proportion_passives",
                              "detractors": "proportion_detractors"})
        t[col] = [_label(x) for x in t[col]]
        ax = plots.enps_bars(t, col, ax=plots.figure(7.5, 0.42 * len(t) + 1.6))
        out["chart-enps"] = (plots.to_svg(ax), f"eNPS by {col}, latest wave: detractors left, promoters right, "
                             "passives across zero; the diamond is the eNPS with its 95% interval.")
    g = report["engagement"]
    if g:
        latest = [{**{c: _label(r[c]) for c in g["group_columns"]}, **r["waves"][-1]} for r in g["by_unit"]]
        t = pd.DataFrame(latest)
        overall = g["overall"][-1].get("statistic")
        ax = plots.index_by_group(t, unit, ax=plots.figure(7.5, 0.14 * len(t) + 1.6), reference=overall,
                                  xlabel=f"engagement index ({g['index_method']})")
        out["chart-engagement"] = (plots.to_svg(ax), f"Engagement index by {unit}, wave {latest[0]['wave']}, "
                                   "with 95% intervals; the dashed line is the whole organisation. Hidden teams "
                                   "are not drawn.")
    it = report["items"]
    if it:
        rows = [r for r in it["table"] if r["suppression"] == "shown"]
        if rows:
            t = pd.DataFrame(rows).rename(columns={"favourable": "pct_favourable", "neutral": "pct_neutral",
                                                   "unfavourable": "pct_unfavourable"})
            ax = plots.favourability_bars(t, ax=plots.figure(7, 0.32 * len(t) + 1.3))
            out["chart-favourability"] = (plots.to_svg(ax), f"Item favourability, wave {it['wave']}.")
        h = it["heatmap"]
        vals = np.array([[np.nan if v is None else v for v in row] for row in h["values"]], dtype=float)
        labels = [_group_label(r, [unit]) for r in h["rows"]]
        nr, nc = vals.shape
        ax = plots.heatmap(vals, np.array(h["status"], dtype=object), labels, h["columns"],
                           ax=plots.figure(max(5.0, 0.5 * nc + 2.5), max(2.5, 0.17 * nr + 1.2)))
        out["chart-heatmap"] = (plots.to_svg(ax), f"% favourable by {unit} and item, wave {h['wave']}. Grey hatched "
                                "cells are hidden to protect small groups.")
    ag = report["agreement"]
    if ag and ag["summary"].get("teams_shown"):
        v = [r["rwg_j"] for r in ag["rwg_j"] if r["suppression"] == "shown" and r["rwg_j"] is not None]
        ax = plots.rwg_histogram(v, ax=plots.figure(6, 2.6), xlabel=f"rwg(j) of the {unit}s shown")
        out["chart-agreement"] = (plots.to_svg(ax), f"Within-{unit} agreement rwg(j), wave {ag['wave']}; the dashed "
                                  "line is the usual 0.70 threshold.")
    ch = report.get("churn")
    if ch and ch.get("available"):
        ret = ch["retention"]
        if ret["curves"]:
            n_hidden = sum(1 for g in ret["groups"] if g["suppression"] != "shown")
            curves = [{**c, "label": _CATEGORY_LABEL.get(c["category"], c["category"])} for c in ret["curves"]]
            ax = plots.retention_curves(curves, ax=plots.figure(7, 3.3), horizon=ch["horizon_months"],
                                        hidden=n_hidden, xlabel=f"months since the survey of {ret['landmark']}")
            out["chart-retention"] = (plots.to_svg(ax), "Share of people still employed (not left by choice) by "
                                      "engagement category, from the survey date, with 95% bands; the dotted line "
                                      f"is the {ch['horizon_months']}-month horizon.")
        if ch["drivers"]:
            t = pd.DataFrame(ch["drivers"])
            ax = plots.ratio_forest(t, ax=plots.figure(7, 0.34 * len(t) + 1.3))
            out["chart-churn-drivers"] = (plots.to_svg(ax), "Drivers of leaving: hazard ratios with 95% intervals "
                                          "(below 1 lowers the risk, above 1 raises it; red and green intervals "
                                          "exclude 1).")
        shown_t = [r for r in ch["teams"] if r["suppression"] == "shown"]
        if shown_t:
            t = pd.DataFrame(ch["teams"]).rename(columns={"expected": "statistic"})
            ax = plots.index_by_group(t, unit, ax=plots.figure(7.5, 0.14 * len(shown_t) + 1.6), xlim=None,
                                      xlabel=f"expected leavers in the next {ch['horizon_months']} months")
            ax.set_xlim(left=0)
            out["chart-churn-teams"] = (plots.to_svg(ax), f"Expected voluntary leavers by {unit} over the next "
                                        f"{ch['horizon_months']} months, with 95% prediction intervals. Hidden "
                                        f"{unit}s are not drawn.")
    lk = report.get("linkage")
    if lk and lk.get("available"):
        sc = lk["scatter"]
        level = report["settings"]["confidence_level"]
        when = _timing(sc["lag"])
        m_label, o_label = _MEASURE_LABEL[sc["measure"]], _OUTCOME_LABEL.get(sc["outcome"], sc["outcome"])
        ax = plots.linkage_scatter(
            sc["x"], sc["y"], confidence_level=level, ax=plots.figure(6.5, 4.2),
            xlabel=f"{m_label} of the {unit} (wave)", ylabel=f"{o_label}, {when}",
            annotation=f"r = {sc['statistic']:.2f} [{sc['low']:.2f}, {sc['high']:.2f}], {sc['n_units']} {unit}-waves")
        out["chart-linkage"] = (plots.to_svg(ax), f"Each point is a {unit} in one wave: its {m_label} against its "
                                f"{o_label} in the {when}; the line is the least-squares fit with its "
                                f"{100 * level:.0f}% band. Hidden {unit}s are not drawn.")
    return out


_STYLE = (
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#222;background:#fafafa}"
    "main{max-width:62em;margin:0 auto;padding:1.5em 2em;background:#fff}"
    "h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.3em;margin-top:2em;border-bottom:2px solid #2f7f5f;"
    "padding-bottom:.2em}h3{font-size:1.05em;margin-top:1.4em}"
    ".reading{font-size:1.05em;line-height:1.5;background:#f2f7f4;border-left:4px solid #2f7f5f;padding:.6em 1em}"
    "table{border-collapse:collapse;margin:.8em 0;font-size:.9em}td,th{border:1px solid #ddd;padding:.25em .55em;"
    "text-align:right}th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}"
    "tr.hidden td{color:#888;background:#f6f6f6}.note{color:#555;font-size:.85em;line-height:1.4}"
    "figure.chart{margin:1em 0}figure.chart svg{max-width:100%;height:auto}figcaption{font-size:.85em;color:#555}"
    "details{margin:.6em 0}summary{cursor:pointer;color:#2f5f7f}nav a{margin-right:1em}"
)


def render_html(report: dict[str, Any]) -> str:
    """A self-contained HTML page (no network needed to open it): tables, readings and inline SVG charts."""
    esc = html.escape
    s = report["settings"]
    unit = s["unit"]
    charts = _charts(report)

    def table(headers: list[str], rows: list[tuple[list[str], str]]) -> str:
        head = "".join(f"<th>{esc(h)}</th>" for h in headers)
        body = "".join(
            f"<tr class='{'hidden' if st not in ('shown', '') else ''}'>" + "".join(f"<td>{esc(c)}</td>" for c in r)
            + "</tr>" for r, st in rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def chart(cid: str) -> str:
        if cid not in charts:
            return ""
        svg, caption = charts[cid]
        return f"<figure class='chart' id='{cid}'>{svg}<figcaption>{esc(caption)}</figcaption></figure>"

    def head(sid: str, title: str, sec: Mapping[str, Any]) -> str:
        return f"<section id='{sid}'><h2>{esc(title)}</h2><p class='reading'>{esc(sec['reading'])}</p>"

    def foot(sec: Mapping[str, Any]) -> str:
        return f"<p class='note'><b>Definition and method.</b> {esc(sec['method'])}</p></section>"

    def status(st: str) -> str:
        return st.replace("_", " ") if st != "shown" else ""

    parts: list[str] = []
    nav: list[tuple[str, str]] = []
    p = report["participation"]
    nav.append(("participation", "Participation"))
    body = head("participation", "Response and participation", p)
    body += table(["wave", "date", "respondents", "headcount", "response rate"],
                  [([_fmt(r["wave"]), _fmt(r["date"]), _fmt(r["respondents"]), _fmt(r["headcount"]), _pct(r["rate"])],
                    "shown") for r in p["waves"]])
    body += chart("chart-participation")
    if p["by_parent"]:
        col = p["by_parent"]["column"]
        body += "<details><summary>Response rate by " + esc(col) + " (table)</summary>" + table(
            [col, "headcount", "respondents", "rate", "status"],
            [([_label(r[col]), _fmt(r["headcount"]), _fmt(r["respondents"]), _pct(r["rate"]), status(r["suppression"])],
              r["suppression"]) for r in p["by_parent"]["rows"]]) + "</details>"
    sup = p["suppressed"]
    items_sup = []
    if sup.get("enps_by_unit"):
        items_sup.append(f"eNPS by {unit}: {_reasons(sup['enps_by_unit'])}")
    if sup.get("engagement_by_unit"):
        for w, c in sup["engagement_by_unit"].items():
            items_sup.append(f"engagement index by {unit}, wave {w}: {_reasons(c)}")
    if sup.get("heatmap_cells"):
        items_sup.append(f"heatmap cells: {_reasons(sup['heatmap_cells'])}")
    if items_sup:
        body += ("<h3>Hidden groups</h3><ul>" + "".join(f"<li>{esc(x)}</li>" for x in items_sup) + "</ul>")
    parts.append(body + foot(p))

    e = report["enps"]
    if e:
        nav.append(("enps", "eNPS"))
        body = head("enps", "Employee Net Promoter Score (eNPS)", e)
        body += table(["wave", "n", "eNPS", "95% interval", "missing"],
                      [([_fmt(r["wave"]), _fmt(r["n"]), _fmt(r.get("statistic")), _interval(r), _fmt(r["missing"])],
                        r["suppression"]) for r in e["overall"]])
        c = e["change"]
        if c:
            body += (f"<p>Change from wave {c['from_wave']} to wave {c['to_wave']}, all respondents: "
                     f"{c['difference']:+.1f} points (interval {c['low']:.1f} to {c['high']:.1f}, p = {c['pvalue']:.3g}).")
            if "paired" in c:
                pp = c["paired"]
                body += (f" The same {pp['n']} respondents in both waves: {pp['difference']:+.1f} points "
                         f"(interval {pp['low']:.1f} to {pp['high']:.1f}, p = {pp['pvalue']:.3g}).")
            body += "</p>"
        body += chart("chart-enps")
        body += f"<details><summary>eNPS by {esc(unit)} (latest wave, table)</summary>" + table(
            [*([s["parent"]] if s["parent"] else []), unit, "n", "eNPS", "95% interval", "vs rest", "p (Holm)",
             "status"],
            [([*([_label(r[s["parent"]])] if s["parent"] else []), _label(r[unit]), _fmt(r["n"]), _fmt(r["statistic"]), _interval(r),
               _fmt(r["difference_vs_rest"]), _fmt(r["pvalue_adjusted"], 3), status(r["suppression"])],
              r["suppression"]) for r in e["by_unit"]]) + "</details>"
        if e.get("breakdown"):
            cols = e["breakdown"]["columns"]
            body += f"<details><summary>eNPS by {esc(' and '.join(cols))} (latest wave)</summary>" + table(
                [*cols, "n", "eNPS", "95% interval", "status"],
                [([*(_label(r[c]) for c in cols), _fmt(r["n"]), _fmt(r["statistic"]), _interval(r), status(r["suppression"])],
                  r["suppression"]) for r in e["breakdown"]["cells"]]) + "</details>"
        parts.append(body + foot(e))

    g = report["engagement"]
    if g:
        nav.append(("engagement", "Engagement index"))
        body = head("engagement", "Engagement index", g)
        body += table(["wave", "n", "index", "95% interval"],
                      [([_fmt(r["wave"]), _fmt(r["n"]), _fmt(r.get("statistic")), _interval(r)], r["suppression"])
                       for r in g["overall"]])
        body += chart("chart-engagement")
        waves = s["waves"]
        cols = g["group_columns"]
        hdr = [*cols] + [h for w in waves for h in (f"wave {w} n", f"wave {w} index", f"wave {w} interval")]
        rows_html = []
        for r in g["by_unit"]:
            cells = [_label(r[c]) for c in cols]
            for x in r["waves"]:
                if x["suppression"] == "shown":
                    cells += [_fmt(x["n"]), _fmt(x["statistic"]), _interval(x)]
                else:
                    cells += ["", status(x["suppression"]), ""]
            rows_html.append((cells, r["waves"][-1]["suppression"]))
        body += f"<details><summary>Engagement index by {esc(unit)} and wave (table)</summary>" + table(hdr, rows_html) \
            + "</details>"
        parts.append(body + foot(g))

    it = report["items"]
    if it:
        nav.append(("items", "Items"))
        body = head("items", "Items: favourability and the team heatmap", it)
        body += chart("chart-favourability")
        body += table(["item", "n", "favourable %", "neutral %", "unfavourable %", "mean", "don't know"],
                      [([r["item"], _fmt(r["n"]), _fmt(r["favourable"]), _fmt(r["neutral"]), _fmt(r["unfavourable"]),
                         _fmt(r["mean"], 2), _fmt(r["dont_know"])], r["suppression"]) for r in it["table"]])
        body += chart("chart-heatmap")
        parts.append(body + foot(it))

    rl = report["reliability"]
    if rl:
        nav.append(("reliability", "Reliability"))
        body = head("reliability", "Reliability of the scale", rl)
        body += table(["wave", "n", "Cronbach's alpha", "95% interval", "omega total"],
                      [([_fmt(r["wave"]), _fmt(r.get("n")), _fmt(r.get("alpha"), 3), _interval(r, 3),
                         _fmt(r.get("omega_total"), 3)], r.get("suppression", "shown")) for r in rl["waves"]])
        if rl["items"]:
            body += "<details><summary>Item statistics (latest wave)</summary>" + table(
                ["item", "corrected item-total r", "alpha if dropped", "loading"],
                [([r["item"], _fmt(r["r_drop"], 3), _fmt(r["alpha_if_dropped"], 3), _fmt(r["loading"], 3)], "shown")
                 for r in rl["items"]]) + "</details>"
        if rl["notes"]:
            body += "<ul class='note'>" + "".join(f"<li>{esc(n)}</li>" for n in rl["notes"]) + "</ul>"
        parts.append(body + foot(rl))

    ag = report["agreement"]
    if ag:
        nav.append(("agreement", "Agreement"))
        body = head("agreement", f"Is reporting by {unit} justified? Agreement within {unit}s", ag)
        rows = []
        sm = ag["summary"]
        if sm.get("teams_shown"):
            rows.append(([f"rwg(j), median of {sm['teams_shown']} {unit}s", f"{sm['median']:.3f}",
                          f"{sm['minimum']:.3f} to {sm['maximum']:.3f} (range)"], "shown"))
            rows.append(([f"{unit}s with rwg(j) at least 0.70", f"{100 * sm['share_at_least_070']:.0f}%", ""], "shown"))
        ic = ag["icc"]
        if ic and "icc1" in ic:
            rows.append((["ICC(1)", f"{ic['icc1']:.3f}", f"{ic['icc1_low']:.3f} to {ic['icc1_high']:.3f}"], "shown"))
            rows.append((["ICC(2)", f"{ic['icc2']:.3f}", f"{ic['icc2_low']:.3f} to {ic['icc2_high']:.3f}"], "shown"))
            rows.append((["F (one-way ANOVA)", f"{ic['f']:.2f}", f"p = {ic['pvalue']:.3g}"], "shown"))
        body += table(["statistic", "value", "95% interval"], rows)
        body += chart("chart-agreement")
        parts.append(body + foot(ag))

    ch = report.get("churn")
    if ch:
        nav.append(("churn", "Churn risk"))
        body = head("churn", "Churn risk: who is likely to leave, and why", ch)
        if ch.get("available"):
            ret = ch["retention"]
            h = ch["horizon_months"]
            body += f"<h3>Retention by engagement category (survey of {esc(ret['landmark'])})</h3>"
            body += table(["category", "people", "left by choice", f"still employed after {h} months",
                           "95% interval", "median (months)", "status"],
                          [([_CATEGORY_LABEL.get(g["category"], g["category"]), _fmt(g["n"]), _fmt(g["events"]),
                             _pct(None if g["retained"] is None else 100 * g["retained"]),
                             _interval(g, 0, scale=100.0), _fmt(g["median"]), status(g["suppression"])],
                            g["suppression"]) for g in ret["groups"]])
            if ret["logrank"]:
                lr = ret["logrank"]
                body += (f"<p>Log-rank test of equal curves: chi-squared {lr['statistic']:.1f} on {lr['df']} df, "
                         f"p = {lr['pvalue']:.3g}.</p>")
            body += chart("chart-retention")
            body += "<h3>Drivers of leaving</h3>" + chart("chart-churn-drivers")
            body += table(["driver", "hazard ratio", "95% interval", "p"],
                          [([r["description"], _fmt(r["ratio"], 2), _interval(r, 2), _pvalue(r["pvalue"])], "shown")
                           for r in ch["drivers"]])
            body += (f"<h3>Expected leavers by {esc(unit)} over the next {h} months</h3><p>About "
                     f"{ch['expected_leavers']:.0f} of the {ch['n_scored']:,} people scored are expected to leave "
                     "by choice.</p>")
            body += chart("chart-churn-teams")
            cols = ch["group_columns"]
            body += f"<details><summary>Expected leavers by {esc(unit)} (table)</summary>" + table(
                [*cols, "headcount", "scored", "expected leavers", "95% interval", "expected %", "status"],
                [([*(_label(r[c]) for c in cols), _fmt(r["headcount"]), _fmt(r["n"]), _fmt(r["expected"]),
                   _interval(r, 0), _pct(None if r["expected_rate"] is None else 100 * r["expected_rate"]),
                   status(r["suppression"])], r["suppression"]) for r in ch["teams"]]) + "</details>"
            body += f"<h3>Model quality on the held-out period (from {esc(ch['split'])})</h3>" + table(
                ["measure", "value", "95% interval"], [([_QUALITY_LABEL.get(m, m), _fmt(v["estimate"], _qd(m)),
                                                         _interval(v, _qd(m), "low", "high")], "shown")
                                                       for m, v in ch["quality"].items()])
            if ch["notes"]:
                body += "<ul class='note'>" + "".join(f"<li>{esc(n)}</li>" for n in ch["notes"]) + "</ul>"
        parts.append(body + foot(ch))
    lk = report.get("linkage")
    if lk:
        nav.append(("linkage", "Employee-customer linkage"))
        body = head("linkage", "Employees and customers: does engagement go with customer outcomes?", lk)
        level = f"{100 * s['confidence_level']:.0f}%"
        if lk.get("available"):
            body += chart("chart-linkage")
            trs = []
            for r in lk["rows"]:
                cells = [_MEASURE_LABEL[r["measure"]], _OUTCOME_LABEL.get(r["outcome"], r["outcome"]), _timing(r["lag"])]
                if r["available"]:
                    cells += [_fmt(r["n_units"]), _fmt(r["statistic"], 2), _interval(r, 2), _pvalue(r["pvalue"]),
                              f"{_fmt(r['corrected'], 2)} {_interval(r, 2, 'corrected_low', 'corrected_high')}",
                              f"{_fmt(r['quartile_difference'], 2)} "
                              f"{_interval(r, 2, 'quartile_low', 'quartile_high')}"]
                else:
                    cells += ["", "", "not computed: " + str(r["note"]), "", "", ""]
                trs.append((cells, "shown"))
            body += table(["employee measure", "customer outcome", "timing", f"{unit}-waves", "r", f"{level} interval",
                           "p", "corrected r", "top minus bottom quartile"], trs)
            if lk["by_period"]:
                body += "<details><summary>The headline correlation within each wave</summary>" + table(
                    ["wave", f"{unit}s", "r", f"{level} interval"],
                    [([_fmt(r["wave"]), _fmt(r["n_units"]), _fmt(r["statistic"], 2), _interval(r, 2)], "shown")
                     for r in lk["by_period"]]) + "</details>"
            if lk["notes"]:
                body += "<ul class='note'>" + "".join(f"<li>{esc(n)}</li>" for n in lk["notes"]) + "</ul>"
        parts.append(body + foot(lk))

    links = "".join(f"<a href='#{sid}'>{esc(t)}</a>" for sid, t in nav)
    intro = (f"Figures for groups with fewer than {s['min_group_size']} respondents are never shown; intervals are "
             f"{100 * s['confidence_level']:.0f}% intervals. Responses: {report['summary']['responses']:,}.")
    return (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(report['title'])}</title>"
        f"<style>{_STYLE}</style></head><body><main><h1>{esc(report['title'])}</h1><p class='note'>{esc(intro)}</p>"
        f"<nav>{links}</nav>{''.join(parts)}</main></body></html>\n"
    )
