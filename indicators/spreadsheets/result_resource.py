"""Quarter results and scores in spreadsheets, keyed by year, code and quarter."""

from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import (
    Assessment,
    FiscalYear,
    Indicator,
    QuarterReport,
)
from indicators.numbers import normalize_digits, parse_int
from indicators.spreadsheets.base import (
    DecimalWidget,
    IntegerWidget,
    KpiResource,
    cell_text,
    column,
    year_and_code,
    years_in,
)

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
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._indicators: dict[tuple[int, str], Indicator] = {}
        self._years: set[int] = set()

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
            "pk", "fiscal_year_id", "code"
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
        return existing

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
        return problems

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
        super().after_init_instance(instance, new, row, **kwargs)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        if instance.pk:
            instance.version += 1  # an open entry form must not overwrite the imported value

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
                list(SCORE_COLUMNS),
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
            return Assessment(report_id=report.pk, **scores)
        if all(getattr(assessment, n) == v for n, v in scores.items()):
            return None
        for name, value in scores.items():
            setattr(assessment, name, value)
        return assessment
