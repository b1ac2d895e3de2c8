"""Who reads what on the generated data: the public, a reporter, an auditor and a manager.

generate_city_data makes one reporter per agency (city-reporter-<prefix>), auditors and managers
(city-auditor-N, city-manager-N); the addresses below are the pages each works on.
"""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.urls import reverse

from indicators.models import FiscalYear, Indicator, QuarterReport, ReportStatus

BUSY_AGENCY = "5030"  # a district office, as in the demo


@dataclass(frozen=True)
class Years:
    current: int  # the year in progress: the staff's work
    closed: int  # the last full year: what the public reads

    @classmethod
    def of_data(cls) -> "Years":
        years = list(FiscalYear.objects.filter(indicators__isnull=False).distinct())
        current = max(y.year for y in years)
        return cls(current, max(y.year for y in years if y.year < current and y.is_published))


def reporter(prefix: str = BUSY_AGENCY) -> User:
    return User.objects.get(username=f"city-reporter-{prefix}")


def auditor(n: int = 1) -> User:
    return User.objects.get(username=f"city-auditor-{n}")


def manager(n: int = 1) -> User:
    return User.objects.get(username=f"city-manager-{n}")


def detail(indicator: Indicator) -> str:
    return reverse("indicators:indicator-detail", args=[indicator.fiscal_year_id, indicator.code])


def report_url(name: str, report: QuarterReport) -> str:
    indicator = report.indicator
    return reverse(name, args=[indicator.fiscal_year_id, indicator.code, report.quarter])


def open_reports(year: int, status: str, prefix: str | None = None):
    reports = QuarterReport.objects.filter(indicator__fiscal_year=year, status=status)
    if prefix:
        reports = reports.filter(indicator__agency__prefix=prefix)
    return reports.select_related("indicator").order_by("indicator__code", "quarter")


def public_pages(years: Years) -> list[tuple[str, str]]:
    indicator = Indicator.objects.filter(fiscal_year=years.closed).order_by("code").first()
    year, prefix = years.closed, indicator.agency.prefix
    search = "%E0%B8%A3%E0%B9%89%E0%B8%AD%E0%B8%A2%E0%B8%A5%E0%B8%B0"  # ร้อยละ
    return [
        ("detail", detail(indicator)),
        ("list", reverse("indicators:indicator-list")),
        ("list, year", f"{reverse('indicators:indicator-list')}?year={year}"),
        (
            "list, status filter",
            f"{reverse('indicators:indicator-list')}?year={year}&status=off_track&sort=name",
        ),
        ("list, search", f"{reverse('indicators:indicator-list')}?q={search}"),
        ("agency", reverse("indicators:agency-detail", args=[prefix, year])),
        ("strategy", reverse("indicators:strategy-tree", args=[year])),
        ("home", reverse("indicators:home")),
    ]


def reporter_pages(years: Years, prefix: str = BUSY_AGENCY) -> list[tuple[str, str]]:
    draft = open_reports(years.current, ReportStatus.DRAFT, prefix).first()
    own = Indicator.objects.filter(fiscal_year=years.current, agency__prefix=prefix).first()
    return [
        ("my work", reverse("indicators:my-work")),
        ("entry form", report_url("indicators:report-edit", draft)),
        ("detail, own indicator", detail(own)),
    ]


def auditor_pages(years: Years) -> list[tuple[str, str]]:
    sent = open_reports(years.current, ReportStatus.SUBMITTED).first()
    return [
        ("review queue", reverse("indicators:review-queue")),
        ("review form", report_url("indicators:report-review", sent)),
        ("detail, in review", detail(sent.indicator)),
    ]


def manager_pages(years: Years) -> list[tuple[str, str]]:
    indicator = Indicator.objects.filter(fiscal_year=years.current).order_by("code").first()
    return [
        ("dashboard, year in progress", reverse("reports:dashboard", args=[years.current])),
        ("dashboard, last full year", reverse("reports:dashboard", args=[years.closed])),
        ("detail", detail(indicator)),
        ("strategy", reverse("indicators:strategy-tree", args=[years.current])),
    ]
