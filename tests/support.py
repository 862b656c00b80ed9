"""Test infrastructure shared by conftest.py and scripts/run_tests.py: where PostgreSQL and Chromium are."""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager

import psycopg

CHROMIUM = os.environ.get("CONFMAN_TEST_CHROMIUM", "/usr/bin/chromium")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_server_url() -> str | None:
    """CONFMAN_TEST_POSTGRES_URL, or the local server when it answers; None when there is none."""
    url = os.environ.get("CONFMAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return url
    except psycopg.Error:
        return None


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


@contextmanager
def scratch_postgres_database(server_url: str):
    """A database of its own for one test run, so parallel runs (and developers) never share tables."""
    name = f"confman_test_{os.getpid()}_{secrets.token_hex(3)}"
    with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = server_url.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_libpq(server_url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
