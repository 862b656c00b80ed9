"""Logging in and out through the real forms, CSRF, and safe redirects."""

import re

import pytest

from confman.extensions import db

from conftest import page_text
from factories import PASSWORD, make_user


def test_login_with_right_password_then_logout(client, app):
    make_user("delegate@example.org")
    db.session.commit()

    response = client.post("/login", data={"email": "Delegate@Example.org", "password": PASSWORD})
    home = client.get("/account/")
    logout = client.post("/logout")
    after = client.get("/account/")

    assert response.status_code == 302
    assert "Logged in as delegate@example.org" in page_text(home)
    assert logout.status_code == 302
    assert after.status_code == 302
    assert "/login" in after.headers["Location"]


def test_login_with_wrong_password_says_so_without_revealing_the_account(client, app):
    make_user("delegate@example.org")
    db.session.commit()

    wrong_password = client.post("/login", data={"email": "delegate@example.org", "password": "not it at all"})
    unknown_user = client.post("/login", data={"email": "nobody@example.org", "password": "not it at all"})

    assert wrong_password.status_code == 200
    assert "The email or password is not correct." in page_text(wrong_password)
    assert page_text(wrong_password).replace("delegate@", "x@") == page_text(unknown_user).replace("nobody@", "x@")
    assert client.get("/account/").status_code == 302


def test_login_redirects_only_inside_the_site(client, app):
    make_user("delegate@example.org")
    db.session.commit()

    inside = client.post("/login?next=/manage/", data={"email": "delegate@example.org", "password": PASSWORD})
    client.post("/logout")
    outside = client.post("/login?next=https://evil.example/", data={"email": "delegate@example.org",
                                                                       "password": PASSWORD})
    client.post("/logout")
    scheme_relative = client.post("/login?next=//evil.example/", data={"email": "delegate@example.org",
                                                                         "password": PASSWORD})

    assert inside.headers["Location"] == "/manage/"
    assert outside.headers["Location"] == "/account/"
    assert scheme_relative.headers["Location"] == "/account/"


def test_password_change_logs_out_other_sessions(client, app):
    from confman.services import users

    user = make_user("delegate@example.org")
    db.session.commit()
    client.post("/login", data={"email": "delegate@example.org", "password": PASSWORD})

    users.set_password(user, "another long password")
    db.session.commit()

    assert client.get("/account/").status_code == 302


class TestWithCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_login_without_csrf_token_is_refused_and_logs_nobody_in(self, client, app):
        make_user("delegate@example.org")
        db.session.commit()

        response = client.post("/login", data={"email": "delegate@example.org", "password": PASSWORD})

        assert response.status_code == 400
        assert "Nothing was changed" in page_text(response)
        assert client.get("/account/").status_code == 302

    def test_login_with_the_forms_csrf_token_works(self, client, app):
        make_user("delegate@example.org")
        db.session.commit()
        form = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)

        response = client.post("/login", data={"email": "delegate@example.org", "password": PASSWORD,
                                               "csrf_token": token})

        assert response.status_code == 302
        assert client.get("/account/").status_code == 200

    def test_logout_without_csrf_token_keeps_the_user_logged_in(self, client, app):
        make_user("delegate@example.org")
        db.session.commit()
        form = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
        client.post("/login", data={"email": "delegate@example.org", "password": PASSWORD, "csrf_token": token})

        client.post("/logout")

        assert client.get("/account/").status_code == 200


def test_login_form_fields_carry_no_broken_aria_references(client):
    response = client.get("/login")

    html = response.get_data(as_text=True)
    assert 'id="email"' in html
    assert '="None"' not in html  # an unset aria-describedby once rendered as the text "None"
