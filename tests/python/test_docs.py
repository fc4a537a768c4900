"""Every example in the public docstrings runs and prints what it says."""

from __future__ import annotations

import doctest
import importlib

import pytest

MODULES = ["engage", "engage.enps", "engage.multiplicity", "engage.confidentiality", "engage.report",
           "engage.datasets", "engage.meta_analysis",
           "engage.agreement", "engage.engagement", "engage.reliability", "engage.correlation",
           "engage.logistic", "engage.io", "engage.plots",
           "engage.survival", "engage.churn", "engage.linkage"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
