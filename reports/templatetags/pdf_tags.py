"""Template filters of the printed documents."""

from django import template
from django.conf import settings
from django.utils.translation import gettext

register = template.Library()


@register.filter
def printable(text: str | None) -> str:
    """A long text as a PDF prints it: at most the narrative limit, then a note saying so.

    Forms and imports refuse longer texts; some were stored before the limit. Laying out
    800,000 characters held a web worker for 30 s, so the sheet keeps to the limit.
    """
    text = text or ""
    limit = settings.NARRATIVE_MAX_LENGTH
    if len(text) <= limit:
        return text
    note = gettext("(พิมพ์ %(max)s ตัวอักษรแรก ข้อความเต็มอยู่ที่หน้าตัวชี้วัดบนเว็บไซต์)")
    return f"{text[:limit]}… {note % {'max': f'{limit:,}'}}"
