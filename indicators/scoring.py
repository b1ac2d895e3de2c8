"""Scoring rules: results to achievement, scores, ratings and roll-ups.

Pure functions on Decimals and plain values, no ORM inside, so every rule can be tested alone.
None always means "not reported" or "not assessed" and is never treated as 0.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

HUNDRED = Decimal(100)
ZERO = Decimal(0)
TWO_PLACES = Decimal("0.01")
# A success level's score: level 5 = 100 and each level below 20 less (suggested scores, and
# the scorecards reading an auditor's score back as a level).
TOP_LEVEL = Decimal(5)
SCORE_PER_LEVEL = Decimal(20)

# Lower bounds of the Thai 5-level rating for levels 5, 4, 3 and 2; below is level 1.
DEFAULT_RATING_THRESHOLDS: tuple[Decimal, ...] = (
    Decimal(100),
    Decimal(90),
    Decimal(80),
    Decimal(70),
)


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    OFF_TRACK = "off_track"
    NOT_REPORTED = "not_reported"


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES)


def aggregate_quarters(values: Sequence[Decimal | None], rule: str) -> Decimal | None:
    """Combine quarterly values into the overall result: latest, sum, average or max.

    Quarters not reported are skipped; with no quarter reported there is no result.
    """
    reported = [v for v in values if v is not None]
    if not reported:
        return None
    if rule == "latest":
        return reported[-1]
    if rule == "sum":
        return sum(reported, ZERO)
    if rule == "average":
        return _round(sum(reported, ZERO) / len(reported))
    if rule == "max":
        return max(reported)
    raise ValueError(f"unknown aggregation rule: {rule}")


def achievement(
    value: Decimal | None,
    target: Decimal | None,
    direction: str,
    *,
    baseline: Decimal | None = None,
) -> Decimal | None:
    """Achievement % of `value` against `target`, never below 0.

    - higher (and level): value / target × 100; a zero target is met by any value ≥ 0.
    - lower with a baseline: the reduction achieved against the reduction targeted,
      (baseline − value) / (baseline − target) × 100; when no reduction was targeted
      (baseline ≤ target), 100 if the value stays at or under the target, else 0.
    - lower without a baseline: target / value × 100, and a value of 0 meets any target.
    """
    if value is None or target is None:
        return None
    if direction in ("higher", "level"):
        if target == ZERO:
            return HUNDRED if value >= ZERO else ZERO
        return _round(max(ZERO, value / target * HUNDRED))
    if direction == "lower":
        if baseline is not None:
            targeted = baseline - target
            if targeted <= ZERO:
                return HUNDRED if value <= target else ZERO
            return _round(max(ZERO, (baseline - value) / targeted * HUNDRED))
        if value <= ZERO:
            return HUNDRED
        return _round(max(ZERO, target / value * HUNDRED))
    raise ValueError(f"unknown direction: {direction}")


def suggested_score(
    value: Decimal | None,
    planned_target: Decimal | None,
    direction: str,
    *,
    baseline: Decimal | None = None,
    bands: Iterable[tuple[Decimal, Decimal]] | None = None,
    levels: bool = False,
) -> Decimal | None:
    """The quarterly score the rules suggest to the auditor (0–100), never all-or-nothing.

    - `levels` (a success-level indicator scored on its five-level criteria): linear between
      levels, level 5 = 100 and each level below 20 less (3.5 → 70), as Thai performance
      agreements score.
    - `bands` (minimum achievement %, score), when a year configures them: the best band met.
    - otherwise the achievement %, capped at 100 (98 % of the target suggests 98, not 0).
    """
    if levels and value is not None:
        return _round(max(ZERO, min(TOP_LEVEL, value)) * SCORE_PER_LEVEL)
    reached = achievement(value, planned_target, direction, baseline=baseline)
    if reached is None:
        return None
    if bands is None:
        return min(HUNDRED, reached)
    for minimum, score in sorted(bands, reverse=True):
        if reached >= minimum:
            return score
    return ZERO


def differs_from_suggestion(suggested: Decimal | None, scores: Iterable[Decimal | None]) -> bool:
    """Whether a recorded score departs from the suggestion, so the auditor must say why: the
    one rule the review service, the review form and the results import all ask."""
    return suggested is not None and any(s is not None and s != suggested for s in scores)


def rating(
    achievement_pct: Decimal | None,
    thresholds: Sequence[Decimal] = DEFAULT_RATING_THRESHOLDS,
) -> int | None:
    """The Thai 5-level rating (5 best) of an achievement %."""
    if achievement_pct is None:
        return None
    for level, minimum in zip((5, 4, 3, 2), thresholds, strict=True):
        if achievement_pct >= minimum:
            return level
    return 1


def status(
    overall_achievement: Decimal | None, latest_quarter_achievement: Decimal | None
) -> Status:
    """Status at a glance: achieved the year's target, on track for the quarter, or neither."""
    if overall_achievement is None:
        return Status.NOT_REPORTED
    if overall_achievement >= HUNDRED:
        return Status.ACHIEVED
    if latest_quarter_achievement is not None and latest_quarter_achievement >= HUNDRED:
        return Status.ON_TRACK
    return Status.OFF_TRACK


@dataclass(frozen=True)
class Weighted:
    value: Decimal | None
    weight: Decimal = Decimal(1)


def weighted_mean(items: Iterable[Weighted]) -> Decimal | None:
    """Weighted mean of the values present; None when nothing has a value."""
    total = ZERO
    weights = ZERO
    for item in items:
        if item.value is None:
            continue
        total += item.value * item.weight
        weights += item.weight
    if weights == ZERO:
        return None
    return _round(total / weights)


def city_figure(values: Iterable[Decimal | None], rule: str) -> Decimal | None:
    """The city's figure from its agencies' results: their sum or their mean.

    Agencies without a result are left out (not counted as 0); with none there is no figure.
    """
    present = [value for value in values if value is not None]
    if not present:
        return None
    if rule == "sum":
        return sum(present, ZERO)
    if rule == "mean":
        return _round(sum(present, ZERO) / len(present))
    raise ValueError(f"unknown city rule: {rule}")


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """Ranks, highest value first; equal values share a rank and the next rank skips (1, 1, 3).

    A missing value has no rank.
    """
    present = sorted((value for value in values if value is not None), reverse=True)
    first_place: dict[Decimal, int] = {}
    for place, value in enumerate(present, start=1):
        first_place.setdefault(value, place)
    return [None if value is None else first_place[value] for value in values]
