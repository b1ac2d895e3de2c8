"""The strategy tree page: every plan's nodes with the indicators under them and their status.

A year's thousands of links are read as plain numbers (the indicator's status from the year's
status SQL, its achievement in hundredths) and rolled up to the few dozen nodes; only the
indicators a node lists are loaded with their names.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import get_language

from indicators.access import ReportScope
from indicators.models import Indicator, StrategyNode
from indicators.rollups import mean_from_sums, year_status_sql
from indicators.summaries import counts_from_totals, node_label, status_label

DIRECT_LIMIT = 10  # indicators listed under a node; the rest behind "ดูทั้งหมด"


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
    direct: list[TreeIndicator] = field(default_factory=list)  # the first DIRECT_LIMIT
    direct_count: int = 0
    totals: dict[str, int] = field(default_factory=dict)  # indicators under it, by status
    mean_achievement: Decimal | None = None

    @property
    def label(self) -> str:
        return node_label(self.node)

    @property
    def count(self) -> int:
        return sum(self.totals.values())

    @property
    def counts(self) -> list[tuple[str, str, int]]:
        return counts_from_totals(self.totals)


def _percent(hundredths: int | None) -> Decimal | None:
    """An achievement kept in whole hundredths as the Decimal scoring gives (two places)."""
    return None if hundredths is None else Decimal(hundredths).scaleb(-2)


def _year_statuses(year: int, scope: ReportScope) -> dict[int, tuple[str, int | None]]:
    """(status, achievement in hundredths) by indicator of the year, by the database.

    Whole hundredths: exact sums without a Decimal made per indicator (SQLite computes the
    achievement in floats; rounding it to hundredths gives back the two places scoring keeps).
    """
    sql, params = year_status_sql(year, scope)
    rows = f"SELECT id, status, CAST(ROUND(achievement * 100) AS INTEGER) FROM ({sql}) s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(rows, params)
        return {pk: (status, hundredths) for pk, status, hundredths in cursor.fetchall()}


def _ancestors(by_pk: dict[int, "TreeNode"]) -> dict[int, list[int]]:
    """Each node's pk with those of its ancestors."""
    chains = {}
    for pk, tree_node in by_pk.items():
        chain, parent = [pk], tree_node.node.parent_id
        while parent in by_pk:
            chain.append(parent)
            parent = by_pk[parent].node.parent_id
        chains[pk] = chain
    return chains


def _add_figures(by_pk: dict[int, TreeNode], year: int, scope: ReportScope) -> None:
    """Each node's figures over the distinct indicators under it, and its first direct ones."""
    statuses = _year_statuses(year, scope)
    links = (
        Indicator.strategy_nodes.through.objects.filter(indicator__fiscal_year_id=year)
        .order_by("indicator__agency__prefix", "indicator__number", "indicator_id")
        .values_list("indicator_id", "strategynode_id")
    )
    linked: dict[int, list[int]] = {}  # indicator pk → the nodes it is linked to
    listed: dict[int, list[int]] = {pk: [] for pk in by_pk}
    for pk, node_pk in links:
        by_pk[node_pk].direct_count += 1
        if len(listed[node_pk]) < DIRECT_LIMIT:
            listed[node_pk].append(pk)
        linked.setdefault(pk, []).append(node_pk)
    # Indicators linked to the same nodes with the same status count alike: thousands of
    # indicators come down to a few hundred groups, each rolled up its nodes' chains once.
    groups: dict[tuple[tuple[int, ...], str], list[int]] = {}  # → [count, Σ hundredths, measured]
    for pk, node_pks in linked.items():
        status, hundredths = statuses[pk]
        group = groups.setdefault((tuple(node_pks), status), [0, 0, 0])
        group[0] += 1
        if hundredths is not None:
            group[1] += hundredths
            group[2] += 1
    chains = _ancestors(by_pk)
    sums = {pk: [0, 0] for pk in by_pk}  # node pk → [Σ hundredths, how many achievements]
    for (linked_pks, status), (count, total, measured) in groups.items():
        for node_pk in {pk for linked_pk in linked_pks for pk in chains[linked_pk]}:
            totals = by_pk[node_pk].totals
            totals[status] = totals.get(status, 0) + count
            sums[node_pk][0] += total
            sums[node_pk][1] += measured
    for node_pk, (total, measured) in sums.items():
        by_pk[node_pk].mean_achievement = mean_from_sums(_percent(total), measured)
    _add_direct(by_pk, listed, statuses)


def _add_direct(
    by_pk: dict[int, TreeNode],
    listed: dict[int, list[int]],
    statuses: dict[int, tuple[str, int | None]],
) -> None:
    """The listed indicators with their names (one query for all nodes)."""
    wanted = {pk for pks in listed.values() for pk in pks}
    names = {
        pk: (code, name_th, name_en)
        for pk, code, name_th, name_en in Indicator.objects.filter(pk__in=wanted).values_list(
            "pk", "code", "name_th", "name_en"
        )
    }
    english = get_language().startswith("en")
    for node_pk, pks in listed.items():
        for pk in pks:
            code, name_th, name_en = names[pk]
            status, hundredths = statuses[pk]
            name = name_en if english and name_en else name_th
            by_pk[node_pk].direct.append(
                TreeIndicator(pk, code, name, status, _percent(hundredths))
            )


def strategy_tree(year: int, scope: ReportScope) -> list[TreeNode]:
    """Every plan's tree with the figures of fiscal year `year` as a reader of `scope` sees them.

    Four queries whatever the size: the nodes, the year's statuses, the links and the names of
    the indicators listed.
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
    _add_figures(by_pk, year, scope)
    return roots
