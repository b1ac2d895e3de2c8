"""Settings for the test suite: the production settings with test-only secrets and speed-ups."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
# Each pytest-xdist worker its own uploads folder: workers inherit the controller's environment,
# and tests that list the folder must not see another worker's files.
if os.environ.get("PYTEST_XDIST_WORKER") or "MEDIA_ROOT" not in os.environ:
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="kpi-media-")

from kpi_portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="kpi-static-"))  # whitenoise wants it to exist
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
# Tests read response.context, which a cached page has none of: tests/indicators/test_page_cache.py
# and the browser stories turn the public page cache on with the `public_page_cache` fixture.
PUBLIC_PAGE_CACHE_SECONDS = 0
# The demo database the suite's controller built once (tests/template_database.py): each
# worker's test database is a copy of it instead of a fresh migrate and demo load.
if os.environ.get("KPI_TEST_TEMPLATE"):
    DATABASES["default"]["TEST"] = {"TEMPLATE": os.environ["KPI_TEST_TEMPLATE"]}  # noqa: F405
# Likewise the page fragments kept for signed-in readers (the `staff_page_cache` fixture).
STAFF_PAGE_CACHE_SECONDS = 0
