"""Writes of the performance agreement: the agency's self-assessment."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indicators import access
from indicators.models import ROUNDS, Indicator, SelfAssessment
from indicators.standing import keeps_standing
from indicators.workflow.services import TransitionError


@keeps_standing
def self_assessment_save(
    *, indicator: Indicator, round_: int, rating: Decimal, note: str, by: User
) -> SelfAssessment:
    """Record (or change) the agency's claimed rating for one round; the history keeps each."""
    if not access.is_member(by, indicator.agency_id):
        raise TransitionError(_("เฉพาะเจ้าหน้าที่ผู้รายงานของหน่วยงานนี้เท่านั้นที่ประเมินตนเองได้"))
    if round_ not in ROUNDS:
        raise TransitionError(_("ไม่มีรอบการประเมินนี้"))
    claim = (
        SelfAssessment.objects.select_for_update().filter(indicator=indicator, round=round_).first()
    )
    claim = claim or SelfAssessment(indicator=indicator, round=round_)
    claim.rating = rating
    claim.note = note
    claim.entered_by = by
    claim._history_user = by
    claim._change_reason = _("ประเมินตนเอง รอบ %(round)s เดือน") % {"round": round_}
    claim.save()
    return claim
