"""Read endpoints (what `access.report_scope` lets the caller see) and the token write endpoint."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from indicators import access
from indicators.api import filters, serializers
from indicators.models import Agency, QuarterReport, StrategyNode


class YearViewSet(viewsets.ReadOnlyModelViewSet):
    """Fiscal years: the public sees published ones, signed-in staff and tokens all."""

    serializer_class = serializers.YearSerializer
    lookup_field = "year"

    def get_queryset(self) -> QuerySet:
        return access.visible_years(self.request.user).order_by("-year")


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """The city's agencies, by 8-digit code."""

    serializer_class = serializers.AgencySerializer
    queryset = Agency.objects.select_related("group").order_by("prefix")
    lookup_field = "code"
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.AgencyFilter


class StrategyNodeViewSet(viewsets.ReadOnlyModelViewSet):
    """The strategy trees' nodes (dimension, sub-dimension, goal, strategy)."""

    serializer_class = serializers.StrategyNodeSerializer
    queryset = StrategyNode.objects.select_related("plan", "parent").order_by("plan", "code")
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.StrategyNodeFilter


def visible_reports(user) -> QuerySet[QuarterReport]:
    """The quarter reports `user` may see (DESIGN §4a), in the years they may see."""
    return QuarterReport.objects.filter(
        access.report_scope(user).reports_q(),
        indicator__fiscal_year__in=access.visible_years(user),
    )


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicators with the official score (the audit quarter's) when the caller may see it."""

    serializer_class = serializers.IndicatorSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.IndicatorFilter

    def get_queryset(self) -> QuerySet:
        official = visible_reports(self.request.user).filter(
            indicator=OuterRef("pk"), quarter=OuterRef("audit_quarter")
        )
        return (
            access.visible_indicators(self.request.user)
            .select_related("agency")
            .annotate(official_score=Subquery(official.values("assessment__score")[:1]))
            .order_by("-fiscal_year_id", "agency__prefix", "number")
        )


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    """Quarter results the caller may see; evidence only as a count, never review notes."""

    serializer_class = serializers.ResultSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = filters.ResultFilter

    def get_queryset(self) -> QuerySet:
        return (
            visible_reports(self.request.user)
            .select_related("indicator__agency", "assessment")
            .annotate(evidence_count=Count("evidence"))
            .order_by(
                "-indicator__fiscal_year_id",
                "indicator__agency__prefix",
                "indicator__number",
                "quarter",
            )
        )
