"""Written statements through the real doors: filed by the delegation, checked by content, private until delivered
(or the embargo), read by interpreters at once, withdrawn by organizers with a reason."""

import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AuditEntry, Inscription, OrganizationKind, Role, Statement
from confman.services import live, publication
from confman.web import caching

from conftest import page_text
from factories import (
    make_channel,
    make_delegation,
    make_event,
    make_moderator,
    make_organization,
    make_organizer,
    make_session,
    make_speakers_list,
    make_user,
)

T0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
CLOCK = {"now": T0 - timedelta(days=1)}
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def app_config():
    return {"TESTING_NOW": lambda: CLOCK["now"], "LIVE_STATE_TTL_SECONDS": 0, "STATEMENT_MAX_BYTES": 4096}


@pytest.fixture
def filed(app, client, login):
    """Ghana inscribed on the general debate; returns what the tests need."""
    CLOCK["now"] = T0 - timedelta(days=1)
    event = make_event(slug="prepcon")
    channel = make_channel(event, slug="plenary", name="Plenary")
    item = make_session(event, channel=channel, title="General debate", starts_at=T0, duration=timedelta(hours=2))
    publication.publish_agenda(event, actor=None, now=T0 - timedelta(days=2))
    make_speakers_list(item)
    focal = make_user("focal@ghana.example")
    ghana = make_delegation(event, make_organization(name="Ghana", kind=OrganizationKind.MEMBER_STATE),
                            focal_point=focal)
    people = {"focal": focal, "organizer": make_organizer(event), "moderator": make_moderator(event),
              "interpreter": make_user(roles=((event, Role.INTERPRETER),))}
    db.session.commit()
    login(focal)
    client.post(f"/account/events/prepcon/sessions/{item.id}/inscribe", data={
        "delegation": ghana.id, "speaker_name": "Kwame Mensah", "honorific": "H.E.", "protocol_rank": "minister"})
    inscription = db.session.scalar(select(Inscription))
    return event, item, inscription, people


def upload(client, inscription, data, name="statement.pdf", language="en", embargo=""):
    prefix = f"statement-{inscription.id}-"
    return client.post(f"/account/events/prepcon/inscriptions/{inscription.id}/statement", data={
        f"{prefix}language": language, f"{prefix}embargo_at": embargo,
        f"{prefix}document": (io.BytesIO(data), name)}, content_type="multipart/form-data", follow_redirects=True)


def deliver(client, login, event, item, inscription, moderator):
    CLOCK["now"] = T0 + timedelta(minutes=5)
    live.start_session(item, actor=moderator, now=T0, version=live.state_version(event, item.channel_id))
    db.session.commit()
    login(moderator)
    base = {"session_id": item.id, "channel": "plenary", "day": "2021-10-25"}
    client.post("/moderate/prepcon/floor", data={**base, "action": "call_next",
                                                 "version": live.state_version(event, item.channel_id)})
    client.post("/moderate/prepcon/floor", data={**base, "action": "delivered", "inscription_id": inscription.id,
                                                 "version": live.state_version(event, item.channel_id)})


def test_statement_stays_private_until_delivered_but_interpreters_read_it_at_once(client, login, filed):
    event, item, inscription, people = filed
    upload(client, inscription, PDF)
    upload(client, inscription, odt(), name="declaration.odt", language="fr")
    english = db.session.scalar(select(Statement).filter_by(language="en"))
    client.post("/logout")

    hidden_file = client.get(f"/events/prepcon/statements/{english.id}")
    hidden_page = page_text(client.get("/events/prepcon/statements"))
    login(people["interpreter"])
    interpreter_page = page_text(client.get("/events/prepcon/statements"))
    interpreter_file = client.get(f"/events/prepcon/statements/{english.id}")
    deliver(client, login, event, item, inscription, people["moderator"])
    client.post("/logout")
    public_page = page_text(client.get("/events/prepcon/statements"))
    public_file = client.get(f"/events/prepcon/statements/{english.id}")
    session_page = page_text(client.get(f"/events/prepcon/sessions/{item.id}"))

    assert hidden_file.status_code == 404
    assert "statement.pdf" not in hidden_page
    assert "statement.pdf" in interpreter_page and "not public yet" in interpreter_page
    assert interpreter_file.status_code == 200 and interpreter_file.data == PDF
    assert "General debate Ghana H.E. Kwame Mensah EN statement.pdf" in public_page
    assert "FR declaration.odt" in public_page
    assert public_file.status_code == 200 and public_file.data == PDF
    assert public_file.headers["Content-Type"] == "application/pdf"
    assert interpreter_file.headers["Cache-Control"] == "private, no-store"
    assert public_file.headers["Cache-Control"] == caching.STATEMENT  # a shared cache may keep it 30 s
    assert "Statements" in session_page and "Ghana" in session_page


def test_statement_content_and_size_are_checked_and_nothing_is_kept_when_refused(client, app, filed):
    event, item, inscription, people = filed

    renamed = upload(client, inscription, b"MZ\x90\x00" + b"\x00" * 200, name="statement.pdf")
    too_large = upload(client, inscription, PDF[:-6] + b" " * 5000 + b"%%EOF\n")

    assert "not a PDF, Word (DOCX) or OpenDocument text (ODT) document" in page_text(renamed)
    assert "larger than the limit" in page_text(too_large)
    assert db.session.scalar(select(func.count(Statement.id))) == 0
    assert list(app.extensions["confman.storage"].keys("statements/")) == []


def test_an_embargo_keeps_a_delivered_statement_private_until_it_passes(client, login, filed):
    event, item, inscription, people = filed
    upload(client, inscription, PDF, embargo="2021-10-25T12:00")  # New York: 16:00 UTC
    statement = db.session.scalar(select(Statement))
    deliver(client, login, event, item, inscription, people["moderator"])
    client.post("/logout")

    during = client.get(f"/events/prepcon/statements/{statement.id}")
    CLOCK["now"] = datetime(2021, 10, 25, 16, 0, tzinfo=UTC)
    after = client.get(f"/events/prepcon/statements/{statement.id}")

    assert (during.status_code, after.status_code) == (404, 200)


def test_organizer_withdraws_a_statement_with_a_reason(client, login, filed):
    event, item, inscription, people = filed
    upload(client, inscription, PDF)
    statement = db.session.scalar(select(Statement))
    deliver(client, login, event, item, inscription, people["moderator"])
    login(people["organizer"])

    no_reason = client.post(f"/manage/events/prepcon/statements/{statement.id}/withdraw", data={"reason": ""},
                            follow_redirects=True)
    done = client.post(f"/manage/events/prepcon/statements/{statement.id}/withdraw",
                       data={"reason": "Filed for the wrong session"})
    client.post("/logout")

    assert "Give the reason" in page_text(no_reason)
    assert done.status_code == 303
    assert client.get(f"/events/prepcon/statements/{statement.id}").status_code == 404
    assert "statement.pdf" not in page_text(client.get("/events/prepcon/statements"))
    assert db.session.scalar(select(AuditEntry.summary).filter_by(action="floor.statement_withdrawn")) == (
        "Withdrew a statement: Filed for the wrong session")


def test_only_the_delegation_files_its_statement(client, login, filed):
    event, item, inscription, people = filed
    other = make_user("other@example.org")
    db.session.commit()
    login(other)

    response = upload(client, inscription, PDF)

    assert response.status_code == 404
    assert db.session.scalar(select(func.count(Statement.id))) == 0
