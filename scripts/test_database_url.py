"""Print the database URL the test suite should use, and say in one line which it is.

DATABASE_URL wins; else the PostgreSQL server on 127.0.0.1:5432 (user postgres, trust auth);
else SQLite, unless REQUIRE_POSTGRES=1, which makes a missing PostgreSQL an error.
"""

import os
import sys

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def postgres_answers(url: str) -> bool:
    try:
        import psycopg2
    except ImportError:
        return False
    try:
        psycopg2.connect(url, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def main() -> int:
    url = os.environ.get("DATABASE_URL") or LOCAL_POSTGRES
    if url.startswith("postgres") and postgres_answers(url):
        print(f"make test: PostgreSQL at {url.split('@')[-1]}", file=sys.stderr)
        print(url)
        return 0
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        print(
            f"make test: REQUIRE_POSTGRES=1 but PostgreSQL does not answer at {url}",
            file=sys.stderr,
        )
        return 1
    print("make test: no PostgreSQL reachable, running on SQLite", file=sys.stderr)
    print("sqlite:///var/test.sqlite3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
