"""Import-export resources: spreadsheet columns with the page labels in Thai, natural keys.

Every resource loads the rows it may touch in a few queries before the first row (no query per
row), writes in bulk with history (so an import batch can be reverted), and reports a row as
unchanged when nothing in it differs, which makes a second import of the same file a no-op.
The shared machinery is in resources_base.py.
"""

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from import_export import fields
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import (
    Agency,
    AgencyKind,
    Aggregation,
    Assessment,
    Dataset,
    Direction,
    DistrictGroup,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorKind,
    IndicatorProject,
    Measure,
    NodeLevel,
    Plan,
    Project,
    QuarterReport,
    ResultLevel,
    StrategyNode,
)
from indicators.numbers import normalize_digits, parse_int
from indicators.resources_base import (
    ChoiceWidget,
    CodeTextWidget,
    CodeWidget,
    DecimalWidget,
    IntegerWidget,
    KpiResource,
    cell_text,
    column,
    split_codes,
    year_and_code,
    years_in,
)


class AgencyResource(KpiResource):
    kind = "agencies"
    key_columns = ("รหัสหน่วยงาน",)
    required_columns = ("รหัสหน่วยงาน", "รหัสนำหน้าตัวชี้วัด", "ชื่อหน่วยงาน (ไทย)", "ประเภท")

    code = column("รหัสหน่วยงาน", "code", CodeTextWidget())
    prefix = column("รหัสนำหน้าตัวชี้วัด", "prefix", CodeTextWidget())
    name_th = column("ชื่อหน่วยงาน (ไทย)", "name_th")
    name_en = column("ชื่อหน่วยงาน (อังกฤษ)", "name_en")
    short_name_th = column("ชื่อย่อ (ไทย)", "short_name_th")
    short_name_en = column("ชื่อย่อ (อังกฤษ)", "short_name_en")
    agency_kind = column("ประเภท", "kind", ChoiceWidget(AgencyKind))
    group = column("กลุ่มเขต", "group", CodeWidget(DistrictGroup, "code", _("กลุ่มเขต")))

    class Meta(KpiResource.Meta):
        model = Agency
        fields = (
            "code",
            "prefix",
            "name_th",
            "name_en",
            "short_name_th",
            "short_name_en",
            "agency_kind",
            "group",
        )

    def get_queryset(self):
        return Agency.objects.select_related("group")

    def row_key(self, row) -> tuple | None:
        code = normalize_digits(cell_text(row.get("รหัสหน่วยงาน")))
        return (code,) if code else None

    def load_existing(self, dataset) -> dict[tuple, models.Model]:
        return {(agency.code,): agency for agency in Agency.objects.all()}

    def import_extra(self, instance, row, errors) -> dict[str, str]:
        problems = {}
        if "รหัสหน่วยงาน" not in errors and not _digits(instance.code, 8):
            problems["รหัสหน่วยงาน"] = _("ต้องเป็นตัวเลข 8 หลัก")
        if "รหัสนำหน้าตัวชี้วัด" not in errors and not _digits(instance.prefix, 4):
            problems["รหัสนำหน้าตัวชี้วัด"] = _("ต้องเป็นตัวเลข 4 หลัก")
        return problems


def _digits(value: str, length: int) -> bool:
    return len(value) == length and value.isascii() and value.isdigit()


class StrategyNodeResource(KpiResource):
    """Nodes are few; written row by row so a parent earlier in the file exists for its child."""

    kind = "strategy"
    key_columns = ("รหัสแผน", "รหัส")
    required_columns = ("รหัสแผน", "รหัส", "ระดับ", "ชื่อ (ไทย)")

    plan = column("รหัสแผน", "plan", CodeWidget(Plan, "code", _("แผน")))
    node_code = column("รหัส", "code", CodeTextWidget())
    level = column("ระดับ", "level", ChoiceWidget(NodeLevel))
    name_th = column("ชื่อ (ไทย)", "name_th")
    name_en = column("ชื่อ (อังกฤษ)", "name_en")
    order = column("ลำดับ", "order", IntegerWidget())
    color = column("สี", "color")

    class Meta(KpiResource.Meta):
        model = StrategyNode
        fields = (
            "plan",
            "node_code",
            "level",
            "name_th",
            "name_en",
            "order",
            "color",
        )
        use_bulk = False

    def get_queryset(self):
        # Parents before children, so an exported file imports into an empty plan.
        return StrategyNode.objects.select_related("plan").order_by("plan__order", "level", "code")

    def row_key(self, row) -> tuple | None:
        plan = cell_text(row.get("รหัสแผน"))
        code = normalize_digits(cell_text(row.get("รหัส")))
        return (plan, code) if plan and code else None

    def load_existing(self, dataset) -> dict[tuple, models.Model]:
        nodes = StrategyNode.objects.select_related("plan")
        return {(node.plan.code, node.code): node for node in nodes}

    def import_extra(self, instance, row, errors) -> dict[str, str]:
        if errors or "." not in instance.code:
            instance.parent = None
            return {}
        parent_code = instance.code.rsplit(".", 1)[0]
        parent = StrategyNode.objects.filter(plan=instance.plan, code=parent_code).first()
        if parent is None:
            return {"รหัส": _("ไม่พบยุทธศาสตร์แม่รหัส “%(code)s”") % {"code": parent_code}}
        instance.parent = parent
        return {}

    def snapshot_extra(self, instance) -> tuple:
        return (instance.parent_id,)

    def bulk_update_fields(self) -> list[str]:
        return [*super().bulk_update_fields(), "parent"]

    def do_instance_save(self, instance, is_create) -> None:
        instance.save(force_insert=is_create)


LINK_COLUMNS = {
    "strategy_nodes": "ยุทธศาสตร์ที่สนับสนุน",
    "projects": "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
    "datasets": "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
}


class IndicatorResource(KpiResource):
    kind = "indicators"
    key_columns = ("ปีงบประมาณ", "รหัสตัวชี้วัด")
    required_columns = (
        "ปีงบประมาณ",
        "รหัสหน่วยงาน",
        "เลขลำดับ",
        "ชื่อตัวชี้วัด",
        "หน่วยนับ",
        "ลักษณะการวัด",
        "ค่าเป้าหมาย",
        "ประเภทตัวชี้วัด",
        "ระดับตัวชี้วัด",
    )

    fiscal_year = column("ปีงบประมาณ", "fiscal_year", CodeWidget(FiscalYear, "year", _("ปีงบประมาณ")))
    code = column("รหัสตัวชี้วัด", None)
    agency = column("รหัสหน่วยงาน", "agency", CodeWidget(Agency, "code", _("หน่วยงาน")))
    number = column("เลขลำดับ", "number", IntegerWidget())
    display_number = column("ลำดับที่แสดง", "display_number")
    name_th = column("ชื่อตัวชี้วัด", "name_th")
    name_en = column("ชื่อตัวชี้วัด (อังกฤษ)", "name_en")
    unit = column("หน่วยนับ", "unit")
    measure = column("ลักษณะการวัด", "measure", ChoiceWidget(Measure))
    direction = column("ทิศทาง", "direction", ChoiceWidget(Direction))
    target = column("ค่าเป้าหมาย", "target", DecimalWidget())
    baseline = column("ค่าฐาน", "baseline", DecimalWidget())
    target_q1 = column("เป้าหมายไตรมาส 1", "target_q1", DecimalWidget())
    target_q2 = column("เป้าหมายไตรมาส 2", "target_q2", DecimalWidget())
    target_q3 = column("เป้าหมายไตรมาส 3", "target_q3", DecimalWidget())
    target_q4 = column("เป้าหมายไตรมาส 4", "target_q4", DecimalWidget())
    aggregation = column("การรวมผลรายไตรมาส", "aggregation", ChoiceWidget(Aggregation))
    indicator_kind = column("ประเภทตัวชี้วัด", "kind", ChoiceWidget(IndicatorKind))
    result_level = column("ระดับตัวชี้วัด", "result_level", ChoiceWidget(ResultLevel))
    weight = column("น้ำหนัก", "weight", DecimalWidget())
    definition = column("นิยาม หรือความหมายของตัวชี้วัด", "definition")
    calculation_method = column("วิธีการคำนวณ หรือ เกณฑ์การประเมิน", "calculation_method")
    data_collection = column("วิธีการการเก็บข้อมูล/แหล่งข้อมูล", "data_collection")
    summary = column("สรุปผลการดำเนินงาน", "summary")
    audit_quarter = column("ไตรมาสที่ สยป. ตรวจประเมิน", "audit_quarter", IntegerWidget())
    strategy_nodes = column(LINK_COLUMNS["strategy_nodes"], None)
    projects = column(LINK_COLUMNS["projects"], None)
    datasets = column(LINK_COLUMNS["datasets"], None)

    class Meta(KpiResource.Meta):
        model = Indicator
        fields = (
            "fiscal_year",
            "code",
            "agency",
            "number",
            "display_number",
            "name_th",
            "name_en",
            "unit",
            "measure",
            "direction",
            "target",
            "baseline",
            "target_q1",
            "target_q2",
            "target_q3",
            "target_q4",
            "aggregation",
            "indicator_kind",
            "result_level",
            "weight",
            "definition",
            "calculation_method",
            "data_collection",
            "summary",
            "audit_quarter",
            "strategy_nodes",
            "projects",
            "datasets",
        )

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._links: dict[int, dict[str, list[int]]] = {}
        self._lookups: dict[str, dict[str, list[int]]] | None = None

    def get_queryset(self):
        return Indicator.objects.select_related("agency").prefetch_related(
            "strategy_nodes__plan", "indicatorproject_set__project", "indicatordataset_set__dataset"
        )

    # Export of the computed columns.
    def dehydrate_code(self, indicator: Indicator) -> str:
        return indicator.code

    def dehydrate_strategy_nodes(self, indicator: Indicator) -> str:
        ambiguous = self.lookups()["ambiguous"]
        codes = sorted(
            f"{node.plan.code}:{node.code}" if node.code in ambiguous else node.code
            for node in indicator.strategy_nodes.all()
        )
        return ", ".join(codes)

    def dehydrate_projects(self, indicator: Indicator) -> str:
        return ", ".join(link.project.code for link in indicator.indicatorproject_set.all())

    def dehydrate_datasets(self, indicator: Indicator) -> str:
        return ", ".join(link.dataset.code for link in indicator.indicatordataset_set.all())

    # Import.
    def row_key(self, row) -> tuple | None:
        key = year_and_code(row, "รหัสตัวชี้วัด")
        if key is None:
            return None
        if not key[1]:
            return self._built_key(row, key[0])
        return key

    def _built_key(self, row, year: int) -> tuple | None:
        agency = self.fields["agency"].widget
        try:
            prefix = agency.clean(row.get("รหัสหน่วยงาน")).prefix
            return year, Indicator.build_code(prefix, parse_int(row.get("เลขลำดับ")))
        except (ValueError, AttributeError):
            return None

    def load_existing(self, dataset) -> dict[tuple, models.Model]:
        indicators = Indicator.objects.filter(fiscal_year_id__in=years_in(dataset))
        found = {(i.fiscal_year_id, i.code): i for i in indicators}
        self._links = self._existing_links([i.pk for i in found.values()])
        return found

    def _existing_links(self, ids: list[int]) -> dict[int, dict[str, list[int]]]:
        links: dict[int, dict[str, list[int]]] = defaultdict(
            lambda: {"strategy_nodes": [], "projects": [], "datasets": []}
        )
        through = Indicator.strategy_nodes.through
        for ind, node in through.objects.filter(indicator_id__in=ids).values_list(
            "indicator_id", "strategynode_id"
        ):
            links[ind]["strategy_nodes"].append(node)
        for model, name, attr in (
            (IndicatorProject, "projects", "project_id"),
            (IndicatorDataset, "datasets", "dataset_id"),
        ):
            rows = model.objects.filter(indicator_id__in=ids).order_by("order", "pk")
            for ind, target in rows.values_list("indicator_id", attr):
                links[ind][name].append(target)
        for value in links.values():
            value["strategy_nodes"].sort()
        return links

    def lookups(self) -> dict[str, Any]:
        if self._lookups is None:
            nodes: dict[str, list[int]] = defaultdict(list)
            for pk, plan, code in StrategyNode.objects.values_list("pk", "plan__code", "code"):
                nodes[code].append(pk)
                nodes[f"{plan}:{code}"].append(pk)
            self._lookups = {
                "strategy_nodes": nodes,
                "projects": {c: [pk] for pk, c in Project.objects.values_list("pk", "code")},
                "datasets": {c: [pk] for pk, c in Dataset.objects.values_list("pk", "code")},
                "ambiguous": {code for code, pks in nodes.items() if len(pks) > 1},
            }
        return self._lookups

    def import_extra(self, instance, row, errors) -> dict[str, str]:
        problems = self._check_code(instance, row, errors)
        if instance.audit_quarter is not None and not 1 <= instance.audit_quarter <= 4:
            problems["ไตรมาสที่ สยป. ตรวจประเมิน"] = _("ต้องเป็น 1 ถึง 4")
        if instance.weight is not None and instance.weight <= 0:
            problems["น้ำหนัก"] = _("ต้องมากกว่า 0")
        instance._import_links = {}
        for name, header in LINK_COLUMNS.items():
            if header in row:
                try:
                    instance._import_links[name] = self._resolve_links(name, row[header])
                except ValueError as error:
                    problems[header] = str(error)
        return problems

    def _check_code(self, instance, row, errors) -> dict[str, str]:
        if errors.keys() & {"รหัสหน่วยงาน", "เลขลำดับ"} or instance.agency_id is None:
            return {}
        built = Indicator.build_code(instance.agency.prefix, instance.number)
        typed = normalize_digits(cell_text(row.get("รหัสตัวชี้วัด")))
        if typed and typed != built:
            return {
                "รหัสตัวชี้วัด": _("ไม่ตรงกับรหัสหน่วยงานและเลขลำดับ (ควรเป็น %(code)s)") % {"code": built}
            }
        instance.code = built
        return {}

    def _resolve_links(self, name: str, value: object) -> list[int]:
        lookup = self.lookups()[name]
        ids = []
        for code in split_codes(value):
            code = normalize_digits(code)
            found = lookup.get(code, [])
            if not found:
                raise ValueError(_("ไม่พบรหัส “%(code)s”") % {"code": code[:40]})
            if len(found) > 1:
                raise ValueError(
                    _("รหัส “%(code)s” มีในหลายแผน ให้เขียนเป็น รหัสแผน:รหัส") % {"code": code}
                )
            ids.append(found[0])
        return sorted(ids) if name == "strategy_nodes" else ids

    def snapshot_extra(self, instance) -> tuple:
        links = getattr(instance, "_import_links", None)
        current = self._links.get(instance.pk, {}) if instance.pk else {}
        if links is None:  # the snapshot of the stored row, before the file was read
            return (current,)
        return ({**current, **links},)

    def after_init_instance(self, instance, new, row, **kwargs) -> None:
        instance._import_links = None
        super().after_init_instance(instance, new, row, **kwargs)
        instance._original_links = self._links.get(instance.pk, {}) if not new else {}

    def bulk_update_fields(self) -> list[str]:
        return [f for f in super().bulk_update_fields() if f != "fiscal_year"]

    def after_write(self, instances: list[Indicator]) -> None:
        for name in LINK_COLUMNS:
            changed = [
                i
                for i in instances
                if name in i._import_links
                and i._import_links[name] != i._original_links.get(name, [])
            ]
            if changed:
                self._replace_links(name, changed)

    def _replace_links(self, name: str, indicators: list[Indicator]) -> None:
        ids = [i.pk for i in indicators]
        if name == "strategy_nodes":
            through = Indicator.strategy_nodes.through
            through.objects.filter(indicator_id__in=ids).delete()
            through.objects.bulk_create(
                through(indicator_id=i.pk, strategynode_id=node)
                for i in indicators
                for node in i._import_links[name]
            )
            return
        model, attr = (
            (IndicatorProject, "project_id")
            if name == "projects"
            else (IndicatorDataset, "dataset_id")
        )
        model.objects.filter(indicator_id__in=ids).delete()
        model.objects.bulk_create(
            model(indicator_id=i.pk, order=order, **{attr: target})
            for i in indicators
            for order, target in enumerate(i._import_links[name], 1)
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
        existing = {}
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
                scores[name] = DecimalWidget().clean(row[header])
            except ValueError as error:
                problems[header] = str(error)
                continue
            if scores[name] is not None and not 0 <= scores[name] <= 100:
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
        created, updated = [], []
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


RESOURCES: dict[str, type[KpiResource]] = {
    resource.kind: resource
    for resource in (AgencyResource, StrategyNodeResource, IndicatorResource, ResultResource)
}


def resource_for_headers(headers: Iterable[str]) -> type[KpiResource] | None:
    """The resource whose key and required columns are all in the file's header row."""
    present = set(headers)
    for kind in ("results", "indicators", "strategy", "agencies"):
        resource = RESOURCES[kind]
        if set(resource.required_columns) <= present:
            return resource
    return None


def describe_columns(resource: KpiResource) -> list[tuple[str, bool, str]]:
    """(column, required, what to write) for the template's notes and the import page."""
    notes = []
    for field in resource.get_export_fields():
        name = field.column_name
        if name in getattr(resource, "export_only_columns", ()):
            continue
        notes.append((name, name in resource.required_columns, _describe(field, name, resource)))
    return notes


def _describe(field: fields.Field, name: str, resource: KpiResource) -> str:
    widget = field.widget
    if name == "ปีงบประมาณ":
        return _("ปีงบประมาณ พ.ศ. ที่มีในระบบ เช่น 2564")
    if name == "รหัสตัวชี้วัด" and resource.kind == "results":
        return _("รหัสตัวชี้วัดของปีนั้น เช่น 5030-1052")
    if name in LINK_COLUMNS.values():
        return _("รหัสคั่นด้วยจุลภาค (,) เช่น 5.2.1.1, 5.2.1.2")
    if name in SCORE_COLUMNS.values():
        return _("ตัวเลข 0–100 เว้นว่างถ้ายังไม่ประเมิน")
    if isinstance(widget, ChoiceWidget):
        return _("ค่าใดค่าหนึ่ง: %(values)s") % {
            "values": ", ".join(str(label) for label in widget.choices.labels)
        }
    if isinstance(widget, CodeWidget):
        return _("รหัส%(what)sที่มีในระบบ") % {"what": widget.what}
    if isinstance(widget, DecimalWidget):
        return _("ตัวเลข ใช้เลขไทยและเครื่องหมายจุลภาคได้ เช่น ๑,๒๐๐.๕")
    if isinstance(widget, IntegerWidget):
        return _("จำนวนเต็ม ใช้เลขไทยได้")
    if name == "รหัสตัวชี้วัด":
        return _("รหัสนำหน้าหน่วยงาน-เลขลำดับ เช่น 5030-1052 (เว้นว่างได้สำหรับตัวชี้วัดใหม่)")
    return _("ข้อความ")
