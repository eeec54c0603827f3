"""Reports the PostgreSQL client library psycopg2 was built against.

psycopg2 (not psycopg2-binary) compiles against libpq, so the image needs libpq-dev and
a compiler to build, and libpq5 to run.
"""
import sys

import psycopg2
import psycopg2.extensions


def main() -> int:
    version = psycopg2.extensions.libpq_version()
    print(f"psycopg2 {psycopg2.__version__.split()[0]} with libpq {version // 10000}.{version % 100}")
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        return 0 if version > 0 else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
