"""The strategy tree's figures are the ones scoring gives each indicator, rolled up per node.

The page reads statuses from the database's status SQL and rolls the year's links up itself;
here every node is worked out again from summarize() (the official rule) and the links, for
each kind of reader, on the demo's year and on a generated year with drafts, reports in review,
indicators linked twice under one dimension and nodes with more indicators than they list.
"""

import random
from collections import Counter
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.models import F
from django.template import Context, Engine, Template
from django.utils import translation

from indicators import scoring
from indicators.access import FULL_SCOPE, PUBLIC_SCOPE, STAFF_SCOPE, ReportScope
from indicators.data_versions import raise_after_commit
from indicators.models import Agency, Indicator, QuarterReport, ReportStatus, StrategyNode
from indicators.strategy_tree import DIRECT_LIMIT, TreeNode, strategy_tree
from indicators.summaries import summarize
from tests.indicators.factories import make_year_of

pytestmark = pytest.mark.django_db


def _reporter_scope() -> ReportScope:
    agency = Agency.objects.get(prefix="5030")
    return ReportScope(PUBLIC_SCOPE.statuses, frozenset({agency.pk}))


SCOPES = {
    "public": lambda: PUBLIC_SCOPE,
    "staff": lambda: STAFF_SCOPE,
    "administrator": lambda: FULL_SCOPE,
    "reporter of 5030": _reporter_scope,
}


def _flatten(roots: list[TreeNode]) -> list[TreeNode]:
    nodes = []
    for root in roots:
        nodes += [root, *_flatten(root.children)]
    return nodes


def _descendants(node: StrategyNode, children: dict[int, list[StrategyNode]]) -> set[int]:
    found = {node.pk}
    for child in children.get(node.pk, []):
        found |= _descendants(child, children)
    return found


def expected_figures(year: int, scope: ReportScope) -> dict[str, dict]:
    """Each node's figures by code, from summarize() of every indicator of the year."""
    indicators = (
        Indicator.objects.in_year(year)
        .with_reports(visible=scope.reports_q())
        .select_related("agency")
        .prefetch_related("strategy_nodes")
    )
    summaries = {indicator.pk: summarize(indicator) for indicator in indicators}
    nodes = list(StrategyNode.objects.all())
    children: dict[int, list[StrategyNode]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    ordered = sorted(
        summaries.values(),
        key=lambda s: (s.indicator.agency.prefix, s.indicator.number, s.indicator.pk),
    )
    figures = {}
    for node in nodes:
        below = _descendants(node, children)
        under = [s for s in ordered if {n.pk for n in s.indicator.strategy_nodes.all()} & below]
        direct = [s for s in ordered if node in s.indicator.strategy_nodes.all()]
        figures[f"{node.plan_id}:{node.code}"] = {
            "totals": dict(Counter(s.status.value for s in under)),
            "mean": scoring.weighted_mean(scoring.Weighted(s.achievement) for s in under),
            "direct": [
                (s.indicator.code, s.status.value, s.achievement) for s in direct[:DIRECT_LIMIT]
            ],
            "direct_count": len(direct),
        }
    return figures


def tree_figures(year: int, scope: ReportScope) -> dict[str, dict]:
    return {
        f"{t.node.plan_id}:{t.node.code}": {
            "totals": dict(t.totals),
            "mean": t.mean_achievement,
            "direct": [(i.code, i.status, i.achievement) for i in t.direct],
            "direct_count": t.direct_count,
        }
        for t in _flatten(strategy_tree(year, scope))
    }


def _vary(year: int) -> None:
    """Drafts, returns and reports in review; indicators linked to a second node, some under
    the same dimension as their first (counted once there) and some under another; numbers
    whose order is not their codes'."""
    rng = random.Random(year)
    # Numbers against their codes' order: a node lists by agency and number, not by code.
    Indicator.objects.in_year(year).update(number=100_000 - F("number"))
    reports = list(QuarterReport.objects.filter(indicator__fiscal_year_id=year))
    for report in reports:
        report.status = rng.choice(list(ReportStatus))
    QuarterReport.objects.bulk_update(reports, ["status"])
    raise_after_commit(years={year})  # a bulk write says so (the stored standings listen)
    nodes = list(StrategyNode.objects.exclude(level=1))
    links = Indicator.strategy_nodes.through
    chosen = Indicator.objects.in_year(year).prefetch_related("strategy_nodes")
    busy = rng.choice(nodes)  # more indicators than a node lists
    for index, indicator in enumerate(chosen):
        first = indicator.strategy_nodes.all()[0]
        if index % 3 == 0:
            siblings = [n for n in nodes if n.code.split(".")[0] == first.code.split(".")[0]]
            other = rng.choice([n for n in siblings if n != first] or nodes)
            links.objects.get_or_create(indicator=indicator, strategynode=other)
        if index % 4 == 0:
            links.objects.get_or_create(indicator=indicator, strategynode=busy)


@pytest.mark.parametrize("reader", list(SCOPES))
def test_tree_figures_are_scorings_on_the_demo_year(reader):
    scope = SCOPES[reader]()
    expected = expected_figures(2564, scope)
    assert any(f["direct"] for f in expected.values())
    assert tree_figures(2564, scope) == expected


@pytest.mark.parametrize("reader", list(SCOPES))
def test_tree_figures_are_scorings_on_varied_data(reader):
    year = make_year_of(60).year
    _vary(year)
    scope = SCOPES[reader]()
    expected = expected_figures(year, scope)
    assert any(f["direct_count"] > DIRECT_LIMIT for f in expected.values())
    assert len({status for f in expected.values() for status in f["totals"]}) >= 3
    assert tree_figures(year, scope) == expected


def test_an_indicator_linked_twice_under_one_node_counts_once():
    year = make_year_of(5).year
    indicator = Indicator.objects.in_year(year).first()
    first = StrategyNode.objects.filter(code="5.2").first()
    sibling = StrategyNode.objects.get(plan=first.plan, code="5.4")
    indicator.strategy_nodes.set([first, sibling])
    parent = next(t for t in _flatten(strategy_tree(year, FULL_SCOPE)) if t.node == first.parent)
    linked = Indicator.objects.in_year(year).filter(
        strategy_nodes__in=[first, sibling, first.parent]
    )
    assert parent.count == linked.distinct().count()


# The include the page wrote each node with, before {% strategy_nodes %} wrote them in Python.
TREE_NODE_INCLUDE = """{% load i18n kpi %}<li class="tree-node level-{{ tree_node.node.level }}">
  <details{% if tree_node.node.level == 1 %} open{% endif %}>
    <summary>
      <span class="node-label">{{ tree_node.label }}</span>
      <span class="node-stats">{% blocktranslate trimmed count counter=tree_node.count %}{{ counter }} ตัวชี้วัด{% plural %}{{ counter }} ตัวชี้วัด{% endblocktranslate %}{% if tree_node.mean_achievement is not None %} · {% blocktranslate trimmed with pct=tree_node.mean_achievement|plain %}ความสำเร็จเฉลี่ย {{ pct }}%{% endblocktranslate %}{% endif %}{% if tree_node.count %} · {% for status, label, n in tree_node.counts %}{% if n %}<span class="pill status-{{ status }}">{{ label }} {{ n }}</span>{% endif %}{% endfor %}{% endif %}</span>
    </summary>
    {% if tree_node.direct %}
    <ul class="node-indicators">{% for item in tree_node.direct|slice:direct_limit %}
      <li><a href="{% url 'indicators:indicator-detail' fiscal_year.year item.code %}">{{ item.name|truncatechars:100 }}</a> <span class="code">{{ item.code }}</span> <span class="pill status-{{ item.status }}">{{ item.status_label }}{% if item.achievement is not None %} {{ item.achievement|plain }}%{% endif %}</span></li>{% endfor %}
    </ul>
    {% if tree_node.direct_count > direct_limit %}<p class="more"><a href="{% url 'indicators:indicator-list' %}?year={{ fiscal_year.year }}&amp;dimension={{ tree_node.node.dimension_code }}">{% blocktranslate trimmed count counter=tree_node.direct_count %}ดูทั้งหมด {{ counter }} ตัวชี้วัด{% plural %}ดูทั้งหมด {{ counter }} ตัวชี้วัด{% endblocktranslate %}</a></p>{% endif %}
    {% endif %}
    {% if tree_node.children %}<ul class="tree">{% for child in tree_node.children %}{% include "tree_node.html" with tree_node=child %}{% endfor %}</ul>{% endif %}
  </details>
</li>
"""


def _by_include(roots: list[TreeNode], year: int) -> str:
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"tree_node.html": TREE_NODE_INCLUDE})],
        libraries={"i18n": "django.templatetags.i18n", "kpi": "indicators.templatetags.kpi"},
    )
    page = engine.from_string(
        '{% for tree_node in roots %}{% include "tree_node.html" %}{% endfor %}'
    )
    fiscal_year = SimpleNamespace(year=year)
    return page.render(Context({"roots": roots, "fiscal_year": fiscal_year, "direct_limit": 10}))


@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("reader", ["public", "administrator"])
def test_the_node_tag_writes_what_its_include_wrote(language, reader):
    """On a year with nodes that list more than they show, names to cut and escape, nodes
    without indicators and achievements with decimals."""
    year = make_year_of(60).year
    _vary(year)
    indicator = Indicator.objects.in_year(year).first()
    indicator.name_th = indicator.name_en = "<b>ยาว & " + "ก" * 120
    indicator.save()
    with translation.override(language):
        roots = strategy_tree(year, SCOPES[reader]())
        nodes = _flatten(roots)
        assert any(t.direct_count > DIRECT_LIMIT for t in nodes)
        assert any(t.count == 0 for t in nodes)
        template = Template("{% load kpi %}{% strategy_nodes roots year 10 %}")
        html = template.render(Context({"roots": roots, "year": year}))
        assert "&lt;b&gt;ยาว &amp; " in html
        assert html == _by_include(roots, year)


def test_the_years_indicators_in_order_are_read_from_one_index():
    """The tree's links come in agency and number order: an index of year, agency, number and
    id lets PostgreSQL read them from the index alone (45 → 17 ms a year of 6,000 at 30,000
    indicators) instead of each indicator's wide row."""
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Indicator._meta.db_table)
    columns = [c["columns"] for c in constraints.values() if c["index"] and not c["unique"]]
    assert ["fiscal_year_id", "agency_id", "number", "id"] in columns
