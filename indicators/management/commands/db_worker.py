"""django-tasks-db's worker, with a lease on each running task and a reaper of lost ones."""

from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from indicators.task_lease import Reaper, connect_signals


class Command(LibraryWorkerCommand):
    help = LibraryWorkerCommand.help + " Tasks of dead workers are queued again (task_lease.py)."

    def handle(self, *args, **options) -> None:
        connect_signals()
        Reaper().start()  # picks up what a killed worker left RUNNING, now and periodically
        super().handle(*args, **options)
