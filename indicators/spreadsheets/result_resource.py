"""Quarter results and scores in spreadsheets, keyed by year, code and quarter."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import (
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
)
from indicators.numbers import normalize_digits, parse_decimal, parse_int
from indicators.spreadsheets.base import (
    DecimalWidget,
    IntegerWidget,
    KpiResource,
    cell_text,
    column,
    is_blank,
    year_and_code,
    years_in,
)
from indicators.spreadsheets.result_checks import (
    REASON_COLUMN,
    VALUE_COLUMN,
    RowChange,
    row_errors,
    suggested_of,
)

# Everything the row checks read of an indicator, loaded with it (no query per row).
INDICATOR_FIELDS = (
    "pk",
    "fiscal_year_id",
    "code",
    "measure",
    "direction",
    "aggregation",
    "target",
    "baseline",
    "target_q1",
    "target_q2",
    "target_q3",
    "target_q4",
)
ASSESSMENT_FACTS = ("suggested_score", "reason", "assessed_by", "assessed_at")
SCORE_COLUMNS = {
    "score": "ผลประเมินตัวชี้วัด",
    "score_2_1": "คะแนน 2.1",
    "score_2_2": "คะแนน 2.2",
}


def assessment_of(report: QuarterReport) -> Assessment | None:
    try:
        return report.assessment
    except ObjectDoesNotExist:
        return None


class ResultResource(KpiResource):
    """Quarter results with narratives and the auditor's scores, keyed by year, code, quarter."""

    kind = "results"
    key_columns = ("ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส")
    required_columns = ("ปีงบประมาณ", "รหัสตัวชี้วัด", "ไตรมาส")
    export_only_columns = ("ชื่อตัวชี้วัด",)

    year = column("ปีงบประมาณ", None)
    indicator_code = column("รหัสตัวชี้วัด", None)
    indicator_name = column("ชื่อตัวชี้วัด", None)
    quarter = column("ไตรมาส", "quarter", IntegerWidget())
    value = column("ผลงาน", "value", DecimalWidget())
    narrative = column("รายงานผลการดำเนินงาน", "narrative")
    score = column(SCORE_COLUMNS["score"], None)
    score_2_1 = column(SCORE_COLUMNS["score_2_1"], None)
    score_2_2 = column(SCORE_COLUMNS["score_2_2"], None)
    change_reason = column(REASON_COLUMN, None)

    class Meta(KpiResource.Meta):
        model = QuarterReport
        fields = (
            "year",
            "indicator_code",
            "indicator_name",
            "quarter",
            "value",
            "narrative",
            "score",
            "score_2_1",
            "score_2_2",
            "change_reason",
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._indicators: dict[tuple[int, str], Indicator] = {}
        self._years: set[int] = set()
        self._values: dict[tuple[int, int], Decimal | None] = {}

    def get_queryset(self):
        return QuarterReport.objects.select_related("indicator", "assessment").order_by(
            "indicator__fiscal_year_id", "indicator__agency__prefix", "indicator__number", "quarter"
        )

    def dehydrate_year(self, report: QuarterReport) -> int:
        return report.indicator.fiscal_year_id

    def dehydrate_indicator_code(self, report: QuarterReport) -> str:
        return report.indicator.code

    def dehydrate_indicator_name(self, report: QuarterReport) -> str:
        return report.indicator.name_th

    def _score(self, report: QuarterReport, name: str) -> Decimal | str:
        assessment = assessment_of(report)
        value = getattr(assessment, name) if assessment else None
        return "" if value is None else value

    def dehydrate_score(self, report: QuarterReport) -> Decimal | str:
        return self._score(report, "score")

    def dehydrate_score_2_1(self, report: QuarterReport) -> Decimal | str:
        return self._score(report, "score_2_1")

    def dehydrate_score_2_2(self, report: QuarterReport) -> Decimal | str:
        return self._score(report, "score_2_2")

    def dehydrate_change_reason(self, report: QuarterReport) -> str:
        return ""  # read on import only: why an approved report or a score is changed

    def row_key(self, row) -> tuple | None:
        key = year_and_code(row, "รหัสตัวชี้วัด")
        try:
            return None if key is None else (*key, parse_int(row.get("ไตรมาส")))
        except ValueError:
            return None

    def load_existing(self, dataset) -> dict[tuple, models.Model]:
        self._years = years_in(dataset)
        codes = {normalize_digits(cell_text(c)) for c in dataset["รหัสตัวชี้วัด"]}
        indicators = Indicator.objects.filter(fiscal_year_id__in=self._years, code__in=codes).only(
            *INDICATOR_FIELDS
        )
        # Reports point at these light objects, so naming a row never costs a query.
        self._indicators = {(i.fiscal_year_id, i.code): i for i in indicators}
        by_id = {i.pk: i for i in self._indicators.values()}
        reports = QuarterReport.objects.filter(indicator_id__in=by_id).select_related("assessment")
        existing: dict[tuple, models.Model] = {}
        for report in reports:
            report.indicator = by_id[report.indicator_id]
            existing[(report.indicator.fiscal_year_id, report.indicator.code, report.quarter)] = (
                report
            )
            self._values[(report.indicator_id, report.quarter)] = report.value
        self._values.update(self._file_values(dataset))
        return existing

    def _file_values(self, dataset) -> dict[tuple[int, int], Decimal | None]:
        """The file's values by indicator and quarter, so a row is checked against the one before."""
        values: dict[tuple[int, int], Decimal | None] = {}
        if dataset is None or VALUE_COLUMN not in (dataset.headers or []):
            return values
        for row in dataset.dict:
            key = year_and_code(row, "รหัสตัวชี้วัด")
            indicator = self._indicators.get(key) if key else None
            try:
                quarter = parse_int(row.get("ไตรมาส"))
                value = None if is_blank(row[VALUE_COLUMN]) else parse_decimal(row[VALUE_COLUMN])
            except ValueError:
                continue
            if indicator is not None:
                values[(indicator.pk, quarter)] = value
        return values

    def _previous_value(self, report: QuarterReport) -> Decimal | None:
        earlier = [
            self._values.get((report.indicator_id, q)) for q in range(1, report.quarter or 1)
        ]
        return next((v for v in reversed(earlier) if v is not None), None)

    def import_extra(self, instance, row, errors) -> dict[str, str]:
        problems = self._resolve_indicator(instance, row)
        quarter = instance.quarter
        if "ไตรมาส" not in errors and quarter is not None and not 1 <= quarter <= 4:
            problems["ไตรมาส"] = _("ต้องเป็น 1 ถึง 4")
        scores = {}
        for name, header in SCORE_COLUMNS.items():
            if header not in row:
                continue
            try:
                scores[name] = score = DecimalWidget().clean(row[header])
            except ValueError as error:
                problems[header] = str(error)
                continue
            if score is not None and not 0 <= score <= 100:
                problems[header] = _("คะแนนต้องอยู่ระหว่าง 0 ถึง 100")
        instance._import_scores = scores
        instance._import_reason = cell_text(row.get(REASON_COLUMN))[:500]
        if len(instance.narrative or "") > settings.NARRATIVE_MAX_LENGTH:
            problems["รายงานผลการดำเนินงาน"] = _("ยาวเกิน %(max)s ตัวอักษร") % {
                "max": f"{settings.NARRATIVE_MAX_LENGTH:,}"
            }
        if problems or errors:
            return problems
        headers = {n: h for n, h in SCORE_COLUMNS.items() if h in row}
        return row_errors(self._change(instance), self.by, self._previous_value(instance), headers)

    def _change(self, report: QuarterReport) -> RowChange:
        stored_value, stored_narrative = getattr(report, "_import_stored", (None, ""))
        assessment = assessment_of(report) if report.pk else None
        return RowChange(
            report=report,
            stored_value=stored_value,
            stored_narrative=stored_narrative,
            stored_scores={
                n: getattr(assessment, n) if assessment else None for n in SCORE_COLUMNS
            },
            scores=report._import_scores or {},
            reason=report._import_reason,
        )

    def _resolve_indicator(self, instance, row) -> dict[str, str]:
        key = year_and_code(row, "รหัสตัวชี้วัด")
        if key is None:
            return {"ปีงบประมาณ": _("ต้องเป็นปี พ.ศ. เช่น 2564")}
        if key[0] not in self._known_years():
            return {"ปีงบประมาณ": _("ไม่พบปีงบประมาณ %(year)s") % {"year": key[0]}}
        if instance.pk:
            return {}
        indicator = self._indicators.get(key)
        if indicator is None:
            return {
                "รหัสตัวชี้วัด": _("ไม่พบตัวชี้วัดรหัส “%(code)s” ในปีงบประมาณ %(year)s")
                % {"code": key[1][:40], "year": key[0]}
            }
        instance.indicator = indicator
        instance.fiscal_year_id = indicator.fiscal_year_id
        return {}

    def _known_years(self) -> set[int]:
        if not hasattr(self, "_fiscal_years"):
            self._fiscal_years = set(FiscalYear.objects.values_list("year", flat=True))
        return self._fiscal_years

    def snapshot_extra(self, instance) -> tuple:
        assessment = assessment_of(instance) if instance.pk else None
        stored = {n: getattr(assessment, n) if assessment else None for n in SCORE_COLUMNS}
        incoming = getattr(instance, "_import_scores", None)
        return (stored if incoming is None else {**stored, **incoming},)

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        instance._import_scores = None
        instance._import_reason = ""
        instance._import_stored = (instance.value, instance.narrative)
        instance.__dict__.pop("_import_suggested", None)
        super().after_init_instance(instance, new, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        if instance.pk:
            instance.version += 1  # an open entry form must not overwrite the imported value
        instance._change_reason = self._reason_of(instance)

    def _reason_of(self, report: QuarterReport) -> str:
        """The batch's mark (a revert finds its rows by it), then the row's own reason."""
        reason = getattr(report, "_import_reason", "")
        return f"{self.change_reason}: {reason}" if reason else self.change_reason

    def bulk_update_fields(self) -> list[str]:
        return [*super().bulk_update_fields(), "version"]

    def after_write(self, instances: list[QuarterReport]) -> None:
        created: list[Assessment] = []
        updated: list[Assessment] = []
        for report in instances:
            assessment = self._assessment_for(report)
            if assessment is None:
                continue
            (updated if assessment.pk else created).append(assessment)
        if created:
            bulk_create_with_history(
                created, Assessment, default_user=self.by, default_change_reason=self.change_reason
            )
        if updated:
            bulk_update_with_history(
                updated,
                Assessment,
                [*SCORE_COLUMNS, *ASSESSMENT_FACTS],
                default_user=self.by,
                default_change_reason=self.change_reason,
            )

    def _assessment_for(self, report: QuarterReport) -> Assessment | None:
        scores = report._import_scores or {}
        created = getattr(report, "_import_created", False)
        assessment = None if created else assessment_of(report)
        if assessment is None:
            if all(v is None for v in scores.values()):
                return None
            assessment = Assessment.of(report)
        elif all(getattr(assessment, n) == v for n, v in scores.items()):
            return None
        for name, value in scores.items():
            setattr(assessment, name, value)
        # Who scored and why, as the review page records it (services.assessment_record).
        assessment.suggested_score = suggested_of(report)
        assessment.reason = report._import_reason
        assessment.assessed_by = self.by
        assessment.assessed_at = timezone.now()
        assessment._change_reason = self._reason_of(report)
        return assessment
