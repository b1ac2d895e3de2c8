"""Buddhist Era dates in Thai, Common Era in English, and numbers that keep 'none' apart from 0."""

import datetime
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Q
from django.template import Context, Template
from django.template.defaultfilters import truncatechars
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from indicators.access import FULL_SCOPE, PUBLIC_SCOPE, ReportScope
from indicators.models import IN_REVIEW, Indicator
from indicators.summaries import IndicatorSummary, cards, summarize
from indicators.templatetags.kpi import (
    be_year,
    plain,
    result,
    thai_date,
    thai_datetime,
    truncated,
)

DAY = datetime.date(2021, 5, 20)
BANGKOK = ZoneInfo("Asia/Bangkok")


def test_thai_date_is_buddhist_era_with_thai_month_names():
    with translation.override("th"):
        assert thai_date(DAY) == "20 พฤษภาคม 2564"
        assert thai_date(DAY, "short") == "20 พ.ค. 2564"
        assert thai_date(datetime.date(2020, 10, 1)) == "1 ตุลาคม 2563"


def test_english_date_is_common_era():
    with translation.override("en"):
        assert thai_date(DAY) == "20 May 2021"
        assert thai_date(DAY, "short") == "20 May 2021"
        assert thai_date(datetime.date(2021, 9, 30), "short") == "30 Sep 2021"


def test_aware_datetimes_are_shown_in_bangkok_time():
    late_utc = datetime.datetime(2021, 5, 19, 20, 30, tzinfo=datetime.UTC)  # 03:30 on the 20th
    with translation.override("th"):
        assert thai_date(late_utc) == "20 พฤษภาคม 2564"
        assert thai_datetime(late_utc) == "20 พ.ค. 2564 03:30"
    with translation.override("en"):
        assert thai_datetime(datetime.datetime(2021, 5, 20, 14, 5, tzinfo=BANGKOK)) == (
            "20 May 2021 14:05"
        )


def test_empty_values_stay_empty():
    assert thai_date(None) == ""
    assert thai_datetime(None) == ""
    assert result(None) == ""
    assert plain(None) == ""
    assert be_year(None) == ""


def test_fiscal_year_in_the_readers_era():
    with translation.override("th"):
        assert be_year(2564) == "2564"
    with translation.override("en"):
        assert be_year(2564) == "2021"


def test_numbers():
    assert result(Decimal("15")) == "15.00"
    assert result(Decimal("1234.5")) == "1,234.50"
    assert plain(Decimal("100.00")) == "100"
    assert plain(Decimal("62.50")) == "62.5"
    assert plain(Decimal("0")) == "0"


def test_filters_load_in_templates():
    template = Template("{% load kpi %}{{ day|thai_date }} {{ code|thai_digits }}")
    with translation.override("th"):
        assert template.render(Context({"day": DAY, "code": "5.2"})) == "20 พฤษภาคม 2564 ๕.๒"


# Thai with its combining vowels and tone marks, Latin, a decomposed é and spaces.
TEXT = st.text(alphabet="กขคงจฉชซัิีึืุู่้๊๋ำเแโ ABCabc e\u0301é.–", max_size=140)


@given(TEXT, st.integers(min_value=0, max_value=130))
def test_truncated_is_truncatechars(text, length):
    assert truncated(text, length) == truncatechars(text, length)


def test_truncated_cuts_only_long_text():
    assert truncated("ผลงานที่ทำได้", 120) == "ผลงานที่ทำได้"
    assert truncated("x" * 121, 120) == "x" * 119 + "…"
    escaped = Template("{% load kpi %}{{ text|truncated:5 }}").render(Context({"text": "<b>"}))
    assert escaped == "&lt;b&gt;"


def _tags(text: str, **context) -> str:
    return Template("{% load kpi %}" + text).render(Context(context))


STATUS_BADGES = [
    ("th", Decimal("62.50"), "ต่ำกว่าแผน", '<span class="achievement">ความสำเร็จ 62.5%</span>'),
    ("en", Decimal(1234), "Off track", '<span class="achievement">Achievement 1,234%</span>'),
    ("th", None, "<b>ต่ำกว่าแผน</b>", ""),
]


@pytest.mark.parametrize(("language", "achievement", "label", "shown"), STATUS_BADGES)
def test_status_badge_writes_what_its_include_wrote(language, achievement, label, shown):
    """Its words translated as they are, the values put in them escaped."""
    with translation.override(language):
        html = _tags("{% status_badge s label a %}", s="off_track", label=label, a=achievement)
    escaped = label.replace("<", "&lt;").replace(">", "&gt;")
    space = " " if shown else ""
    assert html == (
        f'<p class="status status-off_track"><span class="status-label">{escaped}</span>'
        f"{space}{shown}</p>\n"
    )


OFFICIAL_LINES = [
    ("th", Decimal("88.50"), 4, "ผลประเมินทางการ (สยป.) 88.5 · ไตรมาสที่ 3 · ระดับ 4 จาก 5"),
    ("en", Decimal(100), 5, "Official score 100 · quarter 3 · rating 5 of 5"),
    ("th", Decimal(0), None, "ผลประเมินทางการ (สยป.) 0 · ไตรมาสที่ 3"),
    ("th", None, None, '<span class="missing">ยังไม่มีผลประเมินทางการ</span>'),
    ("en", None, None, '<span class="missing">No official score yet</span>'),
]


@pytest.mark.parametrize(("language", "score", "rating", "shown"), OFFICIAL_LINES)
def test_official_line_writes_what_its_include_wrote(language, score, rating, shown):
    summary = SimpleNamespace(
        official_score=score, rating=rating, audit_row=SimpleNamespace(quarter=3)
    )
    with translation.override(language):
        html = _tags("{% official_line summary %}", summary=summary)
    assert html == f'<p class="official-line">{shown}</p>\n'


def _summaries(scope: ReportScope) -> list[IndicatorSummary]:
    """The demo's indicators of 2564 and some in review, as a reader of `scope` sees them."""
    in_review = Indicator.objects.filter(reports__status__in=sorted(IN_REVIEW)).values("pk")
    chosen = Indicator.objects.filter(Q(fiscal_year_id=2564) | Q(pk__in=in_review[:20]))
    indicators = chosen.select_related("agency", "fiscal_year").order_by("pk")
    return [summarize(indicator) for indicator in cards(indicators, scope)]


# The list's cards as its template wrote them, before {% indicator_card %} wrote them in Python.
CARD_TEMPLATE = """{% load i18n kpi %}{% for summary in summaries %}{% with indicator=summary.indicator %}
  <li class="card">
    <a class="card-title" href="{% url 'indicators:indicator-detail' indicator.fiscal_year_id indicator.code %}"{% lang_th indicator.name %}>{% if indicator.display_number %}{{ indicator.display_number }} {% endif %}{{ indicator.name }}</a>
    <p class="meta"><span class="code">{{ indicator.code }}</span> · {{ indicator.fiscal_year_id|fiscal_year_label }} · <a href="{% url 'indicators:agency-detail' indicator.agency.prefix indicator.fiscal_year_id %}"{% lang_th indicator.agency.name %}>{{ indicator.agency.name }}</a></p>
    <p class="numbers">{% translate "เป้าหมาย" %} {{ indicator.target|plain }} {{ indicator.unit }} · {% translate "ผลงาน" %} {% if summary.overall_result is None %}<span class="missing">{% if summary.awaiting_review %}{% translate "รอการตรวจสอบ" %}{% else %}{% translate "ยังไม่รายงาน" %}{% endif %}</span>{% else %}{{ summary.overall_result|plain }}{% endif %}</p>
    {% official_line summary %}
    {% status_badge summary.status summary.status_label summary.achievement %}
  </li>{% endwith %}{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("scope", [PUBLIC_SCOPE, FULL_SCOPE], ids=["public", "administrator"])
def test_indicator_card_writes_what_the_list_template_wrote(language, scope):
    """Demo indicators of a year and some in review: results reported or awaited, official scores or none,
    display numbers, English names or Thai ones, and text to escape."""
    summaries = _summaries(scope)
    summaries[0].indicator.name_th = summaries[0].indicator.name_en = '<b>"ร้อยละ" & co'
    summaries[0].indicator.unit = "<ครั้ง>"
    with translation.override(language):
        ours = _tags(
            "{% for s in summaries %}{% indicator_card s %}{% endfor %}", summaries=summaries
        )
        assert ours == Template(CARD_TEMPLATE).render(Context({"summaries": summaries}))
    assert "&lt;b&gt;&quot;ร้อยละ&quot; &amp; co" in ours
    shown = {
        "awaiting": any(s.awaiting_review for s in summaries),
        "reported": any(s.overall_result is not None for s in summaries),
        "official": any(s.official_score is not None for s in summaries),
        "numbered": any(s.indicator.display_number for s in summaries),
    }
    assert all(shown.values()) or (scope is FULL_SCOPE and not shown["awaiting"])


# The agency grid's rows as its template wrote them, before {% agency_grid_row %}.
GRID_TEMPLATE = """{% load i18n kpi %}{% translate "เป้าหมาย" as target_word %}{% translate "รอการตรวจสอบ" as in_review_word %}{% translate "ยังไม่รายงาน" as not_reported_word %}{% translate "ยังไม่ประเมิน" as not_assessed_word %}{% for summary in summaries %}
    <tr>
      <th scope="row"><a href="{% url 'indicators:indicator-detail' summary.indicator.fiscal_year_id summary.indicator.code %}"{% lang_th summary.indicator.name %}>{{ summary.indicator.name|truncated:90 }}</a><br><small class="code">{{ summary.indicator.code }} · {{ target_word }} {{ summary.indicator.target|plain }} {{ summary.indicator.unit }}</small></th>
      {% for row in summary.rows %}<td class="number">{% if row.is_reported %}{{ row.value|plain }}{% elif row.awaiting_review %}<span class="missing">{{ in_review_word }}</span>{% else %}<span class="missing" title="{{ not_reported_word }}">–</span>{% endif %}<br><small>{% if row.is_assessed %}{{ row.score|plain }}{% else %}<span class="missing">{{ not_assessed_word }}</span>{% endif %}</small></td>{% endfor %}
      <td>{% official_line summary %}{% status_badge summary.status summary.status_label summary.achievement %}</td>
    </tr>{% endfor %}"""


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["th", "en"])
@pytest.mark.parametrize("scope", [PUBLIC_SCOPE, FULL_SCOPE], ids=["public", "administrator"])
def test_agency_grid_row_writes_what_the_agency_template_wrote(language, scope):
    """Quarters reported, in review, not reported, scored or not; long names cut, text escaped."""
    summaries = _summaries(scope)
    summaries[1].indicator.name_th = summaries[1].indicator.name_en = "ก<" * 80
    with translation.override(language):
        ours = _tags(
            "{% for s in summaries %}{% agency_grid_row s %}{% endfor %}", summaries=summaries
        )
        assert ours == Template(GRID_TEMPLATE).render(Context({"summaries": summaries}))
    assert "ก&lt;" * 44 + "ก…" in ours
    rows = [row for summary in summaries for row in summary.rows]
    assert any(row.is_reported for row in rows) and any(row.is_assessed for row in rows)
    assert any(row.awaiting_review for row in rows) or scope is FULL_SCOPE
