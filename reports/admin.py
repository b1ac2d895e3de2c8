from django.contrib import admin

from reports.models import AgencyBook


@admin.register(AgencyBook)
class AgencyBookAdmin(admin.ModelAdmin):
    """Built books, to see what is cached, queued or failed; they are built from the site."""

    list_display = ["agency", "fiscal_year", "language", "status", "done", "total", "finished_at"]
    list_filter = ["status", "fiscal_year", "language"]
    search_fields = ["agency__prefix", "agency__name_th"]
    readonly_fields = [f.name for f in AgencyBook._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
