from django.http import HttpRequest
from django.utils import timezone

from indicators import access
from indicators.models import fiscal_year_of, quarter_of


def portal(request: HttpRequest) -> dict:
    """What every page's header needs: the current fiscal year and the user's roles."""
    today = timezone.localdate()
    user = request.user
    return {
        "current_fiscal_year": fiscal_year_of(today),
        "current_quarter": quarter_of(today),
        "nav_is_auditor": access.is_auditor(user),
        "nav_is_manager": access.is_manager(user),
        "nav_is_reporter": access.is_reporter(user),
    }
