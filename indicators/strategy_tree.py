"""The strategy tree page: every plan's nodes with the indicators under them and their status."""

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import QuerySet
from django.utils.translation import get_language

from indicators import scoring
from indicators.models import Indicator, StrategyNode
from indicators.summaries import node_label, status_counts, status_label


@dataclass
class TreeIndicator:
    pk: int
    code: str
    name: str
    status: str
    achievement: Decimal | None

    @property
    def status_label(self) -> str:
        return status_label(self.status)


@dataclass
class TreeNode:
    node: StrategyNode
    children: list["TreeNode"] = field(default_factory=list)
    direct: list[TreeIndicator] = field(default_factory=list)
    indicator_ids: set[int] = field(default_factory=set)
    statuses: dict[int, str] = field(default_factory=dict)
    achievements: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return node_label(self.node)

    # Worked out at the template's first look and kept for the rest of the request: the page
    # reads each node's figures two or three times.
    @cached_property
    def count(self) -> int:
        return len(self.indicator_ids)

    @cached_property
    def mean_achievement(self) -> Decimal | None:
        return scoring.weighted_mean(scoring.Weighted(v) for v in self.achievements.values())

    @cached_property
    def counts(self) -> list[tuple[str, str, int]]:
        return status_counts(list(self.statuses.values()))

    @cached_property
    def direct_count(self) -> int:
        return len(self.direct)


def strategy_tree(
    indicators: QuerySet[Indicator], statuses: dict[int, tuple[str, Decimal | None]]
) -> list[TreeNode]:
    """Every plan's tree, each node with the indicators under it and their status.

    Three queries: the nodes, one row per indicator-node link, and the statuses computed by the
    database (unless the caller has them, e.g. cached), so 6,000 indicators are not loaded as
    objects.
    """
    nodes = list(
        StrategyNode.objects.select_related("plan").order_by(
            "plan__order", "level", "order", "code"
        )
    )
    by_pk = {node.pk: TreeNode(node) for node in nodes}
    roots = []
    for node in nodes:
        tree_node = by_pk[node.pk]
        if node.parent_id in by_pk:
            by_pk[node.parent_id].children.append(tree_node)
        else:
            roots.append(tree_node)
    links = (
        indicators.filter(strategy_nodes__isnull=False)
        .order_by("agency__prefix", "number")
        .values_list("pk", "code", "name_th", "name_en", "strategy_nodes")
    )
    english = get_language().startswith("en")
    for pk, code, name_th, name_en, node_pk in links:
        status, achieved = statuses[pk]
        linked = by_pk.get(node_pk)
        if linked is None:
            continue
        name = name_en if english and name_en else name_th
        linked.direct.append(TreeIndicator(pk, code, name, status, achieved))
        step: StrategyNode | None = linked.node
        while step is not None:
            ancestor = by_pk[step.pk]
            ancestor.indicator_ids.add(pk)
            ancestor.statuses[pk] = status
            ancestor.achievements[pk] = achieved
            step = by_pk[step.parent_id].node if step.parent_id in by_pk else None
    return roots
