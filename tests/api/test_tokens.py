"""Personal API tokens: made on the account page, shown once, kept hashed, revocable, and never a cookie."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from confman.extensions import db
from confman.models import ApiToken, AuditEntry

from api_support import bearer, make_token
from conftest import page_text
from factories import make_event, make_organizer, make_user


def test_account_page_makes_a_token_shows_it_once_and_keeps_only_its_hash(app, client, login):
    event = make_event(title="PrepCon")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    made = client.post("/account/tokens", data={"name": "Accreditation", "event_id": event.id, "scope": "read"})
    secret = re.search(r"cm_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", made.get_data(as_text=True)).group(0)
    later = client.get("/account/tokens")

    token = db.session.scalar(select(ApiToken))
    assert made.status_code == 200
    assert secret not in later.get_data(as_text=True)
    assert "Accreditation" in page_text(later)
    assert token.secret_hash == hashlib.sha256(secret.split("_", 2)[2].encode()).hexdigest()
    assert secret not in repr([token.prefix, token.secret_hash, token.name])
    assert client.get("/api/v1/token", headers=bearer(secret)).get_json()["name"] == "Accreditation"


def test_a_token_needs_a_role_on_its_event(app, client, login):
    event = make_event()
    mine = make_event()
    user = make_organizer(mine)
    db.session.commit()
    login(user)

    refused = client.post("/account/tokens", data={"name": "x", "event_id": event.id, "scope": "write"})

    assert refused.status_code == 400
    assert db.session.scalar(select(ApiToken)) is None


def test_revoking_on_the_account_page_stops_the_token_at_once(app, client, login):
    event = make_event()
    organizer = make_organizer(event)
    secret = make_token(organizer, event)
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id))
    login(organizer)
    assert client.get("/api/v1/token", headers=bearer(secret)).status_code == 200

    client.post(f"/account/tokens/{token_id}/revoke")
    after = client.get("/api/v1/token", headers=bearer(secret))

    assert after.status_code == 401
    assert after.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == "api_token.revoked"


def test_another_users_token_cannot_be_revoked(app, client, login):
    event = make_event()
    owner, other = make_organizer(event), make_organizer(event)
    make_token(owner, event)
    db.session.commit()
    token_id = db.session.scalar(select(ApiToken.id))
    login(other)

    response = client.post(f"/account/tokens/{token_id}/revoke")

    assert response.status_code == 404
    assert db.session.get(ApiToken, token_id).revoked_at is None


def test_losing_the_role_stops_the_token(app, client):
    event = make_event()
    organizer = make_organizer(event)
    secret = make_token(organizer, event)
    db.session.commit()

    organizer.roles.clear()
    db.session.commit()

    assert client.get("/api/v1/token", headers=bearer(secret)).status_code == 401


def test_use_is_recorded_as_last_used(app, client):
    event = make_event()
    organizer = make_organizer(event)
    secret = make_token(organizer, event)
    db.session.commit()

    client.get(f"/api/v1/events/{event.slug}", headers=bearer(secret))

    db.session.expire_all()
    assert db.session.scalar(select(ApiToken.last_used_at)) is not None


def test_malformed_and_unknown_tokens_are_refused_not_ignored(app, client):
    event = make_event()
    db.session.commit()

    for header in ("Basic dXNlcjpwdw==", "Bearer", "Bearer cm_00000000_nope", "Bearer something"):
        response = client.get(f"/api/v1/events/{event.slug}", headers={"Authorization": header})
        assert response.status_code == 401, header
        assert response.mimetype == "application/problem+json"


def test_a_signed_in_browser_session_is_not_an_api_credential(app, client, login):
    event = make_event()
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.get("/api/v1/token")

    assert response.status_code == 401
    assert "Set-Cookie" not in response.headers


def test_revoking_itself_through_the_api(app, client):
    event = make_event()
    user = make_user()
    secret = make_token(make_organizer(event), event, scope="read")
    db.session.commit()

    gone = client.delete("/api/v1/token", headers=bearer(secret))

    assert gone.status_code == 204
    assert client.get("/api/v1/token", headers=bearer(secret)).status_code == 401
    assert user.id  # an unrelated account is untouched
