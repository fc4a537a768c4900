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
