"""Print the database URL the test suite should use, and say in one line which it is.

DATABASE_URL wins (an error if its server does not answer); else the PostgreSQL server on
127.0.0.1:5432 (user postgres, trust auth); else SQLite, unless REQUIRE_POSTGRES=1, which makes a
missing PostgreSQL an error.
"""

import os
import sys
from urllib.parse import urlsplit, urlunsplit

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_answers(url: str) -> bool:
    """Whether the server answers; the database itself need not exist (the suite makes
    test_<name> from the server's own `postgres` database)."""
    try:
        import psycopg2
    except ImportError:
        return False
    server = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        psycopg2.connect(server, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def main() -> int:
    url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if not url.startswith("postgres"):  # e.g. DATABASE_URL=sqlite:///…, chosen on purpose
        print(f"make test: {url}", file=sys.stderr)
        print(url)
        return 0
    if postgres_answers(url):
        print(f"make test: PostgreSQL at {url.split('@')[-1]}", file=sys.stderr)
        print(url)
        return 0
    if os.environ.get("REQUIRE_POSTGRES") == "1" or os.environ.get("DATABASE_URL"):
        print(
            f"make test: PostgreSQL does not answer at {url.split('@')[-1]}"
            " (DATABASE_URL or REQUIRE_POSTGRES=1 asks for it)",
            file=sys.stderr,
        )
        return 1
    print("make test: no PostgreSQL reachable, running on SQLite", file=sys.stderr)
    print("sqlite:///var/test.sqlite3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
