"""Every named URL of the project as every persona, with the exact status code.

The URL names are read from the URL conf, so a new page fails `test_every_url_is_in_the_table`
until its expectations are written here.
"""

from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import (
    Appeal,
    Evidence,
    FiscalYear,
    ImportBatch,
    ImportStatus,
    QuarterReport,
)
from indicators.spreadsheets.exports import template_bytes
from indicators.workflow import services
from tests.helpers import client_for, pdf, target_appeal

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "reporter5030", "reporter0100", "auditor", "manager", "admin_user"]
PUBLISHED_YEAR = 2564
SEED = "5030-1052"

# Namespaces and names left out of the table, each with its reason.
EXCLUDED_NAMESPACES = {"admin": "tests/test_project.py covers the Django admin"}
EXCLUDED_NAMES = {
    "password_reset_confirm": "needs a token mailed to the user; tests/workflow covers the mail",
}

# Pages that answer anonymous visitors with a redirect that is not to the login page.
NOT_TO_LOGIN = {"set_language", "logout"}

# url name -> expected status per persona, in the order of PERSONAS.
MATRIX: dict[str, tuple[int, ...]] = {
    "healthz": (200, 200, 200, 200, 200, 200),
    "indicators:agency-detail": (200, 200, 200, 200, 200, 200),
    "indicators:appeal-create": (302, 200, 404, 403, 403, 403),
    "indicators:appeal-decide": (302, 403, 403, 200, 403, 200),
    "indicators:appeal-evidence-download": (302, 200, 404, 200, 200, 200),
    "indicators:audit-quarter-set": (302, 405, 405, 405, 405, 405),
    "indicators:evidence-download": (302, 200, 404, 200, 200, 200),
    "indicators:home": (200, 200, 200, 200, 200, 200),
    "indicators:import-confirm": (302, 405, 405, 405, 405, 405),
    "indicators:import-revert": (302, 405, 405, 405, 405, 405),
    "indicators:import-template": (302, 403, 403, 200, 403, 200),
    "indicators:import-upload": (302, 403, 403, 200, 403, 200),
    "indicators:indicator-detail": (200, 200, 200, 200, 200, 200),
    "indicators:indicator-list": (200, 200, 200, 200, 200, 200),
    "indicators:my-work": (302, 200, 200, 403, 403, 403),
    "indicators:open-data-csv": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-json": (200, 200, 200, 200, 200, 200),
    "indicators:report-edit": (302, 200, 404, 403, 403, 403),
    "indicators:report-review": (302, 403, 404, 200, 403, 200),
    "indicators:review-queue": (302, 403, 403, 200, 403, 200),
    "indicators:strategy-tree": (200, 200, 200, 200, 200, 200),
    "login": (200, 200, 200, 200, 200, 200),
    "logout": (405, 405, 405, 405, 405, 405),
    "password_change": (302, 200, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200),
    "reports:agency-book": (200, 200, 200, 200, 200, 200),
    "reports:agency-book-status": (200, 200, 200, 200, 200, 200),
    "reports:dashboard": (200, 200, 200, 200, 200, 200),
    "reports:dashboard-pdf": (200, 200, 200, 200, 200, 200),
    "reports:dashboard-print": (200, 200, 200, 200, 200, 200),
    "reports:indicator-sheet": (200, 200, 200, 200, 200, 200),
    "set_language": (302, 302, 302, 302, 302, 302),
}


def url_names(resolver: URLResolver, namespace: str = "") -> Iterator[str]:
    """Every named pattern below `resolver`, with its namespace prefix."""
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def project_url_names() -> set[str]:
    names = set(url_names(get_resolver()))
    kept = {name for name in names if name.split(":")[0] not in EXCLUDED_NAMESPACES}
    return kept - set(EXCLUDED_NAMES)


def test_every_url_is_in_the_table():
    assert project_url_names() == set(MATRIX)


@pytest.fixture
def current_report(report, reporter5030) -> QuarterReport:
    """The current quarter's draft of 5030-2001, with one evidence file."""
    return services.report_save(
        report=report,
        by=reporter5030,
        value=None,
        narrative="",
        version=report.version,
        files=[pdf()],
    )


@pytest.fixture
def appeal(current_report, reporter5030) -> Appeal:
    return target_appeal(current_report.indicator, reporter5030)


def import_batch(status: str) -> ImportBatch:
    """A batch holding the empty results template, so confirming it has a file to read."""
    batch = ImportBatch(file_name="results.csv", file_format="csv", kind="results", status=status)
    batch.file.save("results.csv", ContentFile(template_bytes("results", "csv")))
    return batch


@pytest.fixture
def urls(current_report, appeal) -> dict[str, str]:
    evidence = Evidence.objects.get(report=current_report)
    key = {"year": current_report.indicator.fiscal_year_id, "code": current_report.indicator.code}
    quarter = key | {"quarter": current_report.quarter}
    seed = {"year": PUBLISHED_YEAR, "code": SEED}
    agency = {"year": PUBLISHED_YEAR, "code": "5030"}
    year = {"year": PUBLISHED_YEAR}
    previewed = import_batch(ImportStatus.PREVIEWED)
    committed = import_batch(ImportStatus.COMMITTED)
    return {
        "healthz": reverse("healthz"),
        "set_language": reverse("set_language"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "password_change": reverse("password_change"),
        "password_change_done": reverse("password_change_done"),
        "password_reset": reverse("password_reset"),
        "password_reset_done": reverse("password_reset_done"),
        "password_reset_complete": reverse("password_reset_complete"),
        "indicators:home": reverse("indicators:home"),
        "indicators:my-work": reverse("indicators:my-work"),
        "indicators:review-queue": reverse("indicators:review-queue"),
        "indicators:report-edit": reverse("indicators:report-edit", kwargs=quarter),
        "indicators:report-review": reverse("indicators:report-review", kwargs=quarter),
        "indicators:audit-quarter-set": reverse("indicators:audit-quarter-set", kwargs=quarter),
        "indicators:evidence-download": reverse(
            "indicators:evidence-download", kwargs={"pk": evidence.pk}
        ),
        "indicators:appeal-create": reverse("indicators:appeal-create", kwargs=key),
        "indicators:appeal-decide": reverse("indicators:appeal-decide", kwargs={"pk": appeal.pk}),
        "indicators:appeal-evidence-download": reverse(
            "indicators:appeal-evidence-download", kwargs={"pk": appeal.pk}
        ),
        "indicators:import-upload": reverse("indicators:import-upload"),
        "indicators:import-confirm": reverse(
            "indicators:import-confirm", kwargs={"pk": previewed.pk}
        ),
        "indicators:import-revert": reverse(
            "indicators:import-revert", kwargs={"pk": committed.pk}
        ),
        "indicators:import-template": reverse(
            "indicators:import-template", kwargs={"kind": "results", "file_format": "csv"}
        ),
        "indicators:open-data-csv": reverse("indicators:open-data-csv", kwargs=year),
        "indicators:open-data-json": reverse("indicators:open-data-json", kwargs=year),
        "indicators:indicator-list": reverse("indicators:indicator-list"),
        "indicators:indicator-detail": reverse("indicators:indicator-detail", kwargs=seed),
        "indicators:agency-detail": reverse(
            "indicators:agency-detail", kwargs={"prefix": "5030", "year": PUBLISHED_YEAR}
        ),
        "indicators:strategy-tree": reverse("indicators:strategy-tree", kwargs=year),
        "reports:dashboard": reverse("reports:dashboard", kwargs=year),
        "reports:dashboard-print": reverse("reports:dashboard-print", kwargs=year),
        "reports:dashboard-pdf": reverse("reports:dashboard-pdf", kwargs=year),
        "reports:indicator-sheet": reverse("reports:indicator-sheet", kwargs=seed),
        "reports:agency-book": reverse("reports:agency-book", kwargs=agency),
        "reports:agency-book-status": reverse("reports:agency-book-status", kwargs=agency),
    }


def get_as(request: pytest.FixtureRequest, persona: str, url: str):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    return client_for(user).get(url)


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(request, urls, page, persona):
    response = get_as(request, persona, urls[page])
    expected = MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, (page, persona)
    if expected == 302 and persona == "anonymous" and page not in NOT_TO_LOGIN:
        assert response["Location"].startswith(reverse("login")), page


# Views that only take POST (a GET is 405 above): the same personas posting an empty form.
POST_MATRIX: dict[str, tuple[int, ...]] = {
    "indicators:audit-quarter-set": (302, 403, 404, 302, 403, 302),
    # The batch holds an empty file: the import re-renders with its problem instead of writing.
    "indicators:import-confirm": (302, 403, 403, 200, 403, 200),
    "indicators:import-revert": (302, 403, 403, 302, 403, 302),
    "logout": (302, 302, 302, 302, 302, 302),
}


@pytest.mark.parametrize("page", sorted(POST_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_only_matrix(request, urls, page, persona):
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    response = client_for(user).post(urls[page])
    expected = POST_MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, (page, persona)
    if expected == 302 and persona == "anonymous" and page not in NOT_TO_LOGIN:
        assert response["Location"].startswith(reverse("login")), page


READING_PAGES = [
    "indicators:indicator-detail",
    "indicators:agency-detail",
    "indicators:strategy-tree",
    "reports:indicator-sheet",
    "reports:dashboard",
]


@pytest.mark.parametrize("page", READING_PAGES)
@pytest.mark.parametrize("persona", PERSONAS)
def test_unpublished_year_is_hidden_from_the_public_only(request, urls, page, persona):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    response = get_as(request, persona, urls[page])
    assert response.status_code == (404 if persona == "anonymous" else 200), (page, persona)


def test_unpublished_year_is_left_out_of_the_public_list(client: Client):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    response = client.get(reverse("indicators:indicator-list"), {"year": PUBLISHED_YEAR})
    assert SEED not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_data_of_an_unpublished_year_is_for_no_one(request, urls, persona):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    assert get_as(request, persona, urls["indicators:open-data-csv"]).status_code == 404
    assert get_as(request, persona, urls["indicators:open-data-json"]).status_code == 404
