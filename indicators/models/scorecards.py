"""Performance agreements (คำรับรองการปฏิบัติราชการ): the agency's self-assessment of a round."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .indicators import Indicator

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# The agreement's rounds (months into the fiscal year) and the quarter whose results each reads.
ROUND_QUARTERS: dict[int, int] = {6: 2, 9: 3, 12: 4}
ROUNDS: tuple[int, ...] = tuple(ROUND_QUARTERS)


class SelfAssessment(models.Model):
    """The rating (0–5) an agency claims for one indicator at one round, with its note."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="self_assessments"
    )
    round = models.PositiveSmallIntegerField(
        _("รอบการประเมิน (เดือน)"), choices=[(r, r) for r in ROUNDS]
    )
    rating = models.DecimalField(_("คะแนนประเมินตนเอง"), max_digits=3, decimal_places=2)
    note = models.TextField(_("คำชี้แจง"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ผู้บันทึก"),
    )
    entered_at = models.DateTimeField(_("วันที่บันทึก"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["entered_at"])
    _history_user: "User"
    _change_reason: str

    class Meta:
        ordering = ["indicator", "round"]
        verbose_name = _("การประเมินตนเอง")
        verbose_name_plural = _("การประเมินตนเอง")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "round"], name="unique_self_assessment_round"
            ),
            models.CheckConstraint(
                condition=models.Q(round__in=ROUNDS), name="self_assessment_round_6_9_12"
            ),
            models.CheckConstraint(
                condition=models.Q(rating__gte=0, rating__lte=5),
                name="self_assessment_rating_0_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.round} = {self.rating}"

    @property
    def quarter(self) -> int:
        return ROUND_QUARTERS[self.round]
