"""Who may see and change what. Views call these first; rules live nowhere else.

Roles are Django groups; a reporter's agencies are their AgencyMemberships; a superuser is the
administrator.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet

from indicators.models import Agency, FiscalYear, Indicator

REPORTER = "reporter"
AUDITOR = "auditor"
MANAGER = "manager"

AnyUser = User | AnonymousUser


def has_role(user: AnyUser, role: str) -> bool:
    if not user.is_authenticated:
        return False
    # Cache the user's group names on the instance: several checks happen per request.
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True))
    return role in user._role_names


def is_auditor(user: AnyUser) -> bool:
    return user.is_superuser or has_role(user, AUDITOR)


def is_manager(user: AnyUser) -> bool:
    return user.is_superuser or has_role(user, MANAGER)


def is_staff_reader(user: AnyUser) -> bool:
    """Auditors, managers and administrators read everything, drafts and unpublished years too."""
    return is_auditor(user) or is_manager(user)


def is_reporter(user: AnyUser) -> bool:
    return has_role(user, REPORTER)


def agencies_of(user: AnyUser) -> QuerySet[Agency]:
    if not user.is_authenticated:
        return Agency.objects.none()
    return Agency.objects.filter(memberships__user=user)


def visible_years(user: AnyUser) -> QuerySet[FiscalYear]:
    """Anonymous visitors see published fiscal years only; signed-in staff see all."""
    if user.is_authenticated:
        return FiscalYear.objects.all()
    return FiscalYear.objects.published()


def visible_indicators(user: AnyUser) -> QuerySet[Indicator]:
    return Indicator.objects.filter(fiscal_year__in=visible_years(user))


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
