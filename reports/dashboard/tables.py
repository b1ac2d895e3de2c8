"""The dashboard's tables as lines of text, formatted once in Python.

The agency table has 70 lines and the late list as many again. As template filter chains (two
`{% url %}`, a language check and a number format per cell) they cost the page ~25 ms, more than
its queries other than the figures. Each cell here is formatted by the filters the template used
(floatformat, intcomma), so the page reads the same; the template only prints strings.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat
from django.urls import reverse

from indicators.templatetags.kpi import lang_th
from reports.dashboard.figures import Row

NONE = "–"  # what a cell shows when there is no number


def list_url(year: int, **filters: str) -> str:
    """The indicator list filtered as the figure counts (the list's fixed URL contract)."""
    return with_filters(reverse("indicators:indicator-list"), year, **filters)


def with_filters(list_path: str, year: int, **filters: str) -> str:
    """list_url() on a path reversed once for many links."""
    return list_path + "?" + urlencode({"year": year, **filters})


@dataclass(frozen=True)
class Cell:
    """A number's text and its sort value (a sortable table's `data-value`, -1 for none)."""

    text: str
    sort: str


@dataclass(frozen=True)
class Line:
    """One table line: a row's label, its links and its cells."""

    key: str
    label: str
    lang: str  # ` lang="th"` on an English page when the label is Thai
    link: str  # the indicator list filtered as the line counts; "" for none
    page: str  # the agency's page; "" for other lines
    count: Cell
    reported: Cell
    late: Cell
    returned: Cell
    achievement: Cell
    bar: str  # the achievement bar's width; "" when there is no achievement
    score: Cell
    off_track: Cell


def _count(number: int) -> Cell:
    return Cell(intcomma(number), str(number))


def _share(number: Decimal | None, places: int) -> Cell:
    if number is None:
        return Cell(NONE, "-1")
    return Cell(floatformat(number, f"{places}g") or NONE, str(number))


def _label(row: Row, kind: str) -> str:
    if kind == "agency":
        return f"{row.key} {row.name}"
    if kind == "dimension":
        return f"{row.key}. {row.name}"
    return row.name


def _line(row: Row, kind: str, year: int, list_path: str) -> Line:
    figures = row.figures
    link = with_filters(list_path, year, **{kind: row.key}) if row.key else ""
    page = reverse("indicators:agency-detail", args=[row.key, year]) if kind == "agency" else ""
    return Line(
        key=row.key,
        label=_label(row, kind),
        lang=lang_th(row.name),
        link=link,
        page=page,
        count=_count(figures.count),
        reported=_share(figures.reported_share, 1),
        late=_count(figures.late),
        returned=_count(figures.returned),
        achievement=_share(figures.achievement, 1),
        bar=figures.bar if figures.achievement is not None else "",
        score=_share(figures.score, 2),
        off_track=_count(figures.statuses.get("off_track", 0)),
    )


def lines(rows: list[Row], kind: str, year: int) -> list[Line]:
    """The lines of an agency, group or dimension table (`kind`), their links the list's
    filters by that kind (the list's URL contract: ?year=…&agency=…)."""
    list_path = reverse("indicators:indicator-list")
    return [_line(row, kind, year, list_path) for row in rows]
