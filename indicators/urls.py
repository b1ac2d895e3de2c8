from django.urls import include, path

from indicators.compare import views as compare
from indicators.opendata import views as open_data
from indicators.pages import views
from indicators.rollover import views as rollover
from indicators.spreadsheets import views as import_views
from indicators.workflow.views import appeals, entry, inbox, review

app_name = "indicators"

report = "indicators/<int:year>/<str:code>/q<int:quarter>/"

urlpatterns = [
    path("", views.home, name="home"),
    # Reporting and review (issue 4)
    path("start/", inbox.start, name="start"),
    path("my/", inbox.my_work, name="my-work"),
    path("review/", inbox.review_queue, name="review-queue"),
    path(f"{report}edit/", entry.report_edit, name="report-edit"),
    path(f"{report}review/", review.report_review, name="report-review"),
    path(f"{report}audit-quarter/", review.audit_quarter_set, name="audit-quarter-set"),
    path("evidence/<int:pk>/", entry.evidence_download, name="evidence-download"),
    path("evidence/<int:pk>/remove/", entry.evidence_remove, name="evidence-remove"),
    path(
        "indicators/<int:year>/<str:code>/appeal/",
        appeals.appeal_create,
        name="appeal-create",
    ),
    path("review/appeals/<int:pk>/", appeals.appeal_decide, name="appeal-decide"),
    path(
        "appeals/<int:pk>/evidence/",
        appeals.appeal_evidence_download,
        name="appeal-evidence-download",
    ),
    # Spreadsheets in and out, open data (issue 6)
    path("imports/", import_views.import_upload, name="import-upload"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm_view, name="import-confirm"),
    path("imports/<int:pk>/revert/", import_views.import_revert_view, name="import-revert"),
    path("imports/jobs/<int:pk>/", import_views.import_job, name="import-job"),
    path(
        "imports/template/<slug:kind>.<slug:file_format>",
        import_views.import_template,
        name="import-template",
    ),
    # Open data (issue 20): the two first addresses stay for the scripts that use them.
    path("open-data/", open_data.dictionary, name="open-data"),
    path("open-data/catalog.jsonld", open_data.catalog_jsonld, name="open-data-catalog"),
    path("open-data/<int:year>/datapackage.json", open_data.package_json, name="open-data-package"),
    path(
        "open-data/<int:year>/indicators.csv",
        open_data.resource_file,
        {"resource": "indicators", "file_format": "csv"},
        name="open-data-csv",
    ),
    path(
        "open-data/<int:year>/indicators.json",
        open_data.resource_file,
        {"resource": "indicators", "file_format": "json"},
        name="open-data-json",
    ),
    path(
        "open-data/<int:year>/<slug:resource>.<slug:file_format>",
        open_data.resource_file,
        name="open-data-file",
    ),
    # Pages everyone reads (issue 3)
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<int:year>/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("agencies/<str:prefix>/<int:year>/", views.agency_detail, name="agency-detail"),
    path("strategy/<int:year>/", views.strategy_tree, name="strategy-tree"),
    path("", include("indicators.scorecards.urls")),  # performance agreements (issue 18)
    # Fiscal-year rollover (issue 18)
    path("years/<int:year>/prepare/", rollover.year_prepare, name="year-prepare"),
    # City indicators across agencies (issue 18)
    path("compare/<int:year>/", compare.compare_list, name="compare-list"),
    path("compare/<int:year>/<slug:slug>/", compare.compare_detail, name="compare-detail"),
]
