"""The hand-worked agency-year (tests/scorecard_year.py) as a fixture."""

import pytest

from tests.scorecard_year import make_agreement_year


@pytest.fixture
def agreement_year(db, reporter5030):
    return make_agreement_year(reporter5030)
