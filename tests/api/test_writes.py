"""Organizers' writes through the API go through the same services as the pages: validation, optimistic locking,
the audit log, the outbox; creating POSTs honour Idempotency-Key."""

from __future__ import annotations

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AuditEntry,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    SessionKind,
    VideoMessage,
)

from api_support import bearer, make_token
from factories import make_event, make_organization, make_organizer, make_registration, make_session, make_theme

NEW_SESSION = {"title": "Opening", "starts_at": "2021-10-25T09:00:00-04:00", "duration_minutes": 30,
               "kind": "opening"}


def _organizer_token(**event_values):
    event = make_event(**event_values)
    secret = make_token(make_organizer(event), event)
    db.session.commit()
    return event, bearer(secret)


def test_create_session_stores_utc_audits_and_answers_both_clocks(app, client):
    event, headers = _organizer_token()

    response = client.post(f"/api/v1/events/{event.slug}/sessions", json=NEW_SESSION, headers=headers)

    body = response.get_json()
    assert response.status_code == 201
    assert response.headers["Location"] == body["links"]["self"]
    assert (body["starts_at"], body["starts_at_local"]) == ("2021-10-25T13:00:00Z", "2021-10-25T09:00:00-04:00")
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_type == "session")) == "session.created"


def test_a_naive_time_or_a_missing_title_is_a_422_per_field(app, client):
    event, headers = _organizer_token()

    response = client.post(f"/api/v1/events/{event.slug}/sessions", headers=headers,
                           json={"starts_at": "2021-10-25T09:00:00", "duration_minutes": 0, "colour": "red"})

    fields = {e["field"] for e in response.get_json()["errors"]}
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert fields == {"title", "starts_at", "duration_minutes", "colour"}
    assert db.session.scalar(select(func.count(AgendaSession.id))) == 0


def test_another_events_theme_is_refused(app, client):
    event, headers = _organizer_token()
    foreign = make_theme(make_event())
    db.session.commit()

    response = client.post(f"/api/v1/events/{event.slug}/sessions", headers=headers,
                           json={**NEW_SESSION, "theme_id": foreign.id})

    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "theme_id"


def test_a_stale_version_is_a_409_saying_what_changed(app, client):
    event, headers = _organizer_token()
    item = make_session(event, title="Plenary")
    db.session.commit()
    url = f"/api/v1/events/{event.slug}/sessions/{item.id}"
    first = client.patch(url, headers=headers, json={"version": 1, "title": "Plenary on training"})

    second = client.patch(url, headers=headers, json={"version": 1, "duration_minutes": 90})

    problem = second.get_json()
    assert first.status_code == 200
    assert second.status_code == 409
    assert problem["type"].endswith("#problem-stale-version")
    assert problem["current_version"] == 2
    assert problem["changes"][0]["after"]["title"] == "Plenary on training"
    assert db.session.get(AgendaSession, item.id).duration.total_seconds() == 3600


def test_an_idempotency_key_replays_the_first_answer_and_refuses_another_body(app, client):
    event, headers = _organizer_token()
    keyed = {**headers, "Idempotency-Key": "import-42"}
    url = f"/api/v1/events/{event.slug}/sessions"

    first = client.post(url, json=NEW_SESSION, headers=keyed)
    retry = client.post(url, json=NEW_SESSION, headers=keyed)
    different = client.post(url, json={**NEW_SESSION, "title": "Closing"}, headers=keyed)

    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.get_json() == first.get_json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert different.status_code == 422
    assert different.get_json()["type"].endswith("#problem-idempotency-key-reused")
    assert db.session.scalar(select(func.count(AgendaSession.id))) == 1


def test_a_failed_keyed_request_frees_its_key(app, client):
    event, headers = _organizer_token()
    keyed = {**headers, "Idempotency-Key": "retry-me"}
    url = f"/api/v1/events/{event.slug}/sessions"
    refused = client.post(url, json={**NEW_SESSION, "duration_minutes": 24 * 60, "title": " "}, headers=keyed)

    fixed = client.post(url, json={**NEW_SESSION, "duration_minutes": 24 * 60, "title": " "}, headers=keyed)

    assert refused.status_code == fixed.status_code == 422


def test_decisions_need_the_versions_read_and_go_through_the_outbox(app, client):
    event, headers = _organizer_token(capacity=1)
    first = make_registration(event)
    second = make_registration(event, status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    url = f"/api/v1/events/{event.slug}/registrations/decisions"

    stale = client.post(url, headers=headers, json={"decision": "approve",
                                                    "registrations": [{"id": first.id, "version": 7}]})
    approved = client.post(url, headers=headers, json={"decision": "approve",
                                                       "registrations": [{"id": first.id, "version": 1}]})
    full = client.post(f"/api/v1/events/{event.slug}/registrations/{second.id}/decision", headers=headers,
                       json={"decision": "approve", "version": 1})

    assert stale.status_code == 409
    assert stale.get_json()["changes"] == [{"id": first.id, "version": 1, "status": "pending", "decided_at": None}]
    assert approved.status_code == 200
    assert [r["status"] for r in approved.get_json()["changed"]] == ["approved"]
    assert full.status_code == 409
    assert "seats" in full.get_json()["detail"]
    assert db.session.get(Registration, second.id).status == RegistrationStatus.WAITLISTED
    assert db.session.scalar(select(OutboxMessage.kind).where(OutboxMessage.registration_id == first.id)) \
        == "approved"


def test_registrations_filter_and_page_by_cursor(app, client):
    event, headers = _organizer_token()
    for n in range(7):
        make_registration(event, status=RegistrationStatus.APPROVED if n % 2 else RegistrationStatus.PENDING)
    db.session.commit()
    seen, cursor = [], ""

    while True:
        page = client.get(f"/api/v1/events/{event.slug}/registrations?status=pending&limit=2&cursor={cursor}",
                          headers=headers).get_json()
        seen += [r["status"] for r in page["items"]]
        if not (cursor := page["next_cursor"]):
            break

    assert seen == ["pending"] * 4
    assert page["total"] == 4


def test_delegation_and_video_slot_through_the_services(app, client):
    event, headers = _organizer_token()
    org = make_organization(name="Republic of Korea")
    item = make_session(event, kind=SessionKind.VIDEO_MESSAGE, title="Video message")
    db.session.commit()

    delegation = client.post(f"/api/v1/events/{event.slug}/delegations", headers=headers,
                             json={"organization_id": org.id, "quota": 3, "focal_point_email": "fp@mofa.example"})
    again = client.post(f"/api/v1/events/{event.slug}/delegations", headers=headers,
                        json={"organization_id": org.id})
    too_long = client.put(f"/api/v1/events/{event.slug}/video-messages/{item.id}", headers=headers,
                          json={"allowed_length_seconds": 4000})
    slot = client.put(f"/api/v1/events/{event.slug}/video-messages/{item.id}", headers=headers,
                      json={"allowed_length_seconds": 300})

    assert delegation.status_code == 201
    assert delegation.get_json()["focal_point"] == "fp@mofa.example"
    assert again.status_code == 409
    assert too_long.status_code == 422
    assert too_long.get_json()["errors"][0]["field"] == "allowed_length_seconds"
    assert slot.status_code == 200
    assert slot.get_json()["status"] == "requested"
    assert db.session.scalar(select(VideoMessage.session_id)) == item.id


def test_publishing_makes_the_agenda_public(app, client):
    event, headers = _organizer_token()
    client.post(f"/api/v1/events/{event.slug}/sessions", json=NEW_SESSION, headers=headers)

    published = client.post(f"/api/v1/events/{event.slug}/publications", json={"comment": "first"}, headers=headers)
    nothing = client.post(f"/api/v1/events/{event.slug}/publications", json={}, headers=headers)
    agenda = client.get(f"/api/v1/events/{event.slug}/agenda").get_json()

    assert published.status_code == 201
    assert [c["change"] for c in published.get_json()["changes"]] == ["added"]
    assert nothing.status_code == 409
    assert [s["title"] for s in agenda["sessions"]] == ["Opening"]
