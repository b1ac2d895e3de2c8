"""The demo's performance agreements: weights summing to 100, numeric criteria, and the
agencies' self-assessments of the rounds already approved. A second run changes nothing."""

from decimal import ROUND_DOWN, Decimal

from django.contrib.auth.models import User
from django.db.models import Count, Sum

from indicators.cache import raise_after_commit
from indicators.models import (
    ROUND_QUARTERS,
    AgencyMembership,
    Indicator,
    LevelCriterion,
    Measure,
    SelfAssessment,
)
from indicators.scorecards import cards, scoring

# What the demo agencies claim against the official rating, round after round: mostly a
# little more, sometimes the same, once in a while less.
CLAIM_OFFSETS = (Decimal("0.25"), Decimal(0), Decimal("0.5"), Decimal("-0.25"))
CLAIM_NOTE = "ประเมินจากผลการดำเนินงานและหลักฐานที่รายงานในระบบ"


def even_weights(count: int) -> list[Decimal]:
    """100 split into `count` two-place weights, the remainder on the first: 3 → 33.34, 33.33, 33.33."""
    each = (scoring.FULL_WEIGHT / count).quantize(scoring.TWO_PLACES, rounding=ROUND_DOWN)
    return [scoring.FULL_WEIGHT - each * (count - 1)] + [each] * (count - 1)


def assign_weights(agency_ids: list[int]) -> None:
    """Split 100 evenly over each agency-year still at the default weights (all 1)."""
    agency_years = (
        Indicator.objects.filter(agency_id__in=agency_ids)
        .values("agency_id", "fiscal_year_id")
        .annotate(total=Sum("weight"), count=Count("id"))
    )
    for row in agency_years:
        if row["total"] != row["count"]:  # someone has set weights here: leave them
            continue
        indicators = Indicator.objects.filter(
            agency_id=row["agency_id"], fiscal_year_id=row["fiscal_year_id"]
        ).order_by("number")
        for pk, weight in zip(
            indicators.values_list("pk", flat=True), even_weights(row["count"]), strict=True
        ):
            Indicator.objects.filter(pk=pk).update(weight=weight)
    raise_after_commit()


def number_level_thresholds() -> None:
    """A success-level indicator's level n is reached at the value n."""
    criteria = LevelCriterion.objects.filter(
        indicator__measure=Measure.LEVEL, threshold__isnull=True
    )
    for criterion in criteria:
        criterion.threshold = Decimal(criterion.level)
        criterion.save(update_fields=["threshold"])


def claim_rounds(agency_ids: list[int]) -> None:
    """Each demo agency's self-assessment of every round with an official result."""
    reporters = {
        m.agency_id: m.user
        for m in AgencyMembership.objects.filter(agency_id__in=agency_ids).select_related("user")
    }
    indicators = Indicator.objects.filter(agency_id__in=agency_ids).order_by("fiscal_year", "code")
    for index, indicator in enumerate(indicators.prefetch_related("criteria")):
        reports = {
            r.quarter: r
            for r in indicator.reports.filter(status="approved").select_related("assessment")
        }
        for round_, quarter in ROUND_QUARTERS.items():
            result = cards.round_result(
                indicator, round_, reports.get(quarter), list(indicator.criteria.all())
            )
            if result.rating is None:
                continue
            offset = CLAIM_OFFSETS[(index + round_) % len(CLAIM_OFFSETS)]
            claimed = min(scoring.TOP_LEVEL, max(Decimal(0), result.rating + offset))
            _claim(indicator, round_, claimed, reporters.get(indicator.agency_id))


def _claim(indicator: Indicator, round_: int, rating: Decimal, by: User | None) -> None:
    if SelfAssessment.objects.filter(indicator=indicator, round=round_).exists():
        return
    SelfAssessment.objects.create(
        indicator=indicator, round=round_, rating=rating, note=CLAIM_NOTE, entered_by=by
    )


def load_scorecard_demo(agency_ids: list[int]) -> None:
    assign_weights(agency_ids)
    number_level_thresholds()
    claim_rounds(agency_ids)
