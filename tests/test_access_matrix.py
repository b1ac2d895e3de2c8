"""Every named URL of the project as every persona, with the exact status code: the one matrix.

The URL names are read from the URL conf, so a new page fails `test_every_url_is_in_the_table`
until its expectations are written here.
"""

from collections.abc import Callable, Iterator

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from indicators.models import (
    Agency,
    Appeal,
    Evidence,
    FiscalYear,
    ImportBatch,
    ImportJob,
    ImportJobAction,
    ImportStatus,
    QuarterReport,
    ReportStatus,
    StrategyNode,
)
from indicators.spreadsheets.exports import template_bytes
from indicators.workflow import services
from reports import book_numbers, books
from reports import pdf as pdf_pipeline
from tests.helpers import PDF_BYTES, client_for, pdf, target_appeal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def short_documents(monkeypatch):
    """PDFs laid out as one line: the matrix is about who gets what, and laying out 24 sheets
    and dashboards cost it half its time; tests/reports/ prove what the documents hold."""
    real_render = pdf_pipeline.render

    def one_line(html: str, *args, **kwargs):
        return real_render("<p>PDF</p>")

    monkeypatch.setattr(pdf_pipeline, "render", one_line)
    monkeypatch.setattr(book_numbers, "render", one_line)
    # One-line parts have no box for a page number: a book's pages are left unnumbered.
    monkeypatch.setattr(book_numbers, "number", lambda pages, numbers: pages)


PERSONAS = ["anonymous", "reporter5030", "reporter0100", "auditor", "manager", "admin_user"]
PUBLISHED_YEAR = 2564
SEED = "5030-1052"

# Namespaces and names left out of the table, each with its reason.
EXCLUDED_NAMESPACES = {"admin": "tests/test_project.py covers the Django admin"}
EXCLUDED_NAMES = {
    "password_reset_confirm": "needs a token mailed to the user; tests/test_security.py covers the mail",
}

# Pages that answer anonymous visitors with a redirect that is not to the login page.
NOT_TO_LOGIN = {"set_language", "logout", "reports:agency-book-rebuild"}

# url name -> expected status per persona, in the order of PERSONAS.
MATRIX: dict[str, tuple[int, ...]] = {
    "healthz": (200, 200, 200, 200, 200, 200),
    # The API: reads follow the publication rule (its own tests check the figures), writes take
    # only an agency's token, which no persona's session is (401, asked for a Bearer token).
    "api:api-root": (200, 200, 200, 200, 200, 200),
    "api:schema": (200, 200, 200, 200, 200, 200),
    "api:docs": (200, 200, 200, 200, 200, 200),
    "api:year-list": (200, 200, 200, 200, 200, 200),
    "api:year-detail": (200, 200, 200, 200, 200, 200),
    "api:agency-list": (200, 200, 200, 200, 200, 200),
    "api:agency-detail": (200, 200, 200, 200, 200, 200),
    "api:strategy-node-list": (200, 200, 200, 200, 200, 200),
    "api:strategy-node-detail": (200, 200, 200, 200, 200, 200),
    "api:indicator-list": (200, 200, 200, 200, 200, 200),
    "api:indicator-detail": (200, 200, 200, 200, 200, 200),
    "api:result-list": (200, 200, 200, 200, 200, 200),
    "api:result-detail": (404, 200, 404, 404, 404, 200),
    "api:result-write": (401, 401, 401, 401, 401, 401),
    "api:result-submit": (401, 401, 401, 401, 401, 401),
    "favicon": (301, 301, 301, 301, 301, 301),
    "indicators:start": (302, 302, 302, 302, 302, 302),  # each role to its own work
    "indicators:evidence-remove": (302, 405, 405, 405, 405, 405),
    "indicators:agency-detail": (200, 200, 200, 200, 200, 200),
    "indicators:appeal-create": (302, 200, 404, 403, 403, 403),
    "indicators:compare-list": (200, 200, 200, 200, 200, 200),
    "indicators:compare-detail": (200, 200, 200, 200, 200, 200),
    "indicators:appeal-decide": (302, 403, 403, 200, 403, 200),
    "indicators:appeal-evidence-download": (302, 200, 404, 200, 200, 200),
    "indicators:audit-quarter-set": (302, 405, 405, 405, 405, 405),
    "indicators:evidence-download": (302, 200, 404, 200, 200, 200),
    "indicators:home": (200, 200, 200, 200, 200, 200),
    "indicators:import-confirm": (302, 405, 405, 405, 405, 405),
    "indicators:import-revert": (302, 405, 405, 405, 405, 405),
    "indicators:import-template": (302, 403, 403, 200, 403, 200),
    "indicators:import-upload": (302, 403, 403, 200, 403, 200),
    "indicators:import-job": (302, 403, 403, 200, 403, 200),
    "indicators:indicator-detail": (200, 200, 200, 200, 200, 200),
    "indicators:indicator-list": (200, 200, 200, 200, 200, 200),
    "indicators:my-work": (302, 200, 200, 403, 403, 403),
    "indicators:open-data": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-catalog": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-csv": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-file": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-json": (200, 200, 200, 200, 200, 200),
    "indicators:open-data-package": (200, 200, 200, 200, 200, 200),
    "indicators:report-edit": (302, 200, 404, 403, 403, 403),
    "indicators:report-edit#missing-quarter": (302, 404, 404, 404, 404, 404),
    "indicators:report-review": (302, 403, 404, 200, 403, 200),
    "indicators:review-queue": (302, 403, 403, 200, 403, 200),
    "indicators:strategy-tree": (200, 200, 200, 200, 200, 200),
    # Scorecards follow the year's publication; an agency's self-assessment is its reporters'.
    "indicators:scorecard-list": (200, 200, 200, 200, 200, 200),
    "indicators:scorecard-list#unpublished": (404, 200, 200, 200, 200, 200),
    "indicators:scorecard-detail": (200, 200, 200, 200, 200, 200),
    "indicators:scorecard-detail#unpublished": (404, 200, 200, 200, 200, 200),
    "indicators:self-assessment": (302, 200, 404, 403, 403, 403),
    "reports:scorecard-agreement": (200, 200, 200, 200, 200, 200),
    "reports:scorecard-result": (200, 200, 200, 200, 200, 200),
    # Carrying indicators into a year: auditors and the administrator only (issue 18).
    "indicators:year-prepare": (302, 403, 403, 200, 403, 200),
    "login": (200, 200, 200, 200, 200, 200),
    "logout": (405, 405, 405, 405, 405, 405),
    "password_change": (302, 200, 200, 200, 200, 200),
    "password_change_done": (302, 200, 200, 200, 200, 200),
    "password_reset": (200, 200, 200, 200, 200, 200),
    "password_reset_complete": (200, 200, 200, 200, 200, 200),
    "password_reset_done": (200, 200, 200, 200, 200, 200),
    "reports:agency-book": (200, 200, 200, 200, 200, 200),
    "reports:agency-book-status": (200, 200, 200, 200, 200, 200),
    "reports:agency-book-rebuild": (405, 405, 405, 405, 405, 405),
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
    assert project_url_names() == {case.split("#")[0] for case in MATRIX}


@pytest.fixture(autouse=True)
def books_without_layout(monkeypatch) -> None:
    """Who may fetch an agency's book is the question here; laying out its sheets takes seconds
    a persona and is tests/reports/test_books.py's to prove."""
    monkeypatch.setattr(books, "agency_book_pdf", lambda agency, year, progress=None: PDF_BYTES)


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
def appeal(indicator, reporter5030) -> Appeal:
    return target_appeal(indicator, reporter5030)


def import_batch(status: str) -> ImportBatch:
    """A batch holding the empty results template, so confirming it has a file to read."""
    batch = ImportBatch(file_name="results.csv", file_format="csv", kind="results", status=status)
    batch.file.save("results.csv", ContentFile(template_bytes("results", "csv")))
    return batch


def quarter_key(request: pytest.FixtureRequest, quarter: int | None = None) -> dict:
    report = request.getfixturevalue("report")
    key = {"year": report.indicator.fiscal_year_id, "code": report.indicator.code}
    return key | {"quarter": quarter or report.quarter}


def plain(name: str, **kwargs) -> Callable[[pytest.FixtureRequest], str]:
    """A URL that needs no data of its own."""
    return lambda _request: reverse(name, kwargs=kwargs or None)


def with_quarter(name: str, quarter: int | None = None) -> Callable[[pytest.FixtureRequest], str]:
    return lambda request: reverse(name, kwargs=quarter_key(request, quarter))


def with_appeal(name: str) -> Callable[[pytest.FixtureRequest], str]:
    return lambda request: reverse(name, kwargs={"pk": request.getfixturevalue("appeal").pk})


def with_batch(name: str, status: str) -> Callable[[pytest.FixtureRequest], str]:
    return lambda _request: reverse(name, kwargs={"pk": import_batch(status).pk})


def import_job_url(_request: pytest.FixtureRequest) -> str:
    batch = import_batch(ImportStatus.COMMITTED)
    job = ImportJob.objects.create(batch=batch, action=ImportJobAction.REVERT)
    return reverse("indicators:import-job", kwargs={"pk": job.pk})


def evidence_url(request: pytest.FixtureRequest) -> str:
    evidence = Evidence.objects.get(report=request.getfixturevalue("current_report"))
    return reverse("indicators:evidence-download", kwargs={"pk": evidence.pk})


def evidence_remove_url(request: pytest.FixtureRequest) -> str:
    evidence = Evidence.objects.get(report=request.getfixturevalue("current_report"))
    return reverse("indicators:evidence-remove", kwargs={"pk": evidence.pk})


def appeal_create_url(request: pytest.FixtureRequest) -> str:
    key = quarter_key(request)
    del key["quarter"]
    return reverse("indicators:appeal-create", kwargs=key)


API_LISTS = (
    "api-root",
    "schema",
    "docs",
    "year-list",
    "agency-list",
    "strategy-node-list",
    "indicator-list",
    "result-list",
)
SEED_KEY = {"year": PUBLISHED_YEAR, "code": SEED}
AGENCY_KEY = {"year": PUBLISHED_YEAR, "code": "5030"}
SCORECARD_KEY = {"year": PUBLISHED_YEAR, "prefix": "5030"}

# case -> how to build its URL, making only the rows that page needs (a report, an evidence
# file, an appeal, an import batch); "name#variant" is a second case of the same URL name.
URLS: dict[str, Callable[[pytest.FixtureRequest], str]] = {
    "healthz": plain("healthz"),
    "favicon": plain("favicon"),
    "indicators:start": plain("indicators:start"),
    "indicators:evidence-remove": evidence_remove_url,
    "set_language": plain("set_language"),
    "login": plain("login"),
    "logout": plain("logout"),
    "password_change": plain("password_change"),
    "password_change_done": plain("password_change_done"),
    "password_reset": plain("password_reset"),
    "password_reset_done": plain("password_reset_done"),
    "password_reset_complete": plain("password_reset_complete"),
    "indicators:home": plain("indicators:home"),
    "indicators:my-work": plain("indicators:my-work"),
    "indicators:review-queue": plain("indicators:review-queue"),
    "indicators:report-edit": with_quarter("indicators:report-edit"),
    "indicators:report-edit#missing-quarter": with_quarter("indicators:report-edit", quarter=5),
    "indicators:report-review": with_quarter("indicators:report-review"),
    "indicators:audit-quarter-set": with_quarter("indicators:audit-quarter-set"),
    "indicators:evidence-download": evidence_url,
    "indicators:appeal-create": appeal_create_url,
    "indicators:appeal-decide": with_appeal("indicators:appeal-decide"),
    "indicators:appeal-evidence-download": with_appeal("indicators:appeal-evidence-download"),
    "indicators:import-upload": plain("indicators:import-upload"),
    "indicators:compare-list": plain("indicators:compare-list", year=PUBLISHED_YEAR),
    "indicators:compare-detail": plain(
        "indicators:compare-detail", year=PUBLISHED_YEAR, slug="trees-planted"
    ),
    "indicators:import-job": import_job_url,
    "indicators:import-confirm": with_batch("indicators:import-confirm", ImportStatus.PREVIEWED),
    "indicators:import-revert": with_batch("indicators:import-revert", ImportStatus.COMMITTED),
    "indicators:import-template": plain(
        "indicators:import-template", kind="results", file_format="csv"
    ),
    "indicators:open-data": plain("indicators:open-data"),
    "indicators:open-data-catalog": plain("indicators:open-data-catalog"),
    "indicators:open-data-package": plain("indicators:open-data-package", year=PUBLISHED_YEAR),
    "indicators:open-data-file": plain(
        "indicators:open-data-file", year=PUBLISHED_YEAR, resource="results", file_format="json"
    ),
    "indicators:open-data-csv": plain("indicators:open-data-csv", year=PUBLISHED_YEAR),
    "indicators:open-data-json": plain("indicators:open-data-json", year=PUBLISHED_YEAR),
    "indicators:indicator-list": plain("indicators:indicator-list"),
    "indicators:indicator-detail": plain("indicators:indicator-detail", **SEED_KEY),
    "indicators:agency-detail": plain(
        "indicators:agency-detail", prefix="5030", year=PUBLISHED_YEAR
    ),
    "indicators:strategy-tree": plain("indicators:strategy-tree", year=PUBLISHED_YEAR),
    "indicators:year-prepare": plain("indicators:year-prepare", year=2571),
    "reports:dashboard": plain("reports:dashboard", year=PUBLISHED_YEAR),
    "reports:dashboard-print": plain("reports:dashboard-print", year=PUBLISHED_YEAR),
    "reports:dashboard-pdf": plain("reports:dashboard-pdf", year=PUBLISHED_YEAR),
    "reports:indicator-sheet": plain("reports:indicator-sheet", **SEED_KEY),
    "reports:agency-book": plain("reports:agency-book", **AGENCY_KEY),
    "reports:agency-book-status": plain("reports:agency-book-status", **AGENCY_KEY),
    **{f"api:{name}": plain(f"api:{name}") for name in API_LISTS},
    "api:year-detail": lambda request: reverse(
        "api:year-detail", kwargs={"year": quarter_key(request)["year"]}
    ),
    "api:agency-detail": lambda _request: reverse(
        "api:agency-detail", kwargs={"code": Agency.objects.get(prefix="5030").code}
    ),
    "api:strategy-node-detail": lambda _request: reverse(
        "api:strategy-node-detail", kwargs={"pk": StrategyNode.objects.order_by("pk")[0].pk}
    ),
    "api:indicator-detail": lambda request: reverse(
        "api:indicator-detail", kwargs={"pk": request.getfixturevalue("report").indicator_id}
    ),
    # The current quarter's draft of 5030-2001: only its agency and the administrator see it.
    "api:result-detail": lambda request: reverse(
        "api:result-detail", kwargs={"pk": request.getfixturevalue("report").pk}
    ),
    "api:result-write": with_quarter("api:result-write"),
    "api:result-submit": with_quarter("api:result-submit"),
    "reports:agency-book-rebuild": plain("reports:agency-book-rebuild", **AGENCY_KEY),
    "indicators:scorecard-list": plain("indicators:scorecard-list", year=PUBLISHED_YEAR),
    "indicators:scorecard-list#unpublished": lambda _request: reverse(
        "indicators:scorecard-list", kwargs={"year": unpublished_year()}
    ),
    "indicators:scorecard-detail": plain("indicators:scorecard-detail", **SCORECARD_KEY),
    "indicators:scorecard-detail#unpublished": lambda _request: reverse(
        "indicators:scorecard-detail", kwargs={"year": unpublished_year(), "prefix": "5030"}
    ),
    "indicators:self-assessment": plain(
        "indicators:self-assessment", **SCORECARD_KEY, code="5030-2001", round_=12
    ),
    "reports:scorecard-agreement": plain("reports:scorecard-agreement", **SCORECARD_KEY),
    "reports:scorecard-result": plain("reports:scorecard-result", **SCORECARD_KEY),
}


def unpublished_year() -> int:
    """2565, taken off the public site for the test."""
    FiscalYear.objects.filter(year=2565).update(is_published=False)
    return 2565


def url_of(request: pytest.FixtureRequest, case: str) -> str:
    return URLS[case](request)


def test_every_case_has_a_url():
    assert set(URLS) == set(MATRIX)


def client_as(request: pytest.FixtureRequest, persona: str) -> Client:
    return client_for(None if persona == "anonymous" else request.getfixturevalue(persona))


def get_as(request: pytest.FixtureRequest, persona: str, case: str):
    return client_as(request, persona).get(url_of(request, case))


@pytest.mark.parametrize("page", sorted(MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(request, page, persona):
    response = get_as(request, persona, page)
    expected = MATRIX[page][PERSONAS.index(persona)]
    assert response.status_code == expected, (page, persona)
    if expected == 302 and persona == "anonymous" and page not in NOT_TO_LOGIN:
        assert response["Location"].startswith(reverse("login")), page


# Views that only take POST (a GET is 405 above), and the workflow's forms: the same personas
# posting an empty form.
POST_MATRIX: dict[str, tuple[int, ...]] = {
    "indicators:report-edit": (302, 200, 404, 403, 403, 403),  # the owner sees the form again
    "indicators:report-review": (302, 403, 404, 200, 403, 200),
    "indicators:audit-quarter-set": (302, 403, 404, 302, 403, 302),
    # The batch holds an empty file: the import re-renders with its problem instead of writing.
    "indicators:import-confirm": (302, 403, 403, 200, 403, 200),
    "indicators:import-revert": (302, 403, 403, 302, 403, 302),
    "logout": (302, 302, 302, 302, 302, 302),
    # An empty confirmation: refused with the form's reasons, nothing written.
    "indicators:year-prepare": (302, 403, 403, 400, 403, 400),
    # A published year's book is public; a rebuild only restarts a failed one.
    "reports:agency-book-rebuild": (302, 302, 302, 302, 302, 302),
    # The draft's reporter is sent back to the form (no version: nothing removed); those who may
    # read the file but not change the report get 403, another agency's reporter 404.
    "indicators:evidence-remove": (302, 302, 404, 403, 403, 403),
    # An empty self-assessment: its agency's reporter sees the form again with the error.
    "indicators:self-assessment": (302, 200, 404, 403, 403, 403),
}


@pytest.mark.parametrize("page", sorted(POST_MATRIX))
@pytest.mark.parametrize("persona", PERSONAS)
def test_post_matrix(request, page, persona):
    response = client_as(request, persona).post(url_of(request, page))
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
def test_unpublished_year_is_hidden_from_the_public_only(request, page, persona):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    response = get_as(request, persona, page)
    assert response.status_code == (404 if persona == "anonymous" else 200), (page, persona)


def test_unpublished_year_is_left_out_of_the_public_list(client: Client):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    response = client.get(reverse("indicators:indicator-list"), {"year": PUBLISHED_YEAR})
    assert SEED not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_open_data_of_an_unpublished_year_is_for_no_one(request, persona):
    FiscalYear.objects.filter(year=PUBLISHED_YEAR).update(is_published=False)
    assert get_as(request, persona, "indicators:open-data-csv").status_code == 404
    assert get_as(request, persona, "indicators:open-data-json").status_code == 404


# Someone else's report, posted a whole valid submission: refused, and nothing is written.
FOREIGN_POST = {"anonymous": 302, "reporter0100": 404, "auditor": 403, "manager": 403}
FOREIGN_POST |= {"admin_user": 403}


@pytest.mark.parametrize(("persona", "expected"), FOREIGN_POST.items())
def test_posting_to_someone_elses_report_changes_nothing(request, report, persona, expected):
    data = {"value": "50", "narrative": "x", "version": report.version, "action": "submit"}
    response = client_as(request, persona).post(url_of(request, "indicators:report-edit"), data)
    assert response.status_code == expected
    report.refresh_from_db()
    assert (report.value, report.status) == (None, ReportStatus.DRAFT)
