"""The list's filters: the quick Select widget and the Thai search, held to what they replace."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.http import QueryDict

from indicators.models import Indicator
from indicators.pages.filters import CASELESS, IndicatorFilter, Select, search

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    ["", "year=2564&agency=5030&group=&status=off_track&type=routine", "agency=<b>&level=x"],
)
def test_select_writes_the_html_of_djangos_templates(query):
    form = IndicatorFilter(
        QueryDict(query), queryset=Indicator.objects.all(), user=AnonymousUser()
    ).form
    selects = [field for field in form if isinstance(field.field.widget, Select)]
    assert {field.name for field in selects} >= {"year", "agency", "group", "status"}
    for field in selects:
        widget, attrs = field.field.widget, {"id": field.auto_id, "data-x": '"&'}
        django = forms.Select.render(widget, field.html_name, field.value(), attrs, form.renderer)
        assert widget.render(field.html_name, field.value(), attrs, form.renderer) == django
        ours = str(field)  # as the page writes it: with the bound field's aria attributes
        widget.__class__ = forms.Select
        assert str(field) == ours


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
