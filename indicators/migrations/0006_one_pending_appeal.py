"""At most one pending appeal per indicator, subject and quarter, held by the database."""

from django.db import migrations, models


def close_duplicate_appeals(apps, schema_editor) -> None:
    """Earlier code let duplicates through; keep the first pending one, close the later ones."""
    Appeal = apps.get_model("indicators", "Appeal")
    first: dict[tuple, int] = {}
    for appeal in Appeal.objects.filter(status="pending").order_by("created_at", "pk"):
        key = (appeal.indicator_id, appeal.kind, appeal.quarter)
        if key not in first:
            first[key] = appeal.pk
            continue
        appeal.status = "rejected"
        appeal.decision_note = (
            f"ยื่นซ้ำกับอุทธรณ์ #{first[key]} ที่รอพิจารณาอยู่ (ปิดอัตโนมัติ เหลือเรื่องละหนึ่งคำขอ)"
        )
        appeal.save(update_fields=["status", "decision_note"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_data_version"),
    ]

    operations = [
        migrations.RunPython(close_duplicate_appeals, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("quarter__isnull", False), ("status", "pending")),
                fields=("indicator", "kind", "quarter"),
                name="one_pending_appeal_per_quarter",
            ),
        ),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.UniqueConstraint(
                condition=models.Q(("quarter__isnull", True), ("status", "pending")),
                fields=("indicator", "kind"),
                name="one_pending_appeal_per_year",
            ),
        ),
    ]
