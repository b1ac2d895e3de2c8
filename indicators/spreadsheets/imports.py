"""Importing a spreadsheet: check it, preview it, write it all or nothing, revert it."""

from dataclasses import dataclass, field
from pathlib import Path

import tablib
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from import_export.results import RowResult

from indicators.models import ImportBatch, ImportStatus
from indicators.spreadsheets.files import ImportFileError, Table, read_table
from indicators.spreadsheets.resources import RESOURCES, KpiResource, resource_for_headers
from indicators.spreadsheets.reverts import ImportRevertError, import_revert

__all__ = ["ImportRevertError", "import_confirm", "import_preview", "import_revert", "import_run"]
MAX_PROBLEMS_SHOWN = 200


@dataclass
class Problem:
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("แถว %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("คอลัมน์ “%(column)s”") % {"column": self.column})
        return f"{' '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportOutcome:
    file_name: str
    kind: str = ""
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    empty_rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    batch: ImportBatch | None = None
    # Set when a confirm found the batch already written (a second tab, a double click).
    already_done: bool = False
    details: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


KIND_LABELS = {
    "agencies": _("หน่วยงาน"),
    "strategy": _("โครงสร้างยุทธศาสตร์"),
    "indicators": _("ตัวชี้วัด"),
    "results": _("ผลรายไตรมาสและผลประเมิน"),
    "digitalplans": _("หน้าเว็บระบบเดิม (digitalplans)"),
}


def import_run(
    *, file, by: User | None, dry_run: bool, batch: ImportBatch | None = None, options=None
):
    """Check or write one file; with any problem nothing is written. Returns an ImportOutcome."""
    name = Path(file.name).name
    from indicators.digitalplans import uploads  # it builds on this module

    if uploads.is_pages_file(name):
        options = options if options is not None else (batch.options if batch else {})
        return uploads.pages_run(
            file=file, name=name, by=by, dry_run=dry_run, batch=batch, options=options
        )
    outcome = ImportOutcome(file_name=name)
    try:
        table = read_table(name, file)
    except ImportFileError as error:
        outcome.problems.append(Problem(None, "", str(error)))
        return _finish(outcome, batch, dry_run)
    outcome.empty_rows, outcome.total = table.empty_rows, len(table.rows)
    resource_class = _resource_class(table, outcome)
    if resource_class is None:
        return _finish(outcome, batch, dry_run)
    outcome.kind = resource_class.kind
    if not dry_run and batch is None:
        batch = ImportBatch.objects.create(
            created_by=by, file_name=name, file_format=table.file_format, kind=outcome.kind
        )
    change_reason = batch.change_reason if batch and not dry_run else ""
    resource = resource_class(by=by, change_reason=change_reason)
    _check_duplicates(resource, table, outcome)
    if outcome.ok:
        _import_rows(resource, table, outcome, dry_run)
    return _finish(outcome, batch, dry_run)


def _resource_class(table: Table, outcome: ImportOutcome) -> type[KpiResource] | None:
    resource_class = resource_for_headers(table.headers)
    if resource_class is None:
        outcome.problems.append(Problem(None, "", _missing_headers_message(table.headers)))
        return None
    known = set(resource_class().headers())
    for header in table.headers:
        if header not in known:
            outcome.problems.append(Problem(1, header, _("ไม่รู้จักหัวคอลัมน์นี้: ตรวจการสะกดกับแม่แบบ")))
    return resource_class


def _missing_headers_message(headers: list[str]) -> str:
    present = set(headers)
    closest = max(RESOURCES.values(), key=lambda r: len(set(r.required_columns) & present))
    missing = [h for h in closest.required_columns if h not in present]
    return _(
        "หัวคอลัมน์ไม่ตรงกับแม่แบบ%(kind)s: ขาดคอลัมน์ %(missing)s (ดาวน์โหลดแม่แบบแล้วใช้หัวคอลัมน์ตามนั้น)"
    ) % {"kind": KIND_LABELS[closest.kind], "missing": ", ".join(f"“{h}”" for h in missing)}


def _check_duplicates(resource: KpiResource, table: Table, outcome: ImportOutcome) -> None:
    first_row: dict[tuple, int] = {}
    for values, number in zip(table.rows, table.row_numbers, strict=True):
        key = resource.row_key(dict(zip(table.headers, values, strict=True)))
        if key is None:
            continue
        if key in first_row:
            outcome.problems.append(
                Problem(
                    number,
                    ", ".join(resource.key_columns),
                    _("ซ้ำกับแถว %(row)d (ข้อมูลเดียวกันต้องมีแถวเดียว)") % {"row": first_row[key]},
                )
            )
        else:
            first_row[key] = number


def _import_rows(resource: KpiResource, table: Table, outcome: ImportOutcome, dry_run: bool):
    dataset = tablib.Dataset(*table.rows, headers=table.headers)
    with transaction.atomic():
        result = resource.import_data(
            dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True
        )
        _collect(result, table, outcome)
        if dry_run or not outcome.ok:
            transaction.set_rollback(True)


def _collect(result, table: Table, outcome: ImportOutcome) -> None:
    def sheet_row(number: int) -> int:
        return table.row_numbers[number - 1]

    for invalid in result.invalid_rows:
        for column, messages in invalid.error_dict.items():
            for message in messages:
                outcome.problems.append(Problem(sheet_row(invalid.number), column, str(message)))
    for number, errors in result.row_errors():
        for error in errors:
            outcome.problems.append(Problem(sheet_row(number), "", _unexpected(error.error)))
    for error in result.base_errors:
        outcome.problems.append(Problem(None, "", _unexpected(error.error)))
    totals = result.totals
    outcome.created = totals[RowResult.IMPORT_TYPE_NEW]
    outcome.updated = totals[RowResult.IMPORT_TYPE_UPDATE]
    outcome.unchanged = totals[RowResult.IMPORT_TYPE_SKIP]


def _unexpected(error: Exception) -> str:
    return _("บันทึกไม่ได้ (%(error)s)") % {"error": str(error).splitlines()[0][:200]}


def _finish(outcome: ImportOutcome, batch: ImportBatch | None, dry_run: bool) -> ImportOutcome:
    if batch is not None:
        batch.total_rows = outcome.total
        batch.created_count = outcome.created
        batch.updated_count = outcome.updated
        batch.unchanged_count = outcome.unchanged
        batch.error_count = len(outcome.problems)
        batch.kind = outcome.kind or batch.kind
        if not dry_run:
            batch.status = ImportStatus.COMMITTED if outcome.ok else ImportStatus.FAILED
            batch.committed_at = timezone.now() if outcome.ok else None
        batch.save()
        outcome.batch = batch
    return outcome


# Other kinds of import (the digitalplans pages) close their outcome the same way.
finish_outcome = _finish


def import_preview(*, file, by: User, options: dict | None = None) -> ImportOutcome:
    """Keep the upload as a batch waiting for confirmation, and dry-run it."""
    name = Path(file.name).name
    batch = ImportBatch(
        created_by=by,
        file_name=name,
        file_format=Path(name).suffix.lstrip("."),
        options=options or {},
    )
    outcome = import_run(file=file, by=by, dry_run=True, options=options or {})
    if not outcome.ok:
        return outcome  # nothing to confirm, so nothing kept
    file.seek(0)
    batch.file.save(name, file, save=False)
    return _finish(outcome, batch, dry_run=True)


@transaction.atomic
def import_confirm(*, batch: ImportBatch, by: User) -> ImportOutcome:
    """Write a previewed batch once; the stored file is checked again inside the transaction.

    The batch row is locked first: a second confirm (another tab, a double click) waits for
    the first, then finds the batch no longer waiting and writes nothing.
    """
    current = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if current.status != ImportStatus.PREVIEWED:
        return ImportOutcome(
            file_name=current.file_name, kind=current.kind, batch=current, already_done=True
        )
    with current.file.open("rb") as stored:
        content = ContentFile(stored.read(), name=current.file_name)
    return import_run(file=content, by=by, dry_run=False, batch=current)
