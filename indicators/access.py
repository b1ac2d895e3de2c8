"""Who may see and change what. Views call these first; rules live nowhere else.

Roles are Django groups; a reporter's agencies are their AgencyMemberships; a superuser is the
administrator.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from indicators.dates import thai_date
from indicators.models import (
    IN_REVIEW,
    QUARTERS,
    Agency,
    Appeal,
    Assessment,
    Evidence,
    FiscalYear,
    Indicator,
    QuarterReport,
    ReportStatus,
    StandingLevel,
)
from indicators.models.versions import PRIVATE, private_key

REPORTER = "reporter"
AUDITOR = "auditor"
MANAGER = "manager"

AnyUser = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """The request of a view behind login_required: its user is signed in."""

    user: User


def _per_request[T](user: AnyUser, name: str, compute: Callable[[], T]) -> T:
    """A fact kept on the user object (through request.user's lazy proxy): several checks of
    one request read it."""
    if not hasattr(user, name):
        setattr(user, name, compute())
    return getattr(user, name)


def role_names(user: AnyUser) -> set[str]:
    """The user's groups (roles), read once per request or kept in the session (sessions.py)."""
    if not user.is_authenticated:
        return set()
    return _per_request(
        user, "_role_names", lambda: set(user.groups.values_list("name", flat=True))
    )


def has_role(user: AnyUser, role: str) -> bool:
    return role in role_names(user)


def is_auditor(user: AnyUser) -> bool:
    return user.is_superuser or has_role(user, AUDITOR)


def is_manager(user: AnyUser) -> bool:
    return user.is_superuser or has_role(user, MANAGER)


def is_staff_reader(user: AnyUser) -> bool:
    """Auditors, managers and administrators read every agency's reports (sent ones: drafts
    only the administrator, report_scope) and unpublished years."""
    return is_auditor(user) or is_manager(user)


def is_reporter(user: AnyUser) -> bool:
    return has_role(user, REPORTER)


def landing_kind(user: AnyUser) -> str:
    """Which work a signed-in user lands on: "reporter", "auditor", "manager" or "home"."""
    if is_reporter(user):
        return REPORTER
    if is_auditor(user):
        return AUDITOR
    if is_manager(user):
        return MANAGER
    return "home"


def agencies_of(user: AnyUser) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user)


def visible_years(user: AnyUser) -> QuerySet[FiscalYear]:
    """Anonymous visitors see published fiscal years only; signed-in staff see all."""
    if user.is_authenticated:
        return FiscalYear.objects.all()
    return FiscalYear.objects.published()


def menu_years(user: AnyUser) -> QuerySet[FiscalYear]:
    """The years menus and links offer: visible ones that hold indicators (none is empty)."""
    return visible_years(user).filter(Exists(Indicator.objects.filter(fiscal_year=OuterRef("pk"))))


def visible_indicators(user: AnyUser) -> QuerySet[Indicator]:
    return Indicator.objects.filter(fiscal_year__in=visible_years(user))


def can_delete_report(user: AnyUser, report) -> bool:
    """The official record stays: a report that holds a value or a score is never deleted."""
    if not user.is_superuser:
        return False
    has_score = Assessment.objects.filter(report=report, score__isnull=False).exists()
    return report.value is None and not has_score


def can_delete_indicator(user: AnyUser, indicator: Indicator) -> bool:
    """An indicator with any quarter report is part of the record; only an empty one may go."""
    return user.is_superuser and not indicator.reports.exists()


def can_delete_assessment(user: AnyUser, assessment) -> bool:
    return user.is_superuser and assessment.score is None


# --- Publication: who sees which quarter's figures -----------------------------------------

PUBLIC_STATUSES = frozenset({ReportStatus.APPROVED})
REVIEWED_STATUSES = IN_REVIEW | {ReportStatus.APPROVED}


@dataclass(frozen=True)
class ReportScope:
    """The quarter reports whose value, narrative and score a reader may see.

    `statuses` are seen in every agency (None: every status, for the administrator);
    `agency_ids` are the reader's own agencies, whose reports are seen whatever their status.
    The one rule of DESIGN §4a, written four ways for the four places figures come from:
    Python objects (`shows`), the ORM (`reports_q`), layered SQL (`sql`) and the stored
    standings (`standing_sql`, rows computed at one visibility level each).
    """

    statuses: frozenset[str] | None
    agency_ids: frozenset[int] = frozenset()

    @property
    def is_public(self) -> bool:
        return self.statuses == PUBLIC_STATUSES and not self.agency_ids

    @property
    def key(self) -> str:
        """A cache key part: readers with the same scope see the same figures."""
        statuses = "all" if self.statuses is None else ",".join(sorted(self.statuses))
        return f"{statuses}|{','.join(map(str, sorted(self.agency_ids)))}"

    @property
    def sees_reviews(self) -> bool:
        """Every submitted and returned report is shown: "awaiting review" (a quarter in review
        the reader may not see) can never apply, and need not be asked."""
        return self.statuses is None or self.statuses >= IN_REVIEW

    @property
    def private_version_keys(self) -> tuple[str, ...]:
        """The versions of the edits of drafts this reader sees (data_versions.private_write):
        every agency's for a reader who sees drafts everywhere, else their own agencies'."""
        if self.statuses is None or ReportStatus.DRAFT in self.statuses:
            return (PRIVATE,)
        return tuple(private_key(pk) for pk in sorted(self.agency_ids))

    def shows(self, report: QuarterReport) -> bool:
        if self.statuses is None or report.status in self.statuses:
            return True
        return report.indicator.agency_id in self.agency_ids

    def reports_q(self, prefix: str = "") -> Q:
        """A filter on QuarterReport (or on a relation to it, with `prefix` such as "reports__")."""
        if self.statuses is None:
            return Q()
        condition = Q(**{f"{prefix}status__in": sorted(self.statuses)})
        if self.agency_ids:
            condition |= Q(**{f"{prefix}indicator__agency_id__in": sorted(self.agency_ids)})
        return condition

    def sql(self, report: str = "r", indicator: str = "i") -> str:
        """The same rule as an SQL condition on aliases `report` and `indicator` (no params:
        statuses are fixed words and agency ids integers)."""
        if self.statuses is None:
            return "TRUE"
        statuses = ", ".join(f"'{status}'" for status in sorted(self.statuses))
        condition = f"{report}.status IN ({statuses})"
        if self.agency_ids:
            ids = ", ".join(str(int(pk)) for pk in sorted(self.agency_ids))
            condition = f"({condition} OR {indicator}.agency_id IN ({ids}))"
        return condition

    def standing_sql(self, alias: str = "s") -> str | None:
        """The same rule over stored standings (alias `alias`, indicators/standing.py): the
        rows of the level computed from what this reader sees in every agency, and in their
        own agencies the rows computed from every report. None: no stored level matches."""
        level = next(
            (lv for lv, scope in STANDING_SCOPES.items() if scope.statuses == self.statuses), None
        )
        if level is None:
            return None
        if not self.agency_ids or level == StandingLevel.FULL:
            return f"{alias}.level = {int(level)}"
        own = ", ".join(str(int(pk)) for pk in sorted(self.agency_ids))
        return (
            f"(({alias}.level = {int(level)} AND {alias}.agency_id NOT IN ({own}))"
            f" OR ({alias}.level = {int(StandingLevel.FULL)} AND {alias}.agency_id IN ({own})))"
        )


PUBLIC_SCOPE = ReportScope(PUBLIC_STATUSES)
STAFF_SCOPE = ReportScope(REVIEWED_STATUSES)  # auditors and managers
FULL_SCOPE = ReportScope(None)  # the administrator, and scripts that check every record
# The stored standings' levels (indicators/standing.py) and the scope each is computed for.
STANDING_SCOPES = {
    StandingLevel.PUBLIC: PUBLIC_SCOPE,
    StandingLevel.STAFF: STAFF_SCOPE,
    StandingLevel.FULL: FULL_SCOPE,
}


def report_scope(user: AnyUser) -> ReportScope:
    """What of the quarter reports `user` sees (DESIGN §4a).

    The public sees approved quarters; auditors and managers also submitted and returned ones;
    a reporter every quarter of their own agencies; the administrator everything.
    """
    if user.is_superuser:
        return ReportScope(None)
    statuses = REVIEWED_STATUSES if is_staff_reader(user) else PUBLIC_STATUSES
    return ReportScope(statuses, own_agency_ids(user))


def reader_key(user: AnyUser) -> str:
    """What of a reader changes a page (cache key part): never who, only what they may see.

    Signed in or not (names in the history), administrator, roles (review links, quality
    flags, workflow figures) and the report scope, whose key holds a reporter's own agencies.
    """
    if not user.is_authenticated:
        return "public"
    roles = [role for role in (REPORTER, AUDITOR, MANAGER) if has_role(user, role)]
    admin = "admin" if user.is_superuser else "user"
    return f"{admin}|{','.join(roles)}|{report_scope(user).key}"


def may_see_review_notes(user: AnyUser, agency_id: int) -> bool:
    """Return reasons and review comments stay between the auditors and the agency."""
    return is_staff_reader(user) or is_member(user, agency_id)


# --- Reporting and review (issue 4) ---------------------------------------------------------


def is_member(user: AnyUser, agency_id: int) -> bool:
    """A reporter of the agency (several agencies possible)."""
    return agency_id in own_agency_ids(user)


def own_agency_ids(user: AnyUser) -> frozenset[int]:
    """The agencies a reporter reports for (none for other roles), read once per request."""
    if not is_reporter(user):
        return frozenset()
    return _per_request(
        user, "_agency_ids", lambda: frozenset(agencies_of(user).values_list("pk", flat=True))
    )


def can_see_report(user: AnyUser, report: QuarterReport) -> bool:
    """Drafts and evidence are private: the agency's reporters and staff readers see them
    (an auditor opens a late draft's review form to unlock it)."""
    return is_staff_reader(user) or is_member(user, report.indicator.agency_id)


# Reports in these statuses are in no report scope but their agency's and the administrator's
# (only the review form shows one to an auditor): an edit that leaves a report in them is a
# private write (data_versions.private_write).
PRIVATE_STATUSES = frozenset(ReportStatus) - REVIEWED_STATUSES


def edit_stays_private(before: str | None, after: str) -> bool:
    """Whether an edit of a report from status `before` (None: not saved yet) to `after`
    changes only what readers of the agency's drafts see. A first save is not: it creates
    the row that the review queue and workflow figures count."""
    return before in PRIVATE_STATUSES and after in PRIVATE_STATUSES


def with_drafts_of(scope: ReportScope, agency_ids: frozenset[int]) -> ReportScope:
    """`scope` widened to the drafts of `agency_ids`: what a page that shows those agencies'
    drafts to any reader allowed in (the review form) is keyed by."""
    return ReportScope(scope.statuses, scope.agency_ids | agency_ids)


def edit_block_reason(user: AnyUser, report: QuarterReport, today: datetime.date) -> str | None:
    """Why `user` may not edit `report` today, or None when they may."""
    if not is_member(user, report.indicator.agency_id):
        return gettext("เฉพาะเจ้าหน้าที่ผู้รายงานของหน่วยงานนี้เท่านั้นที่แก้ไขรายงานได้")
    if report.status == ReportStatus.SUBMITTED:
        return gettext("ส่งรายงานแล้ว รอผู้ตรวจประเมินพิจารณา จึงแก้ไขไม่ได้")
    if report.status == ReportStatus.APPROVED:
        return gettext("รายงานได้รับอนุมัติแล้ว จึงแก้ไขไม่ได้")
    if report.is_unlocked:
        return None
    window = report.indicator.fiscal_year.window(report.quarter)
    if today < window.opens_on:
        return gettext("ยังไม่ถึงช่วงเวลารายงานของไตรมาสนี้ (เปิดวันที่ %(date)s)") % {
            "date": thai_date(window.opens_on, "short")
        }
    if today >= window.locks_on:
        return gettext("ปิดรับรายงานไตรมาสนี้แล้วเมื่อวันที่ %(date)s ติดต่อผู้ตรวจประเมินเพื่อขอเปิดให้แก้ไข") % {
            "date": thai_date(window.locks_on, "short")
        }
    return None


def can_edit_report(user: AnyUser, report: QuarterReport, today: datetime.date) -> bool:
    return edit_block_reason(user, report, today) is None


def _report(year: int, code: str, quarter: int) -> QuarterReport:
    if quarter not in QUARTERS:
        raise Http404
    # The year's windows come along: the lock check and the form both ask FiscalYear.window().
    indicators = Indicator.objects.select_related("agency", "fiscal_year").prefetch_related(
        "fiscal_year__windows"
    )
    indicator = get_object_or_404(indicators, fiscal_year_id=year, code=code)
    report = indicator.reports.filter(quarter=quarter).first()  # knows its indicator
    return report or QuarterReport.of(indicator, quarter)


def get_report_for_edit(user: AnyUser, year: int, code: str, quarter: int) -> QuarterReport:
    """The report the reporter may open; 404 if they may not see it, 403 for other roles.

    A quarter that has no report yet gets an unsaved empty draft: a GET never writes, the
    first save creates the row (`workflow.services`).
    """
    report = _report(year, code, quarter)
    if not can_see_report(user, report):
        raise Http404
    if not is_member(user, report.indicator.agency_id):
        raise PermissionDenied
    return report


def get_report_for_review(user: AnyUser, year: int, code: str, quarter: int) -> QuarterReport:
    """The report an auditor reviews; 404 if the user may not see it, 403 if not an auditor."""
    report = _report(year, code, quarter)
    if not can_see_report(user, report):
        raise Http404
    if not is_auditor(user):
        raise PermissionDenied
    if report.pk is None:
        raise Http404
    return report


def review_block_reason(user: AnyUser, report: QuarterReport, action: str) -> str | None:
    """Why an auditor's action (approve, return, score, unlock) is refused, or None."""
    if not is_auditor(user):
        return gettext("เฉพาะผู้ตรวจประเมินเท่านั้นที่ดำเนินการนี้ได้")
    allowed = {
        "approve": {ReportStatus.SUBMITTED},
        "return": {ReportStatus.SUBMITTED},
        "score": {ReportStatus.SUBMITTED, ReportStatus.APPROVED},
        "unlock": set(ReportStatus),
    }[action]
    if report.status not in allowed:
        return gettext("ทำรายการนี้ไม่ได้ขณะรายงานมีสถานะ “%(status)s”") % {
            "status": report.get_status_display()
        }
    return None


def require_auditor(user: AnyUser) -> None:
    if not is_auditor(user):
        raise PermissionDenied


def require_reporter(user: AnyUser) -> None:
    if not is_reporter(user):
        raise PermissionDenied


def get_evidence(user: AnyUser, pk: int) -> Evidence:
    """Evidence is served only to those who may see its report; others get 404."""
    evidence = get_object_or_404(Evidence.objects.select_related("report__indicator"), pk=pk)
    if not can_see_report(user, evidence.report):
        raise Http404
    return evidence


def get_indicator_for_appeal(user: AnyUser, year: int, code: str) -> Indicator:
    """An agency's reporter appeals its own indicator; staff may look (403), others get 404."""
    return own_indicator(user, get_object_or_404(Indicator, fiscal_year_id=year, code=code))


def own_indicator(user: AnyUser, indicator: Indicator) -> Indicator:
    """The indicator for its agency's reporters; staff may look (403), others get 404."""
    if is_member(user, indicator.agency_id):
        return indicator
    if is_staff_reader(user):
        raise PermissionDenied
    raise Http404


def can_decide_appeal(user: AnyUser) -> bool:
    return is_auditor(user)


def get_appeal_for_reading(user: AnyUser, pk: int) -> Appeal:
    """An appeal (and its evidence) is read by its agency's reporters and by staff; others 404."""
    appeal = get_object_or_404(Appeal.objects.select_related("indicator"), pk=pk)
    if not (is_staff_reader(user) or is_member(user, appeal.indicator.agency_id)):
        raise Http404
    return appeal


def can_import(user: AnyUser) -> bool:
    """Administrators and auditors load spreadsheets; nobody else writes in bulk."""
    return user.is_authenticated and (user.is_superuser or has_role(user, AUDITOR))


def check_can_import(user: AnyUser) -> None:
    if not can_import(user):
        raise PermissionDenied


def open_data_year(year: int) -> FiscalYear:
    """The public downloads a year's data only once the year is published."""
    return get_object_or_404(FiscalYear.objects.published(), year=year)


def dashboard_agency_ids(user: AnyUser) -> list[int] | None:
    """The agencies whose figures the dashboard counts for `user`; None means every agency.

    Auditors, managers and administrators see the whole city; a reporter sees their own agencies;
    anyone else sees the public summary of the whole city.
    """
    if is_staff_reader(user) or not is_reporter(user):
        return None
    return list(agencies_of(user).values_list("pk", flat=True))


def sees_dashboard_workflow(user: AnyUser) -> bool:
    """Whether the dashboard shows reporting workflow (on time, approvals, late and returned)."""
    return is_staff_reader(user) or is_reporter(user)


def may_see_dashboard(user: AnyUser, fiscal_year: FiscalYear) -> bool:
    """Staff and reporters see any year's dashboard; the public only published years'."""
    return sees_dashboard_workflow(user) or fiscal_year.is_published


def visible_year(user: AnyUser, year: int) -> FiscalYear:
    """The fiscal year, or 404 when it does not exist or this user may not see it."""
    return get_object_or_404(visible_years(user), year=year)


def visible_indicator(user: AnyUser, queryset: QuerySet[Indicator], year: int, code: str):
    """One indicator of `queryset`, or 404 when unknown or in a year this user may not see."""
    return get_object_or_404(
        queryset.filter(fiscal_year__in=visible_years(user)), fiscal_year_id=year, code=code
    )


def visible_agency_year_or_404(user: AnyUser, year: int, prefix: str) -> tuple[Agency, FiscalYear]:
    """An agency and fiscal year whose book the user may read: public for published years."""
    return visible_agency(user, prefix), visible_year(user, year)


def visible_agency(user: AnyUser, prefix: str) -> Agency:
    return get_object_or_404(Agency, prefix=prefix)


# --- Performance agreements (issue 18) -------------------------------------------------------


def official_results_q(scope: ReportScope, prefix: str = "") -> Q:
    """The quarter reports a scorecard reads: approved (the official result) and in `scope`."""
    return Q(**{f"{prefix}status__in": sorted(PUBLIC_STATUSES)}) & scope.reports_q(prefix)


def may_see_self_assessment(user: AnyUser, agency_id: int, *, round_is_official: bool) -> bool:
    """An agency's self-assessment is between it and the auditors until the round's result is
    approved; from then on whoever sees the result sees the claim beside it."""
    return round_is_official or is_staff_reader(user) or is_member(user, agency_id)


def get_indicator_for_self_assessment(user: AnyUser, year: int, code: str) -> Indicator:
    """The agency's reporters assess their own indicators; staff may look (403), others 404."""
    indicator = get_object_or_404(
        Indicator.objects.select_related("agency", "fiscal_year"), fiscal_year_id=year, code=code
    )
    return own_indicator(user, indicator)


def may_see_quality(user: AnyUser) -> bool:
    """Data-quality flags are working notes for auditors and managers, not for the public."""
    return is_staff_reader(user)


def may_see_names(user: AnyUser) -> bool:
    """Who changed what is shown to signed-in users; the public sees the roles only."""
    return user.is_authenticated


# --- Fiscal-year rollover (issue 18) --------------------------------------------------------


def may_prepare_year(user: AnyUser) -> bool:
    """Auditors and administrators carry a year's indicators into the next."""
    return is_auditor(user)


def require_year_preparer(user: AnyUser) -> None:
    if not may_prepare_year(user):
        raise PermissionDenied
