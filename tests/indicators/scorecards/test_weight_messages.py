"""Where weights are set, a Thai message names each agency-year whose weights are off 100."""

from decimal import Decimal as D

import pytest
import tablib
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.models import ImportBatch, Indicator
from indicators.spreadsheets.exports import export_bytes, export_dataset
from tests.helpers import client_for

pytestmark = pytest.mark.django_db
YEAR = 2564


def test_an_indicator_import_names_the_agency_year_off_100(admin_user):
    dataset = export_dataset("indicators", YEAR)
    headers = dataset.headers
    row = next(r for r in dataset if r[headers.index("รหัสตัวชี้วัด")] == "5030-2001")
    row = list(row)
    row[headers.index("น้ำหนัก")] = "50"
    file = SimpleUploadedFile("i.csv", export_bytes(tablib.Dataset(row, headers=headers), "csv"))
    client = client_for(admin_user)
    preview = client.post(reverse("indicators:import-upload"), {"file": file})
    assert preview.status_code == 200
    batch = ImportBatch.objects.latest("pk")
    response = client.post(reverse("indicators:import-confirm", args=[batch.pk]))
    assert response.status_code == 302
    assert Indicator.objects.get(fiscal_year_id=YEAR, code="5030-2001").weight == D(50)
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    # 5030 in 2564: the seed, five demo and three city indicators, 100 ÷ 9 = 11.12 for the
    # first, 11.11 each after; 5030-2001 from 11.11 to 50: 100 − 11.11 + 50 = 138.89
    assert any("สำนักงานเขตบางคอแหลม" in t and "รวมกันได้ 138.89 ไม่เท่ากับ 100" in t for t in texts)


def _form_data(form) -> dict:
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        key = form.add_prefix(name)
        data[key] = (
            [str(v) for v in value] if isinstance(value, list) else field.prepare_value(value)
        )
    return data


def _admin_post_data(response) -> dict:
    """The change form as the browser would send it back, inlines and all."""
    data = _form_data(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data |= {
            formset.management_form.add_prefix(name): value
            for name, value in formset.management_form.initial.items()
        }
        for form in formset.forms:
            data |= _form_data(form)
    return data


def test_the_admin_names_the_agency_year_off_100(admin_user):
    indicator = Indicator.objects.get(fiscal_year_id=YEAR, code="5030-2001")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    client = client_for(admin_user)
    data = _admin_post_data(client.get(url)) | {"weight": "20", "_save": "Save"}
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    # nine indicators at 11.12 + 8 × 11.11; 5030-2001 from 11.11 to 20: 100 − 11.11 + 20 = 108.89
    assert any("รวมกันได้ 108.89 ไม่เท่ากับ 100" in t for t in texts), texts
