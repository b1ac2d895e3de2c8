"""No 500 from any input: NUL bytes in every URL parameter, oversized forms; nothing changes."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

from indicators.models import QuarterReport
from tests.helpers import client_for, report_url

pytestmark = pytest.mark.django_db
SAMPLE = {
    "year": "2564",
    "code": "5030-1052",
    "prefix": "5030",
    "quarter": "1",
    "pk": "1",
    "slug": "trees-planted",
}
SAMPLE |= {"kind": "results", "file_format": "csv", "uidb64": "MQ", "token": "set-password"}
SAMPLE |= {"resource": "indicators"}  # an open-data table
SAMPLE |= {"round_": "12"}  # a performance agreement's round (months)
LIST_FILTERS = ["year", "agency", "group", "dimension", "type", "level", "status", "q", "page"]


def routes(resolver: URLResolver | None = None, prefix: str = "") -> list[str]:
    """Every route of the portal (admin excluded) as a pattern string."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern) or str(pattern).startswith("admin/"):
            continue
        if isinstance(entry, URLResolver):
            found += routes(entry, prefix + str(pattern))
        elif isinstance(entry, URLPattern):
            found.append(prefix + str(pattern))
    return found


def nul_urls() -> list[str]:
    """Each route once per parameter, that parameter holding a NUL byte, the others real."""
    urls = []
    for route in routes():
        names = re.findall(r"<(?:\w+:)?(\w+)>", route)
        for poisoned in names:

            def fill(match: re.Match, poisoned=poisoned) -> str:
                name = match.group(1)
                return "%00" if name == poisoned else SAMPLE[name]

            urls.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route))
    return urls


NUL_URLS = nul_urls()


def test_every_route_parameter_is_covered():
    assert "/indicators/2564/%00/" in NUL_URLS
    assert "/agencies/%00/2564/" in NUL_URLS
    assert len(NUL_URLS) >= 20


@pytest.mark.parametrize("persona", [None, "admin_user"])
def test_nul_in_any_url_parameter_is_a_4xx(persona, request):
    client = client_for(request.getfixturevalue(persona)) if persona else None
    from django.test import Client

    client = client or Client()
    for url in NUL_URLS:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert 400 <= response.status_code < 500, (method, url, response.status_code)


def test_nul_path_gets_the_portals_own_page_in_thai(client):
    response = client.get("/indicators/2570/%00/")
    assert response.status_code == 400
    assert "อักขระ NUL" in response.text
    assert '<html lang="th">' in response.text
    client.cookies["django_language"] = "en"
    assert "NUL character" in client.get("/agencies/%00/2570/").text


@pytest.mark.parametrize("name", LIST_FILTERS)
def test_nul_in_a_query_parameter_is_a_400(client, name):
    response = client.get("/indicators/", {name: "a\x00b"})
    assert response.status_code == 400
    assert "อักขระ NUL" in response.text


def test_nul_in_a_posted_field_changes_nothing(report, reporter5030):
    data = {"value": "4\x000", "narrative": "x\x00", "version": report.version, "action": "save"}
    response = client_for(reporter5030).post(report_url(report, "report-edit"), data)
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.value is None


def test_a_form_over_the_size_limit_gets_a_thai_page(report, reporter5030, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    data = {"value": "40", "narrative": "ก" * 2000, "version": report.version, "action": "save"}
    response = client_for(reporter5030).post(report_url(report, "report-edit"), data)
    assert response.status_code == 400
    assert "ข้อมูลที่ส่งมีขนาดเกิน" in response.text
    assert "กดย้อนกลับ" in response.text
    assert QuarterReport.objects.get(pk=report.pk).value is None
