"""SQLAlchemy 2 models of every table; importing this module registers them all."""

from minsheng.store.models.audit import AuditEventRow, ReportingDeadlineRow
from minsheng.store.models.base import Base
from minsheng.store.models.evaluation import EvaluationRecordRow
from minsheng.store.models.indicators import (
    CanonicalIndicatorRow,
    IndicatorAliasRow,
    ServiceDomainRow,
    TierRow,
)
from minsheng.store.models.observations import ObservationVersionRow, SeriesMoveRow
from minsheng.store.models.plans import (
    KeyProjectRow,
    PlanIndicatorRow,
    PlanRow,
    PlanServiceRow,
    ProjectProgressRow,
)
from minsheng.store.models.regions import RegionPopulationRow, RegionRow
from minsheng.store.models.standards import StandardItemRow, StandardListRow, StandardMatchRow
from minsheng.store.models.users import UserGrantRow, UserRow

__all__ = [
    "AuditEventRow",
    "ReportingDeadlineRow",
    "Base",
    "CanonicalIndicatorRow",
    "EvaluationRecordRow",
    "IndicatorAliasRow",
    "KeyProjectRow",
    "ObservationVersionRow",
    "PlanIndicatorRow",
    "PlanRow",
    "PlanServiceRow",
    "ProjectProgressRow",
    "RegionPopulationRow",
    "RegionRow",
    "SeriesMoveRow",
    "ServiceDomainRow",
    "StandardItemRow",
    "StandardListRow",
    "StandardMatchRow",
    "TierRow",
    "UserGrantRow",
    "UserRow",
]
