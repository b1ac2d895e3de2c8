"""Reference data in spreadsheets: agencies and the strategy tree, keyed by their codes."""

from django.db import models
from django.utils.translation import gettext as _

from indicators.models import (
    Agency,
    AgencyKind,
    DistrictGroup,
    NodeLevel,
    Plan,
    StrategyNode,
)
from indicators.numbers import normalize_digits
from indicators.spreadsheets.base import (
    AGENCY_CODE_DIGITS,
    ChoiceWidget,
    CodeTextWidget,
    CodeWidget,
    IntegerWidget,
    KpiResource,
    PaddedCodeWidget,
    cell_text,
    column,
    padded_code,
)


class AgencyResource(KpiResource):
    kind = "agencies"
    key_columns = ("รหัสหน่วยงาน",)
    required_columns = ("รหัสหน่วยงาน", "รหัสนำหน้าตัวชี้วัด", "ชื่อหน่วยงาน (ไทย)", "ประเภท")

    code = column("รหัสหน่วยงาน", "code", PaddedCodeWidget(AGENCY_CODE_DIGITS))
    prefix = column("รหัสนำหน้าตัวชี้วัด", "prefix", PaddedCodeWidget(4))
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
        code = padded_code(row.get("รหัสหน่วยงาน"), AGENCY_CODE_DIGITS)
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
