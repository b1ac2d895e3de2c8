from django.db import migrations, models

# The year's columns must equal the indicator's (a report's) year: a foreign key on both
# columns, which follows the indicator if its year ever changes (ON UPDATE CASCADE).
# PostgreSQL only: SQLite cannot add a constraint to an existing table (the demo database
# is made by writers that set the year through QuarterReport.of / Assessment.of).
YEAR_KEYS = """
ALTER TABLE indicators_quarterreport ADD CONSTRAINT report_year_is_indicators
  FOREIGN KEY (indicator_id, fiscal_year_id)
  REFERENCES indicators_indicator (id, fiscal_year_id)
  ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE indicators_assessment ADD CONSTRAINT assessment_year_is_reports
  FOREIGN KEY (report_id, fiscal_year_id)
  REFERENCES indicators_quarterreport (id, fiscal_year_id)
  ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED;
-- Statistics of the new column now, so the first dashboards use its index.
ANALYZE indicators_quarterreport;
ANALYZE indicators_assessment;
"""
DROP_YEAR_KEYS = """
ALTER TABLE indicators_assessment DROP CONSTRAINT assessment_year_is_reports;
ALTER TABLE indicators_quarterreport DROP CONSTRAINT report_year_is_indicators;
"""
FILL = """
UPDATE indicators_quarterreport SET fiscal_year_id = (
  SELECT i.fiscal_year_id FROM indicators_indicator i
  WHERE i.id = indicators_quarterreport.indicator_id);
UPDATE indicators_assessment SET fiscal_year_id = (
  SELECT r.fiscal_year_id FROM indicators_quarterreport r
  WHERE r.id = indicators_assessment.report_id);
"""


def fill(apps, schema_editor) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in FILL.split(";"):
            if statement.strip():
                cursor.execute(statement)


def add_year_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(YEAR_KEYS)


def drop_year_keys(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_YEAR_KEYS)


def year_field(null: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=False,
        db_index=False,
        editable=False,
        null=null,
        on_delete=models.DO_NOTHING,
        related_name="+",
        to="indicators.fiscalyear",
    )


class Migration(migrations.Migration):
    """Quarter reports and assessments know their fiscal year (indexed), so the dashboard
    reads one year's rows instead of joining every year's."""

    dependencies = [
        ("indicators", "0015_review_queue_indexes"),
    ]

    operations = [
        migrations.AddField("quarterreport", "fiscal_year", year_field(null=True)),
        migrations.AddField("assessment", "fiscal_year", year_field(null=True)),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField("quarterreport", "fiscal_year", year_field(null=False)),
        migrations.AlterField("assessment", "fiscal_year", year_field(null=False)),
        migrations.AddIndex(
            "assessment", models.Index(fields=["fiscal_year"], name="assessment_year")
        ),
        migrations.AddIndex(
            "quarterreport",
            models.Index(fields=["fiscal_year", "quarter"], name="report_year_quarter"),
        ),
        migrations.AddConstraint(
            "indicator",
            models.UniqueConstraint(fields=("id", "fiscal_year"), name="unique_indicator_year"),
        ),
        migrations.AddConstraint(
            "quarterreport",
            models.UniqueConstraint(fields=("id", "fiscal_year"), name="unique_report_year"),
        ),
        migrations.RunPython(add_year_keys, drop_year_keys),
    ]
