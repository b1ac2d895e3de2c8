"""What a migration run did or would do: the preview's lists and the command's output."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

SECTION_LABELS = {
    "name": gettext_lazy("ชื่อตัวชี้วัด"),
    "target": gettext_lazy("ค่าเป้าหมาย"),
    "result": gettext_lazy("ผลงานที่ทำได้"),
    "type": gettext_lazy("ประเภทตัวชี้วัด"),
    "audit": gettext_lazy("สยป. ตรวจประเมินตัวชี้วัด"),
    "table": gettext_lazy("ผลงานเทียบกับเป้าหมายรายไตรมาส"),
    "q1": gettext_lazy("รายงานผลฯ ไตรมาสที่ 1"),
    "q2": gettext_lazy("รายงานผลฯ ไตรมาสที่ 2"),
    "q3": gettext_lazy("รายงานผลฯ ไตรมาสที่ 3"),
    "q4": gettext_lazy("รายงานผลฯ ไตรมาสที่ 4"),
    "summary": gettext_lazy("สรุปผลการดำเนินงาน"),
    "definition": gettext_lazy("นิยาม"),
    "calculation": gettext_lazy("วิธีการคำนวณ"),
    "sources": gettext_lazy("วิธีการเก็บข้อมูล/แหล่งข้อมูล"),
    "strategy": gettext_lazy("สนับสนุนยุทธศาสตร์"),
    "projects": gettext_lazy("โครงการ/กิจกรรม"),
    "datasets": gettext_lazy("ฐานข้อมูลประกอบ"),
    "nature": gettext_lazy("ลักษณะข้อมูล"),
}


@dataclass
class MigrationReport:
    """What a run did or would do, for the preview, the command's output and the batch."""

    pages: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=dict)
    differences: dict[str, list[str]] = field(default_factory=dict)
    unknown_agencies: list[str] = field(default_factory=list)
    created_agencies: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    flags: dict[str, list[str]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged
