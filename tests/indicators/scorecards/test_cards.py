"""Scorecards read from the database: the hand-worked agency-year of conftest.py."""

from decimal import Decimal as D

import pytest
from django.contrib.auth.models import AnonymousUser

from indicators.models import FiscalYear
from indicators.scorecards import cards
from tests.scorecard_year import YEAR

pytestmark = pytest.mark.django_db


def card_of(user, prefix: str) -> cards.Scorecard:
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    indicators = cards.card_queryset(user, fiscal_year).filter(agency__prefix=prefix)
    return cards.scorecards(user, indicators)[0]


def test_round_6_weighs_ladder_and_score_ratings(agreement_year, auditor):
    card = card_of(auditor, "5030")
    assert card.weights_total == D(100) and card.weights_ok
    ratings = [line.rounds[6].rating for line in card.lines]
    assert ratings == [D("3.50"), D("3.50"), D("4.50")]
    assert [line.rounds[6].method for line in card.lines] == [
        cards.LADDER,
        cards.LADDER,
        cards.SCORE,
    ]
    assert card.score(6) == D("3.75")
    # The parts, unrounded, add up to the score: 1.4 + 1.225 + 1.125 = 3.75
    assert [line.points(6) for line in card.lines] == [D("1.4"), D("1.225"), D("1.125")]


def test_missing_results_add_nothing_but_keep_their_weight(agreement_year, auditor):
    card = card_of(auditor, "5030")
    assert [line.rounds[12].rating for line in card.lines] == [D("4.50"), None, None]
    assert card.score(12) == D("1.80")
    assert card.assessed_share(12) == D(40)
    assert card.score(9) is None  # nothing at nine months
    assert cards.default_round([card]) == 12


def test_the_working_shows_each_step(agreement_year, auditor):
    card = card_of(auditor, "5030")
    a, b, c = card.lines
    assert cards.working(a, 6) == (
        "ผลงาน 42.5 × เป้าหมายทั้งปี 100 ÷ เป้าหมายรอบนี้ 50 = 85; "
        "ผลงาน 85 อยู่ระหว่างระดับ 3 (80) และระดับ 4 (90): 3 + (85 − 80) ÷ (90 − 80) = 3.5"
    )
    assert "3 + (25 − 30) ÷ (20 − 30) = 3.5" in cards.working(b, 6)
    assert cards.working(c, 6) == "ไม่มีเกณฑ์ 5 ระดับที่เป็นตัวเลข: คะแนน สยป. 90 ÷ 20 = 4.5"
    assert cards.working(b, 12).startswith("ยังไม่มีผลที่ได้รับอนุมัติ")


def test_self_assessment_beside_the_official_rating(agreement_year, reporter5030):
    card = card_of(reporter5030, "5030")
    a, b, _c = card.lines
    assert a.rounds[6].claimed.rating == D(4)
    assert a.rounds[6].difference == D("0.50")
    assert b.rounds[12].claimed.rating == D(3)  # the agency sees its own claim
    assert b.rounds[12].difference is None  # no official result to compare
    assert card.self_score(6) == D("1.60")  # 40 × 4 ÷ 100


def test_the_public_sees_claims_only_of_approved_rounds(agreement_year):
    card = card_of(AnonymousUser(), "5030")
    a, b, _c = card.lines
    assert a.rounds[6].claimed is not None
    assert b.rounds[12].claimed is None
    assert card.score(6) == D("3.75")  # the official figures are the same for everyone


def test_weights_off_100_are_scaled_and_flagged(agreement_year, auditor):
    card = card_of(auditor, "5001")
    assert card.weights_total == D(2) and not card.weights_ok
    assert [line.share for line in card.lines] == [D(50), D(50)]
    assert card.score(6) == D("4.00")  # (5 + 3) ÷ 2
    problems = cards.weight_problems([(card.agency.pk, YEAR)])
    assert [(agency.prefix, year, total) for agency, year, total in problems] == [
        ("5001", YEAR, D(2))
    ]
    assert "รวมกันได้ 2 ไม่เท่ากับ 100" in cards.weight_messages([(card.agency.pk, YEAR)])[0]


def test_ranking_and_distribution(agreement_year, auditor):
    fiscal_year = FiscalYear.objects.get(year=YEAR)
    found = cards.scorecards(auditor, cards.card_queryset(auditor, fiscal_year))
    assert [c.agency.prefix for c in cards.ranked(found, 6)] == ["5001", "5030"]
    assert dict(cards.distribution(found, 6)) == {5: 0, 4: 1, 3: 1, 2: 0, 1: 0, 0: 0, None: 0}
