"""City-scale data: generate it once (timed), reuse it afterwards.

The database keeps a note of what made it (COMMENT ON DATABASE): data of an older generator or
another scale is refused with the command that drops it, never dropped here.
"""

import os

from django.core.management import call_command
from django.db import connection

from benchmarks.harness import record, timed
from indicators.models import Indicator, QuarterReport

SCALE = int(os.environ.get("BENCH_SCALE", "30000"))
YEARS = 5
GENERATOR = "generate_city_data v3"  # raise when the generated data changes shape
GENERATE_BUDGET_S = {30_000: 300, 100_000: 1_000}


def database_name() -> str:
    return connection.settings_dict["NAME"]


def made_by() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database_name()],
        )
        row = cursor.fetchone()
    return (row and row[0]) or ""


def note() -> str:
    return f"{GENERATOR} --indicators {SCALE} --years {YEARS}"


def run() -> None:
    if made_by() == note():
        record("city-scale data", f"reused: {Indicator.objects.count():,} indicators ({note()})")
        return
    if Indicator.objects.exists():
        raise SystemExit(
            f"{database_name()} holds data not made by `{note()}`; drop it first: "
            f"dropdb -h 127.0.0.1 -U postgres {database_name()}"
        )
    seconds = timed(
        lambda: call_command("generate_city_data", indicators=SCALE, years=YEARS, verbosity=0)
    )
    with connection.cursor() as cursor:
        name = connection.ops.quote_name(database_name())
        cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [note()])
    budget = GENERATE_BUDGET_S.get(SCALE, SCALE / 100)
    record(
        f"generate_city_data --indicators {SCALE} --years {YEARS}",
        f"{seconds:.1f} s ({QuarterReport.objects.count():,} quarter reports)",
        f"< {budget:.0f} s",
        seconds < budget,
    )
