"""Checks of one reported value, shared by the entry form, the results import and quality.py.

Pure: no ORM. A problem either refuses the value (`refuses`) or asks for an explanation in the
narrative (a percent over 100, a cumulative result that falls), as the entry form always has.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.models.indicators import Aggregation, Direction, Measure

LEVEL_RANGE = (Decimal(0), Decimal(5))


@dataclass(frozen=True)
class ValueProblem:
    code: str
    message: str
    refuses: bool


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _shown(value: Decimal) -> str:
    return f"{value:g}"


def too_many_places(value: Decimal, decimal_places: int = 2) -> ValueProblem | None:
    """More decimal places than the field stores: refused rather than rounded silently."""
    # The exponent alone settles most values; normalize() (costly) only for trailing zeros.
    if _places(value) <= decimal_places or _places(value.normalize()) <= decimal_places:
        return None
    return ValueProblem(
        "decimal_places",
        _("ทศนิยมได้ไม่เกิน %(places)s ตำแหน่ง (ได้รับ %(value)s จะไม่ปัดเศษให้)")
        % {"places": decimal_places, "value": value},
        refuses=True,
    )


def value_problems(
    value: Decimal | None,
    *,
    measure: str,
    direction: str,
    aggregation: str,
    previous: Decimal | None = None,
    decimal_places: int = 2,
    max_digits: int = 15,
) -> list[ValueProblem]:
    """What is wrong with `value` for an indicator of this kind, after `previous` (earlier quarter)."""
    if value is None:
        return []
    problems = []
    if value < 0:
        problems.append(ValueProblem("negative", _("ค่านี้ต้องไม่ติดลบ"), refuses=True))
    places = too_many_places(value, decimal_places)
    if places:
        problems.append(places)
    whole_digits = max_digits - decimal_places
    if abs(value) >= Decimal(10) ** whole_digits:
        problems.append(
            ValueProblem(
                "max_digits",
                _("ตัวเลขยาวเกินไป (ไม่เกิน %(digits)s หลักก่อนจุดทศนิยม)") % {"digits": whole_digits},
                refuses=True,
            )
        )
    low, high = LEVEL_RANGE
    if measure == Measure.LEVEL and (
        value != value.to_integral_value() or not low <= value <= high
    ):
        problems.append(
            ValueProblem(
                "level_out_of_scale",
                _("ค่า %(value)s ซึ่งไม่ใช่ระดับ 0–5 (ระดับความสำเร็จเป็นจำนวนเต็ม 0 ถึง 5)")
                % {"value": _shown(value)},
                refuses=True,
            )
        )
    if measure == Measure.PERCENT and value > 100:
        problems.append(
            ValueProblem(
                "percent_over_100",
                _("ร้อยละ %(value)s เกิน 100") % {"value": _shown(value)},
                refuses=False,
            )
        )
    if (
        previous is not None
        and aggregation == Aggregation.LATEST
        and direction != Direction.LOWER
        and value < previous
    ):
        problems.append(
            ValueProblem(
                "not_cumulative",
                _("ผลสะสม %(value)s ต่ำกว่าไตรมาสก่อน (%(previous)s)")
                % {"value": _shown(value), "previous": _shown(previous)},
                refuses=False,
            )
        )
    return problems


def value_problems_for(indicator, value: Decimal | None, previous: Decimal | None = None):
    """`value_problems` with the measure, direction and aggregation of `indicator`."""
    return value_problems(
        value,
        measure=indicator.measure,
        direction=indicator.direction,
        aggregation=indicator.aggregation,
        previous=previous,
    )
