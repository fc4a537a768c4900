"""Correlation with honest uncertainty: linking engagement to outcomes such as customer satisfaction.

``engage.correlation`` gives Pearson's r, Spearman's ρ or Kendall's τ_b with its test and intervals;
``engage.partial_correlation`` controls for covariates; ``engage.correct_attenuation`` and
``engage.correct_range_restriction`` apply the psychometric corrections.

Conventions (the formulas and their sources are in ``include/engage/correlation.hpp``, METHODS.md section 5):

* Missing data: ``NaN`` (or pandas ``NA``) is missing. ``correlation`` drops a pair when x or y is missing
  (pairwise-complete); ``partial_correlation`` drops a row when any of x, y or a covariate is missing (listwise).
  The number dropped is the result's ``missing``. Positions are matched, not pandas indexes: two Series with
  different indexes are refused rather than silently misaligned.
* Tests: Pearson and Spearman use t = r·√(df/(1 − r²)) with df = n − 2 − k (k covariates), as
  ``scipy.stats.pearsonr``/``spearmanr`` and R ``cor.test``; Kendall's τ_b uses the normal test with the
  tie-corrected variance, as ``scipy.stats.kendalltau(method="asymptotic")`` and R ``cor.test(exact=FALSE)``
  (scipy's default ``method="auto"`` uses the exact distribution for n ≤ 33 without ties; engage never does).
* Intervals on Fisher's z scale: Fisher (Pearson, partial), Bonett–Wright (Spearman), Fieller (Kendall), or a
  paired bootstrap (percentile, BCa). One-sided alternatives give one-sided intervals, as scipy.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Any, Literal, Union, cast

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _core
from ._results import ConfidenceInterval, Result
from ._errors import InvalidInputError, InvalidTypeError
from ._validation import (
    FloatArray,
    as_float_array,
    check_choice,
    frame_floats,
    level,
    numeric_ndarray,
    optional_whole_number,
    real_number,
    resampling,
)
from .warnings import DegenerateDataWarning

__all__ = [
    "CorrectedCorrelation",
    "CorrelationBootstrap",
    "CorrelationResult",
    "DegenerateDataWarning",
    "correct_attenuation",
    "correct_range_restriction",
    "correlation",
    "partial_correlation",
]

CorrelationMethod = Literal["pearson", "spearman", "kendall"]
Alternative = Literal["two-sided", "less", "greater"]
IntervalMethod = Literal["fisher", "bonett-wright", "fieller", "bootstrap-percentile", "bca"]
BootstrapMethod = Literal["bootstrap-percentile", "bca"]

_METHODS = ("pearson", "spearman", "kendall")
_ALTERNATIVES = ("two-sided", "less", "greater")
_INTERVAL_METHODS = ("fisher", "bonett-wright", "fieller", "bootstrap-percentile", "bca")
_BOOTSTRAP_METHODS = ("bootstrap-percentile", "bca")



@dataclass(frozen=True, repr=False)
class CorrelationBootstrap(Result):
    """A paired bootstrap interval with its diagnostics.

    Attributes
    ----------
    low, high : float
        The interval; NaN when ``degenerate``. For a one-sided alternative the open end is −1 or 1.
    confidence_level : float
    method : str
        ``"bootstrap-percentile"`` or ``"bca"``.
    n_resamples : int
        Resamples drawn.
    dropped : int
        Resamples whose statistic was undefined (a constant variable, collinear covariates); excluded.
    degenerate : bool
        No interval could be formed; ``reason`` says why (for example every resample gave the same value).
    reason : str
        Empty unless ``degenerate``.
    standard_error : float
        Standard deviation (divisor B − 1) of the usable resampled statistics.
    bias_correction, acceleration : float
        BCa's z0 and jackknife acceleration a (NaN for the percentile method).
    bootstrap_distribution : numpy.ndarray
        The resampled statistics in resample order (NaN for dropped resamples).
    """

    low: float
    high: float
    confidence_level: float
    method: str
    n_resamples: int
    dropped: int
    degenerate: bool
    reason: str
    standard_error: float
    bias_correction: float
    acceleration: float
    bootstrap_distribution: npt.NDArray[np.float64] = field(repr=False, compare=False)


@dataclass(frozen=True, repr=False)
class CorrelationResult(Result):
    """A correlation (or partial correlation) with its test.

    Attributes
    ----------
    statistic : float
        Pearson's r, Spearman's ρ or Kendall's τ_b (the partial coefficient when ``covariates`` > 0).
    pvalue : float
        Of H0 "no association" against ``alternative``.
    n : int
        Complete pairs (rows) used.
    missing : int
        Pairs (rows) dropped because a value was missing.
    method : str
        ``"pearson"``, ``"spearman"`` or ``"kendall"``.
    alternative : str
        ``"two-sided"``, ``"less"`` or ``"greater"``.
    covariates : int
        Number of covariates partialled out (0 for a plain correlation).
    test_statistic : float
        t (Pearson, Spearman, with ``df`` degrees of freedom) or z (Kendall).
    df : float
        n − 2 − covariates for the t tests; NaN for Kendall (normal test).
    """

    statistic: float
    pvalue: float
    n: int
    missing: int
    method: str
    alternative: str
    covariates: int
    test_statistic: float
    df: float
    _core: Any = field(repr=False, compare=False)
    _x: FloatArray | None = field(default=None, repr=False, compare=False)
    _y: FloatArray | None = field(default=None, repr=False, compare=False)
    _z: npt.NDArray[np.float64] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def _from_core(cls, r: Any, **private: Any) -> CorrelationResult:
        return cls(
            statistic=r.statistic,
            pvalue=r.pvalue,
            n=int(r.n),
            missing=int(r.missing),
            method=r.method,
            alternative=r.alternative,
            covariates=int(r.covariates),
            test_statistic=r.test_statistic,
            df=r.df,
            _core=r,
            **private,
        )

    def confidence_interval(
        self,
        confidence_level: float = 0.95,
        method: IntervalMethod | None = None,
        *,
        n_resamples: int = 9999,
        seed: int = 0,
    ) -> ConfidenceInterval:
        """Confidence interval of the coefficient (one-sided when the test is).

        Parameters
        ----------
        confidence_level : float
            In (0, 1).
        method : {None, "fisher", "bonett-wright", "fieller", "bootstrap-percentile", "bca"}
            ``None`` (default) picks the method's standard interval: Fisher z for Pearson and partial
            correlations (SE 1/√(n − 3 − k), as scipy and R), Bonett–Wright for Spearman (SE √((1 + ρ²/2)/(n − 3))),
            Fieller for Kendall (SE √(0.437/(n − 4))). ``"fieller"`` for Spearman uses √(1.06/(n − 3)).
            ``"bootstrap-percentile"`` and ``"bca"`` resample pairs (rows); see :meth:`bootstrap`.
        n_resamples, seed : int
            Bootstrap only. The interval depends on the seed only, never on the number of threads.

        Warns
        -----
        DegenerateDataWarning
            Bootstrap only: no interval could be formed (NaN is returned), or some resamples were dropped.

        Examples
        --------
        >>> import engage
        >>> r = engage.correlation([3, 5, 4, 6, 8, 7, 9, 10], [2, 4, 5, 4, 7, 8, 8, 9])
        >>> low, high = r.confidence_interval()
        >>> round(low, 3), round(high, 3)
        (0.562, 0.983)
        """
        if method is not None:
            check_choice(method, "method", _INTERVAL_METHODS)
        confidence_level = level(confidence_level)
        if method in _BOOTSTRAP_METHODS:
            b = self.bootstrap(
                confidence_level, cast(BootstrapMethod, method), n_resamples=n_resamples, seed=seed, _warn=False
            )
            if b.degenerate:
                warnings.warn(f"bootstrap interval not defined: {b.reason}", DegenerateDataWarning, stacklevel=2)
            elif b.dropped:
                warnings.warn(
                    f"{b.dropped} of {b.n_resamples} resamples had an undefined statistic (a constant variable or "
                    "collinear covariates) and were dropped; the interval uses the others",
                    DegenerateDataWarning,
                    stacklevel=2,
                )
            return ConfidenceInterval(b.low, b.high)
        low, high = _core.correlation_confidence_interval(self._core, confidence_level, method)
        return ConfidenceInterval(low, high)

    def bootstrap(
        self,
        confidence_level: float = 0.95,
        method: BootstrapMethod = "bca",
        *,
        n_resamples: int = 9999,
        seed: int = 0,
        _warn: bool = True,
    ) -> CorrelationBootstrap:
        """Paired bootstrap interval with its diagnostics.

        Rows (x_i, y_i[, covariates_i]) are resampled with replacement and the statistic recomputed (Spearman
        re-ranks, Kendall re-counts ties). ``"bca"`` (default) corrects the percentile levels for bias (z0, from the
        share of resampled statistics below the estimate) and skewness (the jackknife acceleration), as
        ``scipy.stats.bootstrap(paired=True, method="BCa")``; R's ``boot.ci(type="bca")`` estimates the
        acceleration by regression instead and gives slightly different ends. Resamples draw from engage's own
        xoshiro256** streams, so results differ from scipy's by Monte Carlo error only.

        Examples
        --------
        >>> import engage
        >>> r = engage.correlation([3, 5, 4, 6, 8, 7, 9, 10], [2, 4, 5, 4, 7, 8, 8, 9])
        >>> b = r.bootstrap(n_resamples=2000, seed=1)
        >>> b.method, b.n_resamples, b.degenerate
        ('bca', 2000, False)
        """
        check_choice(method, "method", _BOOTSTRAP_METHODS)
        confidence_level = level(confidence_level)
        n_resamples, seed = resampling(n_resamples, seed)
        if self._x is None or self._y is None:
            raise InvalidInputError(
                "bootstrap intervals need the data; this result was built from a reported coefficient"
            )
        common: dict[str, Any] = dict(
            method=self.method,
            alternative=self.alternative,
            confidence_level=confidence_level,
            ci_method=method,
            n_resamples=n_resamples,
            seed=seed,
        )
        if self._z is None:
            d = _core.correlation_bootstrap(self._x, self._y, **common)
        else:
            d = _core.partial_correlation_bootstrap(self._x, self._y, self._z, **common)
        b = CorrelationBootstrap(**d)
        if _warn and b.degenerate:
            warnings.warn(f"bootstrap interval not defined: {b.reason}", DegenerateDataWarning, stacklevel=2)
        return b


def _same_index(x: Any, y: Any, what: str) -> None:
    if isinstance(x, (pd.Series, pd.DataFrame)) and isinstance(y, (pd.Series, pd.DataFrame)):
        if not x.index.equals(y.index):
            raise InvalidInputError(
                f"{what} are pandas objects with different indexes; engage pairs values by position, so align "
                "them first (for example x, y = x.align(y, join='inner'))"
            )


def correlation(
    x: Any,
    y: Any,
    method: CorrelationMethod = "pearson",
    alternative: Alternative = "two-sided",
) -> CorrelationResult:
    """Correlation of paired data with its test: Pearson's r, Spearman's ρ or Kendall's τ_b.

    Parameters
    ----------
    x, y : array-like
        Paired values (position i of ``x`` goes with position i of ``y``); NaN or pandas NA is missing and the pair
        is dropped (pairwise-complete), counted in ``missing``.
    method : {"pearson", "spearman", "kendall"}
        Spearman's ρ is Pearson's r of mid-ranks. Kendall's τ_b (ties corrected) is computed in O(n log n).
    alternative : {"two-sided", "less", "greater"}
        Of the test; ``"greater"`` tests for a positive association.

    Returns
    -------
    CorrelationResult
        ``statistic``, ``pvalue``, ``n``, ``missing``, ``test_statistic``, ``df``; ``confidence_interval()`` and
        ``bootstrap()``.

    Raises
    ------
    InvalidInputError
        Mismatched lengths, infinite values, a constant variable (the message names it).
    InsufficientDataError
        Fewer than 3 complete pairs.
    TypeError
        Non-numeric input.

    Examples
    --------
    >>> import engage
    >>> engagement = [3.1, 3.8, 4.2, 2.9, 4.5, 3.6, 4.0, float("nan")]
    >>> csat = [71, 78, 80, 69, 86, 75, 77, 90]
    >>> r = engage.correlation(engagement, csat)
    >>> round(r.statistic, 4), round(r.pvalue, 5), r.n, r.missing
    (0.971, 0.00027, 7, 1)
    >>> round(engage.correlation(engagement, csat, method="kendall").statistic, 4)
    0.9048
    """
    check_choice(method, "method", _METHODS)
    check_choice(alternative, "alternative", _ALTERNATIVES)
    _same_index(x, y, "x and y")
    # Private copies: a later bootstrap must see the data as it was, even if the caller's arrays change.
    xs, ys = as_float_array(x, "x").copy(), as_float_array(y, "y").copy()
    core = _core.correlation(xs, ys, method, alternative)
    return CorrelationResult._from_core(core, _x=xs, _y=ys)


_COLUMN = re.compile(r"covariates column (\d+)")


def _covariate_matrix(covariates: Any) -> tuple[npt.NDArray[np.float64], list[str] | None]:
    """(n, k) C-contiguous float64 matrix and the column names (DataFrame input) for error messages."""
    names: list[str] | None = None
    if isinstance(covariates, pd.DataFrame):
        names = [str(c) for c in covariates.columns]
        z = frame_floats(covariates, "covariates", allow_bool=True)
    elif isinstance(covariates, pd.Series):
        z = as_float_array(covariates, "covariates", allow_bool=True)[:, None]
        names = [str(covariates.name)] if covariates.name is not None else None
    else:
        arr = numeric_ndarray(covariates, "covariates", allow_bool=True)
        if arr.ndim == 1:
            z = as_float_array(arr, "covariates", allow_bool=True)[:, None]
        elif arr.ndim == 2:
            z = arr
        else:
            raise InvalidInputError(f"covariates must be 1-D (one covariate) or 2-D (rows = observations); got shape {arr.shape}")
    return np.ascontiguousarray(z, dtype=np.float64), names


def partial_correlation(
    x: Any,
    y: Any,
    covariates: Any,
    method: Literal["pearson", "spearman"] = "pearson",
    alternative: Alternative = "two-sided",
) -> CorrelationResult:
    """Partial correlation of x and y controlling for one or more covariates.

    The correlation of the residuals of x and y after least squares on the covariates (equal to
    −P_xy/√(P_xx P_yy) with P the inverse correlation matrix), tested with t on df = n − 2 − k; the default interval
    is Fisher's with SE 1/√(n − 3 − k). Matches ``pingouin.partial_corr`` and R (``psych::partial.r``).

    Parameters
    ----------
    x, y : array-like
        The two variables.
    covariates : array-like or DataFrame
        One covariate (1-D) or several (2-D, one column each; a DataFrame's column names appear in error messages).
    method : {"pearson", "spearman"}
        ``"spearman"`` ranks every column first (as pingouin); its default interval is Fisher's, as pingouin.
    alternative : {"two-sided", "less", "greater"}

    Returns
    -------
    CorrelationResult
        With ``covariates`` = k. Rows with any missing value are dropped (listwise) and counted in ``missing``.

    Raises
    ------
    InvalidInputError
        Constant or collinear covariates, x or y a linear function of the covariates, mismatched lengths.
    InsufficientDataError
        Fewer than 3 + k complete rows.

    Examples
    --------
    >>> import engage
    >>> rating = [43, 63, 71, 61, 81, 43, 58, 71, 72, 67]
    >>> complaints = [51, 64, 70, 63, 78, 55, 67, 75, 82, 61]
    >>> learning = [39, 54, 69, 47, 66, 44, 56, 55, 67, 47]
    >>> r = engage.partial_correlation(rating, complaints, learning)
    >>> round(r.statistic, 4), r.df, r.covariates
    (0.5838, 7.0, 1)
    """
    check_choice(method, "method", ("pearson", "spearman"))
    check_choice(alternative, "alternative", _ALTERNATIVES)
    _same_index(x, y, "x and y")
    _same_index(x, covariates, "x and covariates")
    xs, ys = as_float_array(x, "x").copy(), as_float_array(y, "y").copy()
    z, names = _covariate_matrix(covariates)
    z = z.copy()
    try:
        core = _core.partial_correlation(xs, ys, z, method, alternative)
    except _core.InvalidInputError as err:
        if names is None:
            raise
        text = _COLUMN.sub(lambda m: f"covariates column {names[int(m.group(1))]!r}", str(err))
        raise InvalidInputError(text) from None
    return CorrelationResult._from_core(core, _x=xs, _y=ys, _z=z)


@dataclass(frozen=True, repr=False)
class CorrectedCorrelation(Result):
    """A corrected correlation.

    Attributes
    ----------
    statistic : float
        The corrected value. For attenuation it can exceed 1 in absolute value (reliabilities underestimated, or
        r inflated by sampling error); see ``exceeds_one``.
    clipped : float
        ``statistic`` clipped to [−1, 1].
    exceeds_one : bool
        ``abs(statistic) > 1``.
    observed : float
        The uncorrected r.
    correction : str
        ``"attenuation"`` or ``"range restriction"``.
    n : int or None
        Sample size of the observed r, when known (needed for ``confidence_interval``).
    """

    statistic: float
    clipped: float
    exceeds_one: bool
    observed: float
    correction: str
    n: int | None
    _args: tuple[float, ...] = field(repr=False, compare=False)
    _source: CorrelationResult | None = field(default=None, repr=False, compare=False)

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Interval of the corrected correlation: the observed r's interval with both ends corrected (and clipped).

        The observed interval is the result's default analytic interval when a ``CorrelationResult`` was corrected,
        else Fisher's for ``n`` (psychmeta ``correct_r`` does the same).

        Examples
        --------
        >>> import engage
        >>> c = engage.correct_attenuation(0.3, rxx=0.8, ryy=0.7, n=100)
        >>> low, high = c.confidence_interval()
        >>> round(low, 3), round(high, 3)
        (0.147, 0.626)
        """
        confidence_level = level(confidence_level)
        if self._source is not None:
            low, high = self._source.confidence_interval(confidence_level)
        elif self.n is not None:
            core = _core.correlation_from_statistic(self.observed, self.n)
            low, high = _core.correlation_confidence_interval(core, confidence_level, None)
        else:
            raise InvalidInputError(
                "confidence_interval needs the sample size of the observed r: pass n= (or correct a "
                "CorrelationResult from engage.correlation)"
            )
        fix = _core.correct_attenuation if self.correction == "attenuation" else _core.correct_range_restriction
        return ConfidenceInterval(fix(low, *self._args)["clipped"], fix(high, *self._args)["clipped"])


RLike = Union[float, CorrelationResult]


def _observed(r: RLike, n: int | None) -> tuple[float, int | None, CorrelationResult | None]:
    if isinstance(r, CorrelationResult):
        optional_whole_number(n, "n", 4)
        if n is not None and n != r.n:
            raise InvalidInputError(f"n = {n!r} conflicts with the result's n = {r.n}")
        return r.statistic, r.n, r
    if isinstance(r, (bool, np.bool_)) or not isinstance(r, (int, float, np.integer, np.floating)):
        raise InvalidTypeError(f"r must be a number or an engage CorrelationResult; got {type(r).__name__}")
    return real_number(r, "r"), optional_whole_number(n, "n", 4), None


def correct_attenuation(r: RLike, rxx: float, ryy: float = 1.0, *, n: int | None = None) -> CorrectedCorrelation:
    """Correct a correlation for measurement error (attenuation): ρ = r / √(r_xx · r_yy).

    Parameters
    ----------
    r : float or CorrelationResult
        The observed correlation (a result from ``engage.correlation`` carries its n and interval).
    rxx, ryy : float
        Reliabilities of x and y in (0, 1] (for example Cronbach's α); ``ryy=1`` corrects x only.
    n : int, optional
        Sample size of ``r`` when it is a number, for ``confidence_interval()``.

    Returns
    -------
    CorrectedCorrelation
        ``statistic`` may exceed 1 (then ``exceeds_one`` is True and ``clipped`` is ±1): the reliabilities are too
        low for this r, or r is inflated by sampling error. Report it rather than hide it.

    Examples
    --------
    >>> import engage
    >>> c = engage.correct_attenuation(0.8254, rxx=0.8, ryy=0.7)
    >>> round(c.statistic, 3), c.exceeds_one, c.clipped
    (1.103, True, 1.0)
    """
    value, size, source = _observed(r, n)
    rxx, ryy = real_number(rxx, "rxx"), real_number(ryy, "ryy")
    d = _core.correct_attenuation(value, rxx, ryy)
    return CorrectedCorrelation(
        correction="attenuation", n=size, _args=(rxx, ryy), _source=source, **d
    )


def correct_range_restriction(r: RLike, u: float, *, n: int | None = None) -> CorrectedCorrelation:
    """Correct a correlation for direct range restriction on x (Thorndike Case II).

    r_c = (r/u) / √(1 + r²(1/u² − 1)) with u = SD_restricted / SD_unrestricted of x, for example the SD of
    engagement among the surveyed (or retained) staff over its SD in the whole workforce. Always within [−1, 1].
    Matches psychmeta ``correct_r(correction="uvdrr_x")`` and psychometric ``cRRr``.

    Parameters
    ----------
    r : float or CorrelationResult
        Observed correlation in the restricted sample.
    u : float
        Ratio of standard deviations, > 0 (u < 1: restricted; u > 1: enhanced range).
    n : int, optional
        Sample size of ``r`` when it is a number, for ``confidence_interval()``.

    Examples
    --------
    >>> import engage
    >>> c = engage.correct_range_restriction(0.3, u=0.7, n=100)
    >>> round(c.statistic, 4), [round(v, 3) for v in c.confidence_interval()]
    (0.4098, [0.156, 0.604])
    """
    value, size, source = _observed(r, n)
    u = real_number(u, "u")
    d = _core.correct_range_restriction(value, u)
    return CorrectedCorrelation(correction="range restriction", n=size, _args=(u,), _source=source, **d)
