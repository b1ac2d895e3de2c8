"""Appeals: created by the agency in an open round, decided by an auditor, applied through history."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from indicators.models import AppealKind, AppealRound, AppealStatus
from indicators.workflow import appeals, services
from tests.helpers import bangkok, put

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def mid_year(indicator) -> datetime.date:
    """A day inside the mid-year round: just after Q2 locks."""
    return indicator.fiscal_year.window(2).locks_on + datetime.timedelta(days=1)


def appeal(indicator, user, day, **kwargs):
    args = {
        "kind": AppealKind.SCORE,
        "quarter": 1,
        "requested_value": D(100),
        "reason": "ผลงานครบตามเป้าหมาย",
        "today": day,
    } | kwargs
    return appeals.appeal_create(indicator=indicator, by=user, **args)


def test_reporter_appeals_a_recorded_score_in_the_mid_year_round(approved, reporter5030, mid_year):
    created = appeal(approved.indicator, reporter5030, mid_year)
    assert (created.round, created.status) == (AppealRound.MID_YEAR, AppealStatus.PENDING)


def test_no_appeal_outside_a_round(approved, reporter5030):
    with pytest.raises(services.TransitionError, match="ช่วงเวลา"):
        appeal(approved.indicator, reporter5030, datetime.date(2000, 1, 1))


@pytest.mark.parametrize("role", ["reporter0100", "auditor", "manager", "admin_user"])
def test_only_the_agency_appeals(request, role, approved, mid_year):
    with pytest.raises(services.TransitionError):
        appeal(approved.indicator, request.getfixturevalue(role), mid_year)


def test_no_score_appeal_without_a_score(report, reporter5030, mid_year):
    with pytest.raises(services.TransitionError, match="ยังไม่มีผลคะแนน"):
        appeal(report.indicator, reporter5030, mid_year)


def test_one_pending_appeal_per_subject(approved, reporter5030, mid_year):
    appeal(approved.indicator, reporter5030, mid_year)
    with pytest.raises(services.TransitionError):
        appeal(approved.indicator, reporter5030, mid_year)


def test_accepted_score_appeal_changes_the_score_through_history(
    approved, reporter5030, auditor, mid_year, django_capture_on_commit_callbacks
):
    approved.assessment.score = D(0)
    approved.assessment.save()
    created = appeal(approved.indicator, reporter5030, mid_year, requested_value=D(90))
    with django_capture_on_commit_callbacks(execute=True):
        decided = appeals.appeal_decide(appeal=created, by=auditor, accept=True, note="หลักฐานครบ")
    assert decided.status == AppealStatus.ACCEPTED and decided.decided_by == auditor
    approved.assessment.refresh_from_db()
    assert approved.assessment.score == D(90)
    last = approved.assessment.history.first()
    assert last.history_user == auditor
    assert f"#{created.pk}" in last.history_change_reason
    assert any("อุทธรณ์" in m.subject for m in mail.outbox)


def test_accepted_target_appeal_changes_the_target(approved, reporter5030, auditor, mid_year):
    created = appeal(
        approved.indicator,
        reporter5030,
        mid_year,
        kind=AppealKind.TARGET,
        quarter=None,
        requested_value=D(80),
    )
    appeals.appeal_decide(appeal=created, by=auditor, accept=True, note="ปรับตามงบประมาณ")
    indicator = approved.indicator
    indicator.refresh_from_db()
    assert indicator.target == D(80)
    assert f"#{created.pk}" in indicator.history.first().history_change_reason


def test_rejected_appeal_changes_nothing_and_is_decided_once(
    approved, reporter5030, auditor, mid_year
):
    created = appeal(approved.indicator, reporter5030, mid_year, requested_value=D(0))
    appeals.appeal_decide(appeal=created, by=auditor, accept=False, note="ไม่มีหลักฐานใหม่")
    approved.assessment.refresh_from_db()
    assert approved.assessment.score == D(100)
    with pytest.raises(services.TransitionError):
        appeals.appeal_decide(appeal=created, by=auditor, accept=True, note="เปลี่ยนใจ")


@pytest.mark.parametrize("role", ["reporter5030", "reporter0100", "manager"])
def test_only_auditors_decide(request, role, approved, reporter5030, mid_year):
    created = appeal(approved.indicator, reporter5030, mid_year)
    with pytest.raises(services.TransitionError):
        appeals.appeal_decide(
            appeal=created, by=request.getfixturevalue(role), accept=True, note="x"
        )


def test_a_failed_application_leaves_the_appeal_pending(approved, reporter5030, auditor, mid_year):
    created = appeal(approved.indicator, reporter5030, mid_year)
    put(approved, "draft")  # an unlocked quarter cannot be scored: the whole decision rolls back
    with pytest.raises(services.TransitionError):
        appeals.appeal_decide(appeal=created, by=auditor, accept=True, note="ok")
    created.refresh_from_db()
    assert created.status == AppealStatus.PENDING


def test_appeal_pages_create_and_decide(approved, reporter5030, auditor, mid_year, time_machine):
    from django.urls import reverse

    from indicators.models import Appeal
    from tests.helpers import client_for, pdf

    time_machine.move_to(bangkok(mid_year))
    indicator = approved.indicator
    url = reverse(
        "indicators:appeal-create",
        kwargs={"year": indicator.fiscal_year_id, "code": indicator.code},
    )
    data = {
        "kind": "score",
        "quarter": approved.quarter,
        "requested_value": "๙๐",
        "reason": "มีหลักฐานเพิ่ม",
    }
    response = client_for(reporter5030).post(url, data | {"evidence": pdf()})
    assert response.status_code == 302
    created = Appeal.objects.get(indicator=indicator)
    assert created.requested_value == D(90) and created.evidence
    decide = reverse("indicators:appeal-decide", kwargs={"pk": created.pk})
    assert client_for(auditor).post(decide, {"decision": "accepted", "note": ""}).status_code == 200
    assert (
        client_for(auditor).post(decide, {"decision": "accepted", "note": "ครบ"}).status_code == 302
    )
    approved.assessment.refresh_from_db()
    assert approved.assessment.score == D(90)


# --- one pending appeal per indicator, subject and quarter (issue 13) ------------------------


def test_a_second_target_appeal_is_refused_whatever_quarter_was_picked(
    approved, reporter5030, mid_year
):
    first = appeal(approved.indicator, reporter5030, mid_year, kind=AppealKind.TARGET, quarter=2)
    assert first.quarter is None  # a target is the whole year's
    with pytest.raises(services.TransitionError, match="รอพิจารณาอยู่แล้ว"):
        appeal(approved.indicator, reporter5030, mid_year, kind=AppealKind.TARGET, quarter=3)
    assert approved.indicator.appeals.filter(status=AppealStatus.PENDING).count() == 1


@pytest.mark.parametrize(("kind", "quarter"), [(AppealKind.TARGET, None), (AppealKind.SCORE, 1)])
def test_the_database_holds_one_pending_appeal_per_subject(approved, reporter5030, kind, quarter):
    from django.db import IntegrityError, transaction

    from indicators.models import Appeal

    def create(status=AppealStatus.PENDING):
        return Appeal.objects.create(
            indicator=approved.indicator,
            kind=kind,
            quarter=quarter,
            round=AppealRound.MID_YEAR,
            requested_value=1,
            reason="x",
            status=status,
        )

    create()
    create(status=AppealStatus.REJECTED)  # decided appeals do not count
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_a_race_past_the_early_check_gets_the_same_message(
    approved, reporter5030, mid_year, monkeypatch
):
    """Two requests that both passed the early check: the constraint refuses the second."""
    appeal(approved.indicator, reporter5030, mid_year)
    monkeypatch.setattr(appeals, "pending_exists", lambda *args: False)
    with pytest.raises(services.TransitionError, match="มีอุทธรณ์เรื่องนี้รอพิจารณาอยู่แล้ว"):
        appeal(approved.indicator, reporter5030, mid_year)
    assert approved.indicator.appeals.count() == 1
