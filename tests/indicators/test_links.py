"""The reading pages lead into the work: reporting, review, printing, books and open data."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

DETAIL = "/indicators/2564/5030-1052/"
EDIT = "/indicators/2564/5030-1052/q1/edit/"
REVIEW = "/indicators/2564/5030-1052/q1/review/"


def page(user, url: str) -> str:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_agencys_reporter_is_led_to_the_entry_form(reporter5030):
    html = page(reporter5030, DETAIL)
    assert f'href="{EDIT}"' in html
    assert f'href="{REVIEW}"' not in html


def test_a_reporter_of_another_agency_and_the_public_get_no_work_links(reporter0100):
    for html in (page(reporter0100, DETAIL), page(None, DETAIL)):
        assert "/q1/edit/" not in html
        assert "/q1/review/" not in html


def test_the_auditor_is_led_to_the_review(auditor):
    html = page(auditor, DETAIL)
    assert f'href="{REVIEW}"' in html
    assert f'href="{EDIT}"' not in html


def test_detail_page_prints_cleanly_and_links_its_sheet():
    html = page(None, DETAIL)
    assert 'css/print.css" media="print"' in html
    assert 'href="/indicators/2564/5030-1052/sheet.pdf"' in html


def test_agency_page_links_its_book():
    assert 'href="/reports/2564/agencies/5030.pdf"' in page(None, "/agencies/5030/2564/")


def test_home_links_open_data_of_published_years():
    html = page(None, "/")
    assert 'href="/open-data/2564/indicators.csv"' in html
    assert 'href="/open-data/2564/indicators.json"' in html
