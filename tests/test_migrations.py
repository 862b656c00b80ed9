"""The Alembic migrations build the schema the models describe, on SQLite and PostgreSQL."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from confman.extensions import db

from conftest import make_app
from support import postgres_server_url, scratch_postgres_database


def _upgrade_then_diff(tmp_path, url):
    app = make_app(tmp_path, url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            diff = compare_metadata(context, db.metadata)
            tables = set(inspect(conn).get_table_names())
        downgrade(revision="base")
        with db.engine.connect() as conn:
            left = set(inspect(conn).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    return diff, tables, left


def test_migrations_match_the_models_on_sqlite(tmp_path):
    diff, tables, left = _upgrade_then_diff(tmp_path, f"sqlite:///{tmp_path / 'migrated.sqlite3'}")

    assert diff == []
    assert set(db.metadata.tables) <= tables
    assert left == set()


@pytest.mark.postgres
def test_migrations_match_the_models_on_postgresql(tmp_path):
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    with scratch_postgres_database(server) as url:
        diff, tables, left = _upgrade_then_diff(tmp_path, url)

    assert diff == []
    assert set(db.metadata.tables) <= tables
    assert left == set()
