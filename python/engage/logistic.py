"""Churn risk: logistic regression with inference, and how good a risk score is.

``LogisticRegression`` fits P(leave) = 1 / (1 + exp(−(β₀ + Xβ))) by Newton–Raphson (IRLS) in C++, with standard
errors, z, p-values and Wald intervals (R ``glm(family = binomial)`` / statsmodels ``Logit``), an optional ridge
penalty with its convention stated, and clear errors for separation, collinear or constant columns and
non-convergence. Model quality: ``roc_auc`` (DeLong standard error and interval), ``roc_auc_compare`` (paired
DeLong test), ``concordance_index`` (Harrell's C with R survival's tie rules), ``time_dependent_auc``
(cumulative/dynamic AUC at a horizon with inverse-probability-of-censoring weights, for a Cox model's risk score),
``brier_score`` and ``calibration_table`` (observed vs predicted by risk bins, Wilson intervals).

Sign convention of every score: **higher = higher risk** (more likely to leave, sooner). lifelines'
``concordance_index`` expects the opposite (higher = longer survival), so ``engage.concordance_index(t, s, e)``
equals lifelines' ``concordance_index(t, -s, e)`` up to lifelines' different tie rules.

Missing data: ``NaN`` (or pandas NA) is missing. ``LogisticRegression.fit`` drops rows with a missing outcome or
predictor (listwise, as R's ``na.omit``) and reports how many in ``missing_``; the model-quality functions drop rows
with a missing value in any of their arguments and report ``missing``.

Formulas and sources are in the C++ headers ``include/engage/logistic.hpp`` and ``include/engage/model_quality.hpp``.
"""

from __future__ import annotations

import html
import warnings
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ._errors import InvalidInputError, InvalidTypeError
from . import _core
from ._core import SeparationError
from ._results import ConfidenceInterval, Result
from ._validation import (
    FloatArray,
    as_float_array,
    check_choice,
    frame_floats,
    level,
    numeric_ndarray,
    real_number,
    whole_number,
)
from .warnings import SeparationWarning

__all__ = [
    "BrierScoreResult",
    "ConcordanceResult",
    "LogisticRegression",
    "RocAucComparison",
    "RocAucResult",
    "SeparationError",
    "SeparationWarning",
    "brier_score",
    "calibration_table",
    "concordance_index",
    "TimeDependentAucResult",
    "roc_auc",
    "roc_auc_compare",
    "time_dependent_auc",
]

AucIntervalMethod = Literal["delong", "delong-logit"]
_AUC_METHODS = ("delong", "delong-logit")



def _design(X: Any, name: str = "X") -> tuple[FloatArray, list[str] | None, pd.Index | None]:
    """A C-contiguous float64 matrix, the column names (DataFrames only) and the row index (DataFrames only)."""
    if isinstance(X, pd.Series):
        X = X.to_frame()
    if isinstance(X, pd.DataFrame):
        arr = frame_floats(X, name, allow_bool=True, hint=". Encode categories first, for example "
                           "pd.get_dummies(X, drop_first=True, dtype=float)")
        return arr, [str(c) for c in X.columns], X.index
    arr = numeric_ndarray(X, name, allow_bool=True)
    if arr.ndim != 2:
        hint = "; for a single column use X.reshape(-1, 1)" if arr.ndim == 1 else ""
        raise InvalidInputError(f"{name} must be 2-D (rows x columns); got shape {arr.shape}{hint}")
    return np.ascontiguousarray(arr, dtype=np.float64), None, None


def _outcome(y: Any, name: str = "y") -> FloatArray:
    if isinstance(y, pd.DataFrame):
        if y.shape[1] != 1:
            raise InvalidInputError(f"{name} must be one column; got a DataFrame with {y.shape[1]} columns")
        y = y.iloc[:, 0]
    return as_float_array(y, name, allow_bool=True)


class LogisticRegression:
    """Logistic regression (churn model) with standard errors, p-values and intervals.

    Parameters
    ----------
    penalizer : float, default 0
        Ridge (L2) penalty λ ≥ 0. The fit maximises ``loglik(β) − 0.5·λ·Σⱼ βⱼ²`` over the slopes, on the scale of
        the columns as given (standardise them yourself if the penalty should treat them alike); the intercept is
        not penalised. scikit-learn's ``C`` is ``1/λ``; glmnet's ``lambda`` (``alpha=0, standardize=FALSE``) is
        ``λ/n``. With λ > 0 the standard errors come from the penalised Hessian ``(X'WX + λI)⁻¹`` (a
        posterior-mode approximation; ``penalized_`` is True and the summary says so), and ``aic_`` uses the
        effective degrees of freedom ``trace((X'WX + λI)⁻¹ X'WX)``.
    fit_intercept : bool, default True
    max_iter : int, default 100
        Newton steps; failing to converge raises ``engage.ConvergenceError``.
    tol : float, default 1e-10
        Stop when the relative change of the (penalised) deviance, ``|D − D_old| / (|D| + 0.1)`` (R's criterion),
        is below ``tol``. R's default 1e-8 stops one step earlier; 1e-10 costs at most one more step and gives
        estimates and standard errors equal to the exact maximum-likelihood values to about 1e-11.
    confidence_level : float, default 0.95
        Level of ``confidence_intervals_`` and of the summary's intervals.
    separation : {"raise", "warn"}, default "raise"
        Separation (some combination of the columns predicts the outcome perfectly, for example a department in
        which everyone left) means the maximum-likelihood estimates do not exist: the coefficients grow without
        bound. R and statsmodels return huge numbers, sometimes without a warning. ``"raise"`` raises
        ``engage.SeparationError`` naming the columns; ``"warn"`` returns the diverged fit with ``separation_``
        True and emits ``SeparationWarning``. A penalised fit (``penalizer > 0``) always has a finite solution.

    Attributes
    ----------
    params_, standard_errors_, z_, pvalues_ : pandas.Series
        Indexed by parameter: ``"intercept"`` first (when fitted), then the column names (``"x0"``, ``"x1"``, …
        for arrays).
    confidence_intervals_ : pandas.DataFrame
        Wald intervals (``low``, ``high``) at ``confidence_level`` (R ``confint.default``).
    covariance_ : pandas.DataFrame
    deviance_, null_deviance_, log_likelihood_, aic_ : float
        Unpenalised; the null model has only the intercept (or μ = ½ for every row without one).
    n_, events_, missing_, df_residual_, n_iter_ : int
    converged_, penalized_, separation_ : bool
    effective_df_ : float
    separating_columns_ : list of str
        Columns along which the fit diverged (separation only).
    summary : pandas.DataFrame
        One row per parameter (coefficient, odds ratio, standard error, z, p, intervals); ``to_frame()`` returns it
        with the fit statistics in ``attrs``; ``print_summary()`` prints both; notebooks display both.

    Examples
    --------
    >>> import pandas as pd
    >>> import engage
    >>> df = pd.DataFrame({
    ...     "engagement": [4.5, 3.9, 2.1, 3.3, 1.8, 4.2, 2.6, 3.0, 2.2, 4.8, 3.5, 2.9],
    ...     "overtime": [0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0],
    ...     "left": [0, 0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1]})
    >>> model = engage.LogisticRegression().fit(df[["engagement", "overtime"]], df["left"])
    >>> model.params_.round(3).to_dict()
    {'intercept': 7.51, 'engagement': -2.745, 'overtime': 1.274}
    >>> round(float(model.pvalues_["engagement"]), 3)
    0.105
    >>> model.predict_proba(pd.DataFrame({"engagement": [2.0, 4.0], "overtime": [1, 0]})).round(3).tolist()
    [0.964, 0.03]
    """

    def __init__(
        self,
        penalizer: float = 0.0,
        fit_intercept: bool = True,
        max_iter: int = 100,
        tol: float = 1e-10,
        *,
        confidence_level: float = 0.95,
        separation: Literal["raise", "warn"] = "raise",
    ) -> None:
        self.penalizer = penalizer
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol
        self.confidence_level = confidence_level
        self.separation = separation

    def __repr__(self) -> str:
        head = (
            f"LogisticRegression(penalizer={self.penalizer!r}, fit_intercept={self.fit_intercept!r}, "
            f"max_iter={self.max_iter!r}, tol={self.tol!r})"
        )
        if not hasattr(self, "params_"):
            return head
        coefs = ", ".join(f"{k}={v:.6g}" for k, v in self.params_.items())
        return f"{head} fitted: {self._fit_line()}; coef: {coefs}"

    def _fit_line(self) -> str:
        state = "converged" if self.converged_ else "NOT converged"
        if self.separation_:
            state = "SEPARATION (estimates meaningless)"
        return (
            f"{self.n_} rows ({self.events_} events, {self.missing_} dropped as missing), deviance "
            f"{self.deviance_:.6g} (null {self.null_deviance_:.6g}), AIC {self.aic_:.6g}, {self.n_iter_} "
            f"iterations, {state}"
        )

    def _repr_html_(self) -> str:
        """Notebook display: the fit statistics and the summary table (or the settings when not fitted)."""
        if not hasattr(self, "params_"):
            return f"<pre>{html.escape(repr(self))}</pre>"
        caption = html.escape(f"engage.LogisticRegression: {self._fit_line()}")
        table = self.summary.to_html(float_format=lambda v: f"{v:.6g}")
        return f"<div><p>{caption}</p>{table}</div>"

    def to_frame(self) -> pd.DataFrame:
        """The summary table (one row per parameter) with the fit statistics in ``attrs``."""
        frame = self.summary
        frame.attrs.update(
            n=self.n_, events=self.events_, missing=self.missing_, deviance=self.deviance_,
            null_deviance=self.null_deviance_, aic=self.aic_, log_likelihood=self.log_likelihood_,
            n_iter=self.n_iter_, converged=self.converged_, penalized=self.penalized_, separation=self.separation_,
        )
        return frame

    def fit(self, X: Any, y: Any) -> LogisticRegression:
        """Fit the model; returns ``self``.

        Parameters
        ----------
        X : 2-D array-like or pandas.DataFrame
            Predictors, one column each (numeric or boolean; encode categories as dummies first).
        y : array-like of 0/1 or bool
            The outcome (1 = left). NaN / NA is missing.

        Raises
        ------
        InvalidInputError
            Outcomes other than 0/1, infinite values, constant or collinear columns (named), bad options.
        InsufficientDataError
            No complete rows, no variation in y, not more rows than parameters.
        SeparationError
            Separation, with ``separation="raise"`` (see the class docstring).
        ConvergenceError
            No convergence within ``max_iter`` steps.

        Examples
        --------
        >>> import engage
        >>> X = [[1.0], [2.0], [3.0], [4.0], [5.0], [6.0], [7.0], [8.0]]
        >>> model = engage.LogisticRegression().fit(X, [0, 0, 1, 0, 1, 0, 1, 1])
        >>> round(float(model.params_["x0"]), 4), model.n_iter_, model.converged_
        (0.5941, 5, True)
        """
        check_choice(self.separation, "separation", ("raise", "warn"))
        if not isinstance(self.fit_intercept, (bool, np.bool_)):
            raise InvalidTypeError(f"fit_intercept must be True or False; got {self.fit_intercept!r}")
        penalizer = real_number(self.penalizer, "penalizer")
        max_iter = whole_number(self.max_iter, "max_iter", 1)
        tol = real_number(self.tol, "tol")
        confidence_level = level(self.confidence_level)
        x, names, _ = _design(X)
        yv = _outcome(y)
        if names is not None and len(set(names)) != len(names):
            dup = sorted({n for n in names if names.count(n) > 1})
            raise InvalidInputError(f"X has duplicate column names: {', '.join(repr(d) for d in dup)}")
        if names is not None and self.fit_intercept and "intercept" in names:
            raise InvalidInputError(
                "X has a column named 'intercept' and fit_intercept is True: the fitted intercept is named "
                "'intercept'; rename or drop the column (or fit with fit_intercept=False)"
            )
        r = _core.logistic_fit(
            x,
            yv,
            penalizer=penalizer,
            fit_intercept=bool(self.fit_intercept),
            max_iter=max_iter,
            tol=tol,
            separation="raise" if self.separation == "raise" else "flag",
            column_names=names if names is not None else [],
        )
        index = pd.Index(list(r["names"]), name="parameter")
        self.feature_names_in_: list[str] | None = names
        self.n_features_in_: int = x.shape[1]
        self.params_ = pd.Series(r["params"], index=index, name="coef")
        self.standard_errors_ = pd.Series(r["standard_errors"], index=index, name="standard_error")
        self.z_ = pd.Series(r["z"], index=index, name="z")
        self.pvalues_ = pd.Series(r["pvalues"], index=index, name="pvalue")
        self.covariance_ = pd.DataFrame(r["covariance"], index=index, columns=index)
        low, high = _core.logistic_confidence_intervals(r["params"], r["standard_errors"], confidence_level)
        self.confidence_intervals_ = pd.DataFrame({"low": low, "high": high}, index=index)
        self.deviance_: float = r["deviance"]
        self.null_deviance_: float = r["null_deviance"]
        self.log_likelihood_: float = r["log_likelihood"]
        self.aic_: float = r["aic"]
        self.effective_df_: float = r["effective_df"]
        self.n_: int = int(r["n"])
        self.events_: int = int(r["events"])
        self.missing_: int = int(r["missing"])
        self.df_residual_: int = int(r["df_residual"])
        self.n_iter_: int = int(r["n_iter"])
        self.converged_: bool = bool(r["converged"])
        self.penalized_: bool = bool(r["penalized"])
        self.separation_: bool = bool(r["separation"])
        self.separating_columns_: list[str] = list(r["separating_columns"])
        if self.separation_:
            warnings.warn(
                f"separation: the outcome is perfectly predicted for {r['perfectly_predicted']} of {self.n_} rows "
                f"by column(s) {', '.join(repr(c) for c in self.separating_columns_)}; the maximum-likelihood "
                "estimates do not exist and the reported coefficients and standard errors are meaningless. "
                "Remove or merge the column(s), or fit with penalizer > 0",
                SeparationWarning,
                stacklevel=2,
            )
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "params_"):
            raise RuntimeError("this LogisticRegression is not fitted yet: call fit(X, y) first")

    @property
    def summary(self) -> pd.DataFrame:
        """One row per parameter: coef, odds_ratio, standard_error, z, pvalue, low, high (at
        ``confidence_level``) and the interval on the odds-ratio scale."""
        self._check_fitted()
        ci = self.confidence_intervals_
        return pd.DataFrame(
            {
                "coef": self.params_,
                "odds_ratio": np.exp(self.params_),
                "standard_error": self.standard_errors_,
                "z": self.z_,
                "pvalue": self.pvalues_,
                "low": ci["low"],
                "high": ci["high"],
                "odds_ratio_low": np.exp(ci["low"]),
                "odds_ratio_high": np.exp(ci["high"]),
            },
            index=self.params_.index,
        )

    def print_summary(self, decimals: int = 4) -> None:
        """Print the fit statistics and the summary table."""
        self._check_fitted()
        level = f"{100 * self.confidence_level:g}%"
        lines = [
            "engage.LogisticRegression",
            f"  rows used            {self.n_} ({self.events_} events; {self.missing_} dropped for missing values)",
            f"  penalizer            {self.penalizer:g}"
            + (" (ridge; standard errors from the penalised Hessian)" if self.penalized_ else ""),
            f"  log-likelihood       {self.log_likelihood_:.{decimals}f}",
            f"  deviance             {self.deviance_:.{decimals}f} on {self.df_residual_} df "
            f"(null {self.null_deviance_:.{decimals}f})",
            f"  AIC                  {self.aic_:.{decimals}f}",
            f"  iterations           {self.n_iter_} ({'converged' if self.converged_ else 'NOT converged'})",
            f"  intervals            Wald, {level}",
        ]
        if self.separation_:
            lines.append(f"  SEPARATION           along {', '.join(self.separating_columns_)}: estimates meaningless")
        print("\n".join(lines))
        print(self.summary.to_string(float_format=lambda v: f"{v:.{decimals}g}"))

    def _aligned(self, X: Any) -> tuple[FloatArray, pd.Index | None]:
        self._check_fitted()
        if isinstance(X, pd.DataFrame) and self.feature_names_in_ is not None:
            absent = [c for c in self.feature_names_in_ if c not in {str(k) for k in X.columns}]
            if absent:
                raise InvalidInputError(f"X lacks the fitted column(s) {', '.join(repr(a) for a in absent)}")
            X = X.rename(columns=str)[self.feature_names_in_]
        x, _, index = _design(X)
        if x.shape[1] != self.n_features_in_:
            raise InvalidInputError(f"X has {x.shape[1]} columns but the model was fitted on {self.n_features_in_}")
        return x, index

    def predict_proba(self, X: Any) -> npt.NDArray[np.float64] | pd.Series:
        """Predicted probability of the outcome (P(y = 1), the churn risk) for each row of X.

        Unlike scikit-learn's two-column array this is one value per row: a numpy array, or a Series with X's
        index when X is a DataFrame (whose columns are matched by name). Rows with a missing value give NaN.
        """
        x, index = self._aligned(X)
        p = _core.logistic_predict(self.params_.to_numpy(), x, fit_intercept=bool(self.fit_intercept))
        return pd.Series(p, index=index, name="probability") if index is not None else p

    def predict_log_odds(self, X: Any) -> npt.NDArray[np.float64] | pd.Series:
        """The linear predictor β₀ + Xβ (log-odds) for each row of X; see ``predict_proba``."""
        x, index = self._aligned(X)
        eta = _core.logistic_predict(self.params_.to_numpy(), x, fit_intercept=bool(self.fit_intercept), linear=True)
        return pd.Series(eta, index=index, name="log_odds") if index is not None else eta


# ---------------------------------------------------------------------------------------------------------------
# Model quality


@dataclass(frozen=True, repr=False)
class RocAucResult(Result):
    """ROC AUC of a risk score.

    Attributes
    ----------
    statistic : float
        P(score of a leaver > score of a stayer) + ½ P(tie); not flipped when below 0.5.
    standard_error : float
        DeLong et al. (1988); NaN with fewer than two rows of either outcome.
    n, n_positive, n_negative, missing : int
    """

    statistic: float
    standard_error: float
    n: int
    n_positive: int
    n_negative: int
    missing: int

    def confidence_interval(
        self, confidence_level: float = 0.95, method: AucIntervalMethod = "delong"
    ) -> ConfidenceInterval:
        """Interval for the AUC.

        ``"delong"`` (default): AUC ± z·SE clipped to [0, 1], pROC's ``ci.auc`` default. ``"delong-logit"``: the
        same on the logit scale, back-transformed (stays inside (0, 1); better coverage near 1).

        Examples
        --------
        >>> import engage
        >>> r = engage.roc_auc([0, 0, 1, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.8, 0.9, 0.2, 0.4])
        >>> [round(v, 4) for v in r.confidence_interval()]
        [0.3758, 1.0]
        >>> [round(v, 4) for v in r.confidence_interval(method="delong-logit")]
        [0.2896, 0.9567]
        """
        check_choice(method, "method", _AUC_METHODS)
        return ConfidenceInterval(
            *_core.roc_auc_confidence_interval(self.statistic, self.standard_error, level(confidence_level), method)
        )


def roc_auc(y: Any, score: Any) -> RocAucResult:
    """ROC AUC (ties count ½) with the DeLong standard error, in O(n log n).

    Parameters
    ----------
    y : array-like of 0/1 or bool
        Outcome (1 = left).
    score : array-like
        Risk score; higher = more likely to be 1 (pROC ``direction = "<"``). The estimate equals scikit-learn's
        ``roc_auc_score(y, score)``; the standard error and intervals equal pROC's ``var`` / ``ci.auc``
        (``method = "delong"``).

    Examples
    --------
    >>> import engage
    >>> r = engage.roc_auc([0, 0, 1, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.8, 0.9, 0.2, 0.4])
    >>> r.statistic, round(r.standard_error, 4)
    (0.75, 0.1909)
    """
    r = _core.roc_auc(_outcome(y), as_float_array(score, "score"))
    return RocAucResult(**r)


@dataclass(frozen=True, repr=False)
class RocAucComparison(Result):
    """Paired DeLong test of two AUCs on the same rows: ``difference = statistic_a − statistic_b``."""

    statistic_a: float
    statistic_b: float
    difference: float
    standard_error: float
    z: float
    pvalue: float
    correlation: float
    n: int
    n_positive: int
    n_negative: int
    missing: int

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Wald interval for the difference of the AUCs."""
        return ConfidenceInterval(
            *_core.roc_auc_difference_confidence_interval(self.difference, self.standard_error, level(confidence_level))
        )


def roc_auc_compare(y: Any, score_a: Any, score_b: Any) -> RocAucComparison:
    """Compare two risk scores for the same people: paired DeLong test of their AUCs.

    Equals pROC ``roc.test(roc_a, roc_b, method = "delong", paired = TRUE)``. Rows with a missing value in y or
    either score are dropped. Identical rankings give difference 0 and NaN z and p.

    Examples
    --------
    >>> import engage
    >>> y = [0, 0, 1, 0, 1, 1, 0, 1, 0, 1]
    >>> c = engage.roc_auc_compare(y, [1, 2, 6, 3, 7, 5, 2, 9, 4, 8], [2, 1, 3, 5, 4, 6, 1, 2, 3, 9])
    >>> round(c.difference, 2), round(c.pvalue, 3)
    (0.2, 0.178)
    """
    r = _core.roc_auc_compare(_outcome(y), as_float_array(score_a, "score_a"), as_float_array(score_b, "score_b"))
    return RocAucComparison(**r)


@dataclass(frozen=True, repr=False)
class ConcordanceResult(Result):
    """Harrell's concordance index with R survival's counts.

    Attributes
    ----------
    statistic : float
        ``(concordant + tied_risk/2) / comparable``.
    standard_error : float
        Infinitesimal jackknife, as ``survival::concordance``.
    concordant, discordant, tied_risk : int
        Comparable pairs (the shorter time is an event) in which the earlier leaver had the higher, lower or
        equal score (survival's ``concordant``, ``discordant``, ``tied.x``).
    tied_time, tied_both : int
        Pairs of events at the same time (excluded), not tied or tied in score (``tied.y``, ``tied.xy``).
    comparable, n, events, missing : int
    """

    statistic: float
    standard_error: float
    concordant: int
    discordant: int
    tied_risk: int
    tied_time: int
    tied_both: int
    comparable: int
    n: int
    events: int
    missing: int

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """Normal interval C ± z·SE, clipped to [0, 1]."""
        return ConfidenceInterval(
            *_core.concordance_confidence_interval(self.statistic, self.standard_error, level(confidence_level))
        )


def concordance_index(time: Any, score: Any, event: Any = None) -> ConcordanceResult:
    """Harrell's C of a risk score for time-to-exit data, O(n log n).

    Parameters
    ----------
    time : array-like
        Time to leaving or to censoring (≥ 0).
    score : array-like
        Risk score: **higher = higher risk = shorter time** (for example a Cox linear predictor or a churn
        probability). lifelines' ``concordance_index`` expects the opposite sign.
    event : array-like of 0/1 or bool, optional
        1 = left (event), 0 = still employed (censored); default: every row is an event.

    Notes
    -----
    R survival's rules: a pair is comparable when the shorter time is an event; a censored time equal to an event
    time counts as the longer one; pairs of events at the same time are excluded; ties in score count ½. Equals
    ``survival::concordance(Surv(time, event) ~ score, reverse = TRUE)`` (counts, C and its standard error).

    Examples
    --------
    >>> import engage
    >>> c = engage.concordance_index([1, 2, 3, 4], [0.9, 0.5, 0.7, 0.1], event=[1, 1, 0, 1])
    >>> c.statistic, c.concordant, c.discordant, c.tied_risk
    (0.8, 4, 1, 0)
    """
    t = as_float_array(time, "time")
    s = as_float_array(score, "score")
    e = None if event is None else _outcome(event, "event")
    return ConcordanceResult(**_core.concordance_index(t, s, e))


@dataclass(frozen=True, repr=False)
class TimeDependentAucResult(Result):
    """Cumulative/dynamic AUC of a risk score at a horizon.

    Attributes
    ----------
    statistic : float
        Inverse-probability-of-censoring weighted P(score of someone who left by ``horizon`` > score of someone
        still employed after it) + ½ P(tie).
    horizon : float
    n, missing : int
        Complete rows used; rows dropped for a missing time, event or score.
    cases : int
        Leavers at or before the horizon (``time <= horizon`` and ``event == 1``).
    controls : int
        Rows followed beyond the horizon (``time > horizon``).
    censored : int
        Censored at or before the horizon: neither cases nor controls; the weights account for them.
    weighted_cases : float
        Σ 1/G(timeᵢ) over the cases (G: Kaplan–Meier curve of the censoring).
    """

    statistic: float
    horizon: float
    n: int
    cases: int
    controls: int
    censored: int
    weighted_cases: float
    missing: int


def time_dependent_auc(time: Any, event: Any, score: Any, horizon: float) -> TimeDependentAucResult:
    """Cumulative/dynamic AUC(t) at ``horizon``: how well a risk score separates who leaves by then from who stays.

    Uno et al. (2007) with inverse-probability-of-censoring weights, as scikit-survival's
    ``cumulative_dynamic_auc``::

        AUC(t) = Σᵢ Σⱼ wᵢ [1(sᵢ > sⱼ) + ½·1(sᵢ = sⱼ)] / (Σᵢ wᵢ · #controls)

    over cases i (left at ``time <= t``) and controls j (``time > t``), with wᵢ = 1/G(timeᵢ).

    Parameters
    ----------
    time : array-like
        Time to leaving or to censoring (≥ 0).
    event : array-like of 0/1 or bool
        1 = left, 0 = still employed (censored).
    score : array-like
        Risk score, **higher = higher risk** (a Cox model's linear predictor or partial hazard, a predicted
        probability of leaving by the horizon).
    horizon : float
        The time t, in the units of ``time``.

    Notes
    -----
    Conventions: G is the Kaplan–Meier curve of the censoring times, estimated **from the same rows** (censoring as
    the event; at a time with both, leavers leave the risk set before the censored), evaluated at the case's own
    time inclusive, as scikit-survival's ``CensoringDistributionEstimator`` (some R packages use G(t−), which
    differs only when someone is censored at exactly a leaver's time). Rows censored at or before the horizon are
    neither cases nor controls. Ties in score count ½ (exact equality; scikit-survival counts scores within 1e-8
    as tied). No standard error is given. Rows with a missing time, event or score are dropped (``missing``).
    Equal to scikit-survival ``cumulative_dynamic_auc(y, y, score, [horizon])[0]``; without censoring it is the
    ordinary ROC AUC of the score for "left by the horizon".

    Examples
    --------
    >>> import engage
    >>> r = engage.time_dependent_auc([1, 2, 3, 4, 5, 6], [1, 0, 1, 1, 0, 1], [6, 2, 3, 5, 1, 4], horizon=3.5)
    >>> round(r.statistic, 4), r.cases, r.controls, r.censored
    (0.6296, 2, 3, 1)
    """
    horizon = real_number(horizon, "horizon")
    t = as_float_array(time, "time")
    e = _outcome(event, "event")
    s = as_float_array(score, "score")
    return TimeDependentAucResult(**_core.time_dependent_auc(t, e, s, horizon))


@dataclass(frozen=True, repr=False)
class BrierScoreResult(Result):
    """Brier score ``mean((p − y)²)``, its reference ``ȳ(1 − ȳ)`` (the base rate predicted for everyone) and the
    skill ``1 − statistic/reference`` (NaN when y has no variation)."""

    statistic: float
    reference: float
    skill: float
    n: int
    missing: int


def brier_score(y: Any, p: Any) -> BrierScoreResult:
    """Brier score of predicted probabilities.

    Examples
    --------
    >>> import engage
    >>> b = engage.brier_score([0, 1, 1, 0], [0.1, 0.8, 0.6, 0.3])
    >>> round(b.statistic, 4), round(b.skill, 4)
    (0.075, 0.7)
    """
    return BrierScoreResult(**_core.brier_score(_outcome(y), as_float_array(p, "p")))


def calibration_table(y: Any, p: Any, bins: int = 10, *, confidence_level: float = 0.95) -> pd.DataFrame:
    """Observed vs predicted rates by risk bins ("deciles of risk" with ``bins=10``).

    Bin edges are the quantiles of ``p`` at k/bins (type 7, duplicates merged) and bins are right-closed with the
    lowest edge included, exactly R's ``cut(p, unique(quantile(p, 0:bins/bins)), include.lowest = TRUE)``; equal
    predictions therefore stay in one bin, bins can differ in size, and empty bins are left out.

    Returns
    -------
    pandas.DataFrame
        One row per non-empty bin (lowest risk first): ``low``, ``high`` (edges), ``n``, ``events``,
        ``mean_predicted``, ``observed_rate`` and its Wilson interval ``observed_low``, ``observed_high``.
        ``attrs["missing"]`` counts rows dropped for a missing value.

    Examples
    --------
    >>> import engage
    >>> t = engage.calibration_table([0, 0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.7, 0.9], bins=2)
    >>> t[["n", "events", "mean_predicted", "observed_rate"]].round(3).to_dict("list")
    {'n': [3, 3], 'events': [1, 2], 'mean_predicted': [0.2, 0.667], 'observed_rate': [0.333, 0.667]}
    """
    r = _core.calibration_table(_outcome(y), as_float_array(p, "p"), whole_number(bins, "bins", 1), level(confidence_level))
    columns = ("low", "high", "n", "events", "mean_predicted", "observed_rate", "observed_low", "observed_high")
    frame = pd.DataFrame({c: r[c] for c in columns})
    frame.index = pd.RangeIndex(1, len(frame) + 1, name="bin")
    frame.attrs["missing"] = int(r["missing"])
    return frame
