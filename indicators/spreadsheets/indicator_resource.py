"""Indicators in spreadsheets: definitions, targets and links, keyed by year and code."""

from collections import defaultdict
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from indicators.models import (
    Aggregation,
    Dataset,
    Direction,
    FiscalYear,
    Indicator,
    IndicatorDataset,
    IndicatorKind,
    IndicatorProject,
    Measure,
    Project,
    ResultLevel,
    StrategyNode,
)
from indicators.numbers import normalize_digits, parse_int
from indicators.spreadsheets.base import (
    AgencyWidget,
    ChoiceWidget,
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

LINK_COLUMNS = {
    "strategy_nodes": "ยุทธศาสตร์ที่สนับสนุน",
    "projects": "โครงการ/กิจกรรมที่สนับสนุนตัวชี้วัด",
    "datasets": "ฐานข้อมูลประกอบตัวชี้วัดการพัฒนาเมือง",
}


# The ordered links written through a model of their own: column -> (model, its target field).
LINK_MODELS: dict[str, tuple[type[models.Model], str]] = {
    "projects": (IndicatorProject, "project_id"),
    "datasets": (IndicatorDataset, "dataset_id"),
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
    agency = column("รหัสหน่วยงาน", "agency", AgencyWidget())
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
        self._lookups: dict[str, Any] | None = None

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
        found: dict[tuple, models.Model] = {(i.fiscal_year_id, i.code): i for i in indicators}
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
        # Every indicator, linked or not: one without links compared {} with three empty lists
        # and counted as changed on every re-import.
        return {pk: links[pk] for pk in ids}

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
        model, attr = LINK_MODELS[name]
        model._default_manager.filter(indicator_id__in=ids).delete()
        model._default_manager.bulk_create(
            model(indicator_id=i.pk, order=order, **{attr: target})
            for i in indicators
            for order, target in enumerate(i._import_links[name], 1)
        )
