"""Adjusting p-values for many comparisons, with R's ``p.adjust`` definitions and names."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._validation import as_float_array

__all__ = ["adjust_pvalues"]


def adjust_pvalues(pvalues: Any, method: str = "holm") -> npt.NDArray[np.float64]:
    """Adjusted p-values, in input order.

    Parameters
    ----------
    pvalues : array-like
        p-values in [0, 1]; NaN entries stay NaN and are not counted as tests (as in R).
    method : {"holm", "hochberg", "bonferroni", "BH", "BY", "none"}
        As R's ``p.adjust``; ``"fdr"``/``"fdr_bh"`` are accepted for BH and ``"fdr_by"`` for BY. The default is
        Holm, as in R (statsmodels' ``multipletests`` defaults to Holm–Šidák, a different method).

    Examples
    --------
    >>> import engage
    >>> engage.adjust_pvalues([0.01, 0.04, 0.03, 0.005], method="BH").tolist()
    [0.02, 0.04, 0.04, 0.02]
    """
    return np.asarray(_core.adjust_pvalues(as_float_array(pvalues, "pvalues"), method))
