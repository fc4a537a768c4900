"""Within-group agreement and aggregation: may a team's answers be averaged into one team score?

Per group, under the confidentiality rules (default ``min_group_size=5``):

* ``rwg``: James, Demaree & Wolf (1984) rwg of one item, ``1 − s²/σ²_E``, truncated to 0 when ``s² > σ²_E``.
* ``rwg_j``: rwg(j) of a J-item scale from the mean item variance (``method="james"``, truncated at 0), or
  Lindell, Brandt & Whitney's (1999) r*wg(j) = ``1 − s̄²/σ²_E`` (``method="lindell"``; not truncated, can be
  negative, does not grow with the number of items).
* ``ad_index``: average deviation AD_M(J) around the item mean or median (Burke et al. 1999); agreement is
  usually accepted when AD < A/6 on an A-point scale.
* ``awg``: Brown & Hauenstein's (2005) a_wg, the variance relative to the largest variance possible at the
  group's mean.

For the whole sample: ``icc`` gives ICC(1) and ICC(2) from the one-way ANOVA with F-based intervals.

These reproduce R's multilevel 2.7 (``rwg``, ``rwg.j``, ``rwg.j.lindell``, ``ad.m``, ``awg``, ``ICC1``/``ICC2`` on
``aov(x ~ as.factor(group))``) and psych's ``statsBy`` intervals to 1e-8 (tests/data/agreement_reference.R).

Conventions
-----------
* Variances use the n − 1 divisor (as R's ``var``).
* ``σ²_E`` (the null variance): by default the uniform ``(A² − 1)/12`` for an A-point scale (2.0 for A = 5;
  multilevel's ``ranvar = 2``). Other shapes for 5-point scales (LeBreton & Senter 2008): ``"slight_skew"`` 1.34,
  ``"moderate_skew"`` 0.90, ``"heavy_skew"`` 0.44, ``"triangular"`` 1.32, ``"normal"`` 1.04. Any positive number
  is accepted too, for other scales and shapes.
* Missing answers (NaN): one item — dropped within the group. Several items — ``missing="listwise"`` (default)
  drops a respondent with any missing item, which is what multilevel 2.7 does (it has no option; multilevel 2.8
  added ``listwise=`` and made the non-listwise computation its default); ``missing="pairwise"`` uses every answer
  of each item. ``n`` counts the respondents used and ``missing`` the rows of the group left out.
* Not defined (NaN, never an error): a group with fewer than two usable respondents (R: NA); a_wg when the
  mean is outside its feasible band; under pairwise deletion an item with fewer than two answers in the group.
  A group with no usable respondent at all (R leaves it out) is kept with ``n`` 0 and hidden.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, Sequence, cast

import numpy as np
import pandas as pd

from . import _core
from ._grouping import SUPPRESSION_REASONS, GroupKeys, group_keys
from .confidentiality import Release, _check_hidden_n, _min_group_size, _names, _publication, _registered
from ._results import ConfidenceInterval, Result
from ._errors import InvalidInputError, InvalidTypeError
from ._validation import (
    INT32_MAX,
    FloatArray,
    ItemMatrix,
    as_float_array,
    check_choice,
    item_matrix,
    level,
    numeric_ndarray,
    real_number,
    reverse_columns,
    scale_pair,
    scored_items,
    whole_number,
)

__all__ = [
    "NULL_SHAPES",
    "IccResult",
    "ad_index",
    "awg",
    "icc",
    "null_variance",
    "rwg",
    "rwg_j",
]

NullShape = Literal["uniform", "slight_skew", "moderate_skew", "heavy_skew", "triangular", "normal"]
NULL_SHAPES: tuple[str, ...] = ("uniform", "slight_skew", "moderate_skew", "heavy_skew", "triangular", "normal")
_MISSING = ("listwise", "pairwise")


def null_variance(scale_points: int = 5, shape: NullShape = "uniform") -> float:
    """The null (expected random) variance σ²_E of an A-point scale.

    Parameters
    ----------
    scale_points : int
        Number of response options A (at least 2).
    shape : {"uniform", "slight_skew", "moderate_skew", "heavy_skew", "triangular", "normal"}
        ``"uniform"``: ``(A² − 1)/12`` for any A. The other shapes are tabulated for 5-point scales only
        (LeBreton & Senter 2008): 1.34, 0.90, 0.44, 1.32, 1.04.

    Examples
    --------
    >>> import engage
    >>> engage.null_variance(5), engage.null_variance(7), engage.null_variance(5, "slight_skew")
    (2.0, 4.0, 1.34)
    """
    check_choice(shape, "shape", NULL_SHAPES)
    return float(_core.agreement_null_variance(_points(scale_points), shape))


def _points(scale_points: Any) -> int:
    """The scale length, a whole number (the core holds it as C++ int)."""
    return whole_number(scale_points, "scale_points", maximum=INT32_MAX)


def _sigma2(scale_points: int, null_var: float | str | None) -> float:
    if null_var is None:
        return null_variance(scale_points)
    if isinstance(null_var, str):
        check_choice(null_var, "null_variance", NULL_SHAPES)
        return null_variance(scale_points, cast(NullShape, null_var))
    if isinstance(null_var, (bool, np.bool_)) or not isinstance(null_var, (int, float, np.integer, np.floating)):
        raise InvalidTypeError(f"null_variance must be a number, a shape name or None; got {null_var!r}")
    return real_number(null_var, "null_variance")


def _checked_points(scale_points: int, null_var: float | str | None) -> int:
    """The scale length the answers are checked against: ``scale_points`` when σ²_E comes from it, else 0 (none)."""
    if null_var is None or isinstance(null_var, str):
        return _points(scale_points)
    return 0


def _groups(groups: Any) -> GroupKeys:
    """Group keys of every row: a 1-D array-like (output column ``group``) or a DataFrame of key columns."""
    if isinstance(groups, pd.DataFrame):
        return group_keys(groups.reset_index(drop=True), list(groups.columns))
    if isinstance(groups, (pd.Series, pd.Index)):
        column = pd.Series(groups).reset_index(drop=True)
    else:
        arr = np.asarray(groups)
        if arr.ndim != 1:
            raise InvalidInputError(f"groups must be one-dimensional (or a DataFrame of key columns); got shape {arr.shape}")
        column = pd.Series(arr)
    return group_keys(pd.DataFrame({"group": column}), "group")


def _items(items: Any, name: str, scale: Any = None, dont_know: Any = None, reverse: Any = None) -> FloatArray:
    """1-D (one item) or 2-D (respondents × items) contiguous float64; a DataFrame's columns are the items. With
    ``scale``, ``dont_know`` or ``reverse`` the answers are scored by ``scored_items``, the check and recoding of
    ``engage.engagement_index`` (a single item as a one-column matrix)."""
    if isinstance(items, pd.DataFrame):
        it = item_matrix(items, name)
    else:
        arr = items if isinstance(items, (pd.Series, pd.Index)) else numeric_ndarray(items, name)
        if arr.ndim == 1:
            x = as_float_array(arr, name)
            if scale is None and dont_know is None and reverse is None:
                return x
            one = ItemMatrix(x[:, None], [getattr(items, "name", None)], pd.RangeIndex(len(x))) \
                if isinstance(items, pd.Series) else ItemMatrix(x[:, None], None, None)
            return np.ascontiguousarray(scored_items(one, scale, dont_know, reverse)[:, 0])
        if arr.ndim != 2:
            raise InvalidInputError(f"{name} must be 1-D (one item) or 2-D (respondents × items); got shape {arr.shape}")
        it = ItemMatrix(np.ascontiguousarray(arr, dtype=np.float64), None, None)
    return np.ascontiguousarray(scored_items(it, scale, dont_know, reverse))


def _scale_points(scale_points: Any, scale: Any) -> int:
    """The scale length: ``scale_points``, or ``high - low + 1`` of ``scale``; both given must agree; 5 if neither."""
    if scale is None:
        return 5 if scale_points is None else _points(scale_points)
    low, high = scale_pair(scale, "scale")
    if scale_points is None:
        return high - low + 1
    points = _points(scale_points)
    if points != high - low + 1:
        raise InvalidInputError(f"scale_points = {points} but scale = ({low}, {high}) has {high - low + 1} points; "
                                "give one of them (or both agreeing)")
    return points


def _options(missing: str, min_group_size: Any, release: Release | None, show_suppressed_n: bool) -> int:
    check_choice(missing, "missing", _MISSING)
    _check_hidden_n(release, show_suppressed_n)
    return _min_group_size(release, min_group_size)


def _published(release: Release | None, groups: Any, keys: GroupKeys, what: str, items: Any) -> dict[str, Any]:
    """The publication of an agreement table: respondents are named by the index of ``groups`` (a pandas
    Series or DataFrame) in a release."""
    if release is None:
        return {}
    if not isinstance(groups, (pd.Series, pd.DataFrame)):
        raise InvalidTypeError("with release=, pass groups as a pandas Series or DataFrame: its index identifies the "
                        "respondents across the tables of the release")
    frame = groups.to_frame() if isinstance(groups, pd.Series) else groups
    names = list(items.columns) if isinstance(items, pd.DataFrame) else [str(getattr(items, "name", None) or "x")]
    return _publication(release, frame, f"{what}({_names(keys)})", [str(n) for n in names])


def _frame(keys: GroupKeys, cols: dict[str, Any], statistic: str, extra: dict[str, str],
           show_suppressed_n: bool, release: Release | None) -> pd.DataFrame:
    _registered(release, keys, cols["key"])
    status = cols["status"]
    hidden = status != 0
    out = keys.decode(cols["key"])
    out[statistic] = cols["statistic"]
    for name in ("n", "missing"):
        col = pd.array(cols[name], dtype="Int64")
        if not (show_suppressed_n and name == "n"):
            col[hidden] = pd.NA
        out[name] = col
    for target, source in extra.items():
        values = cols[source]
        if values.dtype.kind == "i":
            values = pd.array(values, dtype="Int64")
            values[hidden] = pd.NA
        out[target] = values
    out["suppressed"] = hidden
    out["suppression"] = SUPPRESSION_REASONS[status]
    return out


def rwg(
    x: Any,
    groups: Any,
    scale_points: int = 5,
    *,
    null_variance: float | NullShape | None = None,
    min_group_size: int | None = None,
    show_suppressed_n: bool = False,
    release: Release | None = None,
) -> pd.DataFrame:
    """rwg of one item for every group (James, Demaree & Wolf 1984), as R ``multilevel::rwg``.

    ``rwg = 1 − s²/σ²_E`` with the group's variance ``s²`` (n − 1 divisor), truncated to 0 when ``s² > σ²_E``.

    Parameters
    ----------
    x : array-like
        One answer per respondent; NaN is missing (dropped within the group).
    groups : array-like or DataFrame
        Group of each respondent (any values; missing keys form their own group). A DataFrame of several key
        columns groups by their combination, with complementary suppression within the groups of all but the
        last column (as ``engage.enps_by``).
    scale_points : int
        Number of response options A; σ²_E defaults to the uniform ``(A² − 1)/12`` (2.0 for A = 5). Answers
        further apart than A − 1 (e.g. 1 and 7 with A = 5) cannot come from such a scale: ``InvalidInputError``
        naming the two answers. Any coding works (1–5, 0–4, …).
    null_variance : float or str, optional
        σ²_E as a number (then the answers are not checked against ``scale_points``), or a null shape from
        ``engage.null_variance`` (``"slight_skew"`` …, 5-point scales).
    min_group_size : int, optional
        Fewest answers behind a published figure (default 5; with ``release``, the release's). Smaller groups
        are hidden, and the smallest other groups too where the shown ones and the totals would give them away
        (complementary suppression, decided by the release engine).
    release : engage.Release, optional
        (With ``groups`` a pandas Series or DataFrame, whose index names the respondents.) Publish the table in this release: it is then protected against every other table of the release (and
        they against it). Without it the call is a release of its own, protected against its own totals only:
        results of separate calls can be combined by whoever holds both.
    show_suppressed_n : bool
        Publish the respondent count of hidden groups (never their figures).

    Returns
    -------
    DataFrame
        ``group`` (or the key columns), ``rwg``, ``n`` (answers used), ``missing``, ``variance`` (s²),
        ``suppressed``, ``suppression``. ``rwg`` is NaN for a group with a single answer (agreement needs two
        raters; R gives NA) and for hidden groups.

    Examples
    --------
    >>> import engage
    >>> x = [1, 2, 3, 5, 5, 5, 1, 5, 1, 5, 4]
    >>> teams = ["a"] * 3 + ["b"] * 3 + ["c"] * 4 + ["d"]
    >>> t = engage.rwg(x, teams, min_group_size=1)
    >>> print(t[["group", "rwg", "n"]].to_string(index=False))
    group  rwg  n
        a  0.5  3
        b  1.0  3
        c  0.0  4
        d  NaN  1
    """
    keys = _groups(groups)
    size = _options("listwise", min_group_size, release, show_suppressed_n)
    cols = _core.agreement_rwg(
        as_float_array(x, "x"), keys.keys, null_variance=_sigma2(scale_points, null_variance),
        min_group_size=size, parent_stride=keys.parent_stride, show_suppressed_n=show_suppressed_n,
        scale_points=_checked_points(scale_points, null_variance),
        **_published(release, groups, keys, "rwg", x),
    )
    return _frame(keys, cols, "rwg", {"variance": "variance"}, show_suppressed_n, release)


def rwg_j(
    items: Any,
    groups: Any,
    scale_points: int | None = None,
    *,
    null_variance: float | NullShape | None = None,
    method: Literal["james", "lindell"] = "james",
    missing: Literal["listwise", "pairwise"] = "listwise",
    scale: tuple[int, int] | None = None,
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
    min_group_size: int | None = None,
    show_suppressed_n: bool = False,
    release: Release | None = None,
) -> pd.DataFrame:
    """Agreement on a J-item scale for every group: rwg(j) or Lindell's r*wg(j), as R multilevel.

    With the mean item variance ``s̄²`` (n − 1 divisor) and ``r = s̄²/σ²_E``:

    * ``method="james"`` (``multilevel::rwg.j``): ``J(1 − r) / (J(1 − r) + r)``, 0 when ``s̄² > σ²_E``.
    * ``method="lindell"`` (``multilevel::rwg.j.lindell``): ``1 − r``, not truncated.

    Parameters
    ----------
    items : 2-D array-like or DataFrame
        One row per respondent, one column per item; NaN is missing.
    groups : array-like or DataFrame
        Group of each respondent (see ``engage.rwg``).
    scale_points, null_variance
        σ²_E and the check of the answers against the scale, as in ``engage.rwg``. ``scale_points`` defaults to
        the points of ``scale`` if given, else 5.
    method : {"james", "lindell"}
        The index; the result column is ``rwg_j`` or ``rwg_j_lindell``.
    missing : {"listwise", "pairwise"}
        ``"listwise"`` (default; multilevel 2.7 and the default before 2.8) uses only respondents who answered
        every item; ``"pairwise"`` computes each item's variance from everyone who answered it.
    scale : (low, high), optional
        The response scale, as in ``engage.engagement_index``: every answer must be a whole number from low to
        high, NaN or the ``dont_know`` code, otherwise an ``InvalidInputError`` names its row, column and value.
        Default None: only the span check of ``scale_points``.
    dont_know : float, optional
        The "don't know" code (e.g. 9): treated as missing.
    reverse : list of int or str, optional
        Reverse-keyed items (positions or column names), scored ``low + high - x``; needs ``scale``.
    min_group_size, show_suppressed_n, release
        Confidentiality, as in ``engage.rwg``.

    Returns
    -------
    DataFrame
        ``group``, ``rwg_j`` (or ``rwg_j_lindell``), ``n``, ``missing``, ``mean_variance`` (s̄²), ``suppressed``,
        ``suppression``.

    Examples
    --------
    >>> import engage
    >>> items = [[1, 2, 1], [2, 2, 1], [3, 3, 2], [4, 4, 4], [4, 5, 4], [5, 5, 4]]
    >>> teams = [1, 1, 1, 2, 2, 2]
    >>> t = engage.rwg_j(items, teams, min_group_size=1)
    >>> [round(v, 4) for v in t["rwg_j"]]
    [0.8864, 0.96]
    >>> [round(v, 4) for v in engage.rwg_j(items, teams, method="lindell", min_group_size=1)["rwg_j_lindell"]]
    [0.7222, 0.8889]
    >>> t = engage.rwg_j([[1, 2, 1], [2, 9, 1], [3, 3, 2], [4, 4, 4], [4, 5, 9], [5, 5, 4]], teams, scale=(1, 5),
    ...                  dont_know=9, min_group_size=1)
    >>> [round(v, 4) for v in t["rwg_j"]]
    [0.75, 0.9375]
    """
    check_choice(method, "method", ("james", "lindell"))
    points = _scale_points(scale_points, scale)
    keys = _groups(groups)
    size = _options(missing, min_group_size, release, show_suppressed_n)
    data = _items(items, "items", scale, dont_know, reverse)
    if data.ndim == 1:
        data = data.reshape(-1, 1)
    cols = _core.agreement_rwg_j(
        data, keys.keys, null_variance=_sigma2(points, null_variance), lindell=method == "lindell",
        missing=missing, min_group_size=size, parent_stride=keys.parent_stride, show_suppressed_n=show_suppressed_n,
        scale_points=_checked_points(points, null_variance),
        **_published(release, groups, keys, "rwg_j" if method == "james" else "rwg_j_lindell", items),
    )
    name = "rwg_j" if method == "james" else "rwg_j_lindell"
    return _frame(keys, cols, name, {"mean_variance": "variance"}, show_suppressed_n, release)


def ad_index(
    items: Any,
    groups: Any,
    type: Literal["mean", "median"] = "mean",
    *,
    missing: Literal["listwise", "pairwise"] = "listwise",
    scale: tuple[int, int] | None = None,
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
    min_group_size: int | None = None,
    show_suppressed_n: bool = False,
    release: Release | None = None,
) -> pd.DataFrame:
    """Average deviation index AD_M(J) for every group (Burke, Finkelstein & Dusig 1999), as ``multilevel::ad.m``.

    Per item, the mean absolute deviation of the group's answers from the item's group mean (``type="mean"``) or
    median (``type="median"``); averaged over items. Smaller is more agreement; a common practical cut-off is
    AD < A/6 on an A-point scale (0.83 on 5 points; Burke & Dunlap 2002).

    Parameters
    ----------
    items : array-like or DataFrame
        One item (1-D) or several (2-D, one column per item); NaN is missing.
    groups : array-like or DataFrame
        Group of each respondent (see ``engage.rwg``).
    type : {"mean", "median"}
        Centre of the deviations (multilevel's ``type``).
    missing, scale, dont_know, reverse, min_group_size, show_suppressed_n
        As in ``engage.rwg_j`` (``scale``: the check of ``engage.engagement_index``; default None, no check).

    Returns
    -------
    DataFrame
        ``group``, ``ad``, ``n``, ``missing``, ``suppressed``, ``suppression``; ``ad`` is NaN for a group with a
        single respondent (R: NA).

    Examples
    --------
    >>> import engage
    >>> t = engage.ad_index([1, 1, 2, 5, 3, 3, 4], ["a"] * 4 + ["b"] * 3, min_group_size=1)
    >>> t["ad"].round(4).tolist()
    [1.375, 0.4444]
    >>> engage.ad_index([1, 1, 2, 5], [0] * 4, "median", min_group_size=1)["ad"].tolist()
    [1.25]
    """
    check_choice(type, "type", ("mean", "median"))
    keys = _groups(groups)
    size = _options(missing, min_group_size, release, show_suppressed_n)
    cols = _core.agreement_ad(
        _items(items, "items", scale, dont_know, reverse), keys.keys, type=type, missing=missing, min_group_size=size,
        parent_stride=keys.parent_stride, show_suppressed_n=show_suppressed_n,
        **_published(release, groups, keys, "ad_index", items),
    )
    return _frame(keys, cols, "ad", {}, show_suppressed_n, release)


def awg(
    items: Any,
    groups: Any,
    scale: Sequence[float] = (1, 5),
    *,
    missing: Literal["listwise", "pairwise"] = "listwise",
    dont_know: float | None = None,
    reverse: Sequence[int | str] | None = None,
    min_group_size: int | None = None,
    show_suppressed_n: bool = False,
    release: Release | None = None,
) -> pd.DataFrame:
    """Brown & Hauenstein's (2005) a_wg for every group, as ``multilevel::awg``.

    ``a_wg = 1 − 2 s² / ([(H + L) M − M² − H L] · k/(k − 1))``: the group's variance ``s²`` relative to the largest
    variance possible for k answers on the scale [L, H] with mean M. Ranges from −1 (maximal disagreement) to 1.

    * NaN when M lies outside ``[L + (H − L)/k, H − (H − L)/k]`` (bounds included), where that maximum does not
      apply, and for a single answer; 1 when every answer is L or every answer is H.
    * Several items: the mean of the items' defined a_wg (``n_items`` counts them; NaN when none is defined).

    Parameters
    ----------
    items : array-like or DataFrame
        One item (1-D) or several (2-D); answers must lie on the scale; NaN is missing.
    groups : array-like or DataFrame
        Group of each respondent (see ``engage.rwg``).
    scale : (low, high)
        Lowest and highest response option (multilevel's ``range``), e.g. ``(1, 5)`` or ``(0, 4)``. Unlike the
        ``scale`` of ``engage.engagement_index`` (required here, as the formula needs it) answers may be any
        numbers in the range (a_wg of scale scores), so it is not checked for whole numbers; an answer outside it
        is an ``InvalidInputError`` naming its cell.
    dont_know : float, optional
        The "don't know" code (e.g. 9; must lie outside the scale): treated as missing.
    reverse : list of int or str, optional
        Reverse-keyed items (positions or column names), scored ``low + high - x``.
    missing, min_group_size, show_suppressed_n
        As in ``engage.rwg_j``.

    Returns
    -------
    DataFrame
        ``group``, ``awg``, ``n``, ``missing``, ``n_items``, ``suppressed``, ``suppression``.

    Examples
    --------
    >>> import engage
    >>> t = engage.awg([2, 4, 1, 1, 1, 5, 4, 4, 4], ["a", "a", "b", "b", "b", "b", "c", "c", "c"], min_group_size=1)
    >>> print(t[["group", "awg", "n"]].to_string(index=False))
    group  awg  n
        a  0.5  2
        b -1.0  4
        c  NaN  3
    """
    if isinstance(scale, (str, bytes)) or len(scale) != 2:
        raise InvalidInputError(f"scale = {scale!r}: expected (low, high), e.g. (1, 5)")
    low, high = (real_number(v, "scale") for v in scale)
    dk = None if dont_know is None else real_number(dont_know, "dont_know")
    if dk is not None and low <= dk <= high:
        raise InvalidInputError(f"dont_know = {dk:g}: lies on the scale [{low:g}, {high:g}]; the don't-know code "
                                "must be off the scale")
    keys = _groups(groups)
    size = _options(missing, min_group_size, release, show_suppressed_n)
    answers = _items(items, "items", None, dk)
    if reverse is not None:
        two = answers.reshape(len(answers), -1)
        names = list(items.columns) if isinstance(items, pd.DataFrame) else None
        flipped = reverse_columns(reverse, ItemMatrix(two, names, None))
        answers = answers.copy()
        answers.reshape(len(answers), -1)[:, flipped] = low + high - two[:, flipped]
    cols = _core.agreement_awg(
        answers, keys.keys, scale=(low, high), missing=missing, min_group_size=size,
        parent_stride=keys.parent_stride, show_suppressed_n=show_suppressed_n,
        **_published(release, groups, keys, "awg", items),
    )
    return _frame(keys, cols, "awg", {"n_items": "items"}, show_suppressed_n, release)


@dataclass(frozen=True, repr=False)
class IccResult(Result):
    """ICC(1) and ICC(2) of a variable by group, from the one-way ANOVA (as multilevel ``ICC1``/``ICC2``).

    Attributes
    ----------
    icc1 : float
        ``(MSB − MSW) / (MSB + (k̄ − 1) MSW)``: the share of the variance due to group membership.
    icc2 : float
        ``(MSB − MSW) / MSB``: the reliability of the group means.
    f, pvalue : float
        ``MSB / MSW`` and its upper-tail p-value on (df_between, df_within) degrees of freedom.
    df_between, df_within : int
        ``J − 1`` and ``N − J``.
    ms_between, ms_within : float
        Mean squares between and within groups.
    n_groups, n, missing : int
        Groups with an answer (J), answers used (N) and missing answers dropped.
    mean_group_size : float
        ``k̄ = N / J``, the group size the ICC(1) formula and its interval use (as multilevel and psych).
    """

    icc1: float
    icc2: float
    f: float
    pvalue: float
    df_between: int
    df_within: int
    ms_between: float
    ms_within: float
    n_groups: int
    n: int
    missing: int
    mean_group_size: float
    _core: Any = field(repr=False, compare=False)

    def confidence_interval(
        self, which: Literal["icc1", "icc2"] = "icc1", confidence_level: float = 0.95
    ) -> ConfidenceInterval:
        """F-based confidence interval for ICC(1) or ICC(2), as psych's ``statsBy``.

        With ``F_L = F / F₁₋α/₂(J − 1, N − J)`` and ``F_U = F · F₁₋α/₂(N − J, J − 1)``:
        ICC(1) ``[(F_L − 1)/(F_L + k̄ − 1), (F_U − 1)/(F_U + k̄ − 1)]``; ICC(2) ``[1 − 1/F_L, 1 − 1/F_U]``. The ICC(1)
        interval is exact for equal group sizes and, with unequal sizes, the usual approximation with the mean
        group size ``k̄ = N/J`` (not ``k₀``). When every group is internally constant (F infinite): ``[1, 1]``.

        Examples
        --------
        >>> import engage
        >>> r = engage.icc([3, 4, 3, 5, 4, 5, 1, 2, 2, 3, 2, 3], [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
        >>> low, high = r.confidence_interval("icc1")
        >>> round(low, 3), round(high, 3)
        (0.352, 0.986)
        """
        check_choice(which, "which", ("icc1", "icc2"))
        return ConfidenceInterval(*_core.agreement_icc_interval(self._core, which, level(confidence_level)))


def icc(x: Any, groups: Any) -> IccResult:
    """ICC(1) and ICC(2) of ``x`` by group: the aggregation statistics of the whole sample (no suppression).

    Same values as R ``multilevel::ICC1``/``ICC2`` on ``aov(x ~ as.factor(group))`` and ``psych::statsBy``.
    Missing answers are dropped; a group of one respondent counts in J and N but adds nothing within groups
    (df_within = N − J, as ``aov``); a group with no answer does not count.

    Parameters
    ----------
    x : array-like
        One value per respondent (an item or a scale score); NaN is missing.
    groups : array-like or DataFrame
        Group of each respondent.

    Returns
    -------
    IccResult
        ``icc1``, ``icc2``, ``f``, ``pvalue``, the ANOVA table figures, ``mean_group_size`` and
        ``confidence_interval(which="icc1"|"icc2", confidence_level=0.95)``.

    Raises
    ------
    InsufficientDataError
        Fewer than two groups with answers, no group with two answers, or no variance at all (0/0). When the
        groups differ but each is internally constant, ``f`` is ``inf`` and both ICCs are 1.

    Examples
    --------
    >>> import engage
    >>> r = engage.icc([3, 4, 3, 5, 4, 5, 1, 2, 2, 3, 2, 3], [1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4])
    >>> round(r.icc1, 4), round(r.icc2, 4), round(r.f, 2), r.df_between, r.df_within
    (0.8154, 0.9298, 14.25, 3, 8)
    """
    keys = _groups(groups)
    core = _core.agreement_icc(as_float_array(x, "x"), keys.keys)
    return IccResult(
        icc1=core.icc1,
        icc2=core.icc2,
        f=core.f,
        pvalue=core.pvalue,
        df_between=int(core.df_between),
        df_within=int(core.df_within),
        ms_between=core.ms_between,
        ms_within=core.ms_within,
        n_groups=int(core.n_groups),
        n=int(core.n),
        missing=int(core.missing),
        mean_group_size=core.mean_group_size,
        _core=core,
    )
