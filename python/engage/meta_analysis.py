"""Hunter–Schmidt psychometric meta-analysis of correlations (the method of Gallup's Q12 linkage studies).

Pool the engagement–outcome correlations of several studies (business units, companies, survey waves):
the sample-size-weighted mean correlation, how much of the spread between studies is sampling error, the
residual ("true") spread, a confidence interval for the mean and a credibility interval for the population
correlations. With reliabilities and range-restriction ratios, each correlation is corrected individually
(ρ_i = r_i / A_i) and the same figures are given for ρ.

Packages disagree on the same data because of a handful of conventions; each is an option here, and three
presets reproduce the reference packages:

- ``"psychmeta"`` (engage's default): correct_bias, var_unbiased, error_type ``"mean"``, t intervals —
  R psychmeta 2.7's defaults.
- ``"classic"``: no bias correction, divisor Σn, error_type ``"mean"``, normal intervals — R psychometric
  (Fletcher). Hunter & Schmidt's (2004) hand-calculation error variance (1−r̄²)²/(N̄−1) is
  ``error_type="mean_n"``; the two agree when all studies have the same n.
- ``"hs_override"``: as ``"classic"`` but with the bias correction — psychmeta's
  ``control_psychmeta(hs_override = TRUE)``.

Formulas and sources are in the C++ header ``include/engage/meta_analysis.hpp`` (METHODS.md section 5).
Missing data: none are dropped; a NaN anywhere is an error naming its position.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any, Literal, Sequence

import numpy as np
import pandas as pd

from ._errors import InvalidInputError, InvalidTypeError
from . import _core
from ._results import ConfidenceInterval, Result, _format
from ._validation import FloatArray, as_float_array, check_choice, level

Preset = Literal["psychmeta", "classic", "hs_override"]
ErrorType = Literal["mean", "mean_n"]
IntervalMethod = Literal["norm", "t"]
_PRESETS = ("psychmeta", "classic", "hs_override")
_ERROR_TYPES = ("mean", "mean_n")
_METHODS = ("norm", "t")

__all__ = ["MetaAnalysisResult", "meta_analysis"]


def _pair(t: Any) -> ConfidenceInterval:
    return ConfidenceInterval(float(t[0]), float(t[1]))


@dataclass(frozen=True, repr=False)
class MetaAnalysisResult(Result):
    """Result of :func:`engage.meta_analysis`.

    Attributes
    ----------
    k : int
        Number of studies.
    n_total : float
        Total sample size Σn.
    mean_r : float
        Sample-size-weighted mean correlation Σ n r / Σ n (of the bias-corrected r when ``correct_bias``).
    var_r : float
        Observed variance of r, Σ n (r − r̄)² / Σ n (× k/(k−1) when ``var_unbiased``).
    var_e : float
        Variance expected from sampling error alone (``error_type``).
    var_res : float
        Residual variance ``var_r − var_e``, floored at 0; ``var_res_truncated`` tells when it was negative.
    sd_r, sd_e, sd_res : float
        Square roots of the three variances.
    se_mean_r : float
        Standard error of the mean, ``sd_r / sqrt(k)``.
    pct_var_sampling_error : float
        ``100 · var_e / var_r`` — the "75 % rule" figure; can exceed 100; ``inf`` when all r are equal.
    confidence_interval : ConfidenceInterval
        ``mean_r ∓ c · se_mean_r`` at ``confidence_level`` (95 % by default), c normal or t with k − 1 df
        (``conf_method``). Other levels: :meth:`confidence_interval_at`.
    credibility_interval : ConfidenceInterval
        ``mean_r ∓ c · sd_res`` at ``credibility_level`` (80 % by default): where the middle of the population
        correlations lies. Other levels: :meth:`credibility_interval_at`.
    corrected : bool
        Whether artifacts (rxx, ryy, ux) were given. Without them the ρ figures equal the r figures.
    mean_rho, var_r_c, var_e_c, var_rho, sd_r_c, sd_e_c, sd_rho, se_mean_rho, pct_var_artifacts : float
        The same figures for the individually corrected correlations ρ_i = r_i / A_i, weighted by n_i A_i²
        (``var_r_c``: observed variance of ρ; ``var_e_c``: its sampling-error variance; ``var_rho``: residual).
    confidence_interval_rho, credibility_interval_rho : ConfidenceInterval
        Intervals of ``mean_rho``.
    rho_out_of_range : int
        Studies whose corrected correlation exceeds 1 in absolute value (kept, not clipped: clipping would bias
        the mean; such values signal wrong artifacts or large sampling error).
    """

    k: int
    n_total: float
    mean_r: float
    var_r: float
    var_e: float
    var_res: float
    sd_r: float
    sd_e: float
    sd_res: float
    se_mean_r: float
    pct_var_sampling_error: float
    var_res_truncated: bool
    confidence_interval: ConfidenceInterval
    credibility_interval: ConfidenceInterval
    corrected: bool
    mean_rho: float
    var_r_c: float
    var_e_c: float
    var_rho: float
    sd_r_c: float
    sd_e_c: float
    sd_rho: float
    se_mean_rho: float
    pct_var_artifacts: float
    var_rho_truncated: bool
    confidence_interval_rho: ConfidenceInterval
    credibility_interval_rho: ConfidenceInterval
    rho_out_of_range: int
    confidence_level: float
    credibility_level: float
    correct_bias: bool
    var_unbiased: bool
    error_type: str
    conf_method: str
    cred_method: str
    preset: str | None
    _core: Any = field(repr=False, compare=False)
    _labels: Any = field(default=None, repr=False, compare=False)

    _HEADLINE = ("k", "n_total", "mean_r", "var_r", "var_e", "var_res", "pct_var_sampling_error",
                 "confidence_interval", "credibility_interval")
    _HEADLINE_RHO = ("mean_rho", "sd_rho", "confidence_interval_rho", "credibility_interval_rho")

    def _headline(self) -> list[tuple[str, str]]:
        names = self._HEADLINE + (self._HEADLINE_RHO if self.corrected else ())
        out = []
        for name in names:
            v = getattr(self, name)
            text = f"({_format(v.low)}, {_format(v.high)})" if isinstance(v, ConfidenceInterval) else _format(v)
            out.append((name, text))
        return out

    def __repr__(self) -> str:
        body = ", ".join(f"{k}={v}" for k, v in self._headline())
        return f"{type(self).__name__}({body})"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>"
            for k, v in self._headline()
        )
        return f"<table><caption>{html.escape(type(self).__name__)}</caption>{rows}</table>"

    def confidence_interval_at(
        self, confidence_level: float = 0.95, method: IntervalMethod | None = None, *, corrected: bool = False
    ) -> ConfidenceInterval:
        """Confidence interval of the mean correlation at another level or method.

        Parameters
        ----------
        confidence_level : float
            In (0, 1).
        method : {"norm", "t"}, optional
            Critical values; default: the result's ``conf_method``.
        corrected : bool
            Interval of ``mean_rho`` instead of ``mean_r``.

        Examples
        --------
        >>> import engage
        >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, preset="classic")
        >>> [round(x, 4) for x in m.confidence_interval_at(0.90)]
        [0.0805, 0.2795]
        """
        chosen = self.conf_method if method is None else check_choice(method, "method", _METHODS)
        return _pair(_core.meta_analysis_interval(self._core, "confidence", level(confidence_level), chosen, bool(corrected)))

    def credibility_interval_at(
        self, credibility_level: float = 0.80, method: IntervalMethod | None = None, *, corrected: bool = False
    ) -> ConfidenceInterval:
        """Credibility interval (the middle ``credibility_level`` of the population correlations) at another level.

        Parameters
        ----------
        credibility_level : float
            In (0, 1); 0.80 is the convention, Gallup's "90 % credibility value" is the lower end at 0.80.
        method : {"norm", "t"}, optional
            Critical values; default: the result's ``cred_method``.
        corrected : bool
            Interval of the corrected correlations (``mean_rho ∓ c · sd_rho``).

        Examples
        --------
        >>> import engage
        >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, preset="classic")
        >>> [round(x, 4) for x in m.credibility_interval_at(0.90)]
        [0.1372, 0.2228]
        """
        chosen = self.cred_method if method is None else check_choice(method, "method", _METHODS)
        return _pair(_core.meta_analysis_interval(self._core, "credibility", level(credibility_level, "credibility_level"), chosen, bool(corrected)))

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the pooled figures, intervals as ``*_low``/``*_high`` columns."""
        row: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            if name.startswith("_"):
                continue
            v = getattr(self, name)
            if isinstance(v, ConfidenceInterval):
                row[f"{name}_low"], row[f"{name}_high"] = v.low, v.high
            else:
                row[name] = v
        return pd.DataFrame([row])

    def to_frame(self) -> pd.DataFrame:
        """Study-level table, one row per study (the data of a forest plot).

        Columns: ``study`` (the labels), ``r``, ``n``, ``r_bias_corrected`` (= r without ``correct_bias``),
        ``weight`` (n), ``low``/``high`` (Fisher-z interval of r at ``confidence_level``; NaN when n ≤ 3),
        ``attenuation`` (A = r / ρ), ``rho`` (corrected r), ``weight_rho`` (n A²), ``rho_low``/``rho_high`` (the
        Fisher-z bounds corrected like ρ, as psychmeta's ``correct_r``), ``var_e`` and ``var_e_rho`` (sampling-error
        variances of r and ρ). For the pooled figures use :attr:`summary`.

        Examples
        --------
        >>> import engage
        >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, ryy=0.6, rxx=0.8,
        ...                          labels=["P", "S", "We", "Wo"])
        >>> m.to_frame()[["study", "r", "n", "rho"]].round(4)
          study     r     n     rho
        0     P  0.01  68.0  0.0145
        1     S  0.14  68.0  0.2036
        2    We  0.23  68.0  0.3345
        3    Wo  0.34  68.0  0.4944
        """
        cols = self._core.studies
        out = pd.DataFrame({"study": self._labels})
        for name in ("r", "n", "r_bias_corrected", "weight", "low", "high", "attenuation", "rho", "weight_rho",
                     "rho_low", "rho_high", "var_e", "var_e_rho"):
            out[name] = cols[name]
        return out

    def plot(self, ax: Any = None, *, corrected: bool = False, title: str | None = None) -> Any:
        """Forest plot: each study's r with its interval (square sized by n), the pooled mean with its confidence
        interval (diamond) and the credibility interval (bar).

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Draw here; by default a new figure is made with ``matplotlib.pyplot``.
        corrected : bool
            Plot the corrected correlations ρ_i with their corrected intervals, ``mean_rho`` and the ρ intervals
            (and weights n A²) instead of r.
        title : str, optional

        Returns
        -------
        matplotlib Axes

        Raises
        ------
        ImportError
            matplotlib is not installed (everything else in engage works without it).

        Examples
        --------
        >>> import engage
        >>> from matplotlib.figure import Figure
        >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, labels=["P", "S", "We", "Wo"])
        >>> ax = m.plot(ax=Figure().add_subplot())
        >>> [t.get_text() for t in ax.get_yticklabels()]
        ['80% credibility', 'pooled (95% CI)', 'P', 'S', 'We', 'Wo']
        """
        from . import plots

        return plots.forest(self, ax=ax, corrected=corrected, title=title)


def _artifact(value: Any, name: str) -> FloatArray | None:
    if value is None:
        return None
    if np.ndim(value) == 0:
        return as_float_array([value], name)
    return as_float_array(value, name)


def _flag(value: Any, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise InvalidTypeError(f"{name} must be True or False; got {value!r}")
    return bool(value)


def meta_analysis(
    r: Any,
    n: Any,
    rxx: Any = None,
    ryy: Any = None,
    ux: Any = None,
    *,
    correct_bias: bool | None = None,
    var_unbiased: bool | None = None,
    error_type: ErrorType | None = None,
    conf_method: IntervalMethod | None = None,
    cred_method: IntervalMethod | None = None,
    confidence_level: float = 0.95,
    credibility_level: float = 0.80,
    preset: Preset | None = None,
    rxx_restricted: bool = True,
    labels: Sequence[Any] | None = None,
) -> MetaAnalysisResult:
    """Hunter–Schmidt meta-analysis of correlations, bare-bones or with individual artifact corrections.

    Parameters
    ----------
    r : array-like
        One correlation per study, in [−1, 1] (for example engagement vs. customer loyalty per business unit
        sample). A pandas Series's index becomes the study labels.
    n : array-like
        Sample size per study, > 1 (non-integer "adjusted" sizes are accepted).
    rxx, ryy : float or array-like, optional
        Reliabilities in (0, 1] of x (e.g. the engagement index) and y (the outcome), one for all studies or one
        per study. ``ryy`` is the study sample's; ``rxx`` too unless ``rxx_restricted=False``.
    ux : float or array-like, optional
        Range-restriction ratio u = SD of x in the study / SD in the reference population, > 0 (u < 1:
        restriction, Thorndike Case II; u > 1: range enhancement). Corrections are made in Hunter & Schmidt's
        (2004) order: ryy, then u, then rxx converted to the reference population as 1 − u²(1 − rxx).
    correct_bias, var_unbiased, error_type, conf_method, cred_method : optional
        The conventions (see the module table). ``None`` takes the preset's value; an explicit value overrides it.
        ``correct_bias``: r·(2n−1)/(2n−2) first. ``var_unbiased``: variances × k/(k−1).
        ``error_type``: ``"mean"`` = Σ n_i (1−r̄²)²/(n_i−1) / Σ n_i (psychmeta, psychometric ``vare``) or
        ``"mean_n"`` = (1−r̄²)²/(N̄−1) (H&S 2004 eq. 3.7, psychometric ``aprox.vare``); equal when all n are equal.
        ``conf_method``/``cred_method``: ``"t"`` (t with k − 1 df) or ``"norm"``.
    confidence_level, credibility_level : float
        Levels of ``confidence_interval`` (0.95) and ``credibility_interval`` (0.80), and of the study intervals.
    preset : {"psychmeta", "classic", "hs_override"}, optional
        Named conventions; ``None`` (default) means engage's defaults, which are psychmeta's.
    rxx_restricted : bool
        Whether ``rxx`` was measured in the (range-restricted) study sample. Only matters with ``ux``.
    labels : sequence, optional
        Study names for :meth:`MetaAnalysisResult.to_frame`.

    Returns
    -------
    MetaAnalysisResult

    Raises
    ------
    InvalidInputError
        NaN (missing) or out-of-range values, naming the argument and index; mismatched lengths; unknown options;
        a correction that is undefined (for example rxx with u > 1 giving a non-positive reliability).
    InsufficientDataError
        Fewer than 2 studies (k ≥ 2 is required: the t intervals and ``var_unbiased`` need k − 1 > 0).

    Notes
    -----
    The SE of the mean is ``sd_r/sqrt(k)`` (H&S 2004, psychmeta). R psychometric's ``CIrb`` uses
    ``sqrt((1−r̄²)²/(N−k) + var_res/k)`` instead, and metafor's ``rma(method="HS", weights=n)`` a model-based SE
    and a τ² weighted by n − 1; all three agree when every study has the same n.

    Examples
    --------
    Hunter, Schmidt & Jackson (1982) table 3.5, as R psychometric computes it:

    >>> import engage
    >>> m = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68, 68, 68, 68], preset="classic")
    >>> round(m.mean_r, 4), round(m.var_res, 7), round(m.pct_var_sampling_error, 2)
    (0.18, 0.0006761, 95.38)
    >>> [round(x, 4) for x in m.credibility_interval]
    [0.1467, 0.2133]

    With psychmeta's defaults and corrections for unreliability (rxx = .8, ryy = .6):

    >>> c = engage.meta_analysis([0.01, 0.14, 0.23, 0.34], [68] * 4, rxx=0.8, ryy=0.6)
    >>> round(c.mean_rho, 4), round(c.sd_rho, 4)
    (0.2617, 0.1105)
    >>> [round(x, 4) for x in c.credibility_interval_rho]
    [0.0807, 0.4428]
    """
    if preset is not None:
        check_choice(preset, "preset", _PRESETS)
    # A preset supplies every convention; explicitly given options override it.
    defaults = _core.meta_analysis_preset(preset or "psychmeta")
    bias: bool = defaults["correct_bias"] if correct_bias is None else _flag(correct_bias, "correct_bias")
    unbiased: bool = defaults["var_unbiased"] if var_unbiased is None else _flag(var_unbiased, "var_unbiased")
    etype: str = defaults["error_type"] if error_type is None else check_choice(error_type, "error_type", _ERROR_TYPES)
    cmethod: str = defaults["conf_method"] if conf_method is None else check_choice(conf_method, "conf_method", _METHODS)
    rmethod: str = defaults["cred_method"] if cred_method is None else check_choice(cred_method, "cred_method", _METHODS)
    restricted = _flag(rxx_restricted, "rxx_restricted")

    confidence_level = level(confidence_level)
    credibility_level = level(credibility_level, "credibility_level")
    rv = as_float_array(r, "r")
    nv = as_float_array(n, "n")
    core = _core.meta_analysis(
        rv,
        nv,
        rxx=_artifact(rxx, "rxx"),
        ryy=_artifact(ryy, "ryy"),
        ux=_artifact(ux, "ux"),
        rxx_restricted=restricted,
        correct_bias=bias,
        var_unbiased=unbiased,
        error_type=etype,
        conf_method=cmethod,
        cred_method=rmethod,
        confidence_level=float(confidence_level),
        credibility_level=float(credibility_level),
    )
    if labels is None:
        study_labels: Any = r.index.to_numpy() if isinstance(r, pd.Series) else np.arange(len(rv))
    else:
        study_labels = list(labels)
        if len(study_labels) != len(rv):
            raise InvalidInputError(f"labels has {len(study_labels)} elements but r has {len(rv)}; they must have the same length")
    return MetaAnalysisResult(
        k=int(core.k),
        n_total=float(core.n_total),
        mean_r=core.mean_r,
        var_r=core.var_r,
        var_e=core.var_e,
        var_res=core.var_res,
        sd_r=core.sd_r,
        sd_e=core.sd_e,
        sd_res=core.sd_res,
        se_mean_r=core.se_mean_r,
        pct_var_sampling_error=core.pct_var_sampling_error,
        var_res_truncated=bool(core.var_res_truncated),
        confidence_interval=_pair(core.confidence_interval),
        credibility_interval=_pair(core.credibility_interval),
        corrected=bool(core.corrected),
        mean_rho=core.mean_rho,
        var_r_c=core.var_r_c,
        var_e_c=core.var_e_c,
        var_rho=core.var_rho,
        sd_r_c=core.sd_r_c,
        sd_e_c=core.sd_e_c,
        sd_rho=core.sd_rho,
        se_mean_rho=core.se_mean_rho,
        pct_var_artifacts=core.pct_var_artifacts,
        var_rho_truncated=bool(core.var_rho_truncated),
        confidence_interval_rho=_pair(core.confidence_interval_rho),
        credibility_interval_rho=_pair(core.credibility_interval_rho),
        rho_out_of_range=int(core.rho_out_of_range),
        confidence_level=float(confidence_level),
        credibility_level=float(credibility_level),
        correct_bias=bias,
        var_unbiased=unbiased,
        error_type=etype,
        conf_method=cmethod,
        cred_method=rmethod,
        preset=preset,
        _core=core,
        _labels=study_labels,
    )

