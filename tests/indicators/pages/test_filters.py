"""The list's filters: the quick Select widget and the Thai search, held to what they replace."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import QueryDict
from django_filters.widgets import BaseCSVWidget

from indicators.models import Indicator
from indicators.pages.filters import CASELESS, IndicatorFilter, Select, search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "",
        "year=2564&agency=5030&group=&status=off_track&type=routine",
        "agency=<b>&level=x",
        "sort=-name&year=2599",
        "sort=name,code",
    ],
)
def test_select_writes_the_html_of_djangos_templates(query):
    form = IndicatorFilter(
        QueryDict(query), queryset=Indicator.objects.all(), user=AnonymousUser()
    ).form
    selects = [field for field in form if isinstance(field.field.widget, Select)]
    assert {field.name for field in selects} >= {"year", "agency", "group", "status", "sort"}
    for field in selects:
        widget, attrs = field.field.widget, {"id": field.auto_id, "data-x": '"&'}
        # Also as the page writes it: with the bound field's aria attributes.
        ours = widget.render(field.html_name, field.value(), attrs, form.renderer), str(field)
        widget.__class__ = _djangos(widget)
        assert (
            widget.render(field.html_name, field.value(), attrs, form.renderer),
            str(field),
        ) == ours


def _djangos(widget: Select) -> type[forms.Select]:
    """Django's Select in the place of ours (in django-filter's CSV widget for the sort)."""
    if isinstance(widget, BaseCSVWidget):
        return type("CSVSelect", (BaseCSVWidget, forms.Select), {})
    return forms.Select


def test_select_leaves_option_groups_to_django():
    widget = Select(choices=[("กลุ่ม", [("a", "A"), ("b", "B")]), ("c", "C")])
    assert widget.render("x", "b") == forms.Select.render(widget, "x", "b")


@pytest.mark.parametrize(
    ("text", "caseless"),
    [("ร้อยละ", True), ("ร้อยละ 80 (ขึ้นไป)", True), ("5030-1052", True), ("KPI ร้อยละ", False)],
)
def test_only_thai_digits_and_punctuation_count_as_caseless(text, caseless):
    assert bool(CASELESS.fullmatch(text)) is caseless


@pytest.mark.parametrize("text", ["ร้อยละ", "ระดับความสำเร็จ", "เครือข่าย", "0100", "-10"])
def test_a_caseless_search_finds_exactly_what_icontains_finds(text):
    folded = Q(name_th__icontains=text) | Q(name_en__icontains=text) | Q(code__icontains=text)
    expected = list(Indicator.objects.filter(folded).order_by("pk").values_list("pk", flat=True))
    assert expected
    found = search(Indicator.objects.all(), text).order_by("pk").values_list("pk", flat=True)
    assert list(found) == expected


def _form(query: str, user=None):
    return IndicatorFilter(
        QueryDict(query), queryset=Indicator.objects.all(), user=user or AnonymousUser()
    ).form


@pytest.mark.parametrize(
    "query",
    ["year=2564&agency=5030&group=central", "year=2599", "agency=9999", "year=abc", "year=02564"],
)
def test_a_chosen_year_agency_or_group_is_what_djangos_field_makes_of_it(query):
    """Looked for among the listed rows (no query of its own), with Django's answer."""
    ours = _form(query)
    django = _form(query)
    for name in ("year", "agency", "group"):
        django.fields[name].__class__ = forms.ModelChoiceField
    assert ours.is_valid() == django.is_valid()
    assert ours.errors == django.errors
    assert {name: ours.cleaned_data.get(name) for name in ("year", "agency", "group")} == {
        name: django.cleaned_data.get(name) for name in ("year", "agency", "group")
    }


def test_the_filter_form_reads_each_model_choice_once_without_a_server_side_cursor(
    django_assert_num_queries,
):
    form = _form("year=2564&agency=5030&group=central")
    with django_assert_num_queries(3) as queries:  # years, agencies, groups: a query each
        assert form.is_valid()
        html = "".join(str(form[name]) for name in ("year", "agency", "group"))
    assert not [q for q in queries.captured_queries if q["sql"].startswith("DECLARE")]
    assert '<option value="5030" selected>' in html
    assert '<option value="2564" selected>' in html
