"""The domain of KPI Portal, one module per concept."""

from .api_tokens import ApiToken, hash_token
from .city import CityIndicator, CityRule
from .import_jobs import ImportJob, ImportJobAction, ImportJobStatus
from .imports import ImportBatch, ImportStatus
from .indicators import (
    Aggregation,
    Dataset,
    Direction,
    Indicator,
    IndicatorDataset,
    IndicatorKind,
    IndicatorProject,
    LevelCriterion,
    Measure,
    Project,
    ResultLevel,
)
from .plans import NodeLevel, Plan, StrategyNode
from .reference import (
    QUARTERS,
    Agency,
    AgencyKind,
    AgencyMembership,
    DistrictGroup,
    FiscalYear,
    QuarterWindow,
    fiscal_year_of,
    quarter_of,
)
from .reporting import (
    IN_REVIEW,
    Appeal,
    AppealKind,
    AppealRound,
    AppealStatus,
    Assessment,
    CommentKind,
    Evidence,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)
from .scorecards import ROUND_QUARTERS, ROUNDS, SelfAssessment
from .standing import Standing, StandingLevel
from .versions import DataVersion

__all__ = [
    "IN_REVIEW",
    "QUARTERS",
    "ROUNDS",
    "ROUND_QUARTERS",
    "Agency",
    "AgencyKind",
    "AgencyMembership",
    "Aggregation",
    "ApiToken",
    "Appeal",
    "AppealKind",
    "AppealRound",
    "AppealStatus",
    "Assessment",
    "CityIndicator",
    "CityRule",
    "CommentKind",
    "DataVersion",
    "Dataset",
    "Direction",
    "DistrictGroup",
    "Evidence",
    "FiscalYear",
    "ImportBatch",
    "ImportJob",
    "ImportJobAction",
    "ImportJobStatus",
    "ImportStatus",
    "Indicator",
    "IndicatorDataset",
    "IndicatorKind",
    "IndicatorProject",
    "LevelCriterion",
    "Measure",
    "NodeLevel",
    "Plan",
    "Project",
    "QuarterReport",
    "QuarterWindow",
    "ReportStatus",
    "ResultLevel",
    "ReviewComment",
    "SelfAssessment",
    "Standing",
    "StandingLevel",
    "StrategyNode",
    "fiscal_year_of",
    "hash_token",
    "quarter_of",
]
