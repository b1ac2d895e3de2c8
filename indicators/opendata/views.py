"""Open data views: the files of a published year, its Data Package, the dictionary, the catalogue.

Every file carries an ETag (the data's version and the address) and a Last-Modified (when the
year's data last changed); a conditional request for an unchanged file gets 304 and no body.
"""

import json
from collections.abc import Iterator

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import condition, require_GET

from indicators.models import FiscalYear
from indicators.opendata import files
from indicators.opendata.catalog import catalog
from indicators.opendata.package import (
    FORMATS,
    as_of,
    datapackage,
    etag,
    open_year,
    published_years,
)
from indicators.opendata.rows import ROWS
from indicators.opendata.schema import LICENSE, RESOURCES

WRITERS = {"csv": files.stream_csv, "json": files.stream_json}
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _is_published(year: int) -> bool:
    return FiscalYear.objects.published().filter(year=year).exists()


def _year_etag(request: HttpRequest, year: int, **kwargs) -> str | None:
    """No validator for a year the public may not download: such a request gets its 404."""
    return etag(request.path, year=year) if _is_published(year) else None


def _year_modified(request: HttpRequest, year: int, **kwargs):
    return as_of(year) if _is_published(year) else None


year_conditional = condition(etag_func=_year_etag, last_modified_func=_year_modified)


@require_GET
@year_conditional
def resource_file(
    request: HttpRequest, year: int, resource: str, file_format: str
) -> StreamingHttpResponse:
    """One table of a published year as CSV or JSON, streamed."""
    if resource not in RESOURCES or file_format not in WRITERS:
        raise Http404
    fiscal_year = open_year(year)
    rows: Iterator[tuple] = ROWS[resource](fiscal_year.year)
    chunks = WRITERS[file_format](RESOURCES[resource].names, rows)
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'inline; filename="bma-kpi-{year}-{resource}.{file_format}"'
    return response


@require_GET
@year_conditional
def package_json(request: HttpRequest, year: int) -> JsonResponse:
    """The year's Frictionless Data Package descriptor."""
    homepage = request.build_absolute_uri(reverse("indicators:open-data"))
    descriptor = datapackage(open_year(year), homepage)
    return JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 1})


def _catalog_etag(request: HttpRequest) -> str:
    return etag(request.build_absolute_uri())


def _catalog_modified(request: HttpRequest):
    times = [as_of(fiscal_year.year) for fiscal_year in published_years()]
    return max((time for time in times if time), default=None)


@require_GET
@condition(etag_func=_catalog_etag, last_modified_func=_catalog_modified)
def catalog_jsonld(request: HttpRequest) -> HttpResponse:
    """The DCAT catalogue of every published year, for CKAN's DCAT harvester."""
    text = json.dumps(catalog(request), ensure_ascii=False, indent=1)
    return HttpResponse(text, content_type="application/ld+json")


@require_GET
def dictionary(request: HttpRequest) -> HttpResponse:
    """The data dictionary, in Thai and English, generated from the Table Schemas."""
    tables = [
        {"resource": resource, "fields": [field.as_schema() for field in resource.fields]}
        for resource in RESOURCES.values()
    ]
    context = {
        "tables": tables,
        "years": published_years(),
        "formats": list(FORMATS),
        "license": LICENSE,
    }
    return render(request, "indicators/opendata/dictionary.html", context)
