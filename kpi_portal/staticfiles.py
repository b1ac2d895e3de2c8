"""collectstatic without the static files nobody is served."""

from django.contrib.staticfiles import finders

# drf-spectacular-sidecar ships Redoc (5 MB) beside Swagger UI; the API docs use Swagger UI, and
# compressing Redoc's bundle and map slowed every collectstatic by minutes on these machines.
UNSERVED = ["drf_spectacular_sidecar/redoc/*"]


class AppDirectoriesFinder(finders.AppDirectoriesFinder):
    """Django's finder of the apps' static/ folders, less the UNSERVED files.

    A finder, not a custom StaticFilesConfig: pytest-django's live server serves static files
    only when the literal "django.contrib.staticfiles" is in INSTALLED_APPS.
    """

    def list(self, ignore_patterns):
        return super().list([*(ignore_patterns or []), *UNSERVED])
