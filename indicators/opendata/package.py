"""The Frictionless Data Package of a published year and the DCAT catalogue of all of them."""

import datetime
import hashlib

from django.db.models import Max, Subquery
from django.db.models.functions import Greatest

from indicators import access
from indicators.cache import fingerprint
from indicators.models import Assessment, FiscalYear, Indicator, QuarterReport
from indicators.opendata.schema import LICENSE, PUBLISHER_EN, PUBLISHER_TH, RESOURCES

FORMATS = {
    "csv": ("text/csv", "utf-8"),
    "json": ("application/json", "utf-8"),
}
KEYWORDS = ["ตัวชี้วัด", "KPI", "กรุงเทพมหานคร", "Bangkok", "performance indicators"]


def as_of(year: int) -> datetime.datetime | None:
    """When the year's data last changed: the newest indicator edit, report save or score."""
    latest = {
        "indicators": Indicator.objects.filter(fiscal_year_id=year).values("fiscal_year_id"),
        "reports": QuarterReport.objects.filter(indicator__fiscal_year_id=year).values(
            "indicator__fiscal_year_id"
        ),
        "scores": Assessment.objects.filter(report__indicator__fiscal_year_id=year).values(
            "report__indicator__fiscal_year_id"
        ),
    }
    fields = {"indicators": "updated_at", "reports": "updated_at", "scores": "assessed_at"}
    newest = {
        name: Subquery(query.annotate(newest=Max(fields[name])).values("newest")[:1])
        for name, query in latest.items()
    }
    # PostgreSQL's GREATEST skips NULLs: a year with no scores yet still has a time.
    return (
        FiscalYear.objects.filter(year=year)
        .annotate(as_of=Greatest(*newest.values()))
        .values_list("as_of", flat=True)
        .first()
    )


def etag(*parts: object, year: int | None = None) -> str:
    """A strong validator: the data's version (of fiscal year `year`) and what was asked for."""
    text = "|".join([fingerprint(year, scope=access.PUBLIC_SCOPE), *map(str, parts)])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def file_name(resource: str, file_format: str) -> str:
    return f"{resource}.{file_format}"


def _resource(name: str, file_format: str, year: int) -> dict:
    resource = RESOURCES[name]
    media_type, encoding = FORMATS[file_format]
    schema = resource.table_schema()
    if file_format == "json":
        # The JSON copies repeat the CSV tables; keys are checked once, on the CSV ones.
        schema = {key: value for key, value in schema.items() if key != "foreignKeys"}
    return {
        "name": name if file_format == "csv" else f"{name}-json",
        "path": file_name(name, file_format),
        "title": f"{resource.title_th} ({year})",
        "description": resource.title_en,
        "profile": "tabular-data-resource",
        "format": file_format,
        "mediatype": media_type,
        "encoding": encoding,
        "schema": schema,
    }


def datapackage(fiscal_year: FiscalYear, homepage: str) -> dict:
    """The year's package: every resource in CSV and JSON, each with its Table Schema."""
    year = fiscal_year.year
    time = as_of(year)
    return {
        "profile": "tabular-data-package",
        "name": f"bma-kpi-{year}",
        "id": f"bma-kpi-{year}",
        "title": f"ตัวชี้วัดกรุงเทพมหานคร ปีงบประมาณ {year}",
        "title_en": f"Bangkok Metropolitan Administration KPIs, fiscal year {year} BE",
        "description": (
            "ตัวชี้วัด ผลการดำเนินงานรายไตรมาสที่อนุมัติแล้ว และผลประเมินอย่างเป็นทางการ ของหน่วยงานกรุงเทพมหานคร"
        ),
        "description_en": (
            "Indicators, approved quarter results and official scores of the BMA's agencies"
        ),
        "version": fingerprint(year, scope=access.PUBLIC_SCOPE),
        "created": time.isoformat() if time else None,
        "temporal": {
            "start": fiscal_year.start_date.isoformat(),
            "end": fiscal_year.end_date.isoformat(),
        },
        "licenses": [LICENSE],
        "contributors": [{"title": PUBLISHER_TH, "title_en": PUBLISHER_EN, "role": "publisher"}],
        "keywords": KEYWORDS,
        "homepage": homepage,
        "resources": [
            _resource(name, file_format, year) for file_format in FORMATS for name in RESOURCES
        ],
    }


def published_years() -> list[FiscalYear]:
    return list(FiscalYear.objects.published().order_by("-year"))


def open_year(year: int) -> FiscalYear:
    return access.open_data_year(year)
