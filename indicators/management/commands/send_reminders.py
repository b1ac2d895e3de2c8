"""E-mail reporters about quarter reports due soon or overdue; run daily from cron."""

import datetime

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from indicators.workflow.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail reporters N days before a quarter's due date and every day after it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="days before the due date")
        parser.add_argument("--date", type=datetime.date.fromisoformat, help="today (testing)")

    def handle(self, *args, days: int, date: datetime.date | None, **options) -> None:
        sent = send_reminders(today=date or timezone.localdate(), days_before=days)
        self.stdout.write(f"{sent} reminder e-mail(s) sent")
