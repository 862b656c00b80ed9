"""Security headers, login throttling and cookie flags."""

import pytest

from confman.extensions import db

from factories import PASSWORD, make_user


def test_every_page_sends_security_headers(client):
    response = client.get("/")

    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_pages_have_no_inline_scripts(client):
    import re

    html = client.get("/login").get_data(as_text=True)

    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []


class TestLoginThrottle:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute"}

    def test_repeated_failed_logins_are_throttled(self, client, app):
        make_user("delegate@example.org")
        db.session.commit()

        statuses = [client.post("/login", data={"email": "delegate@example.org", "password": "wrong one!"}).status_code
                    for _ in range(4)]
        blocked_even_with_right_password = client.post("/login", data={"email": "delegate@example.org",
                                                                        "password": PASSWORD})

        assert statuses == [200, 200, 200, 429]
        assert blocked_even_with_right_password.status_code == 429
        assert "Too many login attempts" in blocked_even_with_right_password.get_data(as_text=True)
        assert client.get("/login").status_code == 200  # reading the form is not limited


def test_session_cookie_is_secure_httponly_and_samesite_in_production(monkeypatch, tmp_path):
    from confman import create_app

    monkeypatch.setenv("CONFMAN_ENV", "production")
    monkeypatch.setenv("CONFMAN_SECRET_KEY", "s3cret-for-this-test")
    monkeypatch.setenv("CONFMAN_BASE_URL", "https://conference.example.org")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite3'}"})

    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
