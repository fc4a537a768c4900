"""The result and interval vocabulary shared by every area.

Every result is a frozen dataclass that prints readably, renders as an HTML table in notebooks and converts to
a one-row DataFrame with ``to_frame()``. Intervals are ``ConfidenceInterval(low, high)`` named tuples, so
``low, high = result.confidence_interval()`` works as well as ``ci.low``.
"""

from __future__ import annotations

import dataclasses
import html
import math
from typing import Any, NamedTuple

import pandas as pd


class ConfidenceInterval(NamedTuple):
    """A two-sided interval ``(low, high)``; field names as in scipy."""

    low: float
    high: float


def _format(value: Any) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return f"{value:.6g}"
    return repr(value)


def _public_fields(obj: Any) -> dict[str, Any]:
    return {
        f.name: getattr(obj, f.name)
        for f in dataclasses.fields(obj)
        if not f.name.startswith("_") and f.repr
    }


class Result:
    """Mixin for result dataclasses: ``__repr__``, ``_repr_html_`` and ``to_frame``."""

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={_format(v)}" for k, v in _public_fields(self).items() if _scalar(v))
        return f"{type(self).__name__}({body})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(_format(v))}</td></tr>"
            for k, v in _public_fields(self).items()
            if _scalar(v)
        )
        return f"<table><caption>{html.escape(type(self).__name__)}</caption>{rows}</table>"

    def to_frame(self) -> pd.DataFrame:
        """One-row DataFrame of the scalar fields."""
        return pd.DataFrame([{k: v for k, v in _public_fields(self).items() if _scalar(v)}])


def _scalar(v: Any) -> bool:
    return isinstance(v, (int, float, str, bool)) or v is None
