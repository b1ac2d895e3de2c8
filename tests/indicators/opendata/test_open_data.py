"""The open data of a published year: a Data Package that validates, files, dictionary, catalogue."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import Agency, Assessment, FiscalYear, Indicator, QuarterReport, ReportStatus
from indicators.opendata.schema import RESOURCES
from tests.helpers import put

pytestmark = pytest.mark.django_db

YEAR = 2564


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def get(client, name: str, **kwargs):
    response = client.get(reverse(f"indicators:{name}", kwargs=kwargs))
    assert response.status_code == 200, (name, kwargs)
    return response


def file_url(resource: str, file_format: str, year: int = YEAR) -> str:
    kwargs = {"year": year, "resource": resource, "file_format": file_format}
    return reverse("indicators:open-data-file", kwargs=kwargs)


def write_package(client, directory) -> str:
    """The package and its files as a portal would serve them, on disk for frictionless."""
    descriptor = json.loads(get(client, "open-data-package", year=YEAR).content)
    for resource in descriptor["resources"]:
        content = body(client.get(f"/open-data/{YEAR}/{resource['path']}"))
        (directory / resource["path"]).write_bytes(content)
    path = directory / "datapackage.json"
    path.write_text(json.dumps(descriptor, ensure_ascii=False))
    return str(path)


def test_the_data_package_validates_with_frictionless(client, tmp_path):
    from frictionless import Package, validate

    report = validate(write_package(client, tmp_path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = Package(str(tmp_path / "datapackage.json"))
    names = {resource.name for resource in package.resources}
    assert {"indicators", "results", "agencies", "strategy"} <= names
    assert {"indicators-json", "results-json"} <= names
    assert package.get_resource("indicators").read_rows()


def test_the_package_says_licence_publisher_time_and_keys(client):
    descriptor = json.loads(get(client, "open-data-package", year=YEAR).content)
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["contributors"][0]["role"] == "publisher"
    assert descriptor["created"] and descriptor["temporal"]["start"] == "2020-10-01"
    indicators = next(r for r in descriptor["resources"] if r["name"] == "indicators")
    schema = indicators["schema"]
    assert schema["primaryKey"] == ["fiscal_year", "code"]
    assert schema["foreignKeys"][0]["reference"] == {"resource": "agencies", "fields": ["code"]}
    agency = next(f for f in schema["fields"] if f["name"] == "agency_code")
    assert agency["type"] == "string" and agency["constraints"]["pattern"] == r"^[0-9]{8}$"
    measure = next(f for f in schema["fields"] if f["name"] == "measure")
    labels = {c["value"]: (c["label"], c["label_en"]) for c in measure["categories"]}
    assert labels["percent"] == ("ร้อยละ", "Percent")


def test_agency_codes_stay_text_with_their_leading_zeros(client):
    text = body(client.get(file_url("agencies", "csv"))).decode("utf-8-sig")
    code = Agency.objects.get(prefix="0100").code
    assert code.startswith("0")
    assert f'"{code}"' in text  # quoted: LibreOffice and Excel keep it as text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert any(row["code"] == code for row in rows)


def test_json_numbers_are_numbers_with_exact_digits(client):
    indicator = Indicator.objects.filter(fiscal_year_id=YEAR).order_by("pk").first()
    Indicator.objects.filter(pk=indicator.pk).update(target=Decimal("1.58"))
    records = json.loads(body(client.get(file_url("indicators", "json"))))
    record = next(r for r in records if r["code"] == indicator.code)
    assert record["target"] == 1.58 and isinstance(record["fiscal_year"], int)
    assert isinstance(record["agency_code"], str) and len(record["agency_code"]) == 8
    text = body(client.get(file_url("indicators", "csv"))).decode("utf-8-sig")
    assert "1.58," in text and "1.58000" not in text


def test_only_approved_quarters_are_published(client, report):
    """A draft's value and narrative never reach the files; an approved quarter's do."""
    indicator = report.indicator
    FiscalYear.objects.filter(year=indicator.fiscal_year_id).update(is_published=True)
    put(report, ReportStatus.DRAFT, "7777.77")
    QuarterReport.objects.filter(pk=report.pk).update(narrative="DRAFTSECRET")
    year = indicator.fiscal_year_id
    results = body(client.get(file_url("results", "csv", year))).decode("utf-8-sig")
    indicators = body(client.get(file_url("indicators", "json", year))).decode()
    assert "7777.77" not in results + indicators and "DRAFTSECRET" not in results
    put(report, ReportStatus.APPROVED, "7777.77")
    results = body(client.get(file_url("results", "csv", year))).decode("utf-8-sig")
    assert "7777.77" in results


def test_the_official_score_is_the_audit_quarters(client):
    approved = (
        QuarterReport.objects.filter(
            indicator__fiscal_year_id=YEAR,
            status=ReportStatus.APPROVED,
            assessment__score__isnull=False,
        )
        .select_related("indicator", "assessment")
        .first()
    )
    indicator = approved.indicator
    Indicator.objects.filter(pk=indicator.pk).update(audit_quarter=approved.quarter)
    Assessment.objects.filter(pk=approved.assessment.pk).update(score=Decimal("87.25"))
    records = json.loads(body(client.get(file_url("indicators", "json"))))
    record = next(r for r in records if r["code"] == indicator.code)
    assert record["official_score"] == 87.25
    results = json.loads(body(client.get(file_url("results", "json"))))
    official = [r for r in results if r["indicator_code"] == indicator.code and r["is_official"]]
    assert [r["quarter"] for r in official] == [approved.quarter]


@pytest.mark.parametrize("resource", sorted(RESOURCES))
def test_files_answer_conditional_requests_with_304(client, resource):
    url = file_url(resource, "csv")
    first = client.get(url)
    body(first)
    assert first["ETag"] and first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_change_gives_a_new_etag(client):
    from indicators.cache import raise_data_version

    url = reverse("indicators:open-data-package", kwargs={"year": YEAR})
    first = client.get(url)
    raise_data_version()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_unpublished_years_have_no_files_and_no_validators(client):
    FiscalYear.objects.filter(year=YEAR).update(is_published=False)
    for url in (file_url("results", "csv"), f"/open-data/{YEAR}/datapackage.json"):
        response = client.get(url, HTTP_IF_NONE_MATCH="*")
        assert response.status_code == 404
    assert client.get(file_url("secrets", "csv")).status_code == 404


def test_the_dictionary_lists_every_field_in_both_languages(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        page = get(client, "open-data").content.decode()
    for resource in RESOURCES.values():
        for field in resource.fields:
            assert f"<code>{field.name}</code>" in page
    assert "ร้อยละ" in page and "Percent" in page
    assert f"/open-data/{YEAR}/datapackage.json" in page


def test_the_catalogue_is_dcat_that_rdf_tools_read(client):
    import rdflib

    response = get(client, "open-data-catalog")
    assert response["Content-Type"] == "application/ld+json" and response["Last-Modified"]
    again = client.get(reverse("indicators:open-data-catalog"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    graph = rdflib.Graph().parse(data=response.content, format="json-ld")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.namespace.DCTERMS
    datasets = set(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    published = FiscalYear.objects.published().count()
    assert len(datasets) == published
    dataset = next(iter(datasets))
    assert graph.value(dataset, dct.license) == rdflib.URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    urls = {
        str(graph.value(d, dcat.downloadURL)) for d in graph.objects(dataset, dcat.distribution)
    }
    assert any(url.endswith("/indicators.csv") for url in urls)
