"""Every API operation that takes a token x the token's role x its scope x its event: allowed or refused.

The operations come from the URL map, so a new one fails `test_every_token_operation_has_a_rule` until it is
listed in api_support with the role it needs.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AuditEntry,
    Base,
    Delegation,
    Event,
    Participation,
    Registration,
    Role,
    SessionKind,
    Speaker,
)
from confman.services import sample

from api_support import (
    ANY_TOKEN_OPERATIONS,
    API_TOKEN_ENDPOINTS,
    MODERATOR_OPERATIONS,
    ORGANIZER_OPERATIONS,
    bearer,
    make_token,
)
from factories import NOW, make_event, make_user

# token kind -> (role on the event it is for, scope, is it for the event under test)
TOKENS = {
    "organizer-write": (Role.ORGANIZER, "write", True),
    "organizer-read": (Role.ORGANIZER, "read", True),
    "moderator-write": (Role.MODERATOR, "write", True),
    "moderator-read": (Role.MODERATOR, "read", True),
    "other-event-organizer-write": (Role.ORGANIZER, "write", False),
}


def _allowed(endpoint: str, method: str, kind: str) -> bool:
    role, scope, same_event = TOKENS[kind]
    if not same_event and endpoint not in ANY_TOKEN_OPERATIONS:
        return False
    if method != "GET" and scope != "write" and endpoint not in ANY_TOKEN_OPERATIONS:
        return False
    if endpoint in ORGANIZER_OPERATIONS:
        return role == Role.ORGANIZER
    return True  # moderator operations: organizers may moderate too; token operations: any token


def _api_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint in API_TOKEN_ENDPOINTS]


def test_every_token_operation_has_a_rule(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    secured = {(path, method) for path, item in doc["paths"].items() for method, op in item.items()
               if isinstance(op, dict) and op.get("security")}
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api_")}

    assert len(secured) == len(API_TOKEN_ENDPOINTS)
    assert set(API_TOKEN_ENDPOINTS) <= endpoints
    assert not set(MODERATOR_OPERATIONS) & set(ORGANIZER_OPERATIONS)


@pytest.fixture
def world(app):
    sample.load_sample(now=NOW)
    event = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    elsewhere = make_event(slug="elsewhere")
    secrets = {}
    for kind, (role, scope, same_event) in TOKENS.items():
        target = event if same_event else elsewhere
        secrets[kind] = make_token(make_user(roles=((target, role),)), target, scope=scope, name=kind)
    session_id = db.session.scalar(select(func.min(AgendaSession.id)).filter_by(event_id=event.id))
    values = {
        "slug": event.slug, "session_id": session_id,
        "participation_id": db.session.scalar(select(func.min(Participation.id)).filter_by(session_id=session_id)),
        "speaker_id": db.session.scalar(select(func.min(Speaker.id)).filter_by(event_id=event.id)),
        "registration_id": db.session.scalar(select(func.min(Registration.id)).filter_by(event_id=event.id)),
        "delegation_id": db.session.scalar(select(func.min(Delegation.id)).filter_by(event_id=event.id)),
        "video_session_id": db.session.scalar(select(func.min(AgendaSession.id)).filter_by(
            event_id=event.id, kind=SessionKind.VIDEO_MESSAGE)),
    }
    db.session.commit()
    return secrets, values


def _url(app, rule, values) -> str:
    video = rule.endpoint.startswith("api_video.")
    args = {a: values["video_session_id" if video and a == "session_id" else a] for a in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **args)


def _rows():
    counts = {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
              if t.name not in ("audit_entry", "api_token")}
    return counts | {"audit": db.session.scalar(select(func.count(AuditEntry.id)))}


@pytest.mark.parametrize("kind", list(TOKENS))
def test_token_operations_allow_and_refuse_by_role_scope_and_event(app, client, world, kind):
    secrets, values = world
    headers = bearer(secrets[kind])
    calls = sorted(((rule, method) for rule in _api_rules(app) for method in rule.methods - {"HEAD", "OPTIONS"}),
                   key=lambda c: (c[1] == "DELETE", c[0].endpoint == "api_token.revoke_self", c[0].endpoint))
    checked = 0

    for rule, method in calls:
        url = _url(app, rule, values)
        before = _rows()
        response = client.open(url, method=method, headers=headers, json={} if method != "GET" else None)
        status, body = response.status_code, response.get_json(silent=True) or {}
        checked += 1
        if _allowed(rule.endpoint, method, kind):
            assert status not in (401, 403, 404) and status < 500, f"{kind}: {method} {url}: {status} {body}"
        else:
            assert status == 403, f"{kind} must not reach {method} {url}: {status}"
            assert response.mimetype == "application/problem+json"
            role, scope, same_event = TOKENS[kind]
            role_suffices = role == Role.ORGANIZER or rule.endpoint not in ORGANIZER_OPERATIONS
            expected = ("wrong-event" if not same_event else "forbidden" if not role_suffices
                        else "insufficient-scope")
            assert body["type"].endswith(f"#problem-{expected}"), (kind, method, url, body)
            assert _rows() == before, f"{kind}'s refused {method} {url} changed data"

    assert checked == sum(len(r.methods - {"HEAD", "OPTIONS"}) for r in _api_rules(app))


def test_no_token_is_a_401_everywhere(app, client, world):
    _secrets, values = world

    for rule in _api_rules(app):
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(_url(app, rule, values), method=method, json={} if method != "GET" else None)
            assert response.status_code == 401, f"{method} {rule.rule}"


def test_a_draft_events_objects_are_absent_to_another_events_token(app, client, world):
    from confman.models import EventStatus

    secrets, _values = world
    draft = make_event(slug="secret-draft", status=EventStatus.DRAFT)
    db.session.commit()

    response = client.get(f"/api/v1/events/{draft.slug}/sessions", headers=bearer(secrets["organizer-write"]))

    assert response.status_code == 404
