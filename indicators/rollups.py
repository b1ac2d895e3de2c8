"""The scoring rules of `indicators/scoring.py` as SQL expressions, for roll-ups in the database.

Every expression here mirrors one Python rule beside it in scoring.py (aggregate_quarters,
achievement, status, rating), so a dashboard over thousands of indicators aggregates in one query
instead of looping in Python. tests/indicators/test_rollups.py checks that both agree.

Usage: `with_quarter_reports(queryset)` joins each quarter's report once as `r1`…`r4`; the other
functions build expressions over those joins for "the year as reported up to quarter N".
Rounding to two places is half to even, as Python's Decimal does: PostgreSQL's round() would take
an exact half (111.125) away from zero. (SQLite, the demo's database, computes in floating point.)
"""

from decimal import Decimal

from django.db.models import (
    Case,
    DecimalField,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Floor, Greatest, Mod
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    IsNull,
    LessThan,
    LessThanOrEqual,
)

from indicators import scoring
from indicators.models import QUARTERS

DECIMAL = DecimalField(max_digits=30, decimal_places=10)
ZERO = Value(Decimal(0), output_field=DECIMAL)
HUNDRED = Value(Decimal("100.0"), output_field=DECIMAL)


def report(quarter: int) -> str:
    """The alias under which `with_quarter_reports` joins the report of `quarter`."""
    return f"r{quarter}"


def with_quarter_reports(queryset: QuerySet) -> QuerySet:
    """Join each quarter's report (and through it the assessment) once, as r1…r4."""
    return queryset.alias(
        **{
            report(q): FilteredRelation("reports", condition=Q(reports__quarter=q))
            for q in QUARTERS
        }
    )


def quarter_value(quarter: int) -> F:
    return F(f"{report(quarter)}__value")


def _coalesce(expressions: list) -> Combinable:
    return Coalesce(*expressions, output_field=DECIMAL) if len(expressions) > 1 else expressions[0]


def latest_value(up_to: int) -> Combinable:
    """The value of the latest quarter reported up to `up_to`; null when none was."""
    return _coalesce([quarter_value(q) for q in range(up_to, 0, -1)])


def _reported_count(up_to: int) -> Combinable:
    counts = [
        Case(When(IsNull(quarter_value(q), False), then=Value(1)), default=Value(0))
        for q in range(1, up_to + 1)
    ]
    total = counts[0]
    for count in counts[1:]:
        total = total + count
    return total


def _sum_reported(up_to: int) -> Combinable:
    total = Coalesce(quarter_value(1), ZERO, output_field=DECIMAL)
    for q in range(2, up_to + 1):
        total = total + Coalesce(quarter_value(q), ZERO, output_field=DECIMAL)
    return total


def _max_reported(up_to: int) -> Combinable:
    # Unreported quarters stand in as the latest value so Greatest() never meets a null
    # (SQLite's MAX() would return null), and the latest value never exceeds the maximum.
    latest = latest_value(up_to)
    if up_to == 1:
        return latest
    return Greatest(*[Coalesce(quarter_value(q), latest) for q in range(1, up_to + 1)])


def overall_result(up_to: int) -> Case:
    """scoring.aggregate_quarters over the quarters up to `up_to`, by the indicator's rule."""
    average = round_half_even(_sum_reported(up_to) / _reported_count(up_to))
    return Case(
        When(IsNull(latest_value(up_to), True), then=Value(None, output_field=DECIMAL)),
        When(aggregation="sum", then=_sum_reported(up_to)),
        When(aggregation="average", then=average),
        When(aggregation="max", then=_max_reported(up_to)),
        default=latest_value(up_to),
        output_field=DECIMAL,
    )


def round_half_even(value: Combinable) -> Case:
    """scoring._round: two decimal places, an exact half to the even neighbour."""
    scaled = value * HUNDRED
    floor = Floor(scaled, output_field=DECIMAL)
    fraction = scaled - floor
    half = Value(Decimal("0.5"), output_field=DECIMAL)
    one = Value(Decimal(1), output_field=DECIMAL)
    return Case(
        When(GreaterThan(fraction, half), then=(floor + one) / HUNDRED),
        When(LessThan(fraction, half), then=floor / HUNDRED),
        When(Exact(Mod(floor, Value(2), output_field=DECIMAL), ZERO), then=floor / HUNDRED),
        default=(floor + one) / HUNDRED,
        output_field=DECIMAL,
    )


def _pct(numerator: Combinable, denominator: Combinable) -> Case:
    """round(max(0, numerator / denominator × 100), 2), as scoring.achievement does."""
    return round_half_even(Greatest(ZERO, numerator * HUNDRED / denominator))


def _all_or_nothing(met: Q | Exact | LessThanOrEqual | GreaterThanOrEqual) -> Case:
    return Case(When(met, then=HUNDRED), default=ZERO, output_field=DECIMAL)


def achievement(value: Combinable, target: Combinable) -> Case:
    """scoring.achievement of `value` against `target` by the indicator's direction and baseline."""
    baseline = F("baseline")
    higher = Case(
        When(Exact(target, ZERO), then=_all_or_nothing(GreaterThanOrEqual(value, ZERO))),
        default=_pct(value, target),
        output_field=DECIMAL,
    )
    lower_from_baseline = Case(
        When(
            LessThanOrEqual(baseline - target, ZERO),
            then=_all_or_nothing(LessThanOrEqual(value, target)),
        ),
        default=_pct(baseline - value, baseline - target),
        output_field=DECIMAL,
    )
    lower = Case(
        When(LessThanOrEqual(value, ZERO), then=HUNDRED),
        default=_pct(target, value),
        output_field=DECIMAL,
    )
    return Case(
        When(IsNull(value, True), then=Value(None, output_field=DECIMAL)),
        When(direction__in=["higher", "level"], then=higher),
        When(Q(direction="lower", baseline__isnull=False), then=lower_from_baseline),
        When(direction="lower", then=lower),
        output_field=DECIMAL,
    )


def overall_achievement(up_to: int) -> Case:
    """Achievement % of the overall result against the annual target."""
    return achievement(overall_result(up_to), F("target"))


def _latest_planned_target(up_to: int) -> Case:
    """The planned target of the latest reported quarter, or the annual target without one."""
    return Case(
        *[
            When(
                IsNull(quarter_value(q), False),
                then=Coalesce(F(f"target_q{q}"), F("target"), output_field=DECIMAL),
            )
            for q in range(up_to, 0, -1)
        ],
        output_field=DECIMAL,
    )


def latest_quarter_achievement(up_to: int) -> Case:
    """Achievement % of the latest reported quarter against its planned target."""
    return achievement(latest_value(up_to), _latest_planned_target(up_to))


def status(up_to: int) -> Case:
    """scoring.status: achieved, on track, off track or not reported as of quarter `up_to`."""
    overall = overall_achievement(up_to)
    return Case(
        When(IsNull(overall, True), then=Value(scoring.Status.NOT_REPORTED.value)),
        When(GreaterThanOrEqual(overall, HUNDRED), then=Value(scoring.Status.ACHIEVED.value)),
        When(
            GreaterThanOrEqual(latest_quarter_achievement(up_to), HUNDRED),
            then=Value(scoring.Status.ON_TRACK.value),
        ),
        default=Value(scoring.Status.OFF_TRACK.value),
    )


def rating(achievement_pct: Combinable, thresholds: list[Decimal]) -> Case:
    """scoring.rating: the Thai 5-level rating of an achievement %, 5 best."""
    return Case(
        When(IsNull(achievement_pct, True), then=Value(None, output_field=IntegerField())),
        *[
            When(
                GreaterThanOrEqual(achievement_pct, Value(minimum, output_field=DECIMAL)),
                then=Value(level),
            )
            for level, minimum in zip((5, 4, 3, 2), thresholds, strict=True)
        ],
        default=Value(1),
        output_field=IntegerField(),
    )


def score(quarter: int) -> F:
    """The auditor's recorded score of the quarter's report; null when not assessed."""
    return F(f"{report(quarter)}__assessment__score")


def mean_from_sums(total: Decimal | None, weights: Decimal | None) -> Decimal | None:
    """scoring.weighted_mean, finished in Python from the database's Σ value×weight and Σ weight."""
    if not weights:
        return None
    return scoring.weighted_mean([scoring.Weighted(Decimal(total) / Decimal(weights))])
