from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from statsmodels.stats.multitest import multipletests

import engage


def test_matches_r_p_adjust(load_reference: Any) -> None:
    ref = load_reference("p_adjust_reference.json")
    checked = 0
    for case in ref["cases"]:
        p = np.array([np.nan if x is None else x for x in case["p"]], dtype=float)
        for method, expected in case["adjusted"].items():
            got = engage.adjust_pvalues(p, method=method)
            for g, e in zip(got, expected):
                if e is None:
                    assert math.isnan(g)
                else:
                    assert g == pytest.approx(e, rel=1e-12, abs=1e-15)
            checked += 1
    assert checked >= 18


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [("holm", "holm"), ("hochberg", "simes-hochberg"), ("bonferroni", "bonferroni"), ("BH", "fdr_bh"), ("BY", "fdr_by")],
)
def test_matches_statsmodels(ours: str, theirs: str) -> None:
    p = np.random.default_rng(5).uniform(size=40) ** 2
    assert engage.adjust_pvalues(p, ours) == pytest.approx(multipletests(p, method=theirs)[1], rel=1e-12)


def test_bad_input() -> None:
    with pytest.raises(ValueError, match=r"p\[1\] = 1.5"):
        engage.adjust_pvalues([0.1, 1.5])
    with pytest.raises(ValueError, match="holm-sidak"):
        engage.adjust_pvalues([0.1], method="holm-sidak")
    with pytest.raises(TypeError):
        engage.adjust_pvalues(["a", "b"])
    assert engage.adjust_pvalues([]).tolist() == []
