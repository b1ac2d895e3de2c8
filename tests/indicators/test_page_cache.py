"""The cache of pages rendered for anonymous readers: served, renewed after every edit, never
shared with a signed-in user, and one query a hit whatever the page."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from indicators.cache import fingerprint
from indicators.models import Agency, DataVersion, FiscalYear, Indicator, Project
from indicators.spreadsheets.exports import export_bytes, export_dataset
from indicators.spreadsheets.imports import import_run
from indicators.spreadsheets.resources import AgencyResource

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("public_page_cache")]

DETAIL = "/indicators/2564/5030-1052/"
PUBLIC_PAGES = [
    "/",
    "/indicators/?year=2564",
    DETAIL,
    "/agencies/5030/2564/",
    "/strategy/2564/",
    "/dashboard/2564/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_a_second_reader_gets_the_same_page_for_one_query(client, django_assert_num_queries, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.context is not None  # rendered
    with django_assert_num_queries(1):  # the data's fingerprint
        second = Client().get(url)
    assert second.status_code == 200
    assert second.context is None  # not rendered again
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "Cookie" in second["Vary"]


def test_security_headers_are_sent_with_a_cached_page(client):
    client.get(DETAIL)
    cached = client.get(DETAIL)
    assert cached.context is None
    assert "default-src 'self'" in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY"


def test_a_saved_report_shows_at_once(client, commits):
    client.get(DETAIL)
    report = Indicator.objects.get(fiscal_year_id=2564, code="5030-1052").reports.get(quarter=1)
    report.value = Decimal("987654")
    commits(report.save)
    page = client.get(DETAIL)
    assert page.context is not None
    assert "987,654" in page.content.decode()


def test_a_renamed_agency_shows_at_once(client, commits):
    client.get(DETAIL)
    agency = Agency.objects.get(prefix="5030")
    agency.name_th = "สำนักงานเขตบางคอแหลม (ชื่อใหม่)"
    commits(agency.save)
    assert "(ชื่อใหม่)" in client.get(DETAIL).content.decode()


def test_an_imported_agency_name_shows_at_once(client, commits, admin_user):
    """Imports write in bulk, without signals: the resource raises the version itself."""
    client.get(DETAIL)
    agencies = export_dataset("agencies")
    row = next(i for i, r in enumerate(agencies.dict) if r["รหัสนำหน้าตัวชี้วัด"] == "5030")
    name_column = agencies.headers.index("ชื่อหน่วยงาน (ไทย)")
    changed = list(agencies[row])
    changed[name_column] = "สำนักงานเขตบางคอแหลม (นำเข้า)"
    agencies[row] = changed
    content = SimpleUploadedFile("agencies.csv", export_bytes(agencies, "csv"))
    outcomes = []
    commits(lambda: outcomes.append(import_run(file=content, by=admin_user, dry_run=False)))
    assert outcomes[0].ok and outcomes[0].updated == 1
    assert "(นำเข้า)" in client.get(DETAIL).content.decode()


def test_the_admin_s_import_button_renews_the_page_too(client, commits):
    """The admin's import-export button runs the resource alone: no batch row, no signal."""
    client.get(DETAIL)
    agencies = export_dataset("agencies")
    row = next(i for i, r in enumerate(agencies.dict) if r["รหัสนำหน้าตัวชี้วัด"] == "5030")
    changed = list(agencies[row])
    changed[agencies.headers.index("ชื่อหน่วยงาน (ไทย)")] = "สำนักงานเขตบางคอแหลม (ผู้ดูแล)"
    agencies[row] = changed
    results = []
    commits(lambda: results.append(AgencyResource().import_data(agencies, dry_run=False)))
    assert not results[0].has_errors() and results[0].totals["update"] == 1
    assert "(ผู้ดูแล)" in client.get(DETAIL).content.decode()


def test_a_dry_run_import_leaves_the_cached_page(client, commits, admin_user):
    client.get(DETAIL)
    content = SimpleUploadedFile("a.csv", export_bytes(export_dataset("agencies"), "csv"))
    commits(lambda: import_run(file=content, by=admin_user, dry_run=True))
    assert client.get(DETAIL).context is None


def test_an_unlinked_project_goes_at_once(client, commits):
    indicator = Indicator.objects.get(fiscal_year_id=2564, code="5030-1052")
    first = Project(code="P-CACHE-1", name_th="โครงการทดสอบแคชแรก")
    second = Project(code="P-CACHE-2", name_th="โครงการทดสอบแคชที่สอง")
    commits(lambda: (first.save(), second.save(), indicator.projects.add(first, second)))
    assert "โครงการทดสอบแคชแรก" in client.get(DETAIL).content.decode()
    # The highest link id stays the same: only the data version tells.
    commits(lambda: indicator.projects.remove(first))
    assert "โครงการทดสอบแคชแรก" not in client.get(DETAIL).content.decode()


def test_an_unpublished_year_is_gone_at_once(client, commits):
    assert client.get(DETAIL).status_code == 200
    year = FiscalYear.objects.get(year=2564)
    year.is_published = False
    commits(year.save)
    assert client.get(DETAIL).status_code == 404


def test_each_language_has_its_own_page(client):
    thai = client.get(DETAIL).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(DETAIL).content.decode()
    assert '<html lang="en">' in english
    assert '<html lang="th">' in thai
    assert client.get(DETAIL).context is None  # the English page, cached in its turn


def test_signed_in_readers_are_never_served_nor_stored(client, auditor):
    Client().get(DETAIL)  # kept for the public
    client.force_login(auditor)
    for_auditor = client.get(DETAIL)
    assert client.get(DETAIL).context is not None
    assert for_auditor.context is not None  # not the public's page
    cache.clear()
    client.get(DETAIL)
    public = Client().get(DETAIL)
    assert public.context is not None  # the auditor's page was not kept for the public
    assert for_auditor.context["show_quality"] and not public.context["show_quality"]
    assert auditor.username not in public.content.decode()


def test_a_reader_with_pending_messages_gets_a_page_of_their_own(client):
    client.get(DETAIL)
    client.cookies["messages"] = "anything"
    assert client.get(DETAIL).context is not None


def test_pages_that_are_not_found_are_not_kept(client):
    assert client.get("/indicators/2564/9999-1/").status_code == 404
    assert not cache._cache  # LocMemCache keeps nothing


def test_the_language_switch_needs_no_token_on_a_cached_page():
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(DETAIL).content.decode()
    assert "csrfmiddlewaretoken" not in page  # the page is the same for every reader
    response = reader.post(reverse("set_language"), {"language": "en", "next": DETAIL})
    assert response.status_code == 302
    assert reader.cookies["django_language"].value == "en"
    assert '<html lang="en">' in reader.get(DETAIL).content.decode()


def test_the_cache_can_be_turned_off(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(DETAIL)
    assert client.get(DETAIL).context is not None


def test_one_transaction_raises_the_data_version_once(commits):
    before = fingerprint()
    start = DataVersion.objects.filter(key="all").values_list("number", flat=True).first() or 0

    def edit() -> None:
        with transaction.atomic():
            for agency in Agency.objects.filter(prefix__in=["5030", "5004", "0100"]):
                agency.save()

    commits(edit)
    assert DataVersion.objects.get(key="all").number == start + 1
    assert fingerprint() != before


def test_a_rolled_back_edit_leaves_the_version_alone(commits):
    start = DataVersion.objects.filter(key="all").values_list("number", flat=True).first() or 0

    def edit() -> None:
        with transaction.atomic():
            Agency.objects.get(prefix="5030").save()
            transaction.set_rollback(True)

    commits(edit)
    assert (
        DataVersion.objects.filter(key="all").values_list("number", flat=True).first() or 0
    ) == start
