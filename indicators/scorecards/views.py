"""Agency scorecards: the year's ranking, one agency's card, and the self-assessment form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from indicators import access
from indicators.cache import public_page
from indicators.models import ROUNDS, Agency, DistrictGroup, SelfAssessment
from indicators.scorecards import cards
from indicators.scorecards.forms import SelfAssessmentForm
from indicators.scorecards.services import self_assessment_save
from indicators.workflow.services import WorkflowError


def chosen_round(request: HttpRequest, scorecards: list[cards.Scorecard]) -> int:
    """`?round=6|9|12`, else the latest round with any official result."""
    try:
        round_ = int(request.GET.get("round", ""))
    except ValueError:
        round_ = 0
    return round_ if round_ in ROUNDS else cards.default_round(scorecards)


def agency_card(request: HttpRequest, year: int, prefix: str) -> cards.Scorecard:
    """One agency's scorecard for a year the reader may see; 404 when it holds no indicator."""
    fiscal_year = access.visible_year(request.user, year)
    agency = get_object_or_404(Agency, prefix=prefix)
    indicators = cards.card_queryset(request.user, fiscal_year).filter(agency=agency)
    found = cards.scorecards(request.user, indicators)
    if not found:
        raise Http404
    return found[0]


def _ranks(scorecards: list[cards.Scorecard], round_: int) -> list[tuple]:
    """(rank, card, score, assessed share): rank 1 for the highest score; equal scores share a
    rank; no score, no rank."""
    rows: list[tuple] = []
    previous, rank = None, 0
    for position, card in enumerate(cards.ranked(scorecards, round_), start=1):
        score = card.score(round_)
        if score != previous:
            rank, previous = position, score
        ranked = rank if score is not None else None
        rows.append((ranked, card, score, card.assessed_share(round_)))
    return rows


@public_page
def scorecard_list(request: HttpRequest, year: int) -> HttpResponse:
    fiscal_year = access.visible_year(request.user, year)
    groups = list(DistrictGroup.objects.all())
    group = next((g for g in groups if g.code == request.GET.get("group")), None)
    indicators = cards.card_queryset(request.user, fiscal_year)
    if group is not None:
        indicators = indicators.filter(agency__group=group)
    scorecards = cards.scorecards(request.user, indicators)
    round_ = chosen_round(request, scorecards)
    context = {
        "fiscal_year": fiscal_year,
        "years": access.menu_years(request.user),
        "groups": groups,
        "group": group,
        "round": round_,
        "rounds": ROUNDS,
        "rows": _ranks(scorecards, round_),
        "distribution": _distribution_rows(scorecards, round_),
    }
    return render(request, "indicators/scorecards/list.html", context)


def _distribution_rows(scorecards: list[cards.Scorecard], round_: int) -> list[tuple]:
    """(level, count, bar width of 100) for the distribution table and its bars."""
    counts = cards.distribution(scorecards, round_)
    largest = max((count for _level, count in counts), default=0) or 1
    return [(level, count, round(count * 100 / largest)) for level, count in counts]


@public_page
def scorecard_detail(request: HttpRequest, year: int, prefix: str) -> HttpResponse:
    card = agency_card(request, year, prefix)
    round_ = chosen_round(request, [card])
    context = {
        "card": card,
        "agency": card.agency,
        "fiscal_year": card.fiscal_year,
        "round": round_,
        "rounds": ROUNDS,
        "rows": cards.round_rows(card, round_),
        "score": card.score(round_),
        "self_score": card.self_score(round_),
        "assessed_share": card.assessed_share(round_),
        "may_self_assess": access.is_member(request.user, card.agency.pk),
    }
    return render(request, "indicators/scorecards/detail.html", context)


@login_required
def self_assessment_edit(
    request: access.SignedInRequest, year: int, prefix: str, code: str, round_: int
) -> HttpResponse:
    indicator = access.get_indicator_for_self_assessment(request.user, year, code)
    if indicator.agency.prefix != prefix or round_ not in ROUNDS:
        raise Http404
    claim = SelfAssessment.objects.filter(indicator=indicator, round=round_).first()
    if request.method == "POST":
        form = SelfAssessmentForm(request.POST)
        if form.is_valid():
            try:
                self_assessment_save(
                    indicator=indicator,
                    round_=round_,
                    rating=form.cleaned_data["rating"],
                    note=form.cleaned_data["note"],
                    by=request.user,
                )
            except WorkflowError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("บันทึกผลการประเมินตนเองแล้ว"))
                url = reverse("indicators:scorecard-detail", args=[year, prefix])
                return redirect(f"{url}?round={round_}")
    else:
        initial = {"rating": claim.rating, "note": claim.note} if claim else {}
        form = SelfAssessmentForm(initial=initial)
    line = cards.scorecards(
        request.user,
        cards.card_queryset(request.user, indicator.fiscal_year).filter(pk=indicator.pk),
    )[0].lines[0]
    context = {
        "form": form,
        "indicator": indicator,
        "fiscal_year": indicator.fiscal_year,
        "agency": indicator.agency,
        "round": round_,
        "line": line,
        "result": line.rounds[round_],
        "working": cards.working(line, round_),
    }
    return render(request, "indicators/scorecards/self_assessment.html", context)
