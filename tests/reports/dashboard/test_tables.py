"""The dashboard's table lines: the text and sort values the template's filters gave."""

from decimal import Decimal

from django.utils import translation

from reports.dashboard.figures import Figures, Row
from reports.dashboard.tables import lines

D = Decimal


def _row(key: str, **figures) -> Row:
    return Row(key=key, name_th="สำนักงานเขตพระนคร", name_en="", figures=Figures(**figures))


def test_cells_read_as_the_template_wrote_them():
    row = _row(
        "5001",
        count=1234,
        reported=617,
        late=3,
        achievement=D("45.67"),
        score=None,
        statuses={"off_track": 1001},
    )
    with translation.override("th"):
        (line,) = lines([row], "agency", 2569)
    assert (line.count.text, line.count.sort) == ("1,234", "1234")
    assert (line.reported.text, line.reported.sort) == ("50.0", "50.0")
    assert (line.achievement.text, line.achievement.sort) == ("45.7", "45.67")
    assert line.bar == "45.7"
    assert (line.score.text, line.score.sort) == ("–", "-1")
    assert (line.off_track.text, line.late.text) == ("1,001", "3")
    assert line.label == "5001 สำนักงานเขตพระนคร"
    assert line.link == "/indicators/?year=2569&agency=5001"
    assert line.page == "/agencies/5001/2569/"
    assert line.lang == ""


def test_an_empty_row_shows_dashes_and_a_thai_name_is_marked_on_english_pages():
    with translation.override("en"):
        (line,) = lines([_row("", count=0)], "group", 2569)
    assert (line.reported.text, line.achievement.text, line.score.text) == ("–", "–", "–")
    assert line.bar == ""
    assert line.link == line.page == ""  # the departments' group has no code to filter by
    assert line.lang == ' lang="th"'


def test_dimension_lines_link_the_list_by_dimension():
    with translation.override("th"):
        (line,) = lines([_row("2", count=1)], "dimension", 2570)
    assert line.label == "2. สำนักงานเขตพระนคร"
    assert line.link == "/indicators/?year=2570&dimension=2"
