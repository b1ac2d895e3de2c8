"""City-scale indicators as the city keeps them: strategy links, criteria, projects, datasets.

`generate_city_data` builds the indicators of each batch with `demo_data.build_indicator`, then
writes what hangs on them here in bulk (`bulk_rows.insert_rows`). The shares follow the seeds
(/work/shared/seeds, fixtures/seed_indicators.json): a strategic indicator names the strategy it
serves, a success-level one its five criteria, most name supporting projects and source data.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import Group, User

from indicators.access import AUDITOR, MANAGER, REPORTER
from indicators.bulk_rows import insert_rows
from indicators.demo_data import LEVEL_CRITERIA, Template
from indicators.models import (
    Agency,
    AgencyMembership,
    Dataset,
    Indicator,
    IndicatorDataset,
    IndicatorKind,
    IndicatorProject,
    LevelCriterion,
    Measure,
    Project,
    StrategyNode,
)
from indicators.reference_data import PLAN_20_YEARS

ROUTINE_SHARE = 0.25  # routine work: no strategy link (the 0100 seed)
SECOND_NODE_SHARE = 0.4  # strategic indicators serving a second strategy of the plan
PROJECTS_PER_INDICATOR = (0, 1, 1, 1, 2, 2, 3)
DATASETS_PER_INDICATOR = (0, 0, 1, 1, 2, 3)
DATASET_POOL = 240
AUDITORS = 6
MANAGERS = 3
USER_PREFIX = "city-"


@dataclass
class CityStaff:
    """The generated people: a reporter per agency, auditors and managers (no passwords)."""

    reporters: dict[int, int] = field(default_factory=dict)  # agency id → user id
    auditors: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)


def _user(username: str, first_name: str, role: Group) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name, "last_name": "เมือง"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        user.groups.add(role)
    return user


def ensure_staff(agencies: Sequence[Agency]) -> CityStaff:
    """One reporter per agency, a few auditors and managers; a second run finds them."""
    groups = {
        name: Group.objects.get_or_create(name=name)[0] for name in (REPORTER, AUDITOR, MANAGER)
    }
    staff = CityStaff()
    for agency in agencies:
        user = _user(f"{USER_PREFIX}reporter-{agency.prefix}", "ผู้รายงาน", groups[REPORTER])
        AgencyMembership.objects.get_or_create(user=user, agency=agency)
        staff.reporters[agency.pk] = user.pk
    staff.auditors = [
        _user(f"{USER_PREFIX}auditor-{n}", "ผู้ตรวจ", groups[AUDITOR]).pk
        for n in range(1, AUDITORS + 1)
    ]
    staff.managers = [
        _user(f"{USER_PREFIX}manager-{n}", "ผู้บริหาร", groups[MANAGER]).pk
        for n in range(1, MANAGERS + 1)
    ]
    return staff


def ensure_datasets() -> list[int]:
    """The city's statistics the indicators cite (coded like the seed pages' stat_bma ones)."""
    existing = set(
        Dataset.objects.filter(code__startswith="stat_city").values_list("code", flat=True)
    )
    Dataset.objects.bulk_create(
        Dataset(code=code, title_th=f"ข้อมูลสถิติกรุงเทพมหานคร ชุดที่ {n}")
        for n in range(1, DATASET_POOL + 1)
        if (code := f"stat_city{n:04d}") not in existing
    )
    return list(Dataset.objects.filter(code__startswith="stat_city").values_list("pk", flat=True))


def strategy_nodes() -> tuple[dict[str, int], list[int]]:
    """The 20-year plan's nodes by code, and the strategies (the tree's leaves) to pick from."""
    nodes = StrategyNode.objects.filter(plan__code=PLAN_20_YEARS).values_list("code", "pk", "level")
    by_code = {code: pk for code, pk, _ in nodes}
    leaves = [pk for _, pk, level in nodes if level >= 3]
    return by_code, leaves


def set_kind(indicator: Indicator, rng: random.Random) -> None:
    if rng.random() < ROUTINE_SHARE:
        indicator.kind = IndicatorKind.ROUTINE


@dataclass
class LinkSources:
    nodes_by_code: dict[str, int]
    leaf_nodes: list[int]
    datasets: list[int]


def write_links(
    batch: Sequence[tuple[Indicator, Template]], sources: LinkSources, rng: random.Random
) -> None:
    """Strategy links, level criteria, projects and datasets of a batch of saved indicators."""
    node_rows, criteria, dataset_rows = [], [], []
    projects: list[tuple[Indicator, int, Project]] = []
    for indicator, template in batch:
        if indicator.kind == IndicatorKind.STRATEGIC:
            nodes = {sources.nodes_by_code[template.node]}
            if rng.random() < SECOND_NODE_SHARE:
                nodes.add(rng.choice(sources.leaf_nodes))
            node_rows += [(indicator.pk, node) for node in sorted(nodes)]
        if indicator.measure == Measure.LEVEL:
            criteria += [
                (indicator.pk, level, text) for level, text in enumerate(LEVEL_CRITERIA, start=1)
            ]
        for order in range(1, rng.choice(PROJECTS_PER_INDICATOR) + 1):
            projects.append((indicator, order, _project(indicator, order, rng)))
        picked = rng.sample(sources.datasets, rng.choice(DATASETS_PER_INDICATOR))
        dataset_rows += [(indicator.pk, d, order) for order, d in enumerate(picked, start=1)]
    through = Indicator.strategy_nodes.through
    insert_rows(through, ["indicator_id", "strategynode_id"], node_rows)
    insert_rows(LevelCriterion, ["indicator_id", "level", "description"], criteria)
    insert_rows(IndicatorDataset, ["indicator_id", "dataset_id", "order"], dataset_rows)
    Project.objects.bulk_create([project for _, _, project in projects])
    insert_rows(
        IndicatorProject,
        ["indicator_id", "project_id", "order"],
        [(indicator.pk, project.pk, order) for indicator, order, project in projects],
    )


def _project(indicator: Indicator, order: int, rng: random.Random) -> Project:
    """A project of the indicator's agency and year (codes as the city's: agency, year, serial)."""
    return Project(
        code=f"{indicator.agency.prefix}{indicator.fiscal_year_id}-{indicator.number}-{order}",
        name_th=f"โครงการสนับสนุน{indicator.name_th} ระยะที่ {order}",
        progress=rng.choice([None, 25, 50, 75, 90, 100]),
    )
