"""Reported or assessed rows are never deleted through the interface."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, Indicator, QuarterReport

pytestmark = pytest.mark.django_db


def seed() -> Indicator:
    return Indicator.objects.get(fiscal_year=2564, code="5030-1052")


def test_admin_refuses_to_delete_a_reported_quarter(client, admin_user):
    client.force_login(admin_user)
    report = seed().reports.get(quarter=1)
    url = reverse("admin:indicators_quarterreport_delete", args=[report.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert QuarterReport.objects.filter(pk=report.pk).exists()


def test_admin_refuses_to_delete_an_indicator_with_reports(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:indicators_indicator_delete", args=[seed().pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Indicator.objects.filter(pk=seed().pk).exists()


def test_admin_refuses_to_delete_a_score(client, admin_user):
    client.force_login(admin_user)
    assessment = seed().reports.get(quarter=1).assessment
    url = reverse("admin:indicators_assessment_delete", args=[assessment.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_bulk_delete_is_not_offered(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:indicators_quarterreport_changelist"))
    assert 'value="delete_selected"' not in response.content.decode()


def test_an_empty_draft_may_be_deleted_by_the_administrator(client, admin_user):
    client.force_login(admin_user)
    draft = QuarterReport.objects.filter(value__isnull=True).first()
    url = reverse("admin:indicators_quarterreport_delete", args=[draft.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not QuarterReport.objects.filter(pk=draft.pk).exists()
