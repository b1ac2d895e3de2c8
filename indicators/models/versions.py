"""The data's versions: what cached pages and figures are keyed by (indicators.cache)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

ALL_DATA = "all"  # raised by every write: fingerprint() for callers that span every year
REFERENCE_DATA = "reference"  # agencies, plans, strategy nodes, years: part of every year's pages
USERS = "users"  # users, their groups and agencies: what a session remembers of its reader
SESSIONS = "sessions"  # sign-outs: sessions kept in a per-process cache are read again
# Writes of a year that no one agency's pages alone show (indicators themselves, quarter
# windows): with the reference data and an agency's own version, what an agency's pages are
# keyed by (data_versions.fingerprint(agencies=...)).
SHARED = "shared"
# Edits of drafts, which only the agency's reporters and the administrator see (DESIGN §4a):
# one version per agency and one of every agency's, raised instead of the year's, the agency's
# and "all", so the pages of readers who cannot see a draft stay cached while it is written.
PRIVATE = "private"


def agency_key(agency_id: int) -> str:
    """The version of one agency's quarters, scores, evidence and links, of every year."""
    return f"agency:{agency_id}"


def private_key(agency_id: int) -> str:
    """The version of the edits of one agency's drafts (data_versions.private_write)."""
    return f"private:{agency_id}"


class DataVersion(models.Model):
    """A number that goes up once per committed transaction that wrote this app's data.

    One row per `key`: "all" (every write), "reference" (writes that touch every year) and one
    per fiscal year ("2570"), so that a write in one year leaves other years' pages cached;
    "shared" and one per agency ("agency:12"), so that a save in one agency leaves the pages
    of another agency's indicators cached; "private" and one per agency ("private:12") for
    edits of drafts, which readers who cannot see drafts never need to see again;
    "users" and "sessions" tell indicators.sessions when what it kept of a reader is outdated.
    Saves and deletes raise them through signals, bulk writers by calling
    `cache.raise_after_commit()`; a cached page older than its numbers is never served.
    """

    key = models.CharField(_("ขอบเขต"), max_length=16, unique=True, default=ALL_DATA)
    number = models.PositiveBigIntegerField(_("รุ่นของข้อมูล"), default=0)

    class Meta:
        verbose_name = _("รุ่นของข้อมูล")
        verbose_name_plural = _("รุ่นของข้อมูล")

    def __str__(self) -> str:
        return f"{self.key}: {self.number}"
