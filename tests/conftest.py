"""Fixtures: an app per test on a fresh database (SQLite file, or PostgreSQL when CONFMAN_TEST_DATABASE says so)."""

from __future__ import annotations

import html as html_module
import importlib.util
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from hypothesis import settings
from sqlalchemy import text

from confman import create_app
from confman.extensions import db
from confman.services import users

from support import postgres_server_url, scratch_postgres_database

# The suite runs on slow, shared machines: no per-example deadline (a loaded core failed a 200 ms one), and the
# same examples every run, so a red build is the code's doing, not the draw's.
settings.register_profile("confman", deadline=None, derandomize=True, database=None)
settings.load_profile("confman")

ON_POSTGRES = os.environ.get("CONFMAN_TEST_DATABASE") == "postgresql"
# Apps made without TESTING (config tests) would start the inline job worker, which outlives its test and logs a
# traceback a second against a database without tables; formatting those tracebacks parses source with `ast` in
# that thread, and CPython 3.11 can then fail a concurrent create_app() with "AST constructor recursion depth
# mismatch". Tests that want the worker set JOBS_INLINE themselves.
os.environ.setdefault("CONFMAN_JOBS_INLINE", "false")
# Production hashes with scrypt (~0.1 s a password); tests create hundreds of accounts.
users.PASSWORD_METHOD = "pbkdf2:sha256:1000"
PASSWORD = "correct horse battery"


def pytest_configure(config):
    """Compile the catalogues (.mo files are built, never committed), so a fresh checkout's test run is translated."""
    hook = Path(__file__).resolve().parent.parent / "hatch_build.py"
    spec = importlib.util.spec_from_file_location("hatch_build", hook)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.compile_catalogues()


@pytest.fixture(scope="session")
def postgres_url():
    """A scratch PostgreSQL database for this run; skips (saying why) when no server answers."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers (set CONFMAN_TEST_POSTGRES_URL, or start one at 127.0.0.1:5432)")
    with scratch_postgres_database(server) as url:
        yield url


@pytest.fixture(scope="session")
def _postgres_schema(request):
    if not ON_POSTGRES:
        return None
    url = request.getfixturevalue("postgres_url")
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return url


class IsolatedClient(FlaskClient):
    """Each request in an app context of its own, as in production: its own DB session, its own `g`.

    Without this, requests would share the test's app context, and Flask-Login's cached user would leak
    from one request to the next.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


def make_app(tmp_path, database_url: str, **overrides):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "CACHE_FOLDER": str(tmp_path / "cache"),
        "STAGING_FOLDER": str(tmp_path / "staging"),
        "JOBS_EAGER": True,  # a request runs the jobs it enqueued (mail) at once; test_scale_out runs real workers
        "SERVER_NAME": "confman.test",
        "RATELIMIT_ENABLED": False,  # tests log in often; test_security turns it back on
    }
    config.update(overrides)
    app = create_app(config)
    app.test_client_class = IsolatedClient
    return app


@contextmanager
def rush_postgres_app(tmp_path, threads: int):
    """An app on a scratch PostgreSQL database with a connection per racing thread (the rush tests); skips
    when no server answers."""
    server = postgres_server_url()
    if server is None:
        pytest.skip("no PostgreSQL server answers at CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432")
    with scratch_postgres_database(server) as url:
        app = make_app(tmp_path, url, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": threads, "max_overflow": 5,
                                                                 "pool_timeout": 120})
        with app.app_context():
            db.create_all()
            yield app
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app_config():
    """Overrides a test module can replace (e.g. to turn CSRF back on)."""
    return {}


@pytest.fixture
def app(tmp_path, _postgres_schema, app_config):
    url = _postgres_schema or f"sqlite:///{tmp_path / 'confman.sqlite3'}"
    app = make_app(tmp_path, url, **app_config)
    with app.app_context():
        if not ON_POSTGRES:
            db.create_all()
        yield app
        db.session.remove()
        if ON_POSTGRES:
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as conn:
                conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """Log in through the real form, as a user would."""

    def do_login(user, password: str = PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, f"login of {user.email} failed"
        return client

    return do_login


def page_text(response) -> str:
    """The visible text of an HTML response, whitespace collapsed, for assertions on what a user reads."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", html))).strip()
