from django.urls import path

from reports import views
from reports.dashboard import views as dashboard_views

app_name = "reports"

urlpatterns = [
    path("dashboard/<int:year>/", dashboard_views.dashboard_page, name="dashboard"),
    path("dashboard/<int:year>/print/", dashboard_views.dashboard_print, name="dashboard-print"),
    path("dashboard/<int:year>/dashboard.pdf", dashboard_views.dashboard_pdf, name="dashboard-pdf"),
    path(
        "indicators/<int:year>/<str:code>/sheet.pdf",
        views.indicator_sheet,
        name="indicator-sheet",
    ),
    path(
        "scorecards/<int:year>/<str:prefix>/agreement.pdf",
        views.scorecard_agreement,
        name="scorecard-agreement",
    ),
    path(
        "scorecards/<int:year>/<str:prefix>/result.pdf",
        views.scorecard_result,
        name="scorecard-result",
    ),
    path(
        "reports/<int:year>/agencies/<str:code>.pdf",
        views.agency_book,
        name="agency-book",
    ),
    path(
        "reports/<int:year>/agencies/<str:code>/",
        views.agency_book_status,
        name="agency-book-status",
    ),
    path(
        "reports/<int:year>/agencies/<str:code>/rebuild/",
        views.agency_book_rebuild,
        name="agency-book-rebuild",
    ),
]
