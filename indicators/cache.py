"""Caching of figures computed over a whole year, keyed by a fingerprint of the data.

The home page, the strategy tree and the dashboard count thousands of indicators; they reuse a
result while the fingerprint stays the same, and never longer than CACHE_SECONDS.
"""

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection

from indicators.models import Assessment, Indicator, QuarterReport

CACHE_SECONDS = 10 * 60  # a safety net for changes the fingerprint cannot see (strategy links)


def fingerprint() -> str:
    """A value that changes whenever indicators, reports, assessments or links change.

    Every save and delete of those models writes a history row (django-simple-history), and bulk
    inserts take new ids, so the highest ids are a fingerprint that costs index look-ups only
    (Max(updated_at) would scan 120,000 reports). Queryset.update() writes neither: the cache's
    lifetime bounds that case.
    """
    tables = [
        Indicator.history.model,
        QuarterReport.history.model,
        Assessment.history.model,
    ]
    parts = [f"(SELECT MAX(history_id) FROM {m._meta.db_table})" for m in tables]  # noqa: S608
    for model in (Indicator, QuarterReport, Assessment, Indicator.strategy_nodes.through):
        parts.append(f"(SELECT MAX(id) FROM {model._meta.db_table})")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return ":".join(str(value) for value in cursor.fetchone())


def key_for(prefix: str, key_text: str) -> str:
    """A cache key of `prefix` and the data's fingerprint (hashed: keys have a length limit)."""
    text = f"{key_text}:{fingerprint()}"
    return f"{prefix}:{hashlib.sha256(text.encode()).hexdigest()}"


def remember[T](prefix: str, key_text: str, compute: Callable[[], T]) -> T:
    """compute(), reused while the data's fingerprint stays the same."""
    key = key_for(prefix, key_text)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value
