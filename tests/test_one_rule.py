"""One rule per fact (issue 12): status labels, digits, role names and URLs each live once.

Guard tests in the djangoproject.com style: cheap scans of the source that fail the day someone
writes a second table, a role name or an internal path by hand.
"""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from indicators import access, scoring
from indicators.models import Indicator, StrategyNode, fiscal_year_of
from indicators.numbers import normalize_digits, to_thai_digits
from indicators.pages.filters import IndicatorFilter, search
from indicators.summaries import STATUS_LABELS, status_counts, status_label
from reports.dashboard import views as dashboard_views
from tests.helpers import client_for

BASE = Path(settings.BASE_DIR)
CODE_DIRS = ("indicators", "reports", "kpi_portal")


def _python_files() -> list[Path]:
    return [
        path
        for folder in CODE_DIRS
        for path in (BASE / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]


def _offenders(pattern: str, paths: list[Path], allowed: set[str] = frozenset()) -> list[str]:
    found = []
    for path in paths:
        name = str(path.relative_to(BASE))
        if name in allowed:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(pattern, line):
                found.append(f"{name}:{number}: {line.strip()}")
    return found


# --- status labels ------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_surface_names_a_status_from_the_one_table(language):
    with translation.override(language):
        expected = [str(STATUS_LABELS[s]) for s in scoring.Status]
        labels = dashboard_views._status_labels()
        assert list(labels.values()) == expected
        assert [label for _s, label, _n in status_counts([])] == expected
        choices = dict(IndicatorFilter.base_filters["status"].extra["choices"])
        assert [str(choices[s.value]) for s in scoring.Status] == expected
        assert status_label("off_track") == expected[2]
    if language == "en":
        assert expected[0] != "บรรลุเป้าหมาย"  # translated, not a Thai copy


@pytest.mark.django_db
def test_dashboard_table_header_is_the_off_track_label(manager, today):
    url = reverse("reports:dashboard", kwargs={"year": fiscal_year_of(today)})
    with translation.override("en"):
        page = client_for(manager).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        label = str(STATUS_LABELS[scoring.Status.OFF_TRACK])
    assert f'class="num">{label}</th>' in page


def test_no_second_status_label_table():
    with translation.override("th"):
        thai_labels = "|".join(str(label) for label in STATUS_LABELS.values())
    found = _offenders(
        rf"[\"'](?:{thai_labels})[\"']", _python_files(), {"indicators/summaries.py"}
    )
    assert found == []


# --- Thai and Arabic digits ---------------------------------------------------------------


def test_one_digit_table_both_ways():
    assert to_thai_digits("5.2.1.1 ปี 2570") == "๕.๒.๑.๑ ปี ๒๕๗๐"
    assert normalize_digits("๕.๒.๑.๑ ปี ๒๕๗๐") == "5.2.1.1 ปี 2570"
    assert normalize_digits(to_thai_digits("0123456789")) == "0123456789"
    assert StrategyNode(code="5.2", level=2, name_th="ชื่อ").label_th() == "๕.๒ - ชื่อ"
    found = _offenders("๐๑๒๓๔๕๖๗๘๙", _python_files(), {"indicators/numbers.py"})
    assert found == []


@pytest.mark.django_db
def test_search_reads_thai_digits_through_the_table():
    typed = to_thai_digits("5030-1052")
    codes = set(search(Indicator.objects.all(), typed).values_list("code", flat=True))
    assert codes == {"5030-1052"}


# --- role names ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_roles_are_the_access_constants():
    names = set(Group.objects.values_list("name", flat=True))
    assert {access.REPORTER, access.AUDITOR, access.MANAGER} <= names
    role = r"[\"'](?:reporter|auditor|manager)[\"']"
    pattern = rf"(?:groups__name|Group\.objects\.\w+\(name)\s*=\s*{role}|has_role\([^)]*{role}"
    assert _offenders(pattern, _python_files()) == []
    assert _offenders(role, _python_files(), _ROLE_LITERALS_ALLOWED) == []


# access.py defines the constants; demo_data.py names its demo users (usernames, not roles).
_ROLE_LITERALS_ALLOWED = {"indicators/access.py", "indicators/demo_data.py"}


# --- URLs ---------------------------------------------------------------------------------

INTERNAL_PATH = r"(?:href|action|src|hx-get|hx-post|data-url)=[\"']/(?!/)"


def test_templates_link_through_url_tags_not_hard_coded_paths():
    templates = sorted((BASE / "templates").rglob("*.html"))
    assert templates
    assert _offenders(INTERNAL_PATH, templates) == []


def test_python_builds_internal_urls_with_reverse():
    """Views, services and e-mails reverse() their links; URL patterns are the one place."""
    first = "indicators|agencies|strategy|my|review|dashboard|reports|open-data|compare|scorecards"
    pattern = rf"[\"'](?:/(?:{first}|years|api|admin)\b)"
    allowed = {"indicators/urls.py", "reports/urls.py", "kpi_portal/urls.py"}
    assert _offenders(pattern, _python_files(), allowed) == []


@pytest.mark.parametrize(
    ("suggested", "scores", "differs"),
    [
        (None, [Decimal(50)], False),  # nothing suggested: any score stands alone
        (Decimal(80), [Decimal(80), None, None], False),  # sub-scores left empty
        (Decimal(80), [Decimal(80), Decimal(70), None], True),
        (Decimal("79.50"), [Decimal("79.5")], False),  # the same number however written
    ],
)
def test_a_score_needs_a_reason_only_when_it_departs_from_the_suggestion(
    suggested, scores, differs
):
    assert scoring.differs_from_suggestion(suggested, scores) is differs


def test_the_suggestion_rule_is_asked_in_one_place():
    """The review service, the review form and the results import call the one predicate."""
    pattern = r"!= ?(self\.)?suggested\b"
    assert _offenders(pattern, _python_files(), {"indicators/scoring.py"}) == []
