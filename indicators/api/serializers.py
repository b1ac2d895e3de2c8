"""What the API shows of each thing: public fields only; figures as numbers, codes as text."""

from rest_framework import serializers

from indicators.models import Agency, FiscalYear, Indicator, QuarterReport, StrategyNode


class YearSerializer(serializers.ModelSerializer):
    class Meta:
        model = FiscalYear
        fields = ["year", "is_published"]


class AgencySerializer(serializers.ModelSerializer):
    group_code = serializers.CharField(source="group.code", default=None, read_only=True)

    class Meta:
        model = Agency
        fields = [
            "code",
            "prefix",
            "name_th",
            "name_en",
            "short_name_th",
            "short_name_en",
            "kind",
            "group_code",
        ]


class StrategyNodeSerializer(serializers.ModelSerializer):
    plan_code = serializers.CharField(source="plan.code", read_only=True)
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = StrategyNode
        fields = ["id", "plan_code", "code", "level", "parent_code", "name_th", "name_en"]


class IndicatorSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="fiscal_year_id", read_only=True)
    agency_code = serializers.CharField(source="agency.code", read_only=True)
    official_score = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="The audit quarter's score, when the reader may see it",
    )

    class Meta:
        model = Indicator
        fields = [
            "year",
            "code",
            "agency_code",
            "display_number",
            "name_th",
            "name_en",
            "unit",
            "measure",
            "direction",
            "aggregation",
            "baseline",
            "target",
            "target_q1",
            "target_q2",
            "target_q3",
            "target_q4",
            "kind",
            "result_level",
            "weight",
            "audit_quarter",
            "official_score",
        ]


class ResultSerializer(serializers.ModelSerializer):
    """A quarter report as the reader may see it: no review comments, evidence as a count."""

    year = serializers.IntegerField(source="indicator.fiscal_year_id", read_only=True)
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    agency_code = serializers.CharField(source="indicator.agency.code", read_only=True)
    evidence_count = serializers.IntegerField(read_only=True)
    score = serializers.DecimalField(
        source="assessment.score",
        max_digits=5,
        decimal_places=2,
        coerce_to_string=False,
        default=None,
        read_only=True,
    )
    is_official = serializers.SerializerMethodField()

    class Meta:
        model = QuarterReport
        fields = [
            "year",
            "indicator_code",
            "agency_code",
            "quarter",
            "value",
            "narrative",
            "status",
            "version",
            "evidence_count",
            "score",
            "is_official",
        ]

    def get_is_official(self, report: QuarterReport) -> bool:
        return report.quarter == report.indicator.audit_quarter


class ResultWriteSerializer(serializers.Serializer):
    """What a system sends to save or submit a quarter (the entry form's fields)."""

    value = serializers.DecimalField(
        max_digits=15, decimal_places=2, allow_null=True, required=False
    )
    narrative = serializers.CharField(allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=1)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(required=False)
