"""The projects app's models, one module per topic (the NetBox layout):

* ``choices``: vocabularies (tiers, stages, library statuses, size classes, funding sources);
* ``fields``: the 亿元 money field and the SQL expressions lists filter by;
* ``campaign``: 谋划行动 with batches, milestones and targets;
* ``project``: ``Project`` and its queryset; ``history``: stage changes and review events;
* ``monthly``: 调度 (``ProjectMonthlyUpdate``); ``entry``: the 入库 checklist and 专家论证;
* ``preparation``: 前期工作 milestones, 要素保障, documents and photos.

Everything is re-exported here, so ``from apps.projects.models import Project`` keeps working
and Django registers every model with the ``projects`` app.
"""

from apps.projects.models.campaign import (
    Campaign,
    CampaignBatch,
    CampaignMilestone,
    Target,
)
from apps.projects.models.choices import (
    EDITABLE_STATUSES,
    FUNDING_SOURCES,
    SIZE_CLASS_BOUNDS,
    ApprovalType,
    CodeStatus,
    LibraryStatus,
    ReviewAction,
    SizeClass,
    Stage,
    Tier,
    size_class_of,
)
from apps.projects.models.entry import (
    CriterionJudgement,
    EntryCriterion,
    Expert,
    ExpertOpinion,
    Verdict,
)
from apps.projects.models.fields import (
    QINGHAI_LAT,
    QINGHAI_LNG,
    ZERO,
    money,
    prefecture_expression,
    size_class_expression,
)
from apps.projects.models.history import (
    ProjectReviewEvent,
    ProjectStageChange,
)
from apps.projects.models.monthly import (
    ProjectMonthlyUpdate,
)
from apps.projects.models.preparation import (
    FACTOR_UNITS,
    DocumentKind,
    FactorKind,
    FactorNeed,
    FactorStatus,
    MilestoneKind,
    PreparatoryMilestone,
    ProjectDocument,
    UpdatePhoto,
)
from apps.projects.models.project import (
    Project,
    ProjectQuerySet,
)

__all__ = [
    "EDITABLE_STATUSES",
    "FACTOR_UNITS",
    "FUNDING_SOURCES",
    "QINGHAI_LAT",
    "QINGHAI_LNG",
    "SIZE_CLASS_BOUNDS",
    "ZERO",
    "ApprovalType",
    "Campaign",
    "CampaignBatch",
    "CampaignMilestone",
    "CodeStatus",
    "CriterionJudgement",
    "DocumentKind",
    "EntryCriterion",
    "Expert",
    "ExpertOpinion",
    "FactorKind",
    "FactorNeed",
    "FactorStatus",
    "LibraryStatus",
    "MilestoneKind",
    "PreparatoryMilestone",
    "Project",
    "ProjectDocument",
    "ProjectMonthlyUpdate",
    "ProjectQuerySet",
    "ProjectReviewEvent",
    "ProjectStageChange",
    "ReviewAction",
    "SizeClass",
    "Stage",
    "Target",
    "Tier",
    "UpdatePhoto",
    "Verdict",
    "money",
    "prefecture_expression",
    "size_class_expression",
    "size_class_of",
]
