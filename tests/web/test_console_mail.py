"""Without a mail server, messages are written in full to the server's log, so a newcomer can sign in."""

import logging

import pytest
from registration_helpers import OPEN, form, link_in, messages

from confman import create_app
from confman.extensions import db
from confman.models import OutboxStatus
from confman.services import outbox
from confman.timeutil import utcnow
from confman.web import mailer

from conftest import page_text
from factories import make_event, make_organizer, make_user


@pytest.fixture
def console(caplog):
    caplog.set_level(logging.INFO, logger="confman.mail")
    return caplog


def mails(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "confman.mail"]


def test_registering_without_smtp_writes_the_message_with_a_working_sign_in_link_to_the_log(client, app, console):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()

    client.post("/events/prepcon/register", data=form(email="ada@example.org"), content_type="multipart/form-data")

    [mail] = mails(console)
    assert "To: ada@example.org" in mail and "Subject: Your registration for Event" in mail
    assert outbox.SIGN_IN_PLACEHOLDER not in mail
    assert "printed in the server's console" in page_text(client.get("/events/prepcon/register/sent"))
    path = link_in(mail.split("sign in here:")[1])
    assert client.post(path).status_code == 302
    assert client.get("/account/events/prepcon/").status_code == 200
    [stored] = messages(to_email="ada@example.org")
    assert "/account/sign-in/" not in stored.body  # the outbox itself still holds no credential


def test_login_page_offers_an_emailed_sign_in_link_that_arrives_in_the_log(client, app, console):
    make_user("ada@example.org")
    db.session.commit()
    login_page = page_text(client.get("/login"))

    response = client.post("/account/sign-in", data={"email": "ada@example.org", "password": ""},
                           follow_redirects=True)

    assert "Email me a sign-in link" in login_page
    assert "a sign-in link is on its way" in page_text(response)
    [mail] = mails(console)
    assert client.post(link_in(mail.split("Sign in here:")[1])).status_code == 302
    assert client.get("/account/").status_code == 200


def test_console_mail_can_be_turned_off(client, app, console):
    app.config["MAIL_CONSOLE"] = False
    make_user("ada@example.org")
    db.session.commit()

    client.post("/account/sign-in", data={"email": "ada@example.org"})

    assert mails(console) == []
    assert [m.status for m in messages(to_email="ada@example.org")] == [OutboxStatus.STORED]


def test_console_mail_is_off_in_production_and_with_smtp(tmp_path):
    production = create_app({"ENV_NAME": "production", "SECRET_KEY": "x" * 32, "BASE_URL": "https://c.example",
                             "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    development = create_app({"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                              "SMTP_URL": "smtp://127.0.0.1:2525"})

    with production.app_context():
        assert mailer.console_mail() is False
    with development.app_context():
        assert mailer.console_mail() is False


def test_send_queued_now_says_what_it_really_did(client, login, app, console):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    outbox.queue(event=event, to_email="office@example.org", kind="note", subject="Hello", body="Hi", now=utcnow())
    db.session.commit()
    login(organizer)

    first = page_text(client.post("/manage/events/prepcon/outbox/send", follow_redirects=True))
    second = page_text(client.post("/manage/events/prepcon/outbox/send", follow_redirects=True))

    assert ("1 message was not sent, because no mail server is configured (CONFMAN_SMTP_URL): it was written in "
            "full, with its sign-in link, to the server's console.") in first
    assert "No message was waiting to be sent." in second
    assert [m for m in mails(console) if "To: office@example.org" in m]
