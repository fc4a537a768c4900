"""Plots: each draws what it should, hidden groups stay hidden, and matplotlib is optional."""

from __future__ import annotations

import doctest
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

import engage  # noqa: E402
import engage.plots as plots  # noqa: E402

SURVEY = Path(__file__).resolve().parents[2] / "examples" / "data" / "survey.csv"


def test_docstring_examples() -> None:
    result = doctest.testmod(plots, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_enps_result_plot_draws_the_three_groups_and_the_interval() -> None:
    r = engage.enps([10, 9, 9, 8, 7, 6, 10, 3, 9, 10])
    ax = r.plot(ax=plots.figure())
    bars = ax.patches
    assert len(bars) == 3
    widths = sorted(abs(b.get_width()) for b in bars)
    assert widths == pytest.approx(sorted([100 * r.proportion_detractors, 100 * r.proportion_passives,
                                           100 * r.proportion_promoters]))
    low, high = r.confidence_interval()
    segs = ax.collections[0].get_segments()
    assert segs[0][:, 0] == pytest.approx([low, high])
    marker = ax.lines[0].get_xdata()
    assert marker[0] == pytest.approx(r.statistic)


def test_enps_bars_by_group_leave_hidden_groups_without_bars() -> None:
    df = pd.read_csv(SURVEY)
    table = engage.enps_by(df[df["wave"] == 2], by="team", min_group_size=20)
    ax = plots.enps_bars(table, "team", ax=plots.figure(7, 20))
    shown = int((table["suppression"] == "shown").sum())
    assert len(ax.patches) == 3 * shown
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == len(table) - shown and all(t.startswith("hidden") for t in texts)


def test_heatmap_marks_hidden_cells_and_prints_no_number_in_them() -> None:
    values = np.array([[80.0, 55.0], [np.nan, np.nan], [61.0, np.nan]])
    status = np.array([["shown", "shown"], ["below_minimum", "below_minimum"], ["shown", "complementary"]],
                      dtype=object)
    ax = plots.heatmap(values, status, ["a", "b", "c"], ["q1", "q2"], ax=plots.figure())
    assert [t.get_text() for t in ax.texts] == ["80", "55", "–", "–", "61", "–"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 3
    img = ax.images[0].get_array()
    assert img.mask.tolist() == [[False, False], [True, True], [False, True]]


def test_other_plots_run() -> None:
    df = pd.read_csv(SURVEY)
    items = [f"q{i:02d}" for i in range(1, 13)]
    fav = engage.favourability(df[items], dont_know=9)
    ax = plots.favourability_bars(fav, ax=plots.figure())
    assert len(ax.patches) == 3 * len(items)
    t = engage.engagement_index_by(df[df["wave"] == 2], items=items, by="team", dont_know=9)
    ax = plots.index_by_group(t, "team", ax=plots.figure(), reference=60.0)
    shown = int((t["suppression"] == "shown").sum())
    assert len(ax.get_yticklabels()) == shown and "hidden" in ax.get_xlabel()
    ax = plots.rwg_histogram([0.9, 0.7, np.nan], ax=plots.figure())
    assert sum(p.get_height() for p in ax.patches) == 2
    m = engage.meta_analysis([0.1, 0.2, 0.3], [50, 80, 120], labels=["a", "b", "c"])
    ax = plots.forest(m, ax=plots.figure())
    ticks = dict(zip([t.get_text() for t in ax.get_yticklabels()], ax.get_yticks()))
    assert ticks["a"] > ticks["b"] > ticks["c"] > ticks["pooled (95% CI)"]  # first study on top, pooled below
    svg = plots.to_svg(ax)
    assert svg.startswith("<svg") and "<metadata>" not in svg


def test_without_matplotlib_plot_says_what_to_install_and_the_rest_works(tmp_path: Path) -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import engage, engage.report\n"
        "r = engage.enps([10, 9, 3, 7, 8])\n"
        "print(r.statistic)\n"
        "try:\n"
        "    r.plot()\n"
        "except ImportError as e:\n"
        "    print('IMPORTERROR', e)\n"
        "org = engage.datasets.synthetic_organisation(n_employees=300, n_teams=10, seed=3)\n"
        "html = engage.report.render_html(engage.report.build_report(org.survey))\n"
        "print('charts', html.count(\"<figure class='chart'\"), 'sections', html.count('<section'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "IMPORTERROR engage's plots need matplotlib" in done.stdout and "pip install matplotlib" in done.stdout
    assert "charts 0 sections 6" in done.stdout
