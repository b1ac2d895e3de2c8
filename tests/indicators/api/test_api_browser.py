"""In a browser: the administrator issues a token, a system writes with it, then it is revoked;
the API's docs render under the site's content security policy."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from indicators.models import Agency, QuarterReport, fiscal_year_of, quarter_of
from tests.helpers import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_database"),
]


def put_result(page, url: str, token: str, version: int) -> int:
    """What the agency's system does: a PUT with its token, from a context with no session."""
    system = page.context.browser.new_context().request
    body = {"value": "21", "narrative": "จากระบบของเขต", "version": version}
    headers = {"Authorization": f"Bearer {token}"}
    return system.put(url, data=body, headers=headers).status


def test_a_token_is_issued_shown_once_used_and_revoked(page, live_server):
    today = timezone.localdate()
    year, quarter = fiscal_year_of(today), quarter_of(today)
    report = QuarterReport.objects.get(
        indicator__fiscal_year_id=year, indicator__code="5030-2001", quarter=quarter
    )
    log_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/indicators/apitoken/add/")
    page.fill("input[name=name]", "ระบบรับเรื่องร้องเรียนของเขต")
    page.select_option("select[name=agency]", str(Agency.objects.get(prefix="5030").pk))
    page.select_option("select[name=user]", str(User.objects.get(username="reporter5030").pk))
    page.click("input[name=_save]")
    message = page.locator(".messagelist .warning").inner_text()
    token = re.search(r"kpi_\S+", message).group(0)
    listed = page.locator("#result_list").inner_text()
    assert token[:10] in listed and token not in listed  # the list shows the first letters only

    url = f"{live_server.url}/api/v1/results/{year}/5030-2001/q{quarter}/"
    assert put_result(page, url, token, report.version) == 200
    report.refresh_from_db()
    assert report.narrative == "จากระบบของเขต"

    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "revoke")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success, .messagelist .info")
    assert put_result(page, url, token, report.version) == 401


def test_the_api_docs_render_under_the_csp(page, live_server):
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector("text=/api/v1/indicators/")
    assert page.locator(".opblock-summary-path").count() >= 10
