"""The arithmetic of performance agreements (คำรับรองการปฏิบัติราชการ): one pure module.

No ORM inside; Decimals in, Decimals out, rounded to two places as every score of the portal
(`scoring.TWO_PLACES`). A rating runs 1.00–5.00, or 0 below level 1; None means "no official
result" and is never turned into a rating, only counted as adding nothing to the weighted score.
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.scoring import SCORE_PER_LEVEL, TOP_LEVEL, TWO_PLACES, ZERO

FULL_WEIGHT = Decimal(100)
BELOW_LEVEL_1 = ZERO  # a result short of level 1 earns nothing


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES)


def has_ladder(thresholds: Sequence[Decimal | None]) -> bool:
    """Five thresholds, levels 1 to 5, strictly rising or strictly falling (lower is better)."""
    values = [t for t in thresholds if t is not None]
    if len(thresholds) != 5 or len(values) != 5:
        return False
    steps = [b - a for a, b in itertools.pairwise(values)]
    return all(step > ZERO for step in steps) or all(step < ZERO for step in steps)


def round_value(value: Decimal, annual_target: Decimal, round_target: Decimal) -> Decimal:
    """A round's result in year-end terms: value × annual target ÷ the round's planned target.

    The criteria are the year's; a cumulative indicator on plan at six months (2 of a planned
    2 on the way to 5) reads as on plan. A round planned at the annual target, or at zero,
    reads the value as it is.
    """
    if round_target in (annual_target, ZERO):
        return value
    return _round(value * annual_target / round_target)


@dataclass(frozen=True)
class LadderStep:
    """Where a value sits on the ladder: at or above `level`, below `level + 1`."""

    level: int  # 0 below level 1, 5 at or above level 5
    lower: Decimal | None  # the threshold of `level`
    upper: Decimal | None  # the threshold of `level + 1`


def ladder_step(value: Decimal, thresholds: Sequence[Decimal]) -> LadderStep:
    """The rung `value` has reached on five thresholds (rising, or falling when lower is better)."""
    sign = 1 if thresholds[-1] > thresholds[0] else -1
    if sign * value < sign * thresholds[0]:
        return LadderStep(0, None, thresholds[0])
    for level in range(4, 0, -1):
        if sign * value >= sign * thresholds[level]:
            return (
                LadderStep(5, thresholds[4], None)
                if level == 4
                else LadderStep(level + 1, thresholds[level], thresholds[level + 1])
            )
    return LadderStep(1, thresholds[0], thresholds[1])


def ladder_rating(value: Decimal, thresholds: Sequence[Decimal]) -> Decimal:
    """Linear between levels: between the level-n and level-(n+1) thresholds, n + the fraction
    of the step covered; at or beyond level 5, 5; short of level 1, 0."""
    step = ladder_step(value, thresholds)
    if step.level == 0:
        return BELOW_LEVEL_1
    if step.upper is None or step.lower is None:
        return TOP_LEVEL
    fraction = (value - step.lower) / (step.upper - step.lower)
    return _round(Decimal(step.level) + fraction)


def score_rating(score: Decimal) -> Decimal:
    """The rating of an auditor's score (0–100) for an indicator without thresholds: score ÷ 20
    (100 → 5, 70 → 3.5), the suggested score's level rule read backwards; under 20, 0."""
    rating = score / SCORE_PER_LEVEL
    if rating < 1:
        return BELOW_LEVEL_1
    return _round(min(TOP_LEVEL, rating))


def weights_total(weights: Sequence[Decimal]) -> Decimal:
    return sum(weights, ZERO)


def share(weight: Decimal, total: Decimal) -> Decimal:
    """A weight as its part of 100: weights that do not sum to 100 are scaled to do so."""
    if total == ZERO:
        return ZERO
    return _round(weight * FULL_WEIGHT / total)


def weighted_score(lines: Sequence[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """Σ weight × rating ÷ Σ weight (÷ 100 when the weights sum to 100, as they should).

    A line without a rating adds nothing but keeps its weight: missing results lower the
    score instead of being left out. None when no line has a rating.
    """
    if all(rating is None for _weight, rating in lines):
        return None
    total = weights_total([weight for weight, _rating in lines])
    if total == ZERO:
        return None
    points = sum((weight * rating for weight, rating in lines if rating is not None), ZERO)
    return _round(points / total)


def difference(claimed: Decimal | None, official: Decimal | None) -> Decimal | None:
    """The self-assessment less the official rating (positive: the agency claimed more)."""
    if claimed is None or official is None:
        return None
    return _round(claimed - official)


def band(score: Decimal | None) -> int | None:
    """The whole level a rating or weighted score falls in, for distributions (4.75 → 4)."""
    if score is None:
        return None
    return int(min(TOP_LEVEL, max(ZERO, score)))
