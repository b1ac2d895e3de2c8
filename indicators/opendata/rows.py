"""The rows of each open-data resource, in the order of its Table Schema's fields.

Only what the public may see: approved quarters' values, narratives and recorded scores, and of
evidence only how many files there are (access.PUBLIC_SCOPE, DESIGN §4a).
"""

from collections.abc import Iterator

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Max,
    Q,
    QuerySet,
    StringAgg,
    Value,
)

from indicators import access
from indicators.models import Agency, Indicator, QuarterReport, StrategyNode
from indicators.opendata.schema import RESOURCES

CHUNK_SIZE = 2000


def _public(prefix: str = "") -> Q:
    return access.PUBLIC_SCOPE.reports_q(prefix)


def indicator_rows(year: int) -> Iterator[tuple]:
    """One row per indicator, with the approved quarters' results and the official score."""
    public = _public("reports__")
    results = {
        f"result_q{q}": Max("reports__value", filter=Q(reports__quarter=q) & public)
        for q in (1, 2, 3, 4)
    }
    official = Max(
        "reports__assessment__score",
        filter=Q(reports__quarter=F("audit_quarter")) & public,
    )
    nodes = StringAgg(
        "strategy_nodes__code", Value(" "), distinct=True, order_by="strategy_nodes__code"
    )
    queryset = (
        Indicator.objects.filter(fiscal_year_id=year)
        .annotate(**results, official_score=official)
        .annotate(strategy_node_codes=nodes)
        .order_by("agency__prefix", "number")
    )
    return _values(queryset, "indicators", agency_code="agency__code")


def result_rows(year: int) -> Iterator[tuple]:
    """One row per approved quarter report; the audit quarter's score is the official one."""
    queryset = (
        QuarterReport.objects.filter(_public(), indicator__fiscal_year_id=year)
        .annotate(evidence_count=Count("evidence"))
        .order_by("indicator__agency__prefix", "indicator__number", "quarter")
    )
    return _values(
        queryset,
        "results",
        fiscal_year="indicator__fiscal_year_id",
        indicator_code="indicator__code",
        score="assessment__score",
        score_2_1="assessment__score_2_1",
        score_2_2="assessment__score_2_2",
        is_official=Q(quarter=F("indicator__audit_quarter")),
    )


def agency_rows(year: int) -> Iterator[tuple]:
    """Every agency: indicators of any year refer to them by code."""
    return _values(Agency.objects.order_by("prefix"), "agencies", group_code="group__code")


def strategy_rows(year: int) -> Iterator[tuple]:
    """The strategy trees of the plans the year's indicators support, parents before children."""
    plans = StrategyNode.objects.filter(indicators__fiscal_year_id=year).values("plan_id")
    queryset = StrategyNode.objects.filter(plan_id__in=plans).order_by(
        "plan__code", "level", "code"
    )
    return _values(
        queryset,
        "strategy",
        plan_code="plan__code",
        plan_name_th="plan__name_th",
        parent_code="parent__code",
    )


def _values(queryset: QuerySet, resource: str, **renamed) -> Iterator[tuple]:
    """The resource's columns, each read from the field of the same name or as `renamed`."""
    names = RESOURCES[resource].names
    expressions = {name: renamed[name] for name in names if name in renamed}
    if expressions:
        queryset = queryset.annotate(**{f"od_{n}": e for n, e in _as_expressions(expressions)})
    columns = [f"od_{name}" if name in expressions else name for name in names]
    return queryset.values_list(*columns).iterator(chunk_size=CHUNK_SIZE)


def _as_expressions(renamed: dict) -> Iterator[tuple[str, object]]:
    for name, source in renamed.items():
        if isinstance(source, str):
            yield name, F(source)
        else:
            yield name, ExpressionWrapper(source, output_field=BooleanField())


ROWS = {
    "indicators": indicator_rows,
    "results": result_rows,
    "agencies": agency_rows,
    "strategy": strategy_rows,
}
