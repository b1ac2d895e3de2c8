from django.urls import path

from reports import dashboard_views

app_name = "reports"

urlpatterns: list = [
    path("dashboard/<int:year>/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<int:year>/print/", dashboard_views.dashboard_print, name="dashboard-print"),
    path("dashboard/<int:year>/dashboard.pdf", dashboard_views.dashboard_pdf, name="dashboard-pdf"),
]
