from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path(
        "indicators/<int:year>/<str:code>/sheet.pdf",
        views.indicator_sheet,
        name="indicator-sheet",
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
]
