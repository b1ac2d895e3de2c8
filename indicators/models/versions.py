"""A counter of edits that the data's fingerprint cannot see from the highest ids alone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """One row whose number goes up after every committed save or delete in this app.

    Renaming an agency, publishing a year or unlinking a project leaves the highest ids as they
    were; cached pages and figures must still be renewed (indicators.cache).
    """

    number = models.PositiveBigIntegerField(_("รุ่นของข้อมูล"), default=0)

    class Meta:
        verbose_name = _("รุ่นของข้อมูล")
        verbose_name_plural = _("รุ่นของข้อมูล")

    def __str__(self) -> str:
        return str(self.number)
