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
    untouched = {
        (row["agency_id"], row["fiscal_year_id"])
        for row in agency_years
        if row["total"] == row["count"]  # else someone has set weights here: leave them
    }
    by_agency_year: dict[tuple[int, int], list[Indicator]] = {}
    for indicator in Indicator.objects.filter(agency_id__in=agency_ids).order_by("number"):
        key = (indicator.agency_id, indicator.fiscal_year_id)
        if key in untouched:
            by_agency_year.setdefault(key, []).append(indicator)
    changed = []
    for indicators in by_agency_year.values():
        for indicator, weight in zip(indicators, even_weights(len(indicators)), strict=True):
            indicator.weight = weight
            changed.append(indicator)
    Indicator.objects.bulk_update(changed, ["weight"], batch_size=1000)
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


def load_scorecard_demo(claiming_agency_ids: list[int]) -> None:
    """Every agency's weights (the city indicators reach all 50 districts), the criteria's
    thresholds, and the self-assessments of the agencies the demo tells a story about."""
    assign_weights(list(Indicator.objects.values_list("agency_id", flat=True).distinct()))
    number_level_thresholds()
    claim_rounds(claiming_agency_ids)
