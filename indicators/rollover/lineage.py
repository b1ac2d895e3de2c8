"""An indicator's line across fiscal years: every year of its lineage chain, as a reader sees it.

No query for an indicator that stands alone (most do), one however long the chain: the other
indicators of the years the reader may see, their ids found inside it by a recursive subquery
(back through `continues`, forward through its continuations); their visible quarter reports
come in the page's own query for its reports (`summaries.load_details`). The page's own year is
the summary it already made, not read again. Each year's numbers
come from `summaries.summarize`, so the official result of a year is the number that year's
detail page shows.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from indicators.access import AnyUser, visible_years
from indicators.models import QUARTERS, Indicator
from indicators.summaries import IndicatorSummary, summarize

CHAIN_SQL = """
WITH RECURSIVE back(id, continues_id) AS (
    SELECT id, continues_id FROM {table} WHERE {start}
    UNION SELECT i.id, i.continues_id FROM {table} i JOIN back b ON i.id = b.continues_id
), forward(id) AS (
    SELECT id FROM {table} WHERE {start}
    UNION SELECT i.id FROM {table} i JOIN forward f ON i.continues_id = f.id
)
SELECT id FROM back UNION SELECT id FROM forward
"""


def chain_sql(table: str, start: str = "id = %s") -> str:
    """The chain's SQL from the indicators of table `table` that match `start` (its params
    are given twice: the walk back and the walk forward each start there)."""
    return CHAIN_SQL.format(table=table, start=start)


def chain(indicator: Indicator) -> RawSQL:
    """The ids of every indicator linked to `indicator` by continuation, itself included, as a
    subquery (ids only: no text reaches the SQL)."""
    sql = chain_sql(connection.ops.quote_name(Indicator._meta.db_table))
    return RawSQL(sql, [indicator.pk, indicator.pk])  # noqa: S611


# What the line shows of another year and what summarize() needs for it: not the texts, the
# agency or the review flags (the line never says "awaiting review").
LINE_FIELDS = (
    "fiscal_year",
    "code",
    "target",
    *(f"target_q{quarter}" for quarter in QUARTERS),
    "direction",
    "baseline",
    "measure",
    "aggregation",
    "audit_quarter",
)


@dataclass(frozen=True)
class YearPoint:
    summary: IndicatorSummary
    is_current: bool

    @property
    def indicator(self) -> Indicator:
        return self.summary.indicator

    @property
    def year(self) -> int:
        return self.indicator.fiscal_year_id


def _stands_alone(indicator: Indicator) -> bool:
    """Continues none and none continues it, as `one_indicator_queryset()` asked (unknown:
    the chain query decides)."""
    return indicator.continues_id is None and not getattr(indicator, "has_continuations", True)


def line_indicators(indicator: Indicator, user: AnyUser) -> list[Indicator]:
    """The other years of the indicator's chain that `user` may see (LINE_FIELDS), without
    their reports: the page reads those with its own (`summaries.load_details(line=…)`).

    No query for a lone indicator, one (the chain walked inside it) for any other.
    """
    if _stands_alone(indicator):
        return []
    return list(
        Indicator.objects.filter(pk__in=chain(indicator))
        .filter(fiscal_year__in=visible_years(user))
        .exclude(pk=indicator.pk)
        .select_related("fiscal_year")
        .only(*LINE_FIELDS)
    )


def year_line(current: IndicatorSummary, others: list[Indicator]) -> list[YearPoint]:
    """The chain's years, oldest first; a lone indicator gives one point.

    `current` is the page's summary of its indicator, made from the reports its reader may
    see (`summaries.one_indicator_queryset`); `others` are `line_indicators()` with the
    reports that reader sees (`summaries.load_details`).
    """
    points = [YearPoint(current, is_current=True)]
    points += [YearPoint(summarize(other), is_current=False) for other in others]
    return sorted(points, key=lambda point: (point.year, point.indicator.pk))


# --- The chart: two lines over the years, drawn as SVG on the server ------------------------

WIDTH, HEIGHT = 560, 190
LEFT, RIGHT, TOP, BOTTOM = 52, 30, 12, 40


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # class of the line and its points: the stylesheet colours them
    points: list[tuple[float, float]]

    @property
    def path(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)

    @property
    def marks(self) -> list[tuple[str, str]]:
        """The points' circles, x and y as the SVG writes them."""
        return [(_svg_number(x), _svg_number(y)) for x, y in self.points]


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    years: list[tuple[float, str]]  # x and label under the axis
    ticks: list[tuple[float, str]]  # y and label of the value axis
    series: list[Series]
    left: int = LEFT  # where the plot starts and ends, for the grid lines
    right: int = WIDTH - RIGHT

    @property
    def year_marks(self) -> list[tuple[str, str]]:
        return [(_svg_number(x), label) for x, label in self.years]

    @property
    def tick_marks(self) -> list[tuple[str, str]]:
        return [(_svg_number(y), label) for y, label in self.ticks]

    @property
    def tick_x(self) -> int:
        """Where the value axis's labels end, left of the plot."""
        return self.left - 6

    @property
    def year_y(self) -> int:
        """The baseline of the years' labels, under the plot."""
        return self.height - 18


def _svg_number(value: float) -> str:
    """A coordinate to one decimal, rounded half up, as the template's floatformat:1 wrote it
    (written here: the filter cost a hundred Python calls a number, thirty numbers a chart)."""
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _ceiling(largest: Decimal) -> Decimal:
    """A round top for the value axis: 1, 2, 5 or 10 times a power of ten, at least `largest`."""
    power = Decimal(1)
    while power * 10 < largest:
        power *= 10
    return next(power * step for step in (1, 2, 5, 10) if power * step >= largest)


def line_chart(points: list[YearPoint]) -> LineChart | None:
    """Target and reported result per year; None with fewer than two years to join."""
    if len(points) < 2:
        return None
    values = [p.indicator.target for p in points] + [
        p.summary.overall_result for p in points if p.summary.overall_result is not None
    ]
    top = _ceiling(max([*values, Decimal(1)]))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / (len(points) - 1)

    def y_of(value: Decimal) -> float:
        return TOP + plot_h * (1 - float(value / top))

    xs = [LEFT + index * step for index in range(len(points))]
    targets = [(x, y_of(p.indicator.target)) for x, p in zip(xs, points, strict=True)]
    results = [
        (x, y_of(p.summary.overall_result))
        for x, p in zip(xs, points, strict=True)
        if p.summary.overall_result is not None
    ]
    return LineChart(
        WIDTH,
        HEIGHT,
        years=[(x, str(p.year)) for x, p in zip(xs, points, strict=True)],
        ticks=[(y_of(top * k / 2), f"{top * k / 2:g}") for k in range(3)],
        series=[
            Series(_("เป้าหมาย"), "line-target", targets),
            Series(_("ผลงานที่ทำได้"), "line-result", results),
        ],
    )
