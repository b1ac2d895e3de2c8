from django.urls import path

from indicators import import_views, views

app_name = "indicators"

urlpatterns = [
    path("", views.home, name="home"),
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
]
