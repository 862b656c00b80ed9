"""A burst of inscriptions on PostgreSQL, through the WSGI app, from threads that each hold their own connection.

A capped list takes exactly its cap, in protocol order then time of inscription, with no delegation twice; members
of one delegation racing each other get one inscription between them.
"""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import Inscription, OrganizationKind, ProtocolRank, RegistrationStatus
from confman.services import floor, publication

from conftest import PASSWORD, rush_postgres_app
from factories import (
    make_delegation,
    make_event,
    make_organization,
    make_registration,
    make_session,
    make_speakers_list,
    make_user,
)

pytestmark = pytest.mark.postgres
THREADS = 25


@pytest.fixture
def rush_app(tmp_path):
    with rush_postgres_app(tmp_path, THREADS) as app:
        yield app


def _session(**list_options):
    event = make_event(slug="rush")
    item = make_session(event, title="General debate")
    publication.publish_agenda(event, actor=None, now=item.starts_at - timedelta(days=3))
    make_speakers_list(item, **list_options)
    return event, item


def burst(app, item, attempts: list[tuple[str, int, str]]) -> list[int]:
    """Each (email, delegation id, rank) signs in, then all post their inscription at the same instant."""
    url = f"/account/events/rush/sessions/{item.id}/inscribe"  # read here: the threads have no app context
    barrier = threading.Barrier(THREADS)
    chunks = [attempts[n::THREADS] for n in range(THREADS)]

    def worker(chunk):
        clients = []
        for email, delegation_id, rank in chunk:
            client = app.test_client()
            assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 302
            clients.append((client, delegation_id, rank))
        barrier.wait()
        return [client.post(url, data={
            "delegation": delegation_id, "speaker_name": f"Speaker of {delegation_id}", "protocol_rank": rank,
        }).status_code for client, delegation_id, rank in clients]

    with ThreadPoolExecutor(THREADS) as pool:
        return [status for statuses in pool.map(worker, chunks) for status in statuses]


def test_burst_of_200_delegations_on_a_list_capped_at_120_inscribes_exactly_120_in_order(rush_app):
    event, item = _session(cap=120)
    ranks = [r.value for r in ProtocolRank]
    shuffled = random.Random(14)
    attempts = []
    for n in range(200):
        focal = make_user(f"focal{n:03d}@example.org")
        delegation = make_delegation(event, make_organization(name=f"Country {n:03d}",
                                                              kind=OrganizationKind.MEMBER_STATE), focal_point=focal)
        attempts.append((focal.email, delegation.id, shuffled.choice(ranks)))
    db.session.commit()

    statuses = burst(rush_app, item, attempts)

    assert sorted(statuses) == [303] * 120 + [400] * 80
    db.session.expire_all()
    entries = db.session.scalars(select(Inscription).where(Inscription.session_id == item.id)).all()
    assert len(entries) == 120
    assert len({e.delegation_id for e in entries}) == 120  # no delegation twice
    order = floor.calling_order(entries)
    assert [(e.protocol_rank.precedence, e.inscribed_at, e.id) for e in order] == sorted(
        (e.protocol_rank.precedence, e.inscribed_at, e.id) for e in entries)
    assert order[0].protocol_rank == ProtocolRank.HEAD_OF_STATE_OR_GOVERNMENT


def test_members_of_one_delegation_racing_get_one_inscription(rush_app):
    event, item = _session(delegates_may_inscribe=True)
    delegation = make_delegation(event, make_organization(name="Ghana", kind=OrganizationKind.MEMBER_STATE))
    attempts = []
    for n in range(THREADS):
        member = make_user(f"member{n:02d}@ghana.example")
        make_registration(event, user=member, email=member.email, delegation=delegation,
                          status=RegistrationStatus.APPROVED)
        attempts.append((member.email, delegation.id, "minister"))
    db.session.commit()

    statuses = burst(rush_app, item, attempts)

    assert sorted(statuses) == [303] + [400] * (THREADS - 1)
    db.session.expire_all()
    assert db.session.scalars(select(Inscription.delegation_id)).all() == [delegation.id]
