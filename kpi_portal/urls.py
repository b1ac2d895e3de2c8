from django.contrib import admin
from django.urls import include, path

from kpi_portal import views

handler400 = "kpi_portal.views.bad_request"

admin.site.site_header = "KPI Portal กรุงเทพมหานคร"
admin.site.site_title = "KPI Portal"
admin.site.index_title = "ผู้ดูแลระบบ"

urlpatterns = [
    # Browsers and feed readers ask for /favicon.ico whatever the page says.
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("indicators.api.urls")),
    path("", include("indicators.urls")),
    path("", include("reports.urls")),
]
