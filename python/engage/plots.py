"""Plots of engage's results, shared by the ``.plot()`` methods, the notebook tour and the HTML report.

matplotlib is optional: everything else in engage works without it, and these functions raise ``ImportError``
naming what to install (``pip install matplotlib``, or ``pip install "engage[plot]"``). Each function draws on
the ``ax`` it is given, or on a new figure, and returns the axes. Hidden (suppressed) groups are drawn as hidden:
a grey hatched cell or a "hidden" label, never a number, so confidentiality holds in pictures too.

The report renders figures with :func:`figure` and :func:`to_svg` (no pyplot, no global state), which embeds
the chart in the HTML page as inline SVG (nothing to fetch to view it).
"""

from __future__ import annotations

import io
import math
import re
from typing import Any, Sequence

import numpy as np
import pandas as pd

__all__ = [
    "enps_bars",
    "favourability_bars",
    "figure",
    "forest",
    "heatmap",
    "index_by_group",
    "linkage_scatter",
    "participation_bars",
    "ratio_forest",
    "retention_curves",
    "rwg_histogram",
    "to_svg",
]

# Colour-blind-safe diverging palette (unfavourable -> favourable) and the hidden-cell grey.
UNFAVOURABLE = "#c0504d"
NEUTRAL = "#bfbfbf"
FAVOURABLE = "#2f7f5f"
POINT = "#1f1f1f"
HIDDEN = "#e6e6e6"
_INSTALL = (
    "engage's plots need matplotlib, which is not installed: pip install matplotlib "
    "(or pip install \"engage[plot]\"). Everything else in engage works without it."
)


def _mpl() -> Any:
    try:
        import matplotlib
    except ImportError as err:  # pragma: no cover - exercised with matplotlib hidden in tests
        raise ImportError(_INSTALL) from err
    return matplotlib


def figure(width: float = 7.0, height: float = 3.5) -> Any:
    """A new matplotlib Figure with one Axes, outside pyplot (safe in servers and threads); returns the Axes."""
    _mpl()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    return fig.add_subplot()


def _axes(ax: Any, width: float, height: float) -> Any:
    if ax is not None:
        return ax
    _mpl()
    import matplotlib.pyplot as plt

    _, ax = plt.subplots(figsize=(width, height), layout="constrained")
    return ax


def to_svg(ax_or_fig: Any) -> str:
    """The figure as an inline ``<svg>`` element (no XML prolog); text stays text (small and fast; the browser
    draws it in DejaVu Sans or its own sans-serif font)."""
    mpl = _mpl()
    fig = getattr(ax_or_fig, "figure", ax_or_fig)
    buf = io.StringIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "engage"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg"):]
    # The RDF metadata block names nothing the picture needs; drop it and its namespaces.
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    return re.sub(r'\s+xmlns:(dc|cc|rdf)="[^"]*"', "", text)


def _hidden_text(status: str) -> str:
    return {"below_minimum": "hidden: too few respondents", "complementary": "hidden: protects a small group"}.get(
        status, "hidden"
    )


def enps_bars(
    table: pd.DataFrame,
    label: str,
    *,
    ax: Any = None,
    title: str | None = None,
) -> Any:
    """eNPS by group as diverging stacked bars with the eNPS and its interval.

    Detractors extend left of zero, promoters right, passives straddle zero (half each side), all in % of
    respondents; the black diamond is the eNPS (promoters − detractors, in points on the same axis) with its
    interval as a line. Hidden groups get a label and no bar.

    Parameters
    ----------
    table : DataFrame
        One row per group with ``label``, ``proportion_promoters``, ``proportion_passives``,
        ``proportion_detractors`` (0..1), ``statistic``, ``low``, ``high`` and optionally ``suppression`` (the
        output of ``engage.enps_by``).
    label : str
        The group column.

    Examples
    --------
    >>> import engage, engage.plots, pandas as pd
    >>> df = pd.DataFrame({"team": ["a"] * 6 + ["b"] * 6, "enps": [10, 9, 8, 7, 3, 10, 6, 5, 9, 8, 8, 2]})
    >>> ax = engage.plots.enps_bars(engage.enps_by(df, by="team"), "team", ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    rows = table.reset_index(drop=True)
    ax = _axes(ax, 7.0, 0.45 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    status = rows["suppression"] if "suppression" in rows else pd.Series(["shown"] * len(rows))
    shown = (status == "shown").to_numpy()
    det = 100 * rows["proportion_detractors"].to_numpy(dtype=float, na_value=np.nan)
    pas = 100 * rows["proportion_passives"].to_numpy(dtype=float, na_value=np.nan)
    pro = 100 * rows["proportion_promoters"].to_numpy(dtype=float, na_value=np.nan)
    s = shown
    ax.barh(y[s], -det[s], left=-pas[s] / 2, color=UNFAVOURABLE, height=0.7, label="detractors (0-6)")
    ax.barh(y[s], pas[s], left=-pas[s] / 2, color=NEUTRAL, height=0.7, label="passives (7-8)")
    ax.barh(y[s], pro[s], left=pas[s] / 2, color=FAVOURABLE, height=0.7, label="promoters (9-10)")
    stat = rows["statistic"].to_numpy(dtype=float, na_value=np.nan)
    low = rows["low"].to_numpy(dtype=float, na_value=np.nan)
    high = rows["high"].to_numpy(dtype=float, na_value=np.nan)
    ax.hlines(y[s], low[s], high[s], color=POINT, linewidth=1.5)
    ax.plot(stat[s], y[s], "D", color=POINT, markersize=5, label="eNPS and 95% interval")
    for yi, st in zip(y[~s], status[~s]):
        ax.text(0, yi, _hidden_text(str(st)), ha="center", va="center", fontsize=8, color="#555555",
                bbox={"facecolor": HIDDEN, "edgecolor": "none", "boxstyle": "round,pad=0.3"})
    ax.axvline(0, color="#777777", linewidth=0.8)
    ax.set_yticks(y, [str(v) for v in rows[label]])
    ax.set_xlim(-100, 100)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel("% of respondents (bars); eNPS in points (diamond)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(rows) > 3 else -0.35), ncol=4, fontsize=7,
              frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def favourability_bars(table: pd.DataFrame, *, ax: Any = None, title: str | None = None,
                       labels: Sequence[str] | None = None) -> Any:
    """Item favourability: one 100% stacked bar per item (unfavourable | neutral | favourable), labelled with the
    % favourable. ``table`` is ``engage.favourability``'s output (columns ``item``, ``pct_unfavourable``,
    ``pct_neutral``, ``pct_favourable``).

    Examples
    --------
    >>> import engage, engage.plots
    >>> t = engage.favourability([[5, 2], [4, 3], [3, 4], [4, 1]])
    >>> ax = engage.plots.favourability_bars(t, ax=engage.plots.figure())
    >>> len(ax.patches)
    6
    """
    rows = table.reset_index(drop=True)
    ax = _axes(ax, 7.0, 0.35 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    un = rows["pct_unfavourable"].to_numpy(dtype=float, na_value=np.nan)
    ne = rows["pct_neutral"].to_numpy(dtype=float, na_value=np.nan)
    fa = rows["pct_favourable"].to_numpy(dtype=float, na_value=np.nan)
    ax.barh(y, un, color=UNFAVOURABLE, height=0.7, label="unfavourable")
    ax.barh(y, ne, left=un, color=NEUTRAL, height=0.7, label="neutral")
    ax.barh(y, fa, left=un + ne, color=FAVOURABLE, height=0.7, label="favourable")
    for yi, f in zip(y, fa):
        if not math.isnan(f):
            ax.text(99, yi, f"{f:.0f}%", ha="right", va="center", color="white", fontsize=8, fontweight="bold")
    names = labels if labels is not None else [str(v) for v in rows["item"]]
    ax.set_yticks(y, names)
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of answers")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12 if len(rows) > 6 else -0.3), ncol=3, fontsize=7,
              frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def heatmap(
    values: Any,
    status: Any,
    row_labels: Sequence[str],
    col_labels: Sequence[str],
    *,
    ax: Any = None,
    title: str | None = None,
    vmin: float = 0.0,
    vmax: float = 100.0,
    colorbar_label: str = "% favourable",
    annotate: bool | None = None,
) -> Any:
    """A group × item heatmap; cells whose status is not ``"shown"`` are grey, hatched and carry no number.

    Parameters
    ----------
    values : 2-D array
        The figures (hidden cells' values are never drawn; pass NaN there).
    status : 2-D array of str
        ``"shown"``, ``"below_minimum"``, ``"complementary"`` or ``"empty"`` (no answers) per cell.
    annotate : bool, optional
        Write each shown cell's value (and "–" in hidden cells); by default when there are at most 400 cells.

    Examples
    --------
    >>> import engage, engage.plots, numpy as np
    >>> ax = engage.plots.heatmap([[80.0, np.nan]], [["shown", "below_minimum"]], ["team a"], ["q1", "q2"],
    ...                           ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.texts]
    ['80', '–']
    """
    mpl = _mpl()
    from matplotlib.patches import Rectangle

    v = np.asarray(values, dtype=float)
    st = np.asarray(status, dtype=object)
    nr, nc = v.shape
    ax = _axes(ax, max(5.0, 0.5 * nc + 2.5), max(2.5, 0.24 * nr + 1.5))
    shown = st == "shown"
    masked = np.ma.masked_array(v, mask=~shown | np.isnan(v))
    cmap = mpl.colormaps["RdYlGn"].with_extremes(bad=HIDDEN)
    im = ax.imshow(masked, cmap=cmap, vmin=vmin, vmax=vmax, aspect="auto", interpolation="nearest")
    for i, j in zip(*np.nonzero(~shown)):
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="#aaaaaa",
                               linewidth=0))
    if annotate is None:
        annotate = nr * nc <= 400
    if annotate:
        size = 7 if nr <= 40 else 5
        for i in range(nr):
            for j in range(nc):
                if shown[i, j] and not math.isnan(v[i, j]):
                    ax.text(j, i, f"{v[i, j]:.0f}", ha="center", va="center", fontsize=size, color="#111111")
                elif not shown[i, j]:
                    ax.text(j, i, "–", ha="center", va="center", fontsize=size, color="#777777")
    ax.set_xticks(np.arange(nc), list(col_labels), rotation=0, fontsize=8)
    ax.set_yticks(np.arange(nr), list(row_labels), fontsize=7 if nr <= 40 else 5)
    ax.tick_params(length=0)
    if nr > 25:  # tall maps: item names on top too
        ax.tick_params(labeltop=True)
    bar = ax.figure.colorbar(im, ax=ax, shrink=0.6, pad=0.02)
    bar.set_label(colorbar_label, fontsize=8)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def index_by_group(
    table: pd.DataFrame,
    label: str,
    *,
    ax: Any = None,
    title: str | None = None,
    reference: float | None = None,
    xlabel: str = "engagement index",
    xlim: tuple[float, float] | None = (0.0, 100.0),
) -> Any:
    """Shown groups' figures as points with interval lines, sorted; hidden groups are counted in a note, not drawn.

    ``table`` has ``label``, ``statistic``, ``low``, ``high`` and optionally ``suppression`` (as
    ``engage.engagement_index_by``). ``reference`` draws a dashed line (e.g. the organisation's figure).

    Examples
    --------
    >>> import engage, engage.plots, pandas as pd
    >>> t = pd.DataFrame({"team": ["a", "b", "c"], "statistic": [60.0, 70.0, None], "low": [50.0, 61.0, None],
    ...                   "high": [70.0, 78.0, None], "suppression": ["shown", "shown", "below_minimum"]})
    >>> ax = engage.plots.index_by_group(t, "team", ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    status = table["suppression"] if "suppression" in table else pd.Series(["shown"] * len(table), index=table.index)
    rows = table[(status == "shown").to_numpy()].sort_values("statistic").reset_index(drop=True)
    hidden = int((status != "shown").sum())
    ax = _axes(ax, 7.0, 0.16 * len(rows) + 1.4)
    y = np.arange(len(rows))
    ax.hlines(y, rows["low"].astype(float), rows["high"].astype(float), color="#7f9fbf", linewidth=1.5)
    ax.plot(rows["statistic"].astype(float), y, "o", color="#1f4e79", markersize=3.5)
    if reference is not None and not math.isnan(reference):
        ax.axvline(reference, color="#555555", linestyle="--", linewidth=1, label=f"organisation {reference:.1f}")
        ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.set_yticks(y, [str(v) for v in rows[label]], fontsize=7 if len(rows) <= 40 else 5)
    ax.set_ylim(-1, max(len(rows), 1))
    if xlim is not None:
        ax.set_xlim(*xlim)
    note = f"; {hidden} hidden group{'s' if hidden != 1 else ''} not drawn" if hidden else ""
    ax.set_xlabel(f"{xlabel} with 95% interval{note}")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def participation_bars(table: pd.DataFrame, label: str, *, ax: Any = None, title: str | None = None) -> Any:
    """Response rate (%) by group as bars; hidden groups labelled, not drawn. ``table``: ``label``, ``rate``
    (0..100) and optionally ``suppression``.

    Examples
    --------
    >>> import engage, engage.plots, pandas as pd
    >>> t = pd.DataFrame({"department": ["a", "b"], "rate": [82.0, 75.5]})
    >>> len(engage.plots.participation_bars(t, "department", ax=engage.plots.figure()).patches)
    2
    """
    rows = table.reset_index(drop=True)
    ax = _axes(ax, 7.0, 0.3 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    status = rows["suppression"] if "suppression" in rows else pd.Series(["shown"] * len(rows))
    s = (status == "shown").to_numpy()
    rate = rows["rate"].to_numpy(dtype=float, na_value=np.nan)
    ax.barh(y[s], rate[s], color="#4f81bd", height=0.65)
    for yi, r in zip(y[s], rate[s]):
        ax.text(r - 1, yi, f"{r:.0f}%", ha="right", va="center", color="white", fontsize=8)
    for yi, st in zip(y[~s], status[~s]):
        ax.text(1, yi, _hidden_text(str(st)), ha="left", va="center", fontsize=8, color="#555555")
    ax.set_yticks(y, [str(v) for v in rows[label]])
    ax.set_xlim(0, 100)
    ax.set_xlabel("response rate, % of headcount")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def rwg_histogram(values: Any, *, threshold: float = 0.70, ax: Any = None, title: str | None = None,
                  xlabel: str = "rwg(j) of shown teams") -> Any:
    """Histogram of within-team agreement values with the conventional 0.70 line.

    Examples
    --------
    >>> import engage, engage.plots
    >>> ax = engage.plots.rwg_histogram([0.9, 0.8, 0.95, 0.6], ax=engage.plots.figure())
    >>> tuple(float(v) for v in ax.get_xlim())
    (0.0, 1.0)
    """
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    ax = _axes(ax, 6.0, 2.6)
    ax.hist(v, bins=np.linspace(0, 1, 21), color="#4f81bd", edgecolor="white")
    ax.axvline(threshold, color="#c0504d", linestyle="--", linewidth=1.2, label=f"{threshold:.2f} rule of thumb")
    ax.set_xlim(0.0, 1.0)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("teams")
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def retention_curves(
    curves: Sequence[dict[str, Any]],
    *,
    ax: Any = None,
    title: str | None = None,
    horizon: float | None = None,
    hidden: int = 0,
    xlabel: str = "months since the survey",
    band: bool = True,
) -> Any:
    """Retention (Kaplan–Meier) curves of groups as steps with their pointwise bands; hidden groups are not drawn
    (``hidden`` counts them in the axis label).

    Each curve is a mapping with ``label`` (or ``category``), ``time``, ``survival`` and optionally ``low`` and
    ``high`` (lists of the curve's steps, as the report's JSON holds them). ``horizon`` draws a dotted line.

    Examples
    --------
    >>> import engage.plots
    >>> c = [{"label": "a", "time": [1.0, 3.0], "survival": [0.9, 0.8]}, {"label": "b", "time": [2.0], "survival": [0.7]}]
    >>> ax = engage.plots.retention_curves(c, ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['a', 'b']
    """
    ax = _axes(ax, 7.0, 3.2)
    colours = [FAVOURABLE, "#4f81bd", UNFAVOURABLE, "#8064a2", "#f79646", "#4bacc6"]
    lowest = 1.0
    for i, c in enumerate(curves):
        t = np.concatenate([[0.0], np.asarray(c["time"], dtype=float)])
        s = np.concatenate([[1.0], np.asarray(c["survival"], dtype=float)])
        colour = colours[i % len(colours)]
        label = str(c.get("label", c.get("category", f"group {i + 1}"))).replace("_", " ")
        ax.step(t, s, where="post", color=colour, linewidth=1.6, label=label)
        lowest = min(lowest, float(np.nanmin(s)))
        if band and c.get("low") is not None and c.get("high") is not None:
            lo = np.concatenate([[1.0], np.asarray([np.nan if v is None else v for v in c["low"]], dtype=float)])
            hi = np.concatenate([[1.0], np.asarray([np.nan if v is None else v for v in c["high"]], dtype=float)])
            ax.fill_between(t, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
            if np.isfinite(lo).any():
                lowest = min(lowest, float(np.nanmin(lo)))
    if horizon is not None:
        ax.axvline(horizon, color="#777777", linestyle=":", linewidth=1)
    ax.set_ylim(max(0.0, math.floor(lowest * 10) / 10 - 0.05), 1.01)
    ax.set_xlim(left=0)
    note = f"; {hidden} hidden group{'s' if hidden != 1 else ''} not drawn" if hidden else ""
    ax.set_xlabel(xlabel + note)
    ax.set_ylabel("still employed (share)")
    if curves:
        ax.legend(loc="lower left", fontsize=8, frameon=False)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def linkage_scatter(
    x: Any,
    y: Any,
    *,
    weights: Any = None,
    confidence_level: float = 0.95,
    ax: Any = None,
    title: str | None = None,
    xlabel: str = "employee measure by unit",
    ylabel: str = "customer outcome",
    annotation: str | None = None,
) -> Any:
    """Units as points (employee measure against customer outcome), the least-squares line and its pointwise
    confidence band for the mean outcome; with ``weights`` (unit sizes) the fit is weighted and point areas follow
    the weights. Draw only units that may be shown (``LinkageResult.units`` holds only those).

    Examples
    --------
    >>> import numpy as np, engage.plots
    >>> ax = engage.plots.linkage_scatter(np.arange(10.0), np.arange(10.0) % 4, ax=engage.plots.figure())
    >>> len(ax.collections[0].get_offsets())
    10
    """
    from . import _core

    ax = _axes(ax, 6.0, 4.5)
    xv = np.asarray(x, dtype=np.float64)
    yv = np.asarray(y, dtype=np.float64)
    w = None if weights is None else np.asarray(weights, dtype=np.float64)
    sizes: Any = 12 + 60 * w / w.max() if w is not None else 18
    ax.scatter(xv, yv, s=sizes, color="#1f4e79", alpha=0.6, edgecolors="none")
    grid = np.linspace(xv.min(), xv.max(), 60)
    band = _core.linkage_fit_line_band(xv, yv, grid, weights=w, confidence_level=confidence_level)
    ax.fill_between(band["at"], band["low"], band["high"], color=UNFAVOURABLE, alpha=0.2, linewidth=0)
    ax.plot(band["at"], band["fit"], color=UNFAVOURABLE, linewidth=1.5)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if annotation:
        ax.text(0.02, 0.97, annotation, transform=ax.transAxes, va="top", fontsize=8)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def ratio_forest(
    table: pd.DataFrame,
    *,
    ax: Any = None,
    title: str | None = None,
    label: str = "description",
    xlabel: str = "hazard ratio with 95% interval (log scale)",
) -> Any:
    """Ratios (hazard or odds ratios) with intervals on a log axis, with the no-effect line at 1.

    ``table`` has ``label``, ``ratio``, ``low`` and ``high`` (e.g. ``engage.churn_risk(...).drivers``).

    Examples
    --------
    >>> import engage.plots, pandas as pd
    >>> t = pd.DataFrame({"description": ["a", "b"], "ratio": [0.8, 2.5], "low": [0.7, 1.9], "high": [0.9, 3.2]})
    >>> ax = engage.plots.ratio_forest(t, ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['a', 'b']
    """
    rows = table.reset_index(drop=True)
    ax = _axes(ax, 7.0, 0.32 * len(rows) + 1.2)
    y = np.arange(len(rows))[::-1]
    r = rows["ratio"].to_numpy(dtype=float)
    lo = rows["low"].to_numpy(dtype=float)
    hi = rows["high"].to_numpy(dtype=float)
    colour = np.where(hi < 1, FAVOURABLE, np.where(lo > 1, UNFAVOURABLE, "#777777"))
    ax.hlines(y, lo, hi, color=colour, linewidth=1.8)
    ax.scatter(r, y, color=colour, marker="s", s=22, zorder=3)
    ax.axvline(1.0, color="#555555", linewidth=0.8)
    ax.set_xscale("log")
    span = max(float(np.nanmax(hi)), 1 / float(np.nanmin(lo)), 1.5)
    ax.set_xlim(1 / (span * 1.15), span * 1.15)
    from matplotlib.ticker import NullLocator

    ticks = [v for v in (0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 10) if 1 / (span * 1.15) <= v <= span * 1.15]
    ax.xaxis.set_minor_locator(NullLocator())
    ax.set_xticks(ticks, [f"{v:g}" for v in ticks])
    ax.set_yticks(y, [str(v) for v in rows[label]], fontsize=8)
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax


def forest(result: Any, *, ax: Any = None, corrected: bool = False, title: str | None = None) -> Any:
    """Forest plot of an ``engage.meta_analysis`` result (``MetaAnalysisResult.plot`` draws with it): each study's
    r with its interval (square sized by its weight), the pooled mean with its confidence interval (diamond) and
    the credibility interval (bar); ``corrected=True`` draws the corrected ρ_i, ``mean_rho`` and the ρ intervals.

    Examples
    --------
    >>> import engage, engage.plots
    >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, labels=["P", "S", "We", "Wo"])
    >>> ax = engage.plots.forest(m, ax=engage.plots.figure())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['80% credibility', 'pooled (95% CI)', 'P', 'S', 'We', 'Wo']
    """
    _mpl()
    from matplotlib.patches import Polygon

    k = result.k
    ax = _axes(ax, 6.5, 0.3 * k + 1.8)
    studies = result.to_frame()
    if corrected:
        point, low, high, weight = studies["rho"], studies["rho_low"], studies["rho_high"], studies["weight_rho"]
        mean, ci, cr, what = result.mean_rho, result.confidence_interval_rho, result.credibility_interval_rho, "ρ"
    else:
        point, low, high, weight = studies["r"], studies["low"], studies["high"], studies["weight"]
        mean, ci, cr, what = result.mean_r, result.confidence_interval, result.credibility_interval, "r"
    w = weight.to_numpy(dtype=float)
    y = np.arange(k)[::-1] + 2.0
    ax.hlines(y, low, high, color="#555555", linewidth=1)
    ax.scatter(point, y, s=20 + 80 * w / w.max(), marker="s", color="#1f4e79", zorder=3)
    ax.add_patch(Polygon([(ci.low, 1.0), (mean, 1.25), (ci.high, 1.0), (mean, 0.75)], closed=True,
                         color=UNFAVOURABLE))
    ax.hlines(0.0, cr.low, cr.high, color=UNFAVOURABLE, linewidth=4, alpha=0.5)
    ax.axvline(0.0, color="#777777", linewidth=0.8)
    ax.axvline(mean, color=UNFAVOURABLE, linewidth=0.8, linestyle=":")
    labels = [str(s) for s in studies["study"]]
    ax.set_yticks(
        [0.0, 1.0, *y],
        [f"{100 * result.credibility_level:.0f}% credibility", f"pooled ({100 * result.confidence_level:.0f}% CI)",
         *labels],
    )
    ax.set_ylim(-0.7, k + 2.7)
    ax.set_xlabel(f"correlation {what} with {100 * result.confidence_level:.0f}% interval (Fisher z)")
    if title:
        ax.set_title(title, loc="left", fontsize=10)
    return ax
