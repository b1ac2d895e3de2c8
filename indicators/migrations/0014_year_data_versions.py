from django.db import migrations, models


class Migration(migrations.Migration):
    """A data version per fiscal year beside the one of all data (the existing row, key "all")."""

    dependencies = [
        ("indicators", "0013_city_indicators"),
    ]

    operations = [
        migrations.AddField(
            model_name="dataversion",
            name="key",
            field=models.CharField(
                default="all", max_length=16, unique=True, verbose_name="ขอบเขต"
            ),
        ),
    ]
