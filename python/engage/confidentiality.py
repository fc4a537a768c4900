"""The confidentiality engine, for any table of group counts.

Every grouped function of engage applies it already; use it directly for tables you build yourself.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from . import _core
from ._grouping import SUPPRESSION_REASONS

__all__ = ["suppress"]


def suppress(n: Any, parent: Any = None, *, min_group_size: int = 5) -> npt.NDArray[np.object_]:
    """Which cells of a breakdown may be published.

    Cells with fewer than ``min_group_size`` respondents are hidden (``"below_minimum"``). Then, within each
    parent partition, the next smallest cells are hidden too (``"complementary"``) until the hidden cells hold at
    least ``min_group_size`` respondents together, so subtracting the shown cells from the parent total recovers
    only an aggregate that is itself large enough to publish.

    Parameters
    ----------
    n : array-like of int
        Respondents behind each cell.
    parent : array-like of int, optional
        Partition of each cell (for example the department of each team); one partition when omitted.

    Examples
    --------
    >>> import engage
    >>> engage.suppress([12, 3, 9, 30]).tolist()
    ['shown', 'below_minimum', 'complementary', 'shown']
    """
    counts = np.ascontiguousarray(n, dtype=np.int64)
    parents = None if parent is None else np.ascontiguousarray(parent, dtype=np.int64)
    return SUPPRESSION_REASONS[_core.suppress(counts, parents, int(min_group_size))]
