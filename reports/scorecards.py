"""Performance agreement documents: the agreement (คำรับรองการปฏิบัติราชการ) and a round's
result, laid out by the one PDF pipeline (reports/pdf.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from indicators.dates import fiscal_year_label
from indicators.scorecards import cards
from reports import pdf


def _context(card: cards.Scorecard, path: str, title: str) -> dict:
    fiscal_year = card.fiscal_year
    return {
        **pdf.common_context(path),
        "card": card,
        "agency": card.agency,
        "fiscal_year": fiscal_year,
        "title": f"{title} {card.agency.name} {fiscal_year_label(fiscal_year.year)}",
        "starts_on": fiscal_year.start_date,
        "ends_on": fiscal_year.end_date,
    }


def agreement_pdf(card: cards.Scorecard) -> bytes:
    """The agreement: indicators, weights, targets and five-level criteria, with signatures."""
    path = reverse("reports:scorecard-agreement", args=[card.fiscal_year.year, card.agency.prefix])
    context = _context(card, path, _("คำรับรองการปฏิบัติราชการ"))
    return pdf.write(pdf.document("reports/pdf/agreement.html", context))


def result_pdf(card: cards.Scorecard, round_: int) -> bytes:
    """One round's scores: each indicator's rating and its working, the weighted score, the
    agency's self-assessment beside it, with signatures."""
    path = reverse("reports:scorecard-result", args=[card.fiscal_year.year, card.agency.prefix])
    context = _context(card, f"{path}?round={round_}", _("ผลการประเมินตามคำรับรองการปฏิบัติราชการ"))
    context |= {
        "round": round_,
        "rows": cards.round_rows(card, round_),
        "score": card.score(round_),
        "self_score": card.self_score(round_),
        "assessed_share": card.assessed_share(round_),
    }
    return pdf.write(pdf.document("reports/pdf/scorecard_result.html", context))
