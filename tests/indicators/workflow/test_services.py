"""Every legal and illegal transition of a quarter report, for every role."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from indicators.models import (
    Assessment,
    CommentKind,
    QuarterReport,
    ReportStatus,
    ReviewComment,
)
from indicators.workflow import services
from tests.helpers import bangkok, pdf, put

pytestmark = pytest.mark.django_db
D = Decimal
ROLES = ["reporter5030", "reporter0100", "auditor", "manager", "admin_user"]
AUDITORS = {"auditor", "admin_user"}


def save(report, user, **kwargs):
    args = {"value": D(30), "narrative": "ดำเนินการแล้ว", "version": report.version} | kwargs
    return services.report_save(report=report, by=user, **args)


def submit(report, user, **kwargs):
    args = {"value": D(30), "narrative": "ดำเนินการแล้ว", "version": report.version} | kwargs
    return services.report_submit(report=report, by=user, **args)


# --- reporter: save and submit -------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_the_agency_reporter_saves_a_draft(request, role, report):
    user = request.getfixturevalue(role)
    if role == "reporter5030":
        saved = save(report, user)
        assert (saved.value, saved.status, saved.version) == (D(30), "draft", report.version + 1)
    else:
        with pytest.raises(services.TransitionError):
            save(report, user)
        report.refresh_from_db()
        assert report.value is None


@pytest.mark.parametrize("role", ROLES)
def test_only_the_agency_reporter_submits(request, role, report):
    user = request.getfixturevalue(role)
    if role == "reporter5030":
        done = submit(report, user)
        assert done.status == ReportStatus.SUBMITTED
        assert done.submitted_by == user and done.submitted_at is not None
    else:
        with pytest.raises(services.TransitionError):
            submit(report, user)
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
@pytest.mark.parametrize("action", [save, submit])
def test_submitted_or_approved_reports_cannot_be_edited(report, reporter5030, status, action):
    report = put(report, status)
    with pytest.raises(services.TransitionError):
        action(report, reporter5030, value=D(99))
    report.refresh_from_db()
    assert report.value == D(30) and report.status == status


def test_submit_needs_value_and_narrative(report, reporter5030):
    with pytest.raises(services.TransitionError):
        submit(report, reporter5030, narrative="  ")
    with pytest.raises(services.TransitionError):
        submit(report, reporter5030, value=None)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.version == 1


def test_returned_report_becomes_draft_on_save_and_can_be_resubmitted(report, reporter5030):
    report = put(report, ReportStatus.RETURNED)
    saved = save(report, reporter5030, value=D(31))
    assert saved.status == ReportStatus.DRAFT
    assert submit(saved, reporter5030).status == ReportStatus.SUBMITTED


def test_window_before_opening_and_after_locking(report, reporter5030, window):
    with pytest.raises(services.TransitionError, match="ยังไม่ถึง"):
        save(report, reporter5030, today=window.opens_on - datetime.timedelta(days=1))
    with pytest.raises(services.TransitionError, match="ปิดรับ"):
        save(report, reporter5030, today=window.locks_on)
    # Between the due date and the lock date it is late but still open.
    assert save(report, reporter5030, today=window.due_on + datetime.timedelta(days=1))


def test_unlocked_report_can_be_edited_after_the_lock_date(report, reporter5030, auditor, window):
    unlocked = services.report_unlock(
        report=report, by=auditor, reason="ขยายเวลาให้", version=report.version
    )
    assert save(unlocked, reporter5030, today=window.locks_on + datetime.timedelta(days=5))


def test_evidence_is_stored_under_a_random_name(report, reporter5030):
    saved = save(report, reporter5030, files=[pdf("รายงาน ไตรมาส 1.pdf")])
    evidence = saved.evidence.get()
    assert evidence.original_name == "รายงาน ไตรมาส 1.pdf"
    assert evidence.content_type == "application/pdf"
    assert "รายงาน" not in evidence.file.name and evidence.file.name.endswith(".pdf")


# --- auditor: return, approve, score, unlock -----------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_only_auditors_return_with_a_reason(
    request, role, submitted, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(role)
    if role not in AUDITORS:
        with pytest.raises(services.TransitionError):
            services.report_return(report=submitted, by=user, reason="x", version=submitted.version)
        submitted.refresh_from_db()
        assert submitted.status == ReportStatus.SUBMITTED
        return
    with django_capture_on_commit_callbacks(execute=True):
        done = services.report_return(
            report=submitted, by=user, reason="ขาดหลักฐาน", version=submitted.version
        )
    assert done.status == ReportStatus.RETURNED
    comment = ReviewComment.objects.get(report=done)
    assert (comment.kind, comment.body, comment.author) == (CommentKind.RETURN, "ขาดหลักฐาน", user)
    assert mail.outbox[-1].to == ["reporter5030@example.org"]
    assert "ขาดหลักฐาน" in mail.outbox[-1].body


def test_return_needs_a_reason(submitted, auditor):
    with pytest.raises(services.TransitionError):
        services.report_return(report=submitted, by=auditor, reason=" ", version=submitted.version)
    submitted.refresh_from_db()
    assert submitted.status == ReportStatus.SUBMITTED
    assert not ReviewComment.objects.filter(report=submitted).exists()


@pytest.mark.parametrize(
    "status", [ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.APPROVED]
)
def test_return_and_approve_only_submitted_reports(report, auditor, status):
    report = put(report, status)
    with pytest.raises(services.TransitionError):
        services.report_return(report=report, by=auditor, reason="x", version=report.version)
    with pytest.raises(services.TransitionError):
        services.report_approve(report=report, by=auditor, version=report.version)
    report.refresh_from_db()
    assert report.status == status


@pytest.mark.parametrize("role", ROLES)
def test_only_auditors_approve(request, role, submitted, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(role)
    if role not in AUDITORS:
        with pytest.raises(services.TransitionError):
            services.report_approve(report=submitted, by=user, version=submitted.version)
        return
    with django_capture_on_commit_callbacks(execute=True):
        done = services.report_approve(report=submitted, by=user, version=submitted.version)
    assert done.status == ReportStatus.APPROVED and not done.is_unlocked
    assert ReviewComment.objects.filter(report=done, kind=CommentKind.APPROVE).exists()
    assert "อนุมัติ" in mail.outbox[-1].subject


@pytest.mark.parametrize("role", ROLES)
def test_only_auditors_record_scores(request, role, submitted, django_capture_on_commit_callbacks):
    user = request.getfixturevalue(role)
    record = {"score": D(100), "score_2_1": D(100), "score_2_2": D(100), "reason": ""}
    if role not in AUDITORS:
        with pytest.raises(services.TransitionError):
            services.assessment_record(
                report=submitted, by=user, version=submitted.version, **record
            )
        assert not Assessment.objects.filter(report=submitted).exists()
        return
    with django_capture_on_commit_callbacks(execute=True):
        assessment = services.assessment_record(
            report=submitted, by=user, version=submitted.version, **record
        )
    assert (assessment.score, assessment.suggested_score, assessment.assessed_by) == (
        D(100),
        D(100),
        user,
    )
    assert "ผลประเมิน" in mail.outbox[-1].subject
    assert ReviewComment.objects.get(report=submitted, kind=CommentKind.SCORE).author == user


@pytest.mark.parametrize("status", [ReportStatus.DRAFT, ReportStatus.RETURNED])
def test_scores_only_on_submitted_or_approved(report, auditor, status):
    report = put(report, status)
    with pytest.raises(services.TransitionError):
        services.assessment_record(
            report=report,
            by=auditor,
            score=D(100),
            score_2_1=None,
            score_2_2=None,
            reason="",
            version=report.version,
        )


def test_score_on_approved_report_updates_the_assessment(approved, auditor):
    assessment = services.assessment_record(
        report=approved,
        by=auditor,
        score=D(90),
        score_2_1=D(100),
        score_2_2=D(100),
        reason="หลักฐานไม่ครบ",
        version=approved.version,
    )
    assert Assessment.objects.get(report=approved).score == D(90)
    assert assessment.history.first().history_user == auditor


def test_a_score_that_differs_from_the_suggestion_needs_a_reason(submitted, auditor):
    # Q1 target 25, value 30: the rules suggest 100.
    with pytest.raises(services.TransitionError):
        services.assessment_record(
            report=submitted,
            by=auditor,
            score=D(50),
            score_2_1=D(100),
            score_2_2=D(100),
            reason="",
            version=submitted.version,
        )
    with pytest.raises(services.TransitionError):
        services.assessment_record(
            report=submitted,
            by=auditor,
            score=D(101),
            score_2_1=None,
            score_2_2=None,
            reason="เกิน",
            version=submitted.version,
        )
    assert not Assessment.objects.filter(report=submitted).exists()


@pytest.mark.parametrize("role", ROLES)
def test_only_auditors_unlock(request, role, approved):
    user = request.getfixturevalue(role)
    if role not in AUDITORS:
        with pytest.raises(services.TransitionError):
            services.report_unlock(report=approved, by=user, reason="x", version=approved.version)
        return
    done = services.report_unlock(
        report=approved, by=user, reason="แก้ตัวเลข", version=approved.version
    )
    assert done.is_unlocked and done.status == ReportStatus.DRAFT
    assert ReviewComment.objects.get(report=done, kind=CommentKind.UNLOCK).body == "แก้ตัวเลข"


def test_unlock_needs_a_reason(approved, auditor):
    with pytest.raises(services.TransitionError):
        services.report_unlock(report=approved, by=auditor, reason="", version=approved.version)


def test_return_after_lock_date_leaves_the_report_fixable(
    submitted, auditor, reporter5030, window, time_machine
):
    time_machine.move_to(bangkok(window.locks_on))
    done = services.report_return(
        report=submitted, by=auditor, reason="แก้", version=submitted.version
    )
    assert done.is_unlocked
    assert save(done, reporter5030, today=window.locks_on)


@pytest.mark.parametrize("role", ROLES)
def test_only_auditors_set_the_audit_quarter(request, role, indicator):
    user = request.getfixturevalue(role)
    if role not in AUDITORS:
        with pytest.raises(services.TransitionError):
            services.indicator_set_audit_quarter(indicator=indicator, by=user, quarter=2)
        return
    services.indicator_set_audit_quarter(indicator=indicator, by=user, quarter=2)
    indicator.refresh_from_db()
    assert indicator.audit_quarter == 2
    assert indicator.history.first().history_user == user


# --- history and conflicts -----------------------------------------------------------------


def test_every_step_writes_history_with_the_actor(report, reporter5030, auditor):
    report = submit(report, reporter5030)
    report = services.report_return(
        report=report, by=auditor, reason="ขาดหลักฐาน", version=report.version
    )
    report = submit(report, reporter5030, value=D(32))
    report = services.report_approve(report=report, by=auditor, version=report.version)
    steps = list(
        report.history.order_by("history_date").values_list(
            "history_user__username", "status", "history_change_reason"
        )
    )
    assert [(user, status) for user, status, _ in steps[-4:]] == [
        ("reporter5030", "submitted"),
        ("auditor", "returned"),
        ("reporter5030", "submitted"),
        ("auditor", "approved"),
    ]
    assert "ขาดหลักฐาน" in steps[-3][2]
    assert "→" in steps[-1][2]


def test_a_stale_version_is_refused_and_nothing_changes(report, reporter5030):
    save(report, reporter5030, narrative="ฉบับแรก")
    with pytest.raises(services.ConflictError) as error:
        save(report, reporter5030, narrative="ฉบับที่สอง", version=report.version)
    assert error.value.current.narrative == "ฉบับแรก"
    assert QuarterReport.objects.get(pk=report.pk).narrative == "ฉบับแรก"
