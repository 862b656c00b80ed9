"""Finding 1 of issue 19: a request's Host header must never reach a link confman writes.

The attack: `POST /account/sign-in` with a victim's address and `Host: evil.example` mailed the victim a valid
sign-in link on evil.example. Links now come from CONFMAN_BASE_URL only, and a Host outside CONFMAN_TRUSTED_HOSTS
is answered 400. The attack tests turn the host check off ("*"), so they prove the links alone are safe.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from registration_helpers import OPEN, form

from confman import create_app
from confman.extensions import db
from confman.models import RegistrationStatus
from confman.site import BaseUrlMissing

from export_support import publish, utc
from factories import make_event, make_participation, make_registration, make_session, make_speaker, make_user

BASE = "https://conference.example.org"
EVIL = "http://evil.example"


@pytest.fixture
def app_config(smtp_port):
    return {"BASE_URL": BASE, "SERVER_NAME": "conference.example.org", "TRUSTED_HOSTS": "*",
            "SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?from=prepcon@confman.example"}


def absolute_urls(text: str) -> list[str]:
    return re.findall(r"(?:https?|webcal)://[^\s\"'<>)\]]+", text)


def test_finding_1_sign_in_link_mailed_during_a_forged_host_request_points_to_the_base_url(client, app, mailbox):
    make_user("victim@example.org")
    db.session.commit()

    response = client.post("/account/sign-in", data={"email": "victim@example.org"}, base_url=EVIL)

    assert response.status_code == 302
    [mail] = mailbox.texts(to="victim@example.org")
    assert "evil.example" not in mail
    assert re.search(rf"{re.escape(BASE)}/account/sign-in/\S+", mail)


def test_finding_1_already_registered_mail_during_a_forged_host_request_points_to_the_base_url(client, app, mailbox):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()
    client.post("/events/prepcon/register", data=form(email="victim@example.org"), content_type="multipart/form-data")

    client.post("/events/prepcon/register", data=form(email="victim@example.org"), content_type="multipart/form-data",
                base_url=EVIL)

    first, second = mailbox.texts(to="victim@example.org")
    assert "evil.example" not in second
    assert f"{BASE}/account/sign-in/" in second


class TestTrustedHosts:
    @pytest.fixture
    def app_config(self):
        return {"BASE_URL": BASE, "SERVER_NAME": "conference.example.org"}

    def test_finding_1_a_forged_host_is_refused_with_400(self, client, app):
        make_user("victim@example.org")
        db.session.commit()

        forged = client.post("/account/sign-in", data={"email": "victim@example.org"}, base_url=EVIL)
        page = client.get("/", base_url=EVIL)
        real = client.get("/")

        assert forged.status_code == 400
        assert page.status_code == 400
        assert real.status_code == 200

    def test_finding_1_the_base_urls_host_is_trusted_on_any_port(self, client, app):
        assert client.get("/", base_url="https://conference.example.org:8443").status_code == 200


def test_finding_1_host_header_sweep_mail_feeds_and_exports_carry_only_the_base_url(client, app, mailbox):
    event = make_event(slug="prepcon", **OPEN)
    speaker = make_speaker(event, name="Ada Lovelace")
    item = make_session(event, title="Opening", starts_at=utc(2021, 10, 25, 8, 0), duration=timedelta(minutes=60))
    make_participation(item, speaker)
    make_user("member@example.org")
    reg = make_registration(event, email="feed@example.org", status=RegistrationStatus.APPROVED,
                            calendar_token="t" * 43)
    reg.sessions.append(item)
    db.session.flush()
    publish(event)
    evil = app.test_client()
    evil.environ_base["HTTP_HOST"] = "evil.example"

    evil.post("/account/sign-in", data={"email": "member@example.org"})
    evil.post("/events/prepcon/register", data=form(email="new@example.org"), content_type="multipart/form-data")
    evil.post("/events/prepcon/register", data=form(email="new@example.org"), content_type="multipart/form-data")
    paths = ["/events/prepcon/agenda.ics", "/events/prepcon/schedule.json", "/events/prepcon/schedule.xml",
             "/events/prepcon/programme", "/events/prepcon/changes.atom", f"/events/prepcon/sessions/{item.id}.ics",
             f"/events/prepcon/speakers/{speaker.id}.ics", f"/calendar/{reg.calendar_token}.ics",
             "/events/prepcon/agenda", f"/events/prepcon/sessions/{item.id}", f"/events/prepcon/speakers/{speaker.id}",
             "/events/prepcon/programme.pdf"]
    bodies = {path: evil.get(path) for path in paths}

    mails = mailbox.texts()
    assert len(mails) == 3
    for text in mails:
        assert "evil.example" not in text
        assert f"{BASE}/" in text
    for path, response in bodies.items():
        assert response.status_code == 200, path
        body = response.get_data(as_text=not path.endswith(".pdf"))
        assert ("evil.example" if isinstance(body, str) else b"evil.example") not in body, path
        if path not in ("/events/prepcon/programme", "/events/prepcon/programme.pdf"):  # these carry no links
            ours = [url for url in absolute_urls(body) if url.split("//", 1)[1].startswith("conference.example.org/")]
            assert ours, f"{path} carries no absolute URL of the site"


def _production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFMAN_ENV", "production")
    monkeypatch.setenv("CONFMAN_SECRET_KEY", "a-real-secret")
    monkeypatch.setenv("CONFMAN_DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite3'}")
    monkeypatch.delenv("CONFMAN_BASE_URL", raising=False)
    monkeypatch.delenv("CONFMAN_TRUSTED_HOSTS", raising=False)


def test_finding_1_a_production_start_without_a_base_url_refuses_with_a_clear_message(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)

    with pytest.raises(BaseUrlMissing, match="CONFMAN_BASE_URL is not set"):
        create_app()


def test_finding_1_a_production_start_trusts_the_base_urls_host_and_the_listed_ones(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("CONFMAN_BASE_URL", "https://conference.example.org/")
    monkeypatch.setenv("CONFMAN_TRUSTED_HOSTS", "10.0.0.5, internal.example.org")

    app = create_app()

    assert app.config["BASE_URL"] == "https://conference.example.org"
    assert app.config["TRUSTED_HOSTS"] == ["conference.example.org", "10.0.0.5", "internal.example.org"]


def test_finding_1_a_base_url_that_is_not_one_refuses_to_start(monkeypatch, tmp_path):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("CONFMAN_BASE_URL", "conference.example.org")

    with pytest.raises(BaseUrlMissing, match="is not a site address"):
        create_app()


def test_finding_1_development_uses_the_local_address_and_says_so(monkeypatch, tmp_path, capsys):
    _production_env(monkeypatch, tmp_path)
    monkeypatch.setenv("CONFMAN_ENV", "development")

    app = create_app()

    assert app.config["BASE_URL"] == "http://127.0.0.1:5000"
    [line] = [json.loads(line) for line in capsys.readouterr().out.splitlines() if "CONFMAN_BASE_URL" in line]
    assert line["level"] == "warning"
    assert "links in mail, feeds and exports point to http://127.0.0.1:5000" in line["message"]
    assert "localhost" in app.config["TRUSTED_HOSTS"]
