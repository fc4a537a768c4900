# Type stubs for the compiled module engage._core (private; the public API is the Python package).
from typing import Any, Sequence

import numpy as np
import numpy.typing as npt

__version__: str

class InvalidInputError(ValueError): ...
class InsufficientDataError(ValueError): ...
class ConvergenceError(RuntimeError): ...

_F = npt.NDArray[np.float64]
_I = npt.NDArray[np.int64]

def factorize(keys: _I) -> tuple[_I, _I]: ...
def suppress(n: _I, parent: _I | None = None, min_group_size: int = 5) -> npt.NDArray[np.int8]: ...
def adjust_pvalues(p: _F, method: str = "holm") -> _F: ...

class EnpsCounts:
    def __init__(self) -> None: ...
    @property
    def detractors(self) -> int: ...
    @property
    def passives(self) -> int: ...
    @property
    def promoters(self) -> int: ...
    @property
    def missing(self) -> int: ...
    @property
    def sum_w(self) -> list[float]: ...
    @property
    def sum_w2(self) -> list[float]: ...
    @property
    def weighted(self) -> bool: ...
    @property
    def n(self) -> int: ...
    def __add__(self, other: EnpsCounts) -> EnpsCounts: ...
    def __sub__(self, other: EnpsCounts) -> EnpsCounts: ...

class EnpsResultCore:
    statistic: float
    n: int
    promoters: int
    passives: int
    detractors: int
    missing: int
    proportion_promoters: float
    proportion_passives: float
    proportion_detractors: float
    standard_error: float
    effective_n: float
    fpc: float
    weighted: bool
    counts: EnpsCounts

def enps_count(scores: _F, weights: _F | None = None, breaks: Sequence[int] = ...) -> EnpsCounts: ...
def enps_from_counts(counts: EnpsCounts, population_size: float | None = None) -> EnpsResultCore: ...
def enps_confidence_interval(
    result: EnpsResultCore, confidence_level: float = 0.95, method: str = "tango", n_resamples: int = 9999,
    seed: int = 0
) -> tuple[float, float]: ...
def enps_bootstrap_weighted(
    scores: _F, weights: _F, confidence_level: float = 0.95, n_resamples: int = 9999, seed: int = 0,
    breaks: Sequence[int] = ...
) -> tuple[float, float]: ...
def enps_compare(a: EnpsResultCore, b: EnpsResultCore) -> dict[str, float]: ...
def enps_compare_interval(
    a: EnpsResultCore, b: EnpsResultCore, confidence_level: float = 0.95, method: str = "mover"
) -> tuple[float, float]: ...
def enps_compare_paired(a: _F, b: _F, breaks: Sequence[int] = ...) -> dict[str, Any]: ...
def enps_by(
    scores: _F,
    keys: _I,
    *,
    weights: _F | None = None,
    breaks: Sequence[int] = ...,
    population_keys: _I | None = None,
    population_sizes: _F | None = None,
    confidence_level: float = 0.95,
    method: str = "tango",
    n_resamples: int = 9999,
    seed: int = 0,
    min_group_size: int = 5,
    parent_stride: int = 0,
    compare_rest: bool = False,
    p_adjust: str = "holm",
    show_suppressed_n: bool = False,
) -> dict[str, npt.NDArray[Any]]: ...
def synthetic_organisation(
    n_employees: int = 3000, n_teams: int = 100, waves: int = 2, seed: int = 2026
) -> dict[str, Any]: ...

class MetaAnalysisCore:
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
    confidence_interval: tuple[float, float]
    credibility_interval: tuple[float, float]
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
    confidence_interval_rho: tuple[float, float]
    credibility_interval_rho: tuple[float, float]
    rho_out_of_range: int
    options: dict[str, Any]
    studies: dict[str, _F]

def meta_analysis(
    r: _F, n: _F, *, rxx: _F | None = None, ryy: _F | None = None, ux: _F | None = None, rxx_restricted: bool = True,
    correct_bias: bool = True, var_unbiased: bool = True, error_type: str = "mean", conf_method: str = "t",
    cred_method: str = "t", confidence_level: float = 0.95, credibility_level: float = 0.8,
) -> MetaAnalysisCore: ...
def meta_analysis_preset(preset: str) -> dict[str, Any]: ...
def meta_analysis_interval(
    result: MetaAnalysisCore, kind: str, level: float, method: str, corrected: bool = False
) -> tuple[float, float]: ...

# agreement (bind_agreement.cpp)
def agreement_null_variance(scale_points: int, shape: str = "uniform") -> float: ...
def agreement_rwg(
    x: _F, keys: _I, *, null_variance: float = 2.0, missing: str = "listwise", min_group_size: int = 5,
    parent_stride: int = 0, show_suppressed_n: bool = False,
) -> dict[str, Any]: ...
def agreement_rwg_j(
    items: _F, keys: _I, *, null_variance: float = 2.0, lindell: bool = False, missing: str = "listwise",
    min_group_size: int = 5, parent_stride: int = 0, show_suppressed_n: bool = False,
) -> dict[str, Any]: ...
def agreement_ad(
    items: _F, keys: _I, *, type: str = "mean", missing: str = "listwise", min_group_size: int = 5,
    parent_stride: int = 0, show_suppressed_n: bool = False,
) -> dict[str, Any]: ...
def agreement_awg(
    items: _F, keys: _I, *, scale: tuple[float, float] = (1.0, 5.0), missing: str = "listwise",
    min_group_size: int = 5, parent_stride: int = 0, show_suppressed_n: bool = False,
) -> dict[str, Any]: ...

class AgreementIccCore:
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

def agreement_icc(x: _F, keys: _I) -> AgreementIccCore: ...
def agreement_icc_interval(
    result: AgreementIccCore, which: str = "icc1", confidence_level: float = 0.95
) -> tuple[float, float]: ...
