"""Bring the old digitalplans pages (saved HTML, their text, or zips of them) into the portal."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.digitalplans.importer import digitalplans_import
from indicators.digitalplans.report import MigrationReport
from indicators.digitalplans.sources import SourceError, SourcePage, read_pages
from indicators.models import ImportBatch, ImportStatus


class Command(BaseCommand):
    help = (
        "Import indicator pages saved from the old BMA digitalplans system, exactly as published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", help="saved pages (.html, .htm, .txt) or zips of them"
        )
        parser.add_argument("--year", type=int, help="fiscal year (BE) for pages that do not say")
        parser.add_argument(
            "--create-agencies", action="store_true", help="create unknown agencies"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="show what would change, write nothing"
        )

    def handle(self, *args, **options) -> None:
        pages: list[SourcePage] = []
        for path in map(Path, options["paths"]):
            if not path.is_file():
                raise CommandError(f"No such file: {path}")
            try:
                pages += read_pages(path.name, path.read_bytes())
            except SourceError as error:
                raise CommandError(str(error)) from None
        batch = None
        if not options["dry_run"]:
            batch = ImportBatch.objects.create(
                file_name=", ".join(Path(p).name for p in options["paths"])[:255],
                file_format=Path(options["paths"][0]).suffix.lstrip(".")[:10],
                kind="digitalplans",
                options={"year": options["year"], "create_agencies": options["create_agencies"]},
            )
        report = digitalplans_import(
            pages=pages,
            by=None,
            batch=batch,
            dry_run=options["dry_run"],
            year=options["year"],
            create_agencies=options["create_agencies"],
        )
        if batch is not None:
            batch.total_rows, batch.created_count = report.total, report.created
            batch.updated_count, batch.unchanged_count = report.updated, report.unchanged
            batch.error_count = len(report.skipped)
            batch.status = ImportStatus.COMMITTED
            batch.save()
        self._print(report, options["dry_run"])

    def _print(self, report: MigrationReport, dry_run: bool) -> None:
        write = self.stdout.write
        verb = "would be" if dry_run else "were"
        write(
            f"{report.pages} pages: {report.created} indicators {verb} created, {report.updated} "
            f"updated, {report.unchanged} unchanged, {len(report.skipped)} skipped."
        )
        for title, rows in (
            ("Skipped", report.skipped),
            ("Unknown agencies", report.unknown_agencies),
            ("Agencies created (to be named by an administrator)", report.created_agencies),
            ("Notes", report.notes),
        ):
            if rows:
                write(f"{title}:")
                for row in rows:
                    write(f"  {row}")
        for title, table in (
            ("Missing sections", report.missing),
            ("Differences from the portal", report.differences),
            ("Data-quality flags", report.flags),
        ):
            for key, rows in table.items():
                write(f"{title} {key}:")
                for row in rows:
                    write(f"  {row}")
