"""Tokens other systems use to write an agency's quarter results through the API (issue 20)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .reference import Agency

TOKEN_PREFIX = "kpi_"  # noqa: S105 (a marker that makes leaked tokens easy to find, not a secret)


def hash_token(token: str) -> str:
    """Only the SHA-256 of a token is kept: a copy of the database lets no one write."""
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A secret issued to one agency's system; it acts as `user`, a reporter of that agency."""

    name = models.CharField(_("ชื่อระบบที่ใช้"), max_length=200)
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("หน่วยงาน")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("บันทึกในนามของ"),
        help_text=_("เจ้าหน้าที่ผู้รายงานของหน่วยงาน ประวัติการแก้ไขจะบันทึกชื่อนี้"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    hint = models.CharField(_("ขึ้นต้นด้วย"), max_length=12, editable=False)
    created_at = models.DateTimeField(_("ออกเมื่อ"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("โทเคน API")
        verbose_name_plural = _("โทเคน API")

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.prefix}, {self.hint}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def issue(self) -> str:
        """Give the token a new secret and return it: the only time anyone sees it."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_token(token)
        self.hint = token[:10]
        return token

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
