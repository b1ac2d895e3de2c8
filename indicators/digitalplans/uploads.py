"""The digitalplans pages as one more kind on the import page: preview, confirm and revert."""

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from indicators.digitalplans.importer import digitalplans_import
from indicators.digitalplans.report import MigrationReport
from indicators.digitalplans.sources import MIGRATION_SUFFIXES, SourceError, read_pages
from indicators.models import ImportBatch
from indicators.spreadsheets.imports import ImportOutcome, Problem, finish_outcome

KIND = "digitalplans"


def is_pages_file(name: str) -> bool:
    return name.lower().endswith(MIGRATION_SUFFIXES)


def pages_run(
    *, file, name: str, by: User | None, dry_run: bool, batch: ImportBatch | None, options: dict
) -> ImportOutcome:
    """Check or write one file of old-system pages; the outcome carries the preview's lists."""
    outcome = ImportOutcome(file_name=name, kind=KIND)
    try:
        pages = read_pages(name, file.read())
    except SourceError as error:
        outcome.problems.append(Problem(None, "", str(error)))
        return finish_outcome(outcome, batch, dry_run)
    if not dry_run and batch is None:
        batch = ImportBatch.objects.create(
            created_by=by, file_name=name, file_format=name.rsplit(".", 1)[-1][:10], kind=KIND
        )
    if batch is not None:
        batch.options = options
    report = digitalplans_import(
        pages=pages,
        by=by,
        batch=batch,
        dry_run=dry_run,
        year=options.get("year"),
        create_agencies=bool(options.get("create_agencies")),
    )
    outcome.total = report.total
    outcome.created, outcome.updated, outcome.unchanged = (
        report.created,
        report.updated,
        report.unchanged,
    )
    outcome.details = details(report)
    return finish_outcome(outcome, batch, dry_run)


def details(report: MigrationReport) -> list[tuple[str, list[str]]]:
    """The preview's lists: what was skipped, missing, different, and flagged."""
    sections = [
        (_("ข้ามไป"), report.skipped),
        (_("หน่วยงานที่ไม่มีในข้อมูลอ้างอิง"), report.unknown_agencies),
        (_("หน่วยงานที่จะสร้าง (รอผู้ดูแลระบบตั้งชื่อ)"), report.created_agencies),
        (_("หมายเหตุ"), report.notes),
    ]
    for title, table in (
        (_("ส่วนที่หน้านี้ไม่มี"), report.missing),
        (_("ต่างจากข้อมูลในระบบ"), report.differences),
        (_("ข้อสังเกตคุณภาพข้อมูล"), report.flags),
    ):
        sections += [(f"{title}: {key}", rows) for key, rows in table.items()]
    return [(str(title), rows) for title, rows in sections if rows]
