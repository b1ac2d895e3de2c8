"""Forms of the reporting and review workflow; numbers and files are checked here, once.

Typed numbers are stricter than spreadsheet cells (indicators/numbers.py): separators must group
by three and exponents are refused, but both read Thai digits through numbers.normalize_digits.
"""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators import scoring
from indicators.models import QUARTERS, AppealKind, Indicator, Measure, QuarterReport
from indicators.numbers import normalize_digits
from indicators.values import ValueProblem, value_problems_for
from indicators.workflow import evidence

PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
GROUPED_NUMBER = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
UNUSUAL_EXPLANATION_MIN = 20


def normalise_number(text: str) -> str:
    """Thai digits to Arabic, spaces dropped; thousands separators only where they group by 3."""
    text = normalize_digits(text).strip().replace(" ", "").replace("\u00a0", "")
    if GROUPED_NUMBER.match(text):
        text = text.replace(",", "")
    return text


class ThaiDecimalField(forms.Field):
    """A decimal typed the way city staff type it: ๑๒.๕, 1,250.75, never NaN or infinity."""

    default_error_messages = {
        "invalid": _("กรุณากรอกเป็นตัวเลขเท่านั้น เช่น 1,250.75 หรือ ๑๒.๕"),
        "negative": _("ค่านี้ต้องไม่ติดลบ"),
        "max_digits": _("ตัวเลขยาวเกินไป (ไม่เกิน %(digits)s หลักก่อนจุดทศนิยม)"),
        "decimal_places": _("ทศนิยมได้ไม่เกิน %(places)s ตำแหน่ง"),
        "max_value": _("ค่านี้ต้องไม่เกิน %(limit)s"),
    }

    def __init__(
        self,
        *,
        max_digits: int = 15,
        decimal_places: int = 2,
        allow_negative: bool = False,
        max_value: Decimal | None = None,
        **kwargs,
    ) -> None:
        self.max_digits = max_digits
        self.decimal_places = decimal_places
        self.allow_negative = allow_negative
        self.max_value = max_value
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: object) -> Decimal | None:
        if value in self.empty_values:
            return None
        text = normalise_number(str(value))
        if not PLAIN_NUMBER.match(text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            number = Decimal(text)
        except InvalidOperation as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error
        return self._checked(number)

    def _checked(self, number: Decimal) -> Decimal:
        if number < 0 and not self.allow_negative:
            raise ValidationError(self.error_messages["negative"], code="negative")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > self.decimal_places:
            raise ValidationError(
                self.error_messages["decimal_places"],
                code="decimal_places",
                params={"places": self.decimal_places},
            )
        whole_digits = self.max_digits - self.decimal_places
        if abs(number) >= Decimal(10) ** whole_digits:
            raise ValidationError(
                self.error_messages["max_digits"],
                code="max_digits",
                params={"digits": whole_digits},
            )
        if self.max_value is not None and number > self.max_value:
            raise ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": self.max_value}
            )
        return number


# Evidence kinds: extension -> the magic bytes its content must start with.
PDF = (b"%PDF-",)
IMAGE_MAGIC = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
}
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)  # .doc and .xls
ZIP = (b"PK\x03\x04",)  # .docx and .xlsx
EVIDENCE_MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": PDF,
    **IMAGE_MAGIC,
    ".doc": OLE,
    ".xls": OLE,
    ".docx": ZIP,
    ".xlsx": ZIP,
}
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def validate_evidence(upload: UploadedFile) -> None:
    """PDF, images, Word or Excel up to 10 MB, judged by content as well as by name."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in EVIDENCE_MAGIC:
        raise ValidationError(
            _("ไฟล์ “%(name)s” ไม่ใช่ชนิดที่รับได้ (PDF, รูปภาพ, Word หรือ Excel)"),
            code="file_type",
            params={"name": upload.name},
        )
    if (upload.size or 0) > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("ไฟล์ “%(name)s” ใหญ่เกิน 10 MB"), code="file_size", params={"name": upload.name}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head.startswith(EVIDENCE_MAGIC[suffix]):
        raise ValidationError(
            _("เนื้อหาของไฟล์ “%(name)s” ไม่ตรงกับนามสกุลไฟล์"),
            code="file_content",
            params={"name": upload.name},
        )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        single = super().clean
        files = data if isinstance(data, list | tuple) else [data]
        return [single(item, initial) for item in files if item]


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def with_version(data: QueryDict, version: int) -> QueryDict:
    """The posted data with the current version, so a deliberate second save can go through."""
    data = data.copy()
    data["version"] = str(version)
    return data


class ReportForm(VersionedForm):
    """The reporter's quarter entry: value, narrative, evidence; Save draft or Submit."""

    value = ThaiDecimalField(label=_("ผลการดำเนินงาน"), required=False)
    narrative = forms.CharField(
        label=_("รายงานผลการดำเนินงาน"),
        required=False,
        max_length=settings.NARRATIVE_MAX_LENGTH,
        help_text=format_lazy(_("ไม่เกิน {} ตัวอักษร"), f"{settings.NARRATIVE_MAX_LENGTH:,}"),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    evidence = MultipleFileField(
        label=_("หลักฐานประกอบ (PDF, รูปภาพ, Word, Excel ไม่เกิน 10 MB ต่อไฟล์)"),
        required=False,
        validators=[validate_evidence],
    )

    def __init__(self, *args, report: QuarterReport, submitting: bool = False, **kwargs) -> None:
        self.report = report
        self.submitting = submitting
        super().__init__(*args, **kwargs)
        if report.indicator.measure == Measure.LEVEL:
            self.fields["value"].help_text = _("ระดับความสำเร็จเป็นจำนวนเต็ม 0–5")
        self.fields["evidence"].help_text = evidence.limits_text(report)

    def clean_evidence(self) -> list[UploadedFile]:
        files = self.cleaned_data.get("evidence") or []
        evidence.check_quota(self.report, files)
        return files

    def clean_value(self) -> Decimal | None:
        value = self.cleaned_data.get("value")
        refused = [p for p in self._problems(value) if p.refuses]
        if refused:
            raise ValidationError(refused[0].message, code=refused[0].code)
        return value

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        value = cleaned.get("value")
        narrative = (cleaned.get("narrative") or "").strip()
        if self.submitting:
            if value is None and "value" not in self.errors:
                self.add_error(
                    "value", ValidationError(_("กรุณากรอกผลการดำเนินงานก่อนส่ง"), code="required")
                )
            if not narrative:
                self.add_error(
                    "narrative",
                    ValidationError(_("กรุณาเขียนรายงานผลการดำเนินงานก่อนส่ง"), code="required"),
                )
        unusual = [p for p in self._problems(value) if not p.refuses]
        if unusual and len(narrative) < UNUSUAL_EXPLANATION_MIN:
            message = _("%(problem)s กรุณาอธิบายเหตุผลในรายงานผลการดำเนินงาน") % {
                "problem": unusual[0].message
            }
            self.add_error("narrative", ValidationError(message, code="explain"))
        return cleaned

    def _problems(self, value: Decimal | None) -> list[ValueProblem]:
        """The shared value checks (indicators/values.py), worked out once per form."""
        if value is None:
            return []
        if getattr(self, "_checked_value", object()) != value:
            self._checked_value = value
            self._value_problems = value_problems_for(
                self.report.indicator, value, previous_value(self.report)
            )
        return self._value_problems


def previous_value(report: QuarterReport) -> Decimal | None:
    """The latest reported value of an earlier quarter of the same indicator."""
    return (
        QuarterReport.objects.filter(
            indicator_id=report.indicator_id, quarter__lt=report.quarter, value__isnull=False
        )
        .order_by("-quarter")
        .values_list("value", flat=True)
        .first()
    )


SCORE_FIELD: dict[str, Any] = {"max_value": Decimal(100), "required": False}


class ReviewForm(VersionedForm):
    """The auditor's decision: approve, return with a reason, or record scores."""

    score = ThaiDecimalField(label=_("ผลประเมินตัวชี้วัด"), **SCORE_FIELD)
    score_2_1 = ThaiDecimalField(label=_("คะแนน 2.1"), **SCORE_FIELD)
    score_2_2 = ThaiDecimalField(label=_("คะแนน 2.2"), **SCORE_FIELD)
    reason = forms.CharField(
        label=_("เหตุผล / ความเห็น"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, action: str = "", suggested: Decimal | None = None, **kwargs):
        self.action = action
        self.suggested = suggested
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        reason = (cleaned.get("reason") or "").strip()
        if self.action == "return" and not reason:
            self.add_error(
                "reason",
                ValidationError(_("กรุณาระบุเหตุผลที่ส่งกลับให้แก้ไข"), code="reason_required"),
            )
        if self.action in ("score", "approve"):  # approval records the scores shown
            self._clean_scores(cleaned, reason)
        return cleaned

    def _clean_scores(self, cleaned: dict, reason: str) -> None:
        if cleaned.get("score") is None and "score" not in self.errors:
            self.add_error("score", ValidationError(_("กรุณากรอกผลประเมิน"), code="required"))
        if self.suggested is None or reason:
            return
        scores = [cleaned.get(name) for name in ("score", "score_2_1", "score_2_2")]
        if scoring.differs_from_suggestion(self.suggested, scores):
            self.add_error(
                "reason",
                ValidationError(
                    _("คะแนนที่บันทึกต่างจากคะแนนที่ระบบเสนอ (%(suggested)s) กรุณาระบุเหตุผล"),
                    code="reason_required",
                    params={"suggested": self.suggested},
                ),
            )


class AuditQuarterForm(forms.Form):
    audit_quarter = forms.TypedChoiceField(
        label=_("ไตรมาสที่ สยป. ตรวจประเมิน"),
        choices=[("", "—"), *[(q, str(q)) for q in QUARTERS]],
        coerce=int,
        empty_value=None,
        required=False,
    )


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("เรื่องที่อุทธรณ์"), choices=AppealKind.choices)
    quarter = forms.TypedChoiceField(
        label=_("ไตรมาส (กรณีขอปรับผลคะแนน)"),
        choices=[("", "—"), *[(q, str(q)) for q in QUARTERS]],
        coerce=int,
        empty_value=None,
        required=False,
    )
    requested_value = ThaiDecimalField(label=_("ค่าที่ขอ"))
    reason = forms.CharField(label=_("เหตุผล"), widget=forms.Textarea(attrs={"rows": 5}))
    evidence = forms.FileField(
        label=_("หลักฐานประกอบ"), required=False, validators=[validate_evidence]
    )

    def __init__(self, *args, indicator: Indicator, **kwargs) -> None:
        self.indicator = indicator
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if cleaned.get("kind") == AppealKind.SCORE:
            if cleaned.get("quarter") is None:
                self.add_error(
                    "quarter",
                    ValidationError(_("กรุณาระบุไตรมาสของผลคะแนนที่อุทธรณ์"), code="required"),
                )
            value = cleaned.get("requested_value")
            if value is not None and value > 100:
                self.add_error(
                    "requested_value",
                    ValidationError(_("คะแนนต้องอยู่ระหว่าง 0 ถึง 100"), code="max_value"),
                )
        return cleaned


class AppealDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accepted", _("อนุมัติ")), ("rejected", _("ไม่อนุมัติ"))],
        widget=forms.HiddenInput,
    )
    note = forms.CharField(label=_("ผลการพิจารณา"), widget=forms.Textarea(attrs={"rows": 3}))
