"""A DCAT catalogue of the published years (JSON-LD), the form CKAN's DCAT harvester reads."""

from django.http import HttpRequest
from django.urls import reverse

from indicators.opendata.package import FORMATS, KEYWORDS, as_of, published_years
from indicators.opendata.schema import LICENSE, PUBLISHER_EN, PUBLISHER_TH, RESOURCES

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _literal(text: str, language: str) -> dict:
    return {"@value": text, "@language": language}


def _date(value) -> dict | None:
    if value is None:
        return None
    return {"@value": value.isoformat(), "@type": "xsd:dateTime"}


def _publisher(request: HttpRequest) -> dict:
    return {
        "@id": request.build_absolute_uri("/#publisher"),
        "@type": "foaf:Organization",
        "foaf:name": [_literal(PUBLISHER_TH, "th"), _literal(PUBLISHER_EN, "en")],
    }


def _distribution(request: HttpRequest, year: int, name: str, file_format: str) -> dict:
    url = request.build_absolute_uri(
        reverse(
            "indicators:open-data-file",
            kwargs={"year": year, "resource": name, "file_format": file_format},
        )
    )
    resource = RESOURCES[name]
    return {
        "@id": url,
        "@type": "dcat:Distribution",
        "dct:title": [_literal(resource.title_th, "th"), _literal(resource.title_en, "en")],
        "dcat:accessURL": {"@id": url},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": FORMATS[file_format][0],
        "dct:format": file_format.upper(),
        "dct:license": {"@id": LICENSE["path"]},
    }


def _dataset(request: HttpRequest, fiscal_year) -> dict:
    year = fiscal_year.year
    package_url = request.build_absolute_uri(
        reverse("indicators:open-data-package", kwargs={"year": year})
    )
    distributions = [
        _distribution(request, year, name, file_format)
        for name in RESOURCES
        for file_format in FORMATS
    ]
    distributions.append(
        {
            "@id": package_url,
            "@type": "dcat:Distribution",
            "dct:title": "Frictionless Data Package",
            "dcat:accessURL": {"@id": package_url},
            "dcat:downloadURL": {"@id": package_url},
            "dcat:mediaType": "application/json",
            "dct:format": "JSON",
            "dct:conformsTo": {"@id": "https://specs.frictionlessdata.io/data-package/"},
            "dct:license": {"@id": LICENSE["path"]},
        }
    )
    dataset = {
        "@id": request.build_absolute_uri(reverse("indicators:open-data") + f"#bma-kpi-{year}"),
        "@type": "dcat:Dataset",
        "dct:identifier": f"bma-kpi-{year}",
        "dct:title": [
            _literal(f"ตัวชี้วัดกรุงเทพมหานคร ปีงบประมาณ {year}", "th"),
            _literal(f"Bangkok Metropolitan Administration KPIs, fiscal year {year} BE", "en"),
        ],
        "dct:description": [
            _literal("ตัวชี้วัด ผลการดำเนินงานรายไตรมาสที่อนุมัติแล้ว และผลประเมิน", "th"),
            _literal("Indicators, approved quarter results and official scores", "en"),
        ],
        "dcat:keyword": KEYWORDS,
        "dct:publisher": _publisher(request),
        "dct:license": {"@id": LICENSE["path"]},
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": fiscal_year.start_date.isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": fiscal_year.end_date.isoformat(), "@type": "xsd:date"},
        },
        "dcat:landingPage": {"@id": request.build_absolute_uri(reverse("indicators:open-data"))},
        "dcat:distribution": distributions,
    }
    modified = _date(as_of(year))
    if modified:
        dataset["dct:modified"] = modified
    return dataset


def catalog(request: HttpRequest) -> dict:
    """Every published year as a dcat:Dataset with its files as distributions."""
    return {
        "@context": CONTEXT,
        "@id": request.build_absolute_uri(reverse("indicators:open-data-catalog")),
        "@type": "dcat:Catalog",
        "dct:title": [
            _literal("ข้อมูลเปิดตัวชี้วัดกรุงเทพมหานคร", "th"),
            _literal("BMA KPI open data", "en"),
        ],
        "dct:publisher": _publisher(request),
        "dct:license": {"@id": LICENSE["path"]},
        "foaf:homepage": {"@id": request.build_absolute_uri("/")},
        "dcat:dataset": [_dataset(request, fiscal_year) for fiscal_year in published_years()],
    }
