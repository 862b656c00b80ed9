"""Findings 3, 4 and 5 of issue 19: sessions that end, sign-in links that work once, logins that time alike."""

from __future__ import annotations

import re
import time

import pytest
from itsdangerous import TimestampSigner

from confman.extensions import db
from confman.services import users

from conftest import PASSWORD, page_text
from factories import NOW, make_user

HOST = "confman.test"


@pytest.fixture
def app_config(smtp_port):
    return {"SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?from=prepcon@confman.example"}


def cookie(client, name: str) -> str:
    found = client.get_cookie(name, domain=HOST)
    assert found is not None, f"no {name} cookie"
    return found.value


def browser_with(app, **cookies):
    """Another browser holding copies of someone's cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value, domain=HOST)
    return other


def log_in(client, user, **extra):
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, **extra})
    assert response.status_code == 302
    return client


def is_signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_finding_3_a_copied_session_cookie_stops_working_after_logout(app, client):
    user = make_user("ada@example.org")
    db.session.commit()
    log_in(client, user)
    copy = browser_with(app, session=cookie(client, "session"))
    assert is_signed_in(copy)

    client.post("/logout")

    assert not is_signed_in(copy)
    assert copy.get("/account/").headers["Location"].startswith("/login")


def test_finding_3_a_copied_remember_cookie_stops_working_after_logout(app, client):
    user = make_user("ada@example.org")
    db.session.commit()
    log_in(client, user, remember="y")
    copy = browser_with(app, remember_token=cookie(client, "remember_token"))
    assert is_signed_in(copy)

    client.post("/logout")

    assert not is_signed_in(copy)


def test_finding_3_sign_out_everywhere_on_the_account_page_ends_every_session(app, client):
    user = make_user("ada@example.org")
    db.session.commit()
    laptop, phone = log_in(client, user), log_in(app.test_client(), user, remember="y")
    page = laptop.get("/account/")
    assert "Sign out everywhere" in page_text(page)

    response = laptop.post("/account/sign-out-everywhere")

    assert response.status_code == 302
    assert "You are signed out on every device" in page_text(laptop.get(response.headers["Location"]))
    assert not is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert is_signed_in(log_in(app.test_client(), user))  # the password still works


def sign_in_link(mailbox, to: str) -> str:
    path = re.findall(r"https?://[^/\s]+(/account/sign-in/\S+)", mailbox.texts(to=to)[-1])
    assert path, "no sign-in link in the message"
    return path[-1]


def test_finding_4_a_sign_in_link_signs_in_once(app, client, mailbox):
    make_user("ada@example.org")
    db.session.commit()
    client.post("/account/sign-in", data={"email": "ada@example.org"})
    link = sign_in_link(mailbox, "ada@example.org")

    first = client.post(link)
    again = app.test_client()
    shown = again.get(link)
    second = again.post(link)

    assert first.status_code == 302 and is_signed_in(client)
    assert shown.status_code == second.status_code == 400
    assert "This sign-in link was already used" in page_text(second)
    assert "Email me a new link" in page_text(second)
    assert not is_signed_in(again)


def test_finding_4_an_expired_link_says_so_and_one_click_mails_a_fresh_one(app, client, mailbox, monkeypatch):
    make_user("ada@example.org")
    db.session.commit()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 25 * 3600)
    client.post("/account/sign-in", data={"email": "ada@example.org"})
    monkeypatch.undo()
    old_link = sign_in_link(mailbox, "ada@example.org")

    expired = client.get(old_link)
    renew = re.search(r'action="([^"]+/new)"', expired.get_data(as_text=True)).group(1)
    asked = client.post(renew)
    fresh_link = sign_in_link(mailbox, "ada@example.org")

    assert expired.status_code == 400
    assert "This sign-in link has expired" in page_text(expired)
    assert asked.status_code == 303
    assert "A new sign-in link is on its way to ada@example.org" in page_text(client.get(asked.headers["Location"]))
    assert fresh_link != old_link
    assert client.post(fresh_link).status_code == 302 and is_signed_in(client)


@pytest.mark.parametrize(("max_age", "age_hours", "works"), [(None, 23, True), (None, 25, False), (3600, 2, False)])
def test_finding_4_links_last_a_day_unless_configured(app, client, mailbox, monkeypatch, max_age, age_hours, works):
    if max_age is not None:
        app.config["SIGN_IN_LINK_MAX_AGE"] = max_age
    make_user("ada@example.org")
    db.session.commit()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - age_hours * 3600)
    client.post("/account/sign-in", data={"email": "ada@example.org"})
    monkeypatch.undo()

    response = client.post(sign_in_link(mailbox, "ada@example.org"))

    assert (response.status_code == 302) is works


def test_finding_4_a_link_of_another_format_or_a_huge_id_is_a_plain_invalid_page(client):
    for token in ["not-a-real-token", "W3siYSI6MX1d.aaaa.bbbb"]:
        response = client.get(f"/account/sign-in/{token}")

        assert response.status_code == 400
        assert "This sign-in link does not work" in page_text(response)


def test_finding_5_login_runs_the_password_hash_whether_or_not_the_account_exists(client, monkeypatch):
    make_user("known@example.org")
    users.create_user("delegate@example.org", password=None, now=NOW)  # signs in by emailed link only
    db.session.commit()
    hashed = []
    real = users.check_password_hash
    monkeypatch.setattr(users, "check_password_hash",
                        lambda stored, given: hashed.append(stored) or real(stored, given))

    for email in ["known@example.org", "nobody@example.org", "delegate@example.org"]:
        response = client.post("/login", data={"email": email, "password": "a wrong password"})
        assert "The email or password is not correct." in page_text(response)

    assert len(hashed) == 3  # before the fix: 1, only for the known account with a password
    assert len({stored.split("$")[0] for stored in hashed}) == 1  # the same method and cost each time
