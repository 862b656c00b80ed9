"""Configuration from the environment, and refusing to run production with development secrets."""

import pytest

from confman import create_app


def test_app_refuses_to_start_in_production_with_the_development_secret_key(monkeypatch):
    monkeypatch.delenv("CONFMAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("CONFMAN_ENV", "production")

    with pytest.raises(RuntimeError, match="CONFMAN_SECRET_KEY is not set"):
        create_app()


def test_app_reads_secret_key_and_database_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFMAN_ENV", "production")
    monkeypatch.setenv("CONFMAN_SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("CONFMAN_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.setenv("CONFMAN_BASE_URL", "https://conference.example.org")

    app = create_app()

    assert app.config["SECRET_KEY"] == "a-real-secret"
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("x.sqlite3")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_mode_allows_the_default_key(monkeypatch):
    monkeypatch.delenv("CONFMAN_SECRET_KEY", raising=False)
    monkeypatch.setenv("CONFMAN_ENV", "development")

    assert create_app().config["SECRET_KEY"] == "dev-only"
