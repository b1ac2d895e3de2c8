"""Filters of the list endpoints (django-filter), by codes as the public pages use them."""

import django_filters

from indicators.models import Agency, Indicator, QuarterReport, StrategyNode


class AgencyFilter(django_filters.FilterSet):
    group = django_filters.CharFilter(field_name="group__code")

    class Meta:
        model = Agency
        fields = ["kind", "group", "prefix"]


class StrategyNodeFilter(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__code")
    parent = django_filters.CharFilter(field_name="parent__code")

    class Meta:
        model = StrategyNode
        fields = ["plan", "level", "parent", "code"]


class IndicatorFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="fiscal_year_id")
    agency = django_filters.CharFilter(field_name="agency__prefix")
    strategy = django_filters.CharFilter(field_name="strategy_nodes__code", distinct=True)

    class Meta:
        model = Indicator
        fields = ["year", "agency", "kind", "result_level", "measure", "code", "strategy"]


class ResultFilter(django_filters.FilterSet):
    year = django_filters.NumberFilter(field_name="indicator__fiscal_year_id")
    agency = django_filters.CharFilter(field_name="indicator__agency__prefix")
    indicator = django_filters.CharFilter(field_name="indicator__code")

    class Meta:
        model = QuarterReport
        fields = ["year", "agency", "indicator", "quarter", "status"]
