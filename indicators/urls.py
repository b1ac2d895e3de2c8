from django.urls import path

from indicators import import_views, views, workflow_views

app_name = "indicators"

report = "indicators/<int:year>/<str:code>/q<int:quarter>/"

urlpatterns = [
    path("", views.home, name="home"),
    # Reporting and review (issue 4)
    path("my/", workflow_views.my_work, name="my-work"),
    path("review/", workflow_views.review_queue, name="review-queue"),
    path(f"{report}edit/", workflow_views.report_edit, name="report-edit"),
    path(f"{report}review/", workflow_views.report_review, name="report-review"),
    path(f"{report}audit-quarter/", workflow_views.audit_quarter_set, name="audit-quarter-set"),
    path("evidence/<int:pk>/", workflow_views.evidence_download, name="evidence-download"),
    path(
        "indicators/<int:year>/<str:code>/appeal/",
        workflow_views.appeal_create,
        name="appeal-create",
    ),
    path("review/appeals/<int:pk>/", workflow_views.appeal_decide, name="appeal-decide"),
    path(
        "appeals/<int:pk>/evidence/",
        workflow_views.appeal_evidence_download,
        name="appeal-evidence-download",
    ),
    # Spreadsheets in and out, open data (issue 6)
    path("imports/", import_views.import_upload, name="import-upload"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm_view, name="import-confirm"),
    path("imports/<int:pk>/revert/", import_views.import_revert_view, name="import-revert"),
    path(
        "imports/template/<slug:kind>.<slug:file_format>",
        import_views.import_template,
        name="import-template",
    ),
    path("open-data/<int:year>/indicators.csv", import_views.open_data_csv, name="open-data-csv"),
    path(
        "open-data/<int:year>/indicators.json", import_views.open_data_json, name="open-data-json"
    ),
    # Pages everyone reads (issue 3)
    path("indicators/", views.indicator_list, name="indicator-list"),
    path("indicators/<int:year>/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("agencies/<str:prefix>/<int:year>/", views.agency_detail, name="agency-detail"),
    path("strategy/<int:year>/", views.strategy_tree, name="strategy-tree"),
]
