"""Open data: a published year's indicators as CSV and JSON, streamed with flat memory."""

from collections.abc import Iterator

from django.db.models import Max, Q, QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from indicators import access
from indicators.models import Indicator
from indicators.spreadsheets.exports import CHUNK_SIZE, stream_csv, stream_json

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}

# Plain values, one query streamed in chunks.
OPEN_DATA_COLUMNS = [
    ("ปีงบประมาณ", "fiscal_year_id"),
    ("รหัสตัวชี้วัด", "code"),
    ("รหัสหน่วยงาน", "agency__code"),
    ("หน่วยงาน", "agency__name_th"),
    ("ลำดับที่แสดง", "display_number"),
    ("ชื่อตัวชี้วัด", "name_th"),
    ("ชื่อตัวชี้วัด (อังกฤษ)", "name_en"),
    ("หน่วยนับ", "unit"),
    ("ลักษณะการวัด", "measure"),
    ("ทิศทาง", "direction"),
    ("ค่าเป้าหมาย", "target"),
    ("ประเภทตัวชี้วัด", "kind"),
    ("ระดับตัวชี้วัด", "result_level"),
    ("ผลงานไตรมาส 1", "result_q1"),
    ("ผลงานไตรมาส 2", "result_q2"),
    ("ผลงานไตรมาส 3", "result_q3"),
    ("ผลงานไตรมาส 4", "result_q4"),
    ("ผลประเมินไตรมาส 4", "score_q4"),
]


def open_data_rows(year: int) -> Iterator[tuple]:
    public = access.PUBLIC_SCOPE.reports_q("reports__")
    quarters = {
        f"result_q{q}": Max("reports__value", filter=Q(reports__quarter=q) & public)
        for q in (1, 2, 3, 4)
    }
    queryset: QuerySet = (
        Indicator.objects.filter(fiscal_year_id=year)
        .annotate(
            **quarters,
            score_q4=Max("reports__assessment__score", filter=Q(reports__quarter=4) & public),
        )
        .order_by("agency__prefix", "number")
        .values_list(*(name for _, name in OPEN_DATA_COLUMNS))
    )
    return queryset.iterator(chunk_size=CHUNK_SIZE)


def _open_data(year: int, file_format: str, chunks) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'inline; filename="kpi-indicators-{year}.{file_format}"'
    return response


@require_GET
def open_data_csv(request: HttpRequest, year: int) -> StreamingHttpResponse:
    fiscal_year = access.open_data_year(year)
    headers = [header for header, _name in OPEN_DATA_COLUMNS]
    return _open_data(year, "csv", stream_csv(headers, open_data_rows(fiscal_year.year)))


@require_GET
def open_data_json(request: HttpRequest, year: int) -> StreamingHttpResponse:
    fiscal_year = access.open_data_year(year)
    headers = [header for header, _name in OPEN_DATA_COLUMNS]
    return _open_data(year, "json", stream_json(headers, open_data_rows(fiscal_year.year)))
