"""Two people saving the same report: one wins, the other is told and keeps their text."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import QuarterReport
from indicators.workflow import services
from tests.helpers import client_for, report_url


@pytest.mark.django_db
def test_second_save_gets_the_conflict_and_keeps_its_text(report, reporter5030, django_user_model):
    colleague = django_user_model.objects.create_user("colleague5030", first_name="สมศรี")
    colleague.groups.add(*reporter5030.groups.all())
    colleague.agency_memberships.create(agency=report.indicator.agency)
    first, second = client_for(reporter5030), client_for(colleague)
    url = report_url(report, "report-edit")
    version = first.get(url).context["form"].initial["version"]
    assert second.get(url).context["form"].initial["version"] == version

    won = first.post(
        url, {"value": "30", "narrative": "ข้อความของคนแรก", "version": version, "action": "save"}
    )
    lost = second.post(
        url, {"value": "35", "narrative": "ข้อความของคนที่สอง", "version": version, "action": "save"}
    )

    assert won.status_code == 302
    assert lost.status_code == 200
    html = lost.content.decode()
    assert "ถูกแก้ไขโดย สมชาย" in html  # who changed it
    assert "ข้อความของคนที่สอง" in html  # their own text stays on screen
    assert "ข้อความของคนแรก" in html  # and what is saved now is shown beside it
    report.refresh_from_db()
    assert (report.value, report.narrative) == (Decimal(30), "ข้อความของคนแรก")
    # Having seen the difference, the second person saves deliberately with the new version.
    form = lost.context["form"]
    assert form.data["version"] == str(report.version)
    again = second.post(
        url,
        {"value": "35", "narrative": "รวมกันแล้ว", "version": form.data["version"], "action": "save"},
    )
    assert again.status_code == 302


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks need PostgreSQL: SQLite's test database locks whole tables (CI runs on it)",
)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_database")
def test_simultaneous_saves_in_two_transactions():
    """Real threads against the database: the row lock serialises them, the version decides."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from indicators.models import fiscal_year_of, quarter_of

    today = timezone.localdate()
    user = User.objects.get(username="reporter5030")
    report = QuarterReport.objects.get(
        indicator__fiscal_year_id=fiscal_year_of(today),
        indicator__code="5030-2001",
        quarter=quarter_of(today),
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(text: str) -> None:
        try:
            barrier.wait()
            services.report_save(
                report=report, by=user, value=Decimal(1), narrative=text, version=report.version
            )
            outcomes.append("saved")
        except services.ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(text,)) for text in ("ก", "ข")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    report.refresh_from_db()
    assert report.version == 2 and report.narrative in {"ก", "ข"}
