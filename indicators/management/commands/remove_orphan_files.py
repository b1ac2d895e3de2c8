"""Remove stored files that no evidence, appeal, import or book row names."""

import datetime

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandParser

from indicators.stored_files import orphan_files


class Command(BaseCommand):
    help = "Remove files under MEDIA_ROOT that no row refers to (older than --min-age-hours)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list them, remove nothing")
        parser.add_argument("--min-age-hours", type=float, default=1.0)

    def handle(self, *args, dry_run: bool, min_age_hours: float, **options) -> None:
        orphans = orphan_files(datetime.timedelta(hours=min_age_hours))
        for name in orphans:
            self.stdout.write(name)
            if not dry_run:
                default_storage.delete(name)
        verb = "would remove" if dry_run else "removed"
        self.stdout.write(f"{verb} {len(orphans)} orphaned files")
