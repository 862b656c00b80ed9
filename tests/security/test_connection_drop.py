"""Finding 11 of issue 19: a dropped PostgreSQL connection never gives a bare 500.

The attack: the app's connections terminated (pg_terminate_backend) under load; 6 of 10 failed requests got
gunicorn's bare 500 because the request's teardown re-raised OperationalError.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy import text

from confman.extensions import db

from conftest import make_app
from factories import make_event

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(tmp_path, own_postgres_url):
    # No pre-ping: a connection killed while idle in the pool is then met by the request itself, as under load.
    app = make_app(tmp_path, own_postgres_url, SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": False})
    killer = sa.create_engine(own_postgres_url, poolclass=sa.pool.NullPool)

    def terminate_app_connections():
        with killer.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()"))

    @app.route("/_test/dies-before-teardown")
    def dies_before_teardown():
        db.session.execute(text("SELECT 1"))  # the request's transaction is open on this connection ...
        terminate_app_connections()  # ... which dies before the teardown rolls it back
        return "answered"

    app.terminate_app_connections = terminate_app_connections
    with app.app_context():
        db.create_all()
        make_event(slug="prepcon")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
    killer.dispose()


def test_finding_11_a_connection_lost_before_teardown_does_not_turn_the_answer_into_a_500(pg_app):
    client = pg_app.test_client()

    response = client.get("/_test/dies-before-teardown")

    assert response.status_code == 200
    assert response.get_data(as_text=True) == "answered"
    assert client.get("/events/prepcon/").status_code == 200  # and the next request works at once


def test_finding_11_a_safe_request_that_loses_its_connection_is_retried_once(pg_app):
    client = pg_app.test_client()
    assert client.get("/events/prepcon/").status_code == 200  # a connection now waits in the pool
    pg_app.terminate_app_connections()

    response = client.get("/events/prepcon/")

    assert response.status_code == 200


def test_finding_11_an_unsafe_request_that_loses_its_connection_is_503_with_retry_after(pg_app):
    client = pg_app.test_client()
    assert client.get("/login").status_code == 200
    pg_app.terminate_app_connections()

    response = client.post("/login", data={"email": "a@example.org", "password": "a wrong password"})

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "The database cannot be reached" in response.get_data(as_text=True)
    assert client.get("/events/prepcon/").status_code == 200
