"""Import-export resources: spreadsheet columns with the page labels in Thai, natural keys.

Every resource loads the rows it may touch in a few queries before the first row (no query per
row), writes in bulk with history (so an import batch can be reverted), and reports a row as
unchanged when nothing in it differs, which makes a second import of the same file a no-op.
The shared machinery is in base.py; one module per resource.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from import_export import fields

from indicators.spreadsheets.base import (
    ChoiceWidget,
    CodeWidget,
    DecimalWidget,
    IntegerWidget,
    KpiResource,
)
from indicators.spreadsheets.indicator_resource import LINK_COLUMNS, IndicatorResource
from indicators.spreadsheets.reference_resources import AgencyResource, StrategyNodeResource
from indicators.spreadsheets.result_checks import REASON_COLUMN
from indicators.spreadsheets.result_resource import SCORE_COLUMNS, ResultResource

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
    if name == REASON_COLUMN:
        return _("ต้องกรอกเมื่อแก้ไขรายงานที่อนุมัติแล้ว หรือเมื่อคะแนนต่างจากที่ระบบเสนอ (บันทึกในประวัติ)")
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
