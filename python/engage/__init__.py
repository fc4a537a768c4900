"""engage: employee-engagement statistics with honest uncertainty.

Basic usage
-----------
>>> import engage
>>> r = engage.enps([10, 9, 7, 3, 10, 8, 6, 9])
>>> r.statistic
25.0
>>> low, high = r.confidence_interval()          # Tango score interval, 95 %
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as err:  # pragma: no cover - only when the extension was not built
    raise ImportError(
        "engage's compiled core (engage._core) is missing. Install the package with `pip install .` from the "
        "repository root so that the C++ extension is built."
    ) from err

from ._errors import EngageError, InvalidTypeError
from . import datasets, io, plots, report
from .agreement import NULL_SHAPES, IccResult, ad_index, awg, icc, null_variance, rwg, rwg_j
from ._core import ConvergenceError, InsufficientDataError, InvalidInputError
from ._results import ConfidenceInterval
from .churn import ChurnRiskResult, churn_risk
from .confidentiality import Release, audit, suppress
from .correlation import (
    CorrectedCorrelation,
    CorrelationBootstrap,
    CorrelationResult,
    correct_attenuation,
    correct_range_restriction,
    correlation,
    partial_correlation,
)
from .engagement import (
    FavourabilityTable,
    CategoryPercentages,
    EngagementCategoriesResult,
    EngagementIndexResult,
    INDEX_METHODS,
    ScaleScoresResult,
    engagement_categories,
    engagement_index,
    engagement_index_by,
    favourability,
    glint_bands,
    scale_scores,
)
from .linkage import LinkageResult, linkage
from .logistic import (
    BrierScoreResult,
    ConcordanceResult,
    LogisticRegression,
    RocAucComparison,
    RocAucResult,
    SeparationError,
    TimeDependentAucResult,
    brier_score,
    calibration_table,
    concordance_index,
    roc_auc,
    roc_auc_compare,
    time_dependent_auc,
)
from .reliability import (
    CronbachAlphaResult,
    OmegaResult,
    cronbach_alpha,
    cronbach_alpha_by,
    feldt_interval,
    omega,
)
from .enps import (
    CULTUREIQ_BREAKS,
    DEFAULT_BREAKS,
    EnpsComparison,
    EnpsPairedComparison,
    EnpsResult,
    enps,
    enps_by,
    enps_compare,
    enps_counts,
    enps_from_counts,
)
from .meta_analysis import MetaAnalysisResult, meta_analysis
from .multiplicity import adjust_pvalues
from .survival import (
    ChiSquaredTest,
    CoxPH,
    KaplanMeierGroups,
    KaplanMeierResult,
    LogrankResult,
    kaplan_meier,
    logrank_test,
)
from .warnings import DegenerateDataWarning, EngageWarning, SeparationWarning, SmallSampleWarning

__version__: str = _core.__version__

__all__ = [
    "BrierScoreResult",
    "CULTUREIQ_BREAKS",
    "CategoryPercentages",
    "ChiSquaredTest",
    "ChurnRiskResult",
    "ConcordanceResult",
    "ConfidenceInterval",
    "ConvergenceError",
    "CorrectedCorrelation",
    "CorrelationBootstrap",
    "CorrelationResult",
    "CoxPH",
    "CronbachAlphaResult",
    "DEFAULT_BREAKS",
    "DegenerateDataWarning",
    "EngageError",
    "EngageWarning",
    "EngagementCategoriesResult",
    "EngagementIndexResult",
    "EnpsComparison",
    "EnpsPairedComparison",
    "EnpsResult",
    "FavourabilityTable",
    "INDEX_METHODS",
    "IccResult",
    "InsufficientDataError",
    "InvalidInputError",
    "InvalidTypeError",
    "KaplanMeierGroups",
    "KaplanMeierResult",
    "LinkageResult",
    "LogisticRegression",
    "LogrankResult",
    "MetaAnalysisResult",
    "NULL_SHAPES",
    "OmegaResult",
    "RocAucComparison",
    "RocAucResult",
    "ScaleScoresResult",
    "SeparationError",
    "SeparationWarning",
    "SmallSampleWarning",
    "TimeDependentAucResult",
    "__version__",
    "ad_index",
    "adjust_pvalues",
    "awg",
    "brier_score",
    "calibration_table",
    "churn_risk",
    "concordance_index",
    "correct_attenuation",
    "correct_range_restriction",
    "correlation",
    "cronbach_alpha",
    "cronbach_alpha_by",
    "datasets",
    "engagement_categories",
    "engagement_index",
    "engagement_index_by",
    "enps",
    "enps_by",
    "enps_compare",
    "enps_counts",
    "enps_from_counts",
    "favourability",
    "feldt_interval",
    "glint_bands",
    "icc",
    "io",
    "kaplan_meier",
    "linkage",
    "logrank_test",
    "meta_analysis",
    "null_variance",
    "omega",
    "partial_correlation",
    "plots",
    "report",
    "roc_auc",
    "roc_auc_compare",
    "rwg",
    "rwg_j",
    "scale_scores",
    "suppress",
    "Release",
    "audit",
    "time_dependent_auc",
]


def __dir__() -> list[str]:
    return __all__
