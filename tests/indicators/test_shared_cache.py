"""The shared cache (CACHE_URL=redis://…, Django's RedisCache) against a real Redis or Valkey
server on 127.0.0.1:6379: figures, page fragments and sessions go through it.

Each xdist worker uses a database number of its own. Without a server the tests are skipped,
unless CI is set (.ci/run starts one): then they fail.
"""

import os
import socket

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from indicators.cache import remember

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("staff_page_cache")]

HOST, PORT = "127.0.0.1", 6379
DETAIL = "/indicators/2570/5030-2001/"


def _server_answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def _database_number() -> int:
    """10 for a run without xdist, 11, 12… for workers gw0, gw1…"""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return 10 + (int(worker.removeprefix("gw")) + 1 if worker else 0)


@pytest.fixture
def redis_cache(settings):
    if not _server_answers():
        message = f"no Redis/Valkey server answers on {HOST}:{PORT} (.ci/run starts one)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    settings.CACHE_URL = f"redis://{HOST}:{PORT}/{_database_number()}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.CACHE_URL,
            "KEY_PREFIX": f"kpi-test-{os.getpid()}",
        }
    }
    cache.clear()  # this worker's own database
    yield cache
    cache.clear()


def test_the_shared_cache_is_redis(redis_cache):
    assert isinstance(caches["default"], RedisCache)
    redis_cache.set("probe", "ค่า", 10)
    assert redis_cache.get("probe") == "ค่า"
    raw = caches["default"]._cache.get_client(write=False)  # the server itself holds it
    assert raw.exists(caches["default"].make_and_validate_key("probe"))


def test_a_figure_is_kept_in_the_shared_cache(redis_cache):
    calls: list[int] = []

    def compute() -> dict:
        calls.append(1)
        return {"count": len(calls)}

    assert remember("test-figure", "x", compute, year=2570) == {"count": 1}
    assert remember("test-figure", "x", compute, year=2570) == {"count": 1}
    assert len(calls) == 1


def test_a_fragment_is_shared_by_two_managers_through_redis(redis_cache, manager):
    first = Client()
    first.force_login(manager)
    rendered = first.get(DETAIL)
    assert "summary" in rendered.context
    second = Client()  # another web node: nothing of the first in its memory
    second.force_login(manager)
    served = second.get(DETAIL)
    assert served.status_code == 200
    assert served.templates == []  # the same user: parts and shell both kept in Redis
    assert b"5030-2001" in served.content


def test_a_signed_in_page_reads_its_session_from_redis(
    redis_cache, manager, django_assert_num_queries
):
    client = Client()
    client.force_login(manager)
    client.get(DETAIL)
    with django_assert_num_queries(1):  # the data's versions only
        assert client.get(DETAIL).status_code == 200
