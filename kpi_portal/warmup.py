"""The work a fresh web worker does before its first request instead of during it (issue 14).

Django imports the views on the first URL resolution and compiles each template on first use,
and the PDF pipeline parses its fonts on the first sheet: 0.7–1 s that the first visitor of
every new worker waited for. `warm()` runs when the WSGI application loads; it reads no
database (a worker may start before the database answers) and a failure only logs.
"""

import logging

from django.template.loader import get_template
from django.urls import get_resolver

logger = logging.getLogger(__name__)

# The pages most asked for: their templates and the includes they extend are compiled once.
TEMPLATES = (
    "base.html",
    "fragment_page.html",
    "indicators/home.html",
    "indicators/indicator_list.html",
    "indicators/indicator_detail.html",
    "indicators/agency_detail.html",
    "indicators/strategy_tree.html",
    "indicators/workflow/my_work.html",
    "indicators/workflow/review_queue.html",
    "reports/pdf/sheet.html",
)


def warm() -> None:
    try:
        get_resolver().url_patterns  # noqa: B018 - importing the URL conf imports every view
        for name in TEMPLATES:
            get_template(name)
        from reports import pdf

        pdf.styles()
    except Exception:
        logger.exception("warm-up failed: the first request does this work instead")
