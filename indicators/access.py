"""Who may see and change what. Views call these first; rules live nowhere else.

Roles are Django groups; a reporter's agencies are their AgencyMemberships; a superuser is the
administrator.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

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


def visible_year(user: AnyUser, year: int) -> FiscalYear:
    """The fiscal year, or 404 when it does not exist or this user may not see it."""
    return get_object_or_404(visible_years(user), year=year)


def visible_indicator(user: AnyUser, queryset: QuerySet[Indicator], year: int, code: str):
    """One indicator of `queryset`, or 404 when unknown or in a year this user may not see."""
    return get_object_or_404(
        queryset.filter(fiscal_year__in=visible_years(user)), fiscal_year_id=year, code=code
    )


def visible_agency(user: AnyUser, prefix: str) -> Agency:
    return get_object_or_404(Agency, prefix=prefix)


def may_see_quality(user: AnyUser) -> bool:
    """Data-quality flags are working notes for auditors and managers, not for the public."""
    return is_staff_reader(user)


def may_see_names(user: AnyUser) -> bool:
    """Who changed what is shown to signed-in users; the public sees the roles only."""
    return user.is_authenticated
