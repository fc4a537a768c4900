"""The ``engage`` command line: ``engage report --survey FILE [--format text|json|html] [...]``.

    engage report --survey survey.csv --format html -o report.html
    engage report --survey export.csv --mapping qualtrics --hris hris.csv --customers customers.csv \
        --wave-date 1=2024-02-15

Files are CSV, Parquet or Excel; ``--mapping`` names a TOML column mapping (a path, or a shipped example:
``engage mappings`` lists them). A progress bar is drawn on standard error when it is a terminal.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any

from . import __version__
from .io import ExportError, Progress, load_mapping, mapping_names, read_export
from .report import build_report, render_html, render_json, render_text

_STEPS = 8  # reading + the sections build_report announces


def _wave_dates(values: list[str]) -> dict[Any, str]:
    out: dict[Any, str] = {}
    for v in values:
        wave, sep, date = v.partition("=")
        if not sep or not wave.strip() or not date.strip():
            raise SystemExit(f"engage: --wave-date {v!r}: expected WAVE=YYYY-MM-DD, e.g. 1=2024-02-15")
        key: Any = int(wave) if wave.strip().lstrip("-").isdigit() else wave.strip()
        out[key] = date.strip()
    return out


def _check_output(path: Path) -> None:
    """Refuses an output path that cannot be written before any work is done (the report can take a while)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise SystemExit(f"engage: -o {path}: is a folder; give a file name such as {path / 'report.html'}")
    if not folder.is_dir():
        raise SystemExit(f"engage: -o {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise SystemExit(f"engage: -o {path}: not writable")


def _scale(text: str) -> tuple[int, int]:
    try:
        low, high = (int(x) for x in text.replace("-", ",", 1).split(","))
    except ValueError:
        raise SystemExit(f"engage: --scale {text!r}: expected LOW,HIGH such as 1,5") from None
    return low, high


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``engage`` console script."""
    parser = argparse.ArgumentParser(prog="engage", description="Employee-engagement statistics.")
    parser.add_argument("--version", action="version", version=f"engage {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="the report on a survey export")
    rep.add_argument("--survey", required=True, help="survey responses (CSV, Parquet or Excel)")
    rep.add_argument("--mapping", help="column mapping of the survey export: a TOML file or a shipped name "
                                       f"({', '.join(mapping_names())})")
    rep.add_argument("--hris", help="HRIS file (employee_id, team, department, hire_date, exit_date, ...)")
    rep.add_argument("--hris-mapping", help="column mapping of the HRIS file")
    rep.add_argument("--customers", help="customer outcomes per team and quarter (for the linkage section)")
    rep.add_argument("--wave-date", action="append", default=[], metavar="WAVE=DATE",
                     help="date of a wave (repeat for each wave): headcount and churn from the HRIS file, and the "
                          "quarter of each wave for the linkage with customer outcomes")
    rep.add_argument("--format", choices=("text", "json", "html"), default="text")
    rep.add_argument("--output", "-o", help="write to this file instead of standard output")
    rep.add_argument("--min-group-size", type=int, default=5, help="confidentiality threshold (default 5)")
    rep.add_argument("--score", help="eNPS column (default enps, when the survey has one)")
    rep.add_argument("--unit", default="team", help="unit column (default team)")
    rep.add_argument("--items", help="comma-separated item columns (default every q<number> column)")
    rep.add_argument("--scale", help="item scale LOW,HIGH (default the mapping's, else 1,5)")
    rep.add_argument("--index-method", default="favourable_items", help="engagement index method")
    bar = rep.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None,
                     help="always draw the progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never draw it")
    sub.add_parser("mappings", help="list the column mappings shipped with engage")
    args = parser.parse_args(argv)

    if args.command == "mappings":
        for name in mapping_names():
            sys.stdout.write(f"{name}: {load_mapping(name).name}\n")
        return 0

    if args.output:
        _check_output(Path(args.output))
    if args.min_group_size < 1 or args.min_group_size > 2**63 - 1:
        raise SystemExit(f"engage: --min-group-size {args.min_group_size}: must be a whole number from 1 to 2**63 - 1")
    bar_ = Progress(_STEPS, "reading", enabled=args.progress)
    try:
        mapping = load_mapping(args.mapping) if args.mapping else None
        survey = read_export(args.survey, "survey", mapping, progress=args.progress)
        hris = read_export(args.hris, "hris", args.hris_mapping) if args.hris else None
        customers = read_export(args.customers, "customers") if args.customers else None
    except ExportError as err:
        bar_.close()
        raise SystemExit(f"engage: {err}") from None
    bar_.update(1)
    try:
        report = build_report(
            survey,
            score=args.score,
            unit=args.unit,
            min_group_size=args.min_group_size,
            items=args.items.split(",") if args.items else None,
            scale=_scale(args.scale) if args.scale else None,
            index_method=args.index_method,
            hris=hris,
            wave_dates=_wave_dates(args.wave_date),
            customers=customers,
            progress=lambda name: bar_.update(1, name),
        )
    except (KeyError, ValueError, TypeError) as err:
        bar_.close()
        text = str(err.args[0]) if isinstance(err, KeyError) and err.args else str(err)
        # The message names the argument; the file it came from is the survey unless it is the HRIS or customers'.
        source = {"hris": args.hris, "customers": args.customers}.get(re.split(r"[:\[]", text, maxsplit=1)[0])
        raise SystemExit(f"engage: {source or args.survey}: {text}") from None
    bar_.update(0, "writing")
    text = {"text": render_text, "json": render_json, "html": render_html}[args.format](report)
    bar_.close()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as err:
            raise SystemExit(f"engage: -o {args.output}: cannot write the report ({err.strerror or err})") from None
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
