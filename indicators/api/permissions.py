"""Who may call which endpoint: reads follow access.py; writes need an agency's token."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from indicators.models import ApiToken


class AgencyTokenOnly(BasePermission):
    """Writes come only from a system holding an agency's token, never from a session."""

    message = _("การบันทึกผ่าน API ต้องใช้โทเคนของหน่วยงาน")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiToken)
