"""The data's version: what cached pages and figures are keyed by (indicators.cache)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number goes up once per committed transaction that wrote this app's data.

    Saves and deletes raise it through signals, bulk writers by calling
    `cache.raise_after_commit()`; a cached page older than the number is never served.
    """

    number = models.PositiveBigIntegerField(_("รุ่นของข้อมูล"), default=0)

    class Meta:
        verbose_name = _("รุ่นของข้อมูล")
        verbose_name_plural = _("รุ่นของข้อมูล")

    def __str__(self) -> str:
        return str(self.number)
