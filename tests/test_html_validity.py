"""The main pages are valid HTML by the Nu HTML checker (vnu.jar), where Java and the checker are.

CI installs the checker (`.ci/run`: the npm package vnu-jar under var/tools); elsewhere set
VNU_JAR to a vnu.jar, or the test says why it did not run.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from indicators.models import QuarterReport, ReportStatus, fiscal_year_of
from indicators.rollover.plan import Selection
from indicators.rollover.services import rollover_year
from tests.helpers import client_for, report_url

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = Path(
    os.environ.get("VNU_JAR", ROOT / "var/tools/node_modules/vnu-jar/build/dist/vnu.jar")
)


def vnu_errors(pages: dict[str, bytes], tmp_path: Path) -> list[str]:
    """The checker's errors for each page, as "page: line: message"."""
    files = []
    for name, html in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(html)
        files.append(str(path))
    result = subprocess.run(  # noqa: S603 - a fixed command over files this test wrote
        [
            shutil.which("java") or "java",
            # One short run: the quick compiler and one GC thread halve the JVM's CPU time.
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xss4m",  # the schema check recurses deeply
            "-jar",
            str(VNU_JAR),
            "--errors-only",
            "--format",
            "json",
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [
        f"{Path(m.get('url', '')).stem}: {m.get('lastLine')}: {m.get('message')}"
        for m in messages
        if m.get("type") == "error"
    ]


def scorecard(year: int, rest: str = "") -> str:
    return reverse("indicators:scorecard-detail", kwargs={"year": year, "prefix": "5030"}) + rest


@pytest.fixture
def checker() -> None:
    if shutil.which("java") is None or not VNU_JAR.exists():
        pytest.skip("the Nu HTML checker needs java and vnu.jar (.ci/run installs both)")


def test_main_pages_are_valid_html(
    checker, tmp_path, client, reporter5030, auditor, manager, report, today
):
    year = fiscal_year_of(today)
    code = report.indicator.code
    submitted = QuarterReport.objects.filter(status=ReportStatus.SUBMITTED).first()
    # One indicator carried into next year already: the preview shows both kinds of row.
    rollover_year(Selection(year, year + 1, indicator_ids=(report.indicator_id,)), by=auditor)
    staff = {
        "my": (reporter5030, reverse("indicators:my-work")),
        "entry": (reporter5030, report_url(report, "report-edit")),
        "queue": (auditor, reverse("indicators:review-queue")),
        "review": (auditor, report_url(submitted, "report-review")),
        "dashboard": (manager, reverse("reports:dashboard", kwargs={"year": year})),
        "scorecards": (manager, reverse("indicators:scorecard-list", kwargs={"year": year - 1})),
        "scorecard": (reporter5030, scorecard(year - 1)),
        "self-assessment": (reporter5030, scorecard(year - 1, "self-assessment/5030-2001/12/")),
        "prepare": (
            auditor,
            reverse("indicators:year-prepare", kwargs={"year": year + 1})
            + f"?source={year}&agency=5030",
        ),
    }
    public = {
        "home": "/",
        "login": reverse("login"),
        "list": reverse("indicators:indicator-list"),
        "detail": reverse("indicators:indicator-detail", kwargs={"year": year, "code": code}),
        "strategy": reverse("indicators:strategy-tree", kwargs={"year": year}),
        "compare-list": reverse("indicators:compare-list", kwargs={"year": year}),
        "compare-map": reverse("indicators:compare-detail", args=[year - 1, "trees-planted"]),
    }
    pages = {name: client.get(path).content for name, path in public.items()}
    for name, (user, path) in staff.items():
        response = client_for(user).get(path)
        assert response.status_code == 200, name
        pages[name] = response.content
    confirm = client_for(auditor).post(
        reverse("indicators:review-queue"),
        {
            "action": "approve_selected",
            "report": f"{submitted.indicator.fiscal_year_id}/{submitted.indicator.code}"
            f"/q{submitted.quarter}",
        },
    )
    pages["approve-confirm"] = confirm.content
    # A page known to be broken shows that the checker ran and that its answer is read.
    pages["known-broken"] = b"<!doctype html><html lang=th><title>x</title><p></span>"
    errors = vnu_errors(pages, tmp_path)
    assert [e for e in errors if not e.startswith("known-broken:")] == []
    assert any("span" in e for e in errors)
