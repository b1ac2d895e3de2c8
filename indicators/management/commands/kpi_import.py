"""Import one spreadsheet with the rules of the import page; exit code 1 on any problem."""

from pathlib import Path

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.spreadsheets.imports import import_run


class Command(BaseCommand):
    help = "Import agencies, strategy nodes, indicators or quarter results from XLSX/CSV/JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--user", help="username recorded as the importer")

    def handle(self, *args, file: Path, dry_run: bool, user: str | None, **options) -> None:
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        by = User.objects.filter(username=user).first() if user else None
        if user and by is None:
            raise CommandError(f"{user}: no such user")
        with file.open("rb") as stream:
            outcome = import_run(file=stream, by=by, dry_run=dry_run)
        for problem in outcome.problems:
            self.stderr.write(str(problem))
        summary = (
            f"{outcome.file_name}: {outcome.kind or '?'}, {outcome.total} rows: "
            f"{outcome.created} new, {outcome.updated} changed, {outcome.unchanged} unchanged"
        )
        if not outcome.ok:
            raise CommandError(f"{summary}; {len(outcome.problems)} problems, nothing written")
        self.stdout.write(summary + (" (dry run, nothing written)" if dry_run else ""))
