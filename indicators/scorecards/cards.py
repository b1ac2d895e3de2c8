"""An agency's scorecard for a fiscal year, read in a fixed number of queries.

`scorecards()` loads every indicator of the year once (with its approved reports of the three
rounds, criteria and self-assessments) and groups them by agency; the numbers come from
`scorecards.scoring`, the who-sees-what from `access`.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.db.models import Prefetch, QuerySet, Sum
from django.utils.translation import gettext as _

from indicators import access
from indicators.models import (
    ROUND_QUARTERS,
    ROUNDS,
    Agency,
    FiscalYear,
    Indicator,
    LevelCriterion,
    QuarterReport,
    SelfAssessment,
)
from indicators.scorecards import scoring
from indicators.templatetags.kpi import plain

LADDER = "ladder"  # the round's approved value on the five thresholds
SCORE = "score"  # no thresholds: the auditors' score ÷ 20
MISSING = "missing"  # no official result for the round


@dataclass(frozen=True)
class RoundResult:
    """One indicator at one round: the official rating, how it was reached, and the claim."""

    round: int
    report: QuarterReport | None  # the round's quarter, approved (official)
    method: str
    rating: Decimal | None
    value: Decimal | None = None  # the round's value in year-end terms (round_value)
    step: scoring.LadderStep | None = None
    score: Decimal | None = None  # the auditors' score the rating was read from
    claimed: SelfAssessment | None = None

    @property
    def difference(self) -> Decimal | None:
        claimed = self.claimed.rating if self.claimed else None
        return scoring.difference(claimed, self.rating)


@dataclass(frozen=True)
class Line:
    indicator: Indicator
    share: Decimal  # the weight as its part of 100
    criteria: list[LevelCriterion]
    rounds: dict[int, RoundResult]

    @property
    def weight(self) -> Decimal:
        return self.indicator.weight

    @property
    def has_ladder(self) -> bool:
        return scoring.has_ladder([c.threshold for c in self.criteria])

    def points(self, round_: int) -> Decimal | None:
        """This line's part of the weighted score, share × rating ÷ 100, unrounded (at most six
        places) so the parts add up to the score before it is rounded."""
        rating = self.rounds[round_].rating
        if rating is None:
            return None
        return self.share * rating / scoring.FULL_WEIGHT


@dataclass
class Scorecard:
    agency: Agency
    fiscal_year: FiscalYear
    lines: list[Line] = field(default_factory=list)

    @property
    def weights_total(self) -> Decimal:
        return scoring.weights_total([line.weight for line in self.lines])

    @property
    def weights_ok(self) -> bool:
        return self.weights_total == scoring.FULL_WEIGHT

    def score(self, round_: int) -> Decimal | None:
        return scoring.weighted_score([(ln.weight, ln.rounds[round_].rating) for ln in self.lines])

    def self_score(self, round_: int) -> Decimal | None:
        """The weighted score of the agency's own claims (those the reader may see)."""
        claims = [(ln.weight, _claimed(ln.rounds[round_])) for ln in self.lines]
        return scoring.weighted_score(claims)

    def assessed_share(self, round_: int) -> Decimal:
        """How much of the 100 has an official result at this round."""
        return sum(
            (ln.share for ln in self.lines if ln.rounds[round_].rating is not None), scoring.ZERO
        )

    def has_results(self, round_: int) -> bool:
        return any(line.rounds[round_].rating is not None for line in self.lines)


def round_rows(card: Scorecard, round_: int) -> list[tuple]:
    """(line, its round result, the working, its points) for the page and the result PDF."""
    return [
        (line, line.rounds[round_], working(line, round_), line.points(round_))
        for line in card.lines
    ]


def _claimed(result: RoundResult) -> Decimal | None:
    return result.claimed.rating if result.claimed else None


def _thresholds(criteria: list[LevelCriterion]) -> list[Decimal]:
    return [c.threshold for c in criteria if c.threshold is not None]


def round_result(
    indicator: Indicator, round_: int, report: QuarterReport | None, criteria: list[LevelCriterion]
) -> RoundResult:
    """The official rating of one round: the approved value on the ladder, else the auditors'
    score ÷ 20, else none."""
    thresholds = _thresholds(criteria)
    if report is not None and report.value is not None and scoring.has_ladder(thresholds):
        quarter = ROUND_QUARTERS[round_]
        value = scoring.round_value(report.value, indicator.target, indicator.target_for(quarter))
        rating = scoring.ladder_rating(value, thresholds)
        step = scoring.ladder_step(value, thresholds)
        return RoundResult(round_, report, LADDER, rating, value=value, step=step)
    score = _score(report)
    if score is not None:
        return RoundResult(round_, report, SCORE, scoring.score_rating(score), score=score)
    return RoundResult(round_, report, MISSING, None)


def _score(report: QuarterReport | None) -> Decimal | None:
    if report is None:
        return None
    try:
        return report.assessment.score
    except QuarterReport.assessment.RelatedObjectDoesNotExist:
        return None


def card_queryset(user: access.AnyUser, fiscal_year: FiscalYear) -> QuerySet[Indicator]:
    """The year's indicators with what a scorecard reads: three queries besides this one."""
    scope = access.report_scope(user)
    reports = QuarterReport.objects.filter(
        access.official_results_q(scope), quarter__in=ROUND_QUARTERS.values()
    ).select_related("assessment")
    return (
        Indicator.objects.in_year(fiscal_year.year)
        .select_related("agency__group", "fiscal_year")
        .prefetch_related(
            Prefetch("reports", queryset=reports, to_attr="official_reports"),
            Prefetch("criteria", queryset=LevelCriterion.objects.order_by("level")),
            Prefetch("self_assessments", queryset=SelfAssessment.objects.all()),
        )
        .order_by("agency__prefix", "number")
    )


def _line(user: access.AnyUser, indicator: Indicator, total: Decimal) -> Line:
    reports = {r.quarter: r for r in getattr(indicator, "official_reports")}  # noqa: B009 - set by to_attr
    claims = {c.round: c for c in indicator.self_assessments.all()}
    criteria = list(indicator.criteria.all())
    rounds = {}
    for round_ in ROUNDS:
        report = reports.get(ROUND_QUARTERS[round_])
        result = round_result(indicator, round_, report, criteria)
        claim = claims.get(round_)
        if claim and access.may_see_self_assessment(
            user, indicator.agency_id, round_is_official=report is not None
        ):
            result = replace(result, claimed=claim)
        rounds[round_] = result
    return Line(indicator, scoring.share(indicator.weight, total), criteria, rounds)


def scorecards(user: access.AnyUser, indicators: QuerySet[Indicator]) -> list[Scorecard]:
    """One scorecard per agency holding indicators in `indicators` (from card_queryset)."""
    by_agency: dict[int, list[Indicator]] = {}
    for indicator in indicators:
        by_agency.setdefault(indicator.agency_id, []).append(indicator)
    cards = []
    for items in by_agency.values():
        total = scoring.weights_total([i.weight for i in items])
        card = Scorecard(items[0].agency, items[0].fiscal_year)
        card.lines = [_line(user, indicator, total) for indicator in items]
        cards.append(card)
    return cards


def ranked(cards: list[Scorecard], round_: int) -> list[Scorecard]:
    """Highest weighted score first; agencies without a result last, by prefix."""
    return sorted(
        cards,
        key=lambda c: (c.score(round_) is None, -(c.score(round_) or 0), c.agency.prefix),
    )


def default_round(cards: list[Scorecard]) -> int:
    """The latest round with any official result, else the first."""
    with_results = [r for r in ROUNDS if any(card.has_results(r) for card in cards)]
    return with_results[-1] if with_results else ROUNDS[0]


def distribution(cards: list[Scorecard], round_: int) -> list[tuple[int | None, int]]:
    """How many agencies' weighted scores fall in each whole level, 5 down to 0, then none."""
    counts: dict[int | None, int] = dict.fromkeys((5, 4, 3, 2, 1, 0), 0) | {None: 0}
    for card in cards:
        counts[scoring.band(card.score(round_))] += 1
    return list(counts.items())


def weight_problems(agency_years: list[tuple[int, int]]) -> list[tuple[Agency, int, Decimal]]:
    """The agency-years among `agency_years` whose weights do not sum to 100, with their total."""
    if not agency_years:
        return []
    totals = (
        Indicator.objects.filter(agency_id__in={a for a, _y in agency_years})
        .filter(fiscal_year_id__in={y for _a, y in agency_years})
        .values("agency_id", "fiscal_year_id")
        .annotate(total=Sum("weight"))
    )
    wanted = set(agency_years)
    bad = [
        (row["agency_id"], row["fiscal_year_id"], row["total"])
        for row in totals
        if (row["agency_id"], row["fiscal_year_id"]) in wanted
        and row["total"] != scoring.FULL_WEIGHT
    ]
    agencies = Agency.objects.in_bulk([a for a, _y, _t in bad])
    return [(agencies[a], year, total) for a, year, total in sorted(bad)]


def working(line: Line, round_: int) -> str:
    """How the round's rating was reached, in the reader's language."""
    result = line.rounds[round_]
    if result.method == MISSING:
        return _("ยังไม่มีผลที่ได้รับอนุมัติ: ไม่ได้คะแนน (นับเป็น 0 ในคะแนนถ่วงน้ำหนัก)")
    if result.method == SCORE:
        return _("ไม่มีเกณฑ์ 5 ระดับที่เป็นตัวเลข: คะแนน สยป. %(score)s ÷ 20 = %(rating)s") % {
            "score": plain(result.score),
            "rating": plain(result.rating),
        }
    return _scaled(line, result) + _ladder_working(result)


def _scaled(line: Line, result: RoundResult) -> str:
    """The round's value brought to year-end terms, when its planned target differs."""
    reported = result.report.value if result.report else None
    if reported is None or reported == result.value:
        return ""
    quarter = ROUND_QUARTERS[result.round]
    return _(
        "ผลงาน %(reported)s × เป้าหมายทั้งปี %(target)s ÷ เป้าหมายรอบนี้ %(planned)s = %(value)s; "
    ) % {
        "reported": plain(reported),
        "target": plain(line.indicator.target),
        "planned": plain(line.indicator.target_for(quarter)),
        "value": plain(result.value),
    }


def _ladder_working(result: RoundResult) -> str:
    step = result.step or scoring.LadderStep(0, None, None)  # a ladder result has its step
    if step.level == 0:
        return _("ผลงาน %(value)s ต่ำกว่าเกณฑ์ระดับ 1 (%(first)s): 0") % {
            "value": plain(result.value),
            "first": plain(step.upper),
        }
    if step.level == 5:
        return _("ผลงาน %(value)s ถึงเกณฑ์ระดับ 5 (%(top)s): 5") % {
            "value": plain(result.value),
            "top": plain(step.lower),
        }
    return _(
        "ผลงาน %(value)s อยู่ระหว่างระดับ %(level)s (%(lower)s) และระดับ %(next)s (%(upper)s): "
        "%(level)s + (%(value)s − %(lower)s) ÷ (%(upper)s − %(lower)s) = %(rating)s"
    ) % {
        "value": plain(result.value),
        "level": step.level,
        "next": step.level + 1,
        "lower": plain(step.lower),
        "upper": plain(step.upper),
        "rating": plain(result.rating),
    }


def weight_messages(agency_years: list[tuple[int, int]]) -> list[str]:
    """A Thai message (English when the reader reads English) per agency-year off 100."""
    return [
        _(
            "น้ำหนักตัวชี้วัดของ %(agency)s ปีงบประมาณ %(year)s รวมกันได้ %(total)s ไม่เท่ากับ 100: "
            "คะแนนตามคำรับรองฯ จะปรับสัดส่วนให้รวมเป็น 100 จนกว่าจะแก้น้ำหนักให้ครบ"
        )
        % {"agency": agency.name, "year": year, "total": plain(total)}
        for agency, year, total in weight_problems(agency_years)
    ]


def batch_agency_years(change_reason: str) -> list[tuple[int, int]]:
    """The agency-years whose indicators an import batch wrote (by its history rows)."""
    rows = Indicator.history.filter(history_change_reason=change_reason)
    return sorted(set(rows.values_list("agency_id", "fiscal_year_id")))
