"""The ``engage`` command line: ``engage report --survey FILE [--format text|json|html]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from . import __version__
from .report import build_report, render_html, render_json, render_text


def _read_table(path: str) -> pd.DataFrame:
    p = Path(path)
    if not p.exists():
        raise SystemExit(f"engage: {path}: no such file")
    suffix = p.suffix.lower()
    if suffix == ".parquet":
        return pd.read_parquet(p)
    if suffix in (".xlsx", ".xls"):
        return pd.read_excel(p)
    return pd.read_csv(p)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``engage`` console script."""
    parser = argparse.ArgumentParser(prog="engage", description="Employee-engagement statistics.")
    parser.add_argument("--version", action="version", version=f"engage {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="the report on a survey export")
    rep.add_argument("--survey", required=True, help="survey responses (CSV, Parquet or Excel)")
    rep.add_argument("--format", choices=("text", "json", "html"), default="text")
    rep.add_argument("--output", "-o", help="write to this file instead of standard output")
    rep.add_argument("--min-group-size", type=int, default=5, help="confidentiality threshold (default 5)")
    rep.add_argument("--score", default="enps", help="eNPS column (default enps)")
    rep.add_argument("--unit", default="team", help="unit column (default team)")
    args = parser.parse_args(argv)

    survey = _read_table(args.survey)
    try:
        report = build_report(survey, score=args.score, unit=args.unit, min_group_size=args.min_group_size)
    except (KeyError, ValueError, TypeError) as err:
        raise SystemExit(f"engage: {args.survey}: {err}") from None
    text = {"text": render_text, "json": render_json, "html": render_html}[args.format](report)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
