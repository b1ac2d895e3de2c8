"""The prepare page's choices: source year, agencies and district groups; then the preview's
ticked indicators and their targets."""

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from indicators.models import Agency, DistrictGroup, FiscalYear, Indicator
from indicators.rollover.plan import Selection
from indicators.workflow.forms import ThaiDecimalField


def source_years(target_year: int) -> list[int]:
    """Years before `target_year` that hold indicators, newest first."""
    holding = Exists(Indicator.objects.filter(fiscal_year=OuterRef("pk")))
    years = FiscalYear.objects.filter(holding, year__lt=target_year).order_by("-year")
    return list(years.values_list("year", flat=True))


class SelectionForm(forms.Form):
    source = forms.TypedChoiceField(label=_("ยกยอดจากปีงบประมาณ"), coerce=int)
    agency = forms.MultipleChoiceField(
        label=_("หน่วยงาน"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    group = forms.MultipleChoiceField(
        label=_("หรือทั้งกลุ่มเขต"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, target_year: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target_year = target_year
        years = source_years(target_year)
        self.fields["source"].initial = years[0] if years else None
        choices: dict[str, list[tuple[Any, str]]] = {
            "source": [(y, str(y)) for y in years],
            "agency": [(a.prefix, str(a)) for a in Agency.objects.all()],
            "group": [(g.code, g.name) for g in DistrictGroup.objects.all()],
        }
        for name, options in choices.items():
            cast(forms.ChoiceField, self.fields[name]).choices = options

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("agency") and not data.get("group"):
            raise forms.ValidationError(_("เลือกหน่วยงานหรือกลุ่มเขตอย่างน้อยหนึ่งรายการ"))
        return data

    def selection(self, indicator_ids: tuple[int, ...] = ()) -> Selection:
        data = self.cleaned_data
        return Selection(
            data["source"],
            self.target_year,
            agencies=tuple(data["agency"]),
            groups=tuple(data["group"]),
            indicator_ids=indicator_ids,
        )


def ticked(data: QueryDict) -> tuple[tuple[int, ...], dict[int, Decimal], list[str]]:
    """The preview's ticked indicator ids, their typed targets, and what could not be read."""
    ids, targets, problems = [], {}, []
    field = ThaiDecimalField(required=True)
    for text in data.getlist("indicator"):
        if not text.isdigit():
            continue
        pk = int(text)
        ids.append(pk)
        try:
            targets[pk] = field.clean(data.get(f"target-{pk}", ""))
        except forms.ValidationError as error:
            problems.append(f"{data.get(f'code-{pk}', pk)}: {' '.join(error.messages)}")
    if not ids:
        problems.append(str(_("ยังไม่ได้เลือกตัวชี้วัดที่จะยกยอด")))
    return tuple(ids), targets, problems
