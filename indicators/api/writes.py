"""The write API: an agency's system saves and submits quarter results, as the entry form does.

Same form validation, same services (versions, windows, history with the token's user), same
messages, as JSON. A token writes only its own agency's results, and nothing else.
"""

from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from indicators import access
from indicators.api.authentication import ApiTokenAuthentication
from indicators.api.permissions import AgencyTokenOnly
from indicators.api.serializers import ErrorSerializer, ResultSerializer, ResultWriteSerializer
from indicators.models import Indicator, QuarterReport
from indicators.workflow import services
from indicators.workflow.forms import ReportForm

ERRORS = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid value (the form's messages)"),
    403: OpenApiResponse(ErrorSerializer, description="Not this token's agency"),
    409: OpenApiResponse(ErrorSerializer, description="Saved by someone else since `version`"),
    422: OpenApiResponse(ErrorSerializer, description="Refused: submitted, approved or closed"),
}


def _form_data(data) -> QueryDict:
    """The JSON body as the entry form's POST data (numbers as text, null as empty)."""
    posted = QueryDict(mutable=True)
    for name in ("value", "narrative", "version"):
        value = data.get(name)
        posted[name] = "" if value is None else str(value)
    return posted


class ResultWriteView(APIView):
    """Save (PUT) or submit (POST …/submit/) one quarter's result of the token's agency."""

    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [AgencyTokenOnly]
    http_method_names = ["put", "options"]
    submitting = False

    def _report(self, request: Request, year: int, code: str, quarter: int) -> QuarterReport:
        indicator = get_object_or_404(Indicator, fiscal_year_id=year, code=code)
        if indicator.agency_id != request.auth.agency_id:
            self.permission_denied(request, message=_("โทเคนนี้บันทึกได้เฉพาะตัวชี้วัดของหน่วยงานที่ได้รับโทเคน"))
        return access.get_report_for_edit(request.user, year, code, quarter)

    def _write(self, request: Request, year: int, code: str, quarter: int) -> Response:
        report = self._report(request, year, code, quarter)
        if not isinstance(request.data, dict):  # a JSON list or number, not an object
            return Response({"detail": _("ข้อมูลไม่ถูกต้อง")}, status=400)
        form = ReportForm(_form_data(request.data), report=report, submitting=self.submitting)
        if not form.is_valid():
            detail = _("ข้อมูลไม่ถูกต้อง")
            return Response({"detail": detail, "errors": form.errors.get_json_data()}, status=400)
        service = services.report_submit if self.submitting else services.report_save
        try:
            saved = service(
                report=report,
                by=request.user,
                value=form.cleaned_data["value"],
                narrative=form.cleaned_data["narrative"],
                version=form.cleaned_data["version"],
            )
        except services.ConflictError as error:
            body = {"detail": error.message, "current": _current(error.current)}
            return Response(body, status=status.HTTP_409_CONFLICT)
        except services.TransitionError as error:
            return Response({"detail": error.message}, status=422)
        return Response(ResultSerializer(_with_counts(saved)).data)

    @extend_schema(
        request=ResultWriteSerializer,
        responses={200: ResultSerializer, **ERRORS},
        summary="Save a quarter's result as a draft",
    )
    def put(self, request: Request, year: int, code: str, quarter: int) -> Response:
        return self._write(request, year, code, quarter)


class ResultSubmitView(ResultWriteView):
    http_method_names = ["post", "options"]
    submitting = True

    @extend_schema(
        request=ResultWriteSerializer,
        responses={200: ResultSerializer, **ERRORS},
        summary="Save and submit a quarter's result for review",
    )
    def post(self, request: Request, year: int, code: str, quarter: int) -> Response:
        return self._write(request, year, code, quarter)


def _with_counts(report: QuarterReport) -> QuarterReport:
    """The saved report as the read API shows it (evidence as a count)."""
    return (
        QuarterReport.objects.select_related("indicator__agency", "assessment")
        .annotate(evidence_count=Count("evidence"))
        .get(pk=report.pk)
    )


def _current(report: QuarterReport) -> dict:
    return {
        "version": report.version,
        "value": report.value,
        "narrative": report.narrative,
        "status": report.status,
    }
