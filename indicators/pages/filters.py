"""The indicator list's filters, search and sorting; every choice lives in the URL.

Query parameters are a fixed contract: ?year=&agency=&group=&dimension=&type=&level=&status=
&lineage=&q= (and sort=, page=).
"""

import re
from collections.abc import Iterator
from functools import cache, reduce
from operator import or_

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan
from django.forms.renderers import BaseRenderer
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from indicators import access
from indicators.models import (
    Agency,
    DistrictGroup,
    Indicator,
    IndicatorKind,
    ResultLevel,
    StrategyNode,
)
from indicators.models.indicators import IndicatorQuerySet
from indicators.numbers import normalize_digits, to_thai_digits
from indicators.rollups import with_status_code
from indicators.summaries import STATUS_LABELS

# Thai letters, digits, spaces and ASCII punctuation: no character upper-cases to one of these
# but itself, so text of only these is contained in UPPER(name) exactly where it is in name.
CASELESS = re.compile(r"[\u0e00-\u0e7f\x20-\x40\x5b-\x60\x7b-\x7e]+")


@cache
def trigram_available() -> bool:
    """Whether PostgreSQL's pg_trgm extension is installed; asked once per process."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


SEARCHED_FIELDS = ("name_th", "name_en", "code")


def _contains(text: str) -> Q:
    """Name, English name or code contains `text`, letter case aside."""
    if not CASELESS.fullmatch(text):
        return reduce(or_, (Q(**{f"{field}__icontains": text}) for field in SEARCHED_FIELDS))
    # Nothing to fold: a plain substring test (strpos) instead of UPPER(name) LIKE '%…%'. On
    # 30,000 Thai names it scans in a third of the time, and the trigram indexes buy little for
    # Thai (a rare word's bitmap scan costs about what the scan does); migration 0004.
    return reduce(
        or_, (Q(GreaterThan(StrIndex(field, Value(text)), 0)) for field in SEARCHED_FIELDS)
    )


def search(queryset: QuerySet[Indicator], text: str) -> QuerySet[Indicator]:
    """Indicators whose name or code contains `text`; with pg_trgm, when none does, near spellings.

    Near spellings only as a fallback: word similarity has to be computed for every row, which
    costs 0.6 s on a city's 30,000 indicators, while containing is a plain scan (Thai) or served
    by the trigram indexes of migration 0004 (Latin letters, folded to upper case).
    """
    text = normalize_digits(text.strip())
    if not text:
        return queryset
    contains = _contains(text)
    if not trigram_available() or queryset.filter(contains).exists():
        return queryset.filter(contains)
    from django.contrib.postgres.lookups import TrigramWordSimilar
    from django.contrib.postgres.search import TrigramWordSimilarity

    # The operator, not a comparison of the annotation: the GIN trigram index serves `%>`.
    similar = TrigramWordSimilar(F("name_th"), Value(text))
    return queryset.filter(similar).annotate(similarity=TrigramWordSimilarity(text, "name_th"))


def _attrs_html(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: a True value as a bare name, a False one left out."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class Select(forms.Select):
    """Django's Select with its options written out here: the very HTML of its templates.

    Two template includes per option made the filter form a third of the list page's time (the
    agency list has 70 options), and Django's option dictionaries (optgroups) a tenth of what
    was left. tests/indicators/test_filters.py holds it to Django's output.
    """

    def render(
        self,
        name: str,
        value: object,
        attrs: dict | None = None,
        renderer: BaseRenderer | None = None,
    ) -> SafeString:
        # The name, attributes and chosen values as Django's Select has them, without its options.
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        chosen, selected_one = widget["value"], False
        html = [
            f'<select name="{conditional_escape(widget["name"])}"{_attrs_html(widget["attrs"])}>'
        ]
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an option group: Django's own templates
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else option_value
            # As optgroups(): only the first option of a chosen value is selected.
            selected = not selected_one and str(option_value) in chosen
            selected_one |= selected
            html.append(
                f'\n  <option value="{escape(option_value)}"{" selected" if selected else ""}>'
                f"{conditional_escape(str(label))}</option>\n"
            )
        html.append("\n</select>")
        return mark_safe("".join(html))  # noqa: S308 (every value is escaped above)


class ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    """django-filter's choices of a model, read with one plain query.

    Django's iterator() reads them through a server-side cursor on PostgreSQL: DECLARE … WITH
    HOLD, FETCH and CLOSE, three round trips and the rows copied at commit, for each of the
    list's few dozen years, agencies and groups on every page.
    """

    def __iter__(self) -> Iterator[tuple[object, object]]:
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for obj in list(self.queryset):
            yield self.choice(obj)


class ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """A chosen value is looked for among the rows the choices list: one query for both, not
    a second one for the value (Django's queryset.get())."""

    iterator = ListedChoiceIterator

    def to_python(self, value: object) -> object:
        if value in self.empty_values or (self.null_label is not None and value == self.null_value):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        model = self.queryset.model
        key = (
            model._meta.pk
            if self.to_field_name is None
            else model._meta.get_field(self.to_field_name)
        )
        if isinstance(value, model):
            value = getattr(value, key.attname)
        try:
            wanted = key.to_python(value)
        except ValidationError:
            wanted = None
        # The rows are kept on the queryset, which the choices then list again.
        chosen = next((row for row in self.queryset if getattr(row, key.attname) == wanted), None)
        if wanted is None or chosen is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return chosen


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter whose choices are read by ListedChoiceIterator."""

    field_class = ListedModelChoiceField


def dimension_choices() -> list[tuple[str, str]]:
    """Dimension codes (5) across plans, labelled by the first plan's dimension of that code."""
    choices: dict[str, str] = {}
    for node in StrategyNode.objects.dimensions().order_by("plan__order", "order", "code"):
        choices.setdefault(node.code, f"{to_thai_digits(node.code)} {node.name}")
    return list(choices.items())


class IndicatorOrdering(django_filters.OrderingFilter):
    """Sorting by one column; rows that tie keep one order, so no row shows on two pages."""

    def build_choices(self, fields: dict, labels: dict) -> list[tuple[str, object]]:
        """Each field up, then down; labels stay lazy so each reader gets their language
        (django-filter's own "%s (descending)" is formatted once, in the language at import)."""
        choices = []
        for field, param in fields.items():
            label = labels[field]
            choices += [(param, label), (f"-{param}", format_lazy(_("{} (เรียงย้อนกลับ)"), label))]
        return choices

    def filter(self, qs: QuerySet, value: list[str] | None) -> QuerySet:
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "pk") if value else qs


class IndicatorFilter(django_filters.FilterSet):
    year = ModelChoiceFilter(
        label=_("ปีงบประมาณ"),
        field_name="fiscal_year",
        to_field_name="year",
        queryset=None,  # set per user in __init__: the public sees published years only
        empty_label=_("ทุกปี"),
        widget=Select,
    )
    agency = ModelChoiceFilter(
        label=_("หน่วยงาน"),
        field_name="agency",
        to_field_name="prefix",
        queryset=Agency.objects.all(),
        empty_label=_("ทุกหน่วยงาน"),
        widget=Select,
    )
    group = ModelChoiceFilter(
        label=_("กลุ่มเขต"),
        field_name="agency__group",
        to_field_name="code",
        queryset=DistrictGroup.objects.all(),
        empty_label=_("ทุกกลุ่มเขต"),
        widget=Select,
    )
    dimension = django_filters.ChoiceFilter(
        label=_("ด้านยุทธศาสตร์"),
        method="filter_dimension",
        empty_label=_("ทุกด้าน"),
        widget=Select,
    )
    type = django_filters.ChoiceFilter(
        label=_("ประเภท"),
        field_name="kind",
        choices=IndicatorKind.choices,
        empty_label=_("ทุกประเภท"),
        widget=Select,
    )
    level = django_filters.ChoiceFilter(
        label=_("ระดับ"),
        field_name="result_level",
        choices=ResultLevel.choices,
        empty_label=_("ทุกระดับ"),
        widget=Select,
    )
    status = django_filters.ChoiceFilter(
        label=_("สถานะ"),
        method="filter_status",
        choices=[(status.value, label) for status, label in STATUS_LABELS.items()],
        empty_label=_("ทุกสถานะ"),
        widget=Select,
    )
    lineage = django_filters.ChoiceFilter(
        label=_("ความต่อเนื่อง"),
        method="filter_lineage",
        choices=[("continued", _("ต่อเนื่องจากปีที่แล้ว")), ("new", _("ใหม่ในปีนี้"))],
        empty_label=_("ทั้งหมด"),
        widget=Select,
    )
    q = django_filters.CharFilter(label=_("ค้นหาชื่อหรือรหัส"), method="filter_search")
    sort = IndicatorOrdering(
        label=_("เรียงตาม"),
        fields=(
            ("fiscal_year_id", "year"),
            ("code", "code"),
            ("name_th", "name"),
            ("agency__prefix", "agency"),
        ),
        # Keyed by field, as django-filter looks the labels up.
        field_labels={
            "fiscal_year_id": _("ปีงบประมาณ"),
            "code": _("รหัส"),
            "name_th": _("ชื่อตัวชี้วัด"),
            "agency__prefix": _("หน่วยงาน"),
        },
        empty_label=_("ค่าเริ่มต้น"),
        widget=Select,
    )

    class Meta:
        model = Indicator
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.scope = access.report_scope(user)
        self.filters["year"].queryset = access.menu_years(user)
        self.filters["dimension"].extra["choices"] = dimension_choices()

    def filter_dimension(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        links = Indicator.strategy_nodes.through.objects.filter(
            Q(strategynode__code=value) | Q(strategynode__code__startswith=f"{value}.")
        )
        return queryset.filter(pk__in=links.values("indicator_id"))

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return with_status_code(queryset, value, self.scope)

    def filter_lineage(self, queryset: IndicatorQuerySet, name: str, value: str) -> QuerySet:
        return queryset.continued() if value == "continued" else queryset.new_this_year()

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search(queryset, value)
