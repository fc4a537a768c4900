"""Independent cross-check of tests/data/p_adjust_reference.json (written by p_adjust_reference.R, R p.adjust).

Recomputes every case with statsmodels.stats.multitest.multipletests on the non-NA entries and asserts agreement
with R to 1e-12 (relative to max(1, |value|)). NA positions must be null in R's output.

    python3 tests/data/p_adjust_reference.py
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import statsmodels
from statsmodels.stats.multitest import multipletests

# R p.adjust name -> statsmodels multipletests name ("none" is the identity). Note statsmodels' default
# method is 'hs' (Holm-Sidak), not Holm, so the name is always given explicitly.
METHODS = {"holm": "holm", "hochberg": "simes-hochberg", "bonferroni": "bonferroni", "BH": "fdr_bh", "BY": "fdr_by",
           "none": None}
TOL = 1e-12


def main() -> None:
    ref = json.loads((Path(__file__).resolve().parent / "p_adjust_reference.json").read_text(encoding="utf-8"))
    print(f"statsmodels {statsmodels.__version__}, numpy {np.__version__}; R reference: {ref['provenance']['r_version']}")
    checked = 0
    worst = 0.0
    for case in ref["cases"]:
        p = np.array([np.nan if x is None else x for x in case["p"]], dtype=float)
        ok = ~np.isnan(p)
        assert case["m"] == int(ok.sum())
        for r_name, expected in case["adjusted"].items():
            sm_name = METHODS[r_name]
            got = np.full_like(p, np.nan)
            got[ok] = p[ok] if sm_name is None else multipletests(p[ok], method=sm_name)[1]
            assert len(expected) == len(p)
            for i, (g, e) in enumerate(zip(got, expected)):
                if e is None:
                    assert math.isnan(g), (case["name"], r_name, i)
                    continue
                err = abs(g - e) / max(1.0, abs(e))
                worst = max(worst, err)
                assert err <= TOL, (case["name"], r_name, i, g, e)
            checked += 1
    print(f"{checked} (case, method) vectors agree with R p.adjust to <= {TOL:g}; largest relative difference {worst:.3g}")


if __name__ == "__main__":
    main()
