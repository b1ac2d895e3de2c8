"""Carry a fiscal year's indicators into the next (issue 18); exit code 1 on a bad argument."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from indicators.rollover.plan import (
    RolloverPlan,
    RowStatus,
    Selection,
    build_plan,
    unknown_agencies,
)
from indicators.rollover.services import RolloverError, check_years, rollover_year


class Command(BaseCommand):
    help = "Copy the indicators of one fiscal year into the next, keeping lineage; idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="source", type=int, required=True, help="e.g. 2569")
        parser.add_argument("--to", dest="target", type=int, required=True, help="e.g. 2570")
        parser.add_argument(
            "--agency", action="append", default=[], help="an agency prefix (repeatable)"
        )
        parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
        parser.add_argument("--user", help="username recorded in the history")

    def handle(
        self,
        *args,
        source: int,
        target: int,
        agency: list[str],
        dry_run: bool,
        user: str | None,
        **options,
    ) -> None:
        by = User.objects.filter(username=user).first() if user else None
        if user and by is None:
            raise CommandError(_("ไม่พบผู้ใช้ %(name)s") % {"name": user})
        if unknown := unknown_agencies(agency):
            raise CommandError(_("ไม่พบหน่วยงานรหัส %(codes)s") % {"codes": ", ".join(unknown)})
        selection = Selection(source, target, agencies=tuple(agency))
        try:
            check_years(source, target)
            if dry_run:
                plan = build_plan(selection)
                copied = len(plan.new_rows)
            else:
                result = rollover_year(selection, by=by, reason=_("คำสั่ง rollover_year"))
                plan, copied = result.plan, len(result.copied)
        except RolloverError as error:
            raise CommandError(str(error)) from error
        self._summary(plan, copied, dry_run)

    def _summary(self, plan: RolloverPlan, copied: int, dry_run: bool) -> None:
        for row in plan.rows:
            if row.status != RowStatus.NEW:
                self.stdout.write(f"  {row.source.code} → {row.code}: {row.status_label}")
        counts = {
            "from": plan.source_year,
            "to": plan.target_year,
            "copied": copied,
            "existing": len(plan.existing),
            "skipped": len(plan.skipped),
        }
        line = (
            _(
                "ยกยอดตัวชี้วัดจากปี %(from)s ไปปี %(to)s: คัดลอก %(copied)s, "
                "มีอยู่แล้ว %(existing)s, ข้าม %(skipped)s"
            )
            % counts
        )
        if dry_run:
            line += " " + _("(ทดลอง ไม่ได้บันทึก)")
        self.stdout.write(line)
