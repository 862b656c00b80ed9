"""A rush of registrations on PostgreSQL, through the WSGI app, from threads that each hold their own connection.

Capacity is never exceeded, the waiting list is in arrival order and is promoted in that order, and a racing
duplicate creates nothing.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from registration_helpers import OPEN, form
from sqlalchemy import select

from confman.extensions import db
from confman.models import Registration, RegistrationStatus

from conftest import rush_postgres_app
from factories import make_event, make_organizer

pytestmark = pytest.mark.postgres
THREADS = 25


@pytest.fixture
def rush_app(tmp_path):
    with rush_postgres_app(tmp_path, THREADS) as app:
        yield app


def rush(app, emails: list[str]) -> list[tuple[int, str]]:
    """Post one registration per address, THREADS at a time, all threads released at the same instant."""
    barrier = threading.Barrier(THREADS)
    chunks = [emails[n::THREADS] for n in range(THREADS)]

    def worker(chunk):
        client = app.test_client()
        barrier.wait()
        results = []
        for email in chunk:
            response = client.post("/events/rush/register", data=form(email=email),
                                   content_type="multipart/form-data")
            results.append((response.status_code, response.headers.get("Location", "")))
        return results

    with ThreadPoolExecutor(THREADS) as pool:
        return [result for chunk_results in pool.map(worker, chunks) for result in chunk_results]


def statuses(event_id: int) -> list[tuple[int, str, RegistrationStatus]]:
    db.session.expire_all()
    return [tuple(row) for row in db.session.execute(
        select(Registration.id, Registration.email, Registration.status)
        .where(Registration.event_id == event_id).order_by(Registration.id))]


def test_register_rush_of_200_for_50_seats_approves_exactly_50_and_waitlists_150_in_order(rush_app):
    event = make_event(slug="rush", capacity=50, needs_approval=False, **OPEN)
    organizer = make_organizer(event, "organizer@example.org")
    db.session.commit()
    emails = [f"delegate{n:03d}@example.org" for n in range(200)]

    results = rush(rush_app, emails)

    assert results == [(302, "/events/rush/register/sent")] * 200
    rows = statuses(event.id)
    assert sorted(email for _, email, _ in rows) == emails  # no duplicates, none lost
    assert [s for _, _, s in rows] == [RegistrationStatus.APPROVED] * 50 + [RegistrationStatus.WAITLISTED] * 150

    # Ten seats free up: the ten first in the waiting list, and only they, get them.
    client = rush_app.test_client()
    client.post("/login", data={"email": organizer.email, "password": "correct horse battery"})
    declined = [reg_id for reg_id, _, _ in rows[:10]]
    client.post("/manage/events/rush/registrations/bulk", data={"action": "decline", "ids": declined})

    after = statuses(event.id)
    assert [s for _, _, s in after] == ([RegistrationStatus.DECLINED] * 10 + [RegistrationStatus.APPROVED] * 50
                                        + [RegistrationStatus.WAITLISTED] * 140)


def test_register_rush_of_one_address_creates_one_registration_and_the_same_answer(rush_app):
    event = make_event(slug="rush", capacity=50, **OPEN)
    db.session.commit()

    results = rush(rush_app, ["same@example.org"] * THREADS)

    assert results == [(302, "/events/rush/register/sent")] * THREADS
    assert [(email, s) for _, email, s in statuses(event.id)] == [("same@example.org", RegistrationStatus.PENDING)]
