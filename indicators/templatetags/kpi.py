"""Template filters for KPI Portal: Buddhist Era dates, numbers and statuses, Thai first.

Dates come from indicators.dates (Buddhist Era in Thai, Common Era in English). Numbers keep
"not reported" apart from 0.
"""

import re
import unicodedata
from decimal import Decimal
from typing import TYPE_CHECKING

from django import template
from django.template.defaultfilters import stringfilter
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext

from indicators.dates import (
    be_year,
    fiscal_year_label,
    is_english,
    machine_datetime,
    thai_date,
    thai_datetime,
)
from indicators.numbers import to_thai_digits
from indicators.scoring import Status
from indicators.summaries import status_label

if TYPE_CHECKING:
    from indicators.strategy_tree import TreeNode
    from indicators.summaries import IndicatorSummary, QuarterRow

register = template.Library()

# The date filters are indicators.dates itself, the one rule for Buddhist Era dates.
register.filter("thai_date", thai_date)
register.filter("thai_datetime", thai_datetime)
register.filter("be_year", be_year)
register.filter("fiscal_year_label", fiscal_year_label)
register.filter("machine_datetime", machine_datetime)


@register.filter
def result(value: Decimal | None) -> str:
    """A reported value with two decimals as the city's table shows it (15.00); '' if none."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value):,.2f}"


@register.filter
def plain(value: Decimal | None) -> str:
    """A number without trailing zeros: 100, 62.5; '' when there is none."""
    if value is None or value == "":
        return ""
    number = Decimal(value)
    if number == number.to_integral_value():
        return f"{number:,.0f}"
    return f"{number.normalize():,f}"


@register.filter(is_safe=True)
@stringfilter
def truncated(value: str, length: int) -> str:
    """Django's truncatechars, without its work on text already short enough.

    truncatechars looks up the translated ellipsis and walks the text character by character
    even when nothing is cut; a timeline of many changes called it twice a change. Text no
    longer than `length` (NFC, as truncatechars returns it) can never be cut.
    """
    text = unicodedata.normalize("NFC", value)
    return text if len(text) <= int(length) else Truncator(value).chars(int(length))


@register.filter
def thai_digits(value: object) -> str:
    return to_thai_digits(str(value))


_THAI_LETTERS = re.compile("[\u0e00-\u0e7f]")


@register.simple_tag
def lang_th(*values: object) -> str:
    """` lang="th"` on an English page for an element holding Thai text, else nothing.

    Content is often Thai only (no English name given); screen readers then switch voice.
    """
    thai = any(_THAI_LETTERS.search(str(value or "")) for value in values)
    return mark_safe(' lang="th"') if is_english() and thai else ""


# A list or agency page shows a status badge and an official line on every row: written here
# as the includes wrote them (tests/indicators/test_templatetags.py holds them to it), they cost
# a tenth of an include each. As in {% translate %} and {% blocktranslate %}, translated words
# are written as they are and the values put into them escaped.


def _escaped(value: object) -> str:
    """A value as a template writes it: localized, made text, escaped."""
    shown = localize(value)
    return conditional_escape(shown if isinstance(shown, str) else str(shown))


def _translated(message: str, **values: object) -> SafeString:
    """gettext(message) with `values` put in as {% blocktranslate %} does (escaped)."""
    text = gettext(message)
    if values:
        text %= {name: _escaped(value) for name, value in values.items()}
    return mark_safe(text)  # noqa: S308 (our catalogue's words; every value escaped above)


@register.simple_tag
def status_badge(status: str, label: str, achievement: Decimal | None) -> SafeString:
    """The status and, when known, the reported achievement, as a paragraph."""
    badge = format_html(
        '<p class="status status-{}"><span class="status-label">{}</span>', status, label
    )
    if achievement is not None:
        pct = _translated("ความสำเร็จ %(pct)s%%", pct=plain(achievement))
        badge += format_html(' <span class="achievement">{}</span>', pct)
    return badge + mark_safe("</p>\n")


@register.simple_tag
def official_line(summary: "IndicatorSummary") -> SafeString:
    """The official score (สยป.) with its quarter and rating, or that there is none yet."""
    row = summary.audit_row  # the quarter of the official score, if one is set
    if row is None or summary.official_score is None:
        line = format_html('<span class="missing">{}</span>', _translated("ยังไม่มีผลประเมินทางการ"))
    else:
        score, quarter = plain(summary.official_score), row.quarter
        line = _translated(
            "ผลประเมินทางการ (สยป.) %(score)s · ไตรมาสที่ %(n)s", score=score, n=quarter
        )
        if summary.rating:
            line += mark_safe(" · ") + _translated("ระดับ %(rating)s จาก 5", rating=summary.rating)
    return format_html('<p class="official-line">{}</p>\n', line)


def _counted(singular: str, plural: str, counter: int) -> SafeString:
    """ngettext with the count put in as {% blocktranslate count counter=… %} does."""
    text = ngettext(singular, plural, counter) % {"counter": _escaped(counter)}
    return mark_safe(text)  # noqa: S308 (our catalogue's words; the count escaped above)


def _tree_stats(tree_node: "TreeNode") -> SafeString:
    """A node's count, mean achievement and status pills."""
    count = tree_node.count
    stats = _counted("%(counter)s ตัวชี้วัด", "%(counter)s ตัวชี้วัด", count)
    if tree_node.mean_achievement is not None:
        mean = _translated("ความสำเร็จเฉลี่ย %(pct)s%%", pct=plain(tree_node.mean_achievement))
        stats += mark_safe(" · ") + mean
    if count:
        stats += mark_safe(" · ") + mark_safe(  # noqa: S308 (format_html escaped each)
            "".join(
                format_html('<span class="pill status-{}">{} {}</span>', status, label, _escaped(n))
                for status, label, n in tree_node.counts
                if n
            )
        )
    return stats


def _tree_direct(tree_node: "TreeNode", year: int, limit: int) -> SafeString:
    """The first indicators linked to the node itself and the link to all of them."""
    html = ['\n    <ul class="node-indicators">']
    for item in tree_node.direct[:limit]:
        achievement = "" if item.achievement is None else f" {plain(item.achievement)}%"
        html.append(
            format_html(
                '\n      <li><a href="{}">{}</a> <span class="code">{}</span> '
                '<span class="pill status-{}">{}{}</span></li>',
                reverse("indicators:indicator-detail", args=[year, item.code]),
                truncated(item.name, 100),
                item.code,
                item.status,
                item.status_label,
                achievement,
            )
        )
    html.append("\n    </ul>\n    ")
    if tree_node.direct_count > limit:
        html.append(
            format_html(
                '<p class="more"><a href="{}?year={}&amp;dimension={}">{}</a></p>',
                reverse("indicators:indicator-list"),
                _escaped(year),
                tree_node.node.dimension_code,
                _counted(
                    "ดูทั้งหมด %(counter)s ตัวชี้วัด",
                    "ดูทั้งหมด %(counter)s ตัวชี้วัด",
                    tree_node.direct_count,
                ),
            )
        )
    html.append("\n    ")
    return mark_safe("".join(html))  # noqa: S308 (format_html escaped every value)


def _tree_node(tree_node: "TreeNode", year: int, limit: int) -> str:
    level = tree_node.node.level
    children = "".join(_tree_node(child, year, limit) for child in tree_node.children)
    return format_html(
        '<li class="tree-node level-{}">\n  <details{}>\n    <summary>\n'
        '      <span class="node-label">{}</span>\n      <span class="node-stats">{}</span>\n'
        "    </summary>\n    {}\n    {}\n  </details>\n</li>\n",
        _escaped(level),
        mark_safe(" open") if level == 1 else "",
        tree_node.label,
        _tree_stats(tree_node),
        _tree_direct(tree_node, year, limit) if tree_node.direct else "",
        format_html('<ul class="tree">{}</ul>', mark_safe(children)) if children else "",  # noqa: S308
    )


@register.simple_tag
def strategy_nodes(roots: list["TreeNode"], year: int, limit: int) -> SafeString:
    """The strategy page's nodes, each with its figures, first `limit` indicators and children.

    Written here as their include was (tests/indicators/test_templatetags.py): an include a
    node and a `{% url %}` an indicator made the template two thirds of the page's time.
    """
    return mark_safe("".join(_tree_node(root, year, limit) for root in roots))  # noqa: S308


def _words(message: str) -> str:
    """gettext(message) as {% translate %} writes it (escaped)."""
    return conditional_escape(gettext(message))


def _not_reported() -> str:
    """The words for a result not reported yet: the status label's (summaries.STATUS_LABELS)."""
    return conditional_escape(status_label(Status.NOT_REPORTED))


def _card_result(summary: "IndicatorSummary") -> str:
    """The year's result, or why there is none yet."""
    if summary.overall_result is not None:
        return _escaped(plain(summary.overall_result))
    missing = _words("รอการตรวจสอบ") if summary.awaiting_review else _not_reported()
    return format_html('<span class="missing">{}</span>', missing)


@register.simple_tag
def indicator_card(summary: "IndicatorSummary") -> SafeString:
    """One indicator of the list: name, code, year, agency, target, result, official score
    and status, as the list's template wrote them (tests/indicators/test_templatetags.py)."""
    indicator = summary.indicator
    year, agency, name = indicator.fiscal_year_id, indicator.agency, indicator.name
    number = f"{indicator.display_number} " if indicator.display_number else ""
    return format_html(
        '\n  <li class="card">\n    <a class="card-title" href="{}"{}>{}{}</a>\n'
        '    <p class="meta"><span class="code">{}</span> · {} · <a href="{}"{}>{}</a></p>\n'
        '    <p class="numbers">{} {} {} · {} {}</p>\n    {}\n    {}\n  </li>',
        reverse("indicators:indicator-detail", args=[year, indicator.code]),
        lang_th(name),
        number,
        name,
        indicator.code,
        _escaped(fiscal_year_label(year)),
        reverse("indicators:agency-detail", args=[agency.prefix, year]),
        lang_th(agency.name),
        agency.name,
        _words("เป้าหมาย"),
        _escaped(plain(indicator.target)),
        _escaped(indicator.unit),
        _words("ผลงาน"),
        _card_result(summary),
        official_line(summary),
        status_badge(summary.status, summary.status_label, summary.achievement),
    )


def _grid_cell(row: "QuarterRow") -> str:
    """A quarter of the agency grid: the value (or why none) over the score (or none yet)."""
    if row.is_reported:
        value = _escaped(plain(row.value))
    elif row.awaiting_review:
        value = format_html('<span class="missing">{}</span>', _words("รอการตรวจสอบ"))
    else:
        value = format_html('<span class="missing" title="{}">–</span>', _not_reported())
    if row.is_assessed:
        score = _escaped(plain(row.score))
    else:
        score = format_html('<span class="missing">{}</span>', _words("ยังไม่ประเมิน"))
    return format_html('<td class="number">{}<br><small>{}</small></td>', value, score)


@register.simple_tag
def agency_grid_row(summary: "IndicatorSummary") -> SafeString:
    """One indicator of the agency page's grid: name, code and target, its quarters, the
    official score and status, as the page's template wrote them
    (tests/indicators/test_templatetags.py); a big office's page has hundreds of cells."""
    indicator = summary.indicator
    cells = mark_safe("".join(_grid_cell(row) for row in summary.rows))  # noqa: S308
    return format_html(
        '\n    <tr>\n      <th scope="row"><a href="{}"{}>{}</a><br><small class="code">{} · '
        "{} {} {}</small></th>\n      {}\n      <td>{}{}</td>\n    </tr>",
        reverse("indicators:indicator-detail", args=[indicator.fiscal_year_id, indicator.code]),
        lang_th(indicator.name),
        truncated(indicator.name, 90),
        indicator.code,
        _words("เป้าหมาย"),
        _escaped(plain(indicator.target)),
        _escaped(indicator.unit),
        cells,
        official_line(summary),
        status_badge(summary.status, summary.status_label, summary.achievement),
    )
