"""The year-prepare page (years/<year>/prepare/): auditors and administrators carry indicators
into a fiscal year.

A GET with choices shows the preview (nothing written); the confirmation is a POST that calls
`services.rollover_year` once and comes back to the preview, where the copied indicators now
read "already there". A second confirmation copies nothing and says so.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import access
from indicators.rollover.forms import SelectionForm, ticked
from indicators.rollover.plan import RolloverPlan, build_plan
from indicators.rollover.services import RolloverError, RolloverResult, rollover_year


def _page(request, form: SelectionForm, plan: RolloverPlan | None, status: int = 200):
    return render(
        request,
        "indicators/rollover/prepare.html",
        {"form": form, "year": form.target_year, "plan": plan},
        status=status,
    )


def _confirmed_message(result: RolloverResult) -> str:
    year = result.plan.target_year
    if not result.copied:
        return _("ไม่มีสิ่งใดสร้างใหม่: ตัวชี้วัดที่เลือกมีอยู่ในปี %(year)s แล้ว") % {"year": year}
    return _("สร้างตัวชี้วัดปี %(year)s แล้ว %(copied)s ตัวชี้วัด (มีอยู่แล้ว %(existing)s)") % {
        "year": year,
        "copied": len(result.copied),
        "existing": len(result.existing),
    }


def _confirm(request: access.SignedInRequest, form: SelectionForm) -> HttpResponse:
    ids, targets, problems = ticked(request.POST)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return _page(request, form, build_plan(form.selection()), status=400)
    reason = _("เตรียมปีงบประมาณ %(year)s") % {"year": form.target_year}
    try:
        result = rollover_year(form.selection(ids), by=request.user, targets=targets, reason=reason)
    except RolloverError as error:
        messages.error(request, str(error))
        return _page(request, form, None, status=400)
    messages.success(request, _confirmed_message(result))
    params = QueryDict(mutable=True)
    for key in ("source", "agency", "group"):
        params.setlist(key, request.POST.getlist(key))
    url = reverse("indicators:year-prepare", kwargs={"year": form.target_year})
    return redirect(f"{url}?{params.urlencode()}")


@login_required
def year_prepare(request: access.SignedInRequest, year: int) -> HttpResponse:
    access.require_year_preparer(request.user)
    if not 2500 <= year <= 2700:
        raise Http404
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = SelectionForm(data, target_year=year)
    if not form.is_valid():
        return _page(request, form, None, status=400 if request.method == "POST" else 200)
    if request.method == "POST":
        return _confirm(request, form)
    return _page(request, form, build_plan(form.selection()))
