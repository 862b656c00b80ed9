"""Registration decisions through the API from many threads at once on PostgreSQL: seats are never overbooked,
and of several decisions made on one version exactly one wins; the rest are told what changed (409)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AuditEntry, OutboxMessage, Registration, RegistrationStatus

from api_support import bearer, make_token
from conftest import rush_postgres_app
from factories import make_event, make_organizer, make_registration

pytestmark = pytest.mark.postgres
THREADS = 12


@pytest.fixture
def rush_app(tmp_path):
    with rush_postgres_app(tmp_path, THREADS) as app:
        yield app


def _at_once(app, bodies: list[tuple[str, dict]], headers) -> list[tuple[int, dict]]:
    barrier = threading.Barrier(len(bodies))

    def post(item):
        url, body = item
        client = app.test_client()
        barrier.wait()
        response = client.post(url, json=body, headers=headers)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(post, bodies))


def test_concurrent_approvals_never_exceed_the_capacity(rush_app):
    event = make_event(slug="rush", capacity=5)
    waiting = [make_registration(event, status=RegistrationStatus.WAITLISTED) for _ in range(THREADS)]
    headers = bearer(make_token(make_organizer(event), event))
    db.session.commit()
    url = "/api/v1/events/rush/registrations/decisions"

    results = _at_once(rush_app, [(url, {"decision": "approve", "registrations": [{"id": r.id, "version": 1}]})
                                  for r in waiting], headers)

    db.session.expire_all()
    approved = db.session.scalar(select(func.count(Registration.id)).filter_by(
        event_id=event.id, status=RegistrationStatus.APPROVED))
    assert sorted(status for status, _ in results) == [200] * 5 + [409] * (THREADS - 5)
    assert approved == 5
    assert db.session.scalar(select(func.count(AuditEntry.id)).filter_by(action="registration.approved")) == 5
    assert db.session.scalar(select(func.count(OutboxMessage.id)).filter_by(kind="approved")) == 5


def test_decisions_made_on_one_version_let_exactly_one_win(rush_app):
    event = make_event(slug="rush")
    target = make_registration(event)
    headers = bearer(make_token(make_organizer(event), event))
    db.session.commit()
    url = f"/api/v1/events/rush/registrations/{target.id}/decision"
    decisions = ["approve", "decline", "waitlist"] * (THREADS // 3)

    results = _at_once(rush_app, [(url, {"decision": d, "version": 1}) for d in decisions], headers)

    db.session.expire_all()
    winners = [body for status, body in results if status == 200]
    losers = [body for status, body in results if status == 409]
    final = db.session.get(Registration, target.id)
    assert len(winners) == 1 and len(losers) == THREADS - 1
    assert all(body["type"].endswith("#problem-stale-version") for body in losers)
    assert {body["changes"][0]["status"] for body in losers} == {final.status.value}
    assert final.version == 2
    assert winners[0]["changed"][0]["status"] == final.status.value
