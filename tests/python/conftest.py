from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def load_reference(name: str) -> Any:
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session", name="load_reference")
def _load_reference_fixture() -> Any:
    return load_reference


@pytest.fixture(scope="session")
def enps_reference() -> Any:
    return load_reference("enps_reference.json")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The number of Hypothesis examples each property of test_properties.py ran (issue 13 asks for the count)."""
    import sys

    for module in list(sys.modules.values()):
        counts = getattr(module, "HYPOTHESIS_EXAMPLES", None)
        if counts and getattr(module, "__name__", "").endswith("test_properties"):
            terminalreporter.write_sep("-", "hypothesis examples per function")
            for name, count in sorted(counts.items()):
                terminalreporter.write_line(f"{name:>22}: {count}")
            terminalreporter.write_line(f"{'total':>22}: {sum(counts.values())}")
