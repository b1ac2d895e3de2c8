"""Benchmark settings: production settings on the PostgreSQL benchmark database."""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kpi_bench")

from kpi_portal.settings import *  # noqa: F403

STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
ALLOWED_HOSTS = ["*"]  # the benchmark's test client only
LOGGING = {"version": 1, "disable_existing_loggers": True}
# The production caches: benchmarks.harness.cache_mode turns every cache off for "rendered" rows.
