"""Two auditors confirming the same rollover at once: one copies, the other finds it done."""

import threading

import pytest
from django.db import connection

from indicators.models import Indicator
from indicators.rollover.plan import Selection
from indicators.rollover.services import rollover_year


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite's test database locks whole tables (CI runs on it)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_database")
def test_simultaneous_confirmations_copy_each_indicator_once():
    from django.contrib.auth.models import User

    auditor = User.objects.get(username="auditor")
    barrier = threading.Barrier(2)
    copied: list[int] = []
    errors: list[Exception] = []

    def confirm() -> None:
        try:
            barrier.wait()
            result = rollover_year(Selection(2570, 2571, agencies=("5030",)), by=auditor)
            copied.append(len(result.copied))
        except Exception as error:  # the test reports whatever went wrong
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(copied) == [0, 5]
    assert Indicator.objects.filter(fiscal_year_id=2571).count() == 5
