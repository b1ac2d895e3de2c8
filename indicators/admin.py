"""Administration of reference data, indicators and their reports, in Thai, with history."""

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.contrib.admin.options import ActionLocation
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin
from simple_history.admin import SimpleHistoryAdmin

from indicators import access, models
from indicators.scorecards.cards import weight_messages
from indicators.spreadsheets import resources
from indicators.spreadsheets.admin_formats import SafeImportExportMixin


class KeepRecordMixin(admin.ModelAdmin):
    """Deletes follow the record-keeping rules of access.py; no bulk delete bypasses them."""

    delete_rule: Callable[[Any, Any], bool] = staticmethod(lambda user, obj: False)

    def has_delete_permission(self, request, obj=None) -> bool:
        if obj is None:
            return super().has_delete_permission(request)
        return self.delete_rule(request.user, obj)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions


@admin.register(models.DistrictGroup)
class DistrictGroupAdmin(admin.ModelAdmin):
    list_display = ["order", "name_th", "name_en", "code"]
    list_display_links = ["name_th"]
    search_fields = ["name_th", "name_en", "code"]


class AgencyMembershipInline(admin.TabularInline):
    model = models.AgencyMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(models.Agency)
class AgencyAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.AgencyResource]
    list_display = ["prefix", "code", "name_th", "name_en", "kind", "group"]
    list_display_links = ["prefix", "name_th"]
    list_filter = ["kind", "group", "needs_name"]
    search_fields = ["prefix", "code", "name_th", "name_en"]
    list_select_related = ["group"]
    inlines = [AgencyMembershipInline]


@admin.register(models.AgencyMembership)
class AgencyMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agency"]
    list_select_related = ["user", "agency"]
    search_fields = ["user__username", "agency__prefix", "agency__name_th"]
    autocomplete_fields = ["user", "agency"]


class QuarterWindowInline(admin.TabularInline):
    model = models.QuarterWindow
    extra = 0


@admin.register(models.FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "start_date", "end_date", "is_published"]
    list_filter = ["is_published"]
    inlines = [QuarterWindowInline]


@admin.register(models.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "order"]
    search_fields = ["code", "name_th", "name_en"]


@admin.register(models.StrategyNode)
class StrategyNodeAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [resources.StrategyNodeResource]
    list_display = ["code", "name_th", "level", "plan", "parent"]
    list_filter = ["plan", "level"]
    search_fields = ["code", "name_th", "name_en"]
    list_select_related = ["plan", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(models.Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "progress"]
    search_fields = ["code", "name_th"]


@admin.register(models.Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["code", "title_th"]
    search_fields = ["code", "title_th"]


class LevelCriterionInline(admin.TabularInline):
    model = models.LevelCriterion
    extra = 0


class IndicatorProjectInline(admin.TabularInline):
    model = models.IndicatorProject
    extra = 0
    autocomplete_fields = ["project"]


class IndicatorDatasetInline(admin.TabularInline):
    model = models.IndicatorDataset
    extra = 0
    autocomplete_fields = ["dataset"]


# A report's value, status and score change only through the services (entry form, review
# page, appeals, imports): they raise `version` and name the actor and the reason in the history.
REPORT_FACTS = [
    "indicator",
    "quarter",
    "value",
    "narrative",
    "status",
    "submitted_by",
    "submitted_at",
    "is_unlocked",
    "version",
]
ASSESSMENT_FACTS = [
    "report",
    "score",
    "score_2_1",
    "score_2_2",
    "suggested_score",
    "reason",
    "assessed_by",
    "assessed_at",
]


class QuarterReportInline(admin.TabularInline):
    model = models.QuarterReport
    fields = ["quarter", "value", "status", "submitted_by", "submitted_at"]
    readonly_fields = ["quarter", "value", "status", "submitted_by", "submitted_at"]
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # a quarter's report is created by its first save on the entry form


@admin.register(models.Indicator)
class IndicatorAdmin(KeepRecordMixin, SafeImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [resources.IndicatorResource]
    list_display = ["code", "display_number", "name_th", "agency", "fiscal_year", "kind", "target"]
    list_display_links = ["code", "name_th"]
    list_filter = ["fiscal_year", "kind", "result_level", "measure", "agency__group"]
    search_fields = ["code", "name_th", "name_en", "agency__name_th"]
    list_select_related = ["agency", "fiscal_year"]
    autocomplete_fields = ["agency", "strategy_nodes"]
    # Lineage is written by the rollover only (indicators/rollover/services.py), the city
    # indicator by compare.services.city_indicator_assign only.
    readonly_fields = [
        "code",
        "source_url",
        "import_batch",
        "source_text",
        "continues",
        "city_indicator",
    ]
    inlines = [
        LevelCriterionInline,
        IndicatorProjectInline,
        IndicatorDatasetInline,
        QuarterReportInline,
    ]

    def save_model(self, request, obj, form, change) -> None:
        obj.code = models.Indicator.build_code(obj.agency.prefix, obj.number)
        super().save_model(request, obj, form, change)
        for message in weight_messages([(obj.agency_id, obj.fiscal_year_id)]):
            messages.warning(request, message)

    delete_rule = staticmethod(access.can_delete_indicator)


class EvidenceInline(admin.TabularInline):
    model = models.Evidence
    fields = readonly_fields = ("original_name", "size", "uploaded_by", "uploaded_at")
    extra = 0


class ThroughServicesMixin:
    """Facts shown read-only, with links to the pages that change them through the services."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # view only: a save here would write history without raising `version`

    def _report_links(self, report: models.QuarterReport) -> str:
        kwargs = {
            "year": report.indicator.fiscal_year_id,
            "code": report.indicator.code,
            "quarter": report.quarter,
        }
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("indicators:report-review", kwargs=kwargs),
            _("ตรวจ อนุมัติ ส่งกลับ ให้คะแนน หรือเปิดให้แก้ไข"),
            reverse("indicators:report-edit", kwargs=kwargs),
            _("แบบฟอร์มรายงานผล"),
        )


@admin.register(models.QuarterReport)
class QuarterReportAdmin(ThroughServicesMixin, KeepRecordMixin, ExportMixin, SimpleHistoryAdmin):
    """Exports here; imports go through the import page (checked, recorded, revertible)."""

    resource_classes = [resources.ResultResource]
    list_display = ["indicator", "quarter", "value", "status", "submitted_at"]
    list_filter = ["status", "quarter", "indicator__fiscal_year"]
    search_fields = ["indicator__code", "indicator__name_th"]
    list_select_related = ["indicator"]
    readonly_fields = [*REPORT_FACTS, "change_through"]
    inlines = [EvidenceInline]

    delete_rule = staticmethod(access.can_delete_report)

    @admin.display(description=_("แก้ไขผ่าน"))
    def change_through(self, obj: models.QuarterReport) -> str:
        return self._report_links(obj) if obj.pk else "—"


@admin.register(models.Assessment)
class AssessmentAdmin(ThroughServicesMixin, KeepRecordMixin, SimpleHistoryAdmin):
    list_display = ["report", "score", "score_2_1", "score_2_2", "assessed_by", "assessed_at"]
    list_filter = ["report__quarter", "report__indicator__fiscal_year"]
    search_fields = ["report__indicator__code"]
    list_select_related = ["report__indicator", "assessed_by"]
    readonly_fields = [*ASSESSMENT_FACTS, "change_through"]

    delete_rule = staticmethod(access.can_delete_assessment)

    @admin.display(description=_("แก้ไขผ่าน"))
    def change_through(self, obj: models.Assessment) -> str:
        return self._report_links(obj.report) if obj.pk else "—"


@admin.register(models.ReviewComment)
class ReviewCommentAdmin(admin.ModelAdmin):
    list_display = ["report", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["report__indicator", "author"]
    raw_id_fields = ["report"]


@admin.register(models.Appeal)
class AppealAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "kind", "round", "quarter", "status", "created_at"]
    list_filter = ["status", "kind", "round"]
    search_fields = ["indicator__code"]
    list_select_related = ["indicator"]
    raw_id_fields = ["indicator"]
    # Deciding changes a score or a target: only the appeals page does it (appeal_decide).
    readonly_fields = ["status", "decided_by", "decided_at", "decision_note"]


@admin.register(models.Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["original_name", "report", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["report__indicator", "uploaded_by"]
    raw_id_fields = ["report"]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Read-only record of imports; imports and reverts happen on the import page."""

    list_display = ["created_at", "created_by", "file_name", "kind", "status", "created_count"]
    list_filter = ["status", "kind", "file_format"]
    list_select_related = ["created_by"]
    # Nothing is typed in here; the add page stays renderable for the admin guard test.
    readonly_fields = [f.name for f in models.ImportBatch._meta.fields]

    def has_change_permission(self, request, obj=None) -> bool:
        return False


from indicators.api import admin as api_admin  # noqa: E402, F401  (registers ApiToken)


@admin.register(models.CityIndicator)
class CityIndicatorAdmin(admin.ModelAdmin):
    """The city's definition; its agency indicators are made only by the assignment service."""

    list_display = ["slug", "name_th", "fiscal_year", "number", "city_rule", "assignment_count"]
    list_filter = ["fiscal_year", "city_rule"]
    search_fields = ["slug", "name_th", "name_en"]
    actions = ["assign_to_all_districts"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(assigned=Count("assignments"))

    @admin.display(description=_("จำนวนหน่วยงาน"), ordering="assigned")
    def assignment_count(self, obj) -> int:
        return obj.assigned

    def get_readonly_fields(self, request, obj=None):
        # The number is in every agency's code once assigned.
        return ["fiscal_year", "number"] if obj and obj.assignments.exists() else []

    @admin.action(description=_("มอบให้ทั้ง 50 เขต"))
    def assign_to_all_districts(self, request, queryset) -> None:
        from indicators.compare.services import city_indicator_assign

        districts = list(models.Agency.objects.districts())
        for city in queryset:
            result = city_indicator_assign(city_indicator=city, agencies=districts, by=request.user)
            self.message_user(
                request,
                _("%(slug)s: สร้างใหม่ %(created)s มีอยู่แล้ว %(existing)s รหัสซ้ำ %(conflicts)s")
                % {
                    "slug": city.slug,
                    "created": len(result.created),
                    "existing": len(result.existing),
                    "conflicts": len(result.conflicts),
                },
            )
