"""The agency's self-assessment of one indicator at one round."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.workflow.forms import ThaiDecimalField


class SelfAssessmentForm(forms.Form):
    rating = ThaiDecimalField(
        label=_("คะแนนที่ประเมินตนเอง (0–5)"),
        max_digits=3,
        decimal_places=2,
        max_value=Decimal(5),
        help_text=_("ระดับที่หน่วยงานเห็นว่าทำได้ตามเกณฑ์ เช่น 3.5 หรือ ๔.๒๕"),
    )
    note = forms.CharField(
        label=_("คำชี้แจง"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("เหตุผลและหลักฐานที่ใช้ประเมิน"),
    )
