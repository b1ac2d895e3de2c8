from django.conf import settings
from django.db import migrations, models

# The review queue's order, newest submission first with never-submitted (imported) reports
# last: one status at a time, and every queue status together. Ordered NULLS LAST, which SQLite
# cannot put in an index (and whose table rebuilds would then fail), so they are made here on
# PostgreSQL only and are not in the model's state; the SQLite demo's few thousand reports need
# no index for the queue.
QUEUE_ORDER_INDEXES = """
CREATE INDEX report_status_sent_idx ON indicators_quarterreport
  (status, submitted_at DESC NULLS LAST);
CREATE INDEX report_queue_sent_idx ON indicators_quarterreport
  (submitted_at DESC NULLS LAST) WHERE status IN ('submitted', 'returned', 'approved');
"""
DROP_QUEUE_ORDER_INDEXES = """
DROP INDEX report_queue_sent_idx;
DROP INDEX report_status_sent_idx;
"""


def add_queue_order_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(QUEUE_ORDER_INDEXES)


def drop_queue_order_indexes(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_QUEUE_ORDER_INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0014_year_data_versions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(add_queue_order_indexes, drop_queue_order_indexes),
        migrations.AddIndex(
            model_name="quarterreport",
            index=models.Index(fields=["indicator", "status"], name="report_indicator_status_idx"),
        ),
    ]
