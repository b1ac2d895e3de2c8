"""collectstatic without the static files nobody is served (Django's documented way)."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class KpiStaticFilesConfig(StaticFilesConfig):
    # drf-spectacular-sidecar ships Redoc (5 MB) beside Swagger UI; the API docs use Swagger UI,
    # and compressing Redoc's bundle and map slowed every collectstatic by minutes here.
    ignore_patterns = [*StaticFilesConfig.ignore_patterns, "drf_spectacular_sidecar/redoc/*"]
