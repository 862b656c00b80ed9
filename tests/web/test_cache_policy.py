"""The cache policy per URL: public reads are one copy for every anonymous visitor, anything personal is private."""

from datetime import UTC, datetime

import pytest
from flask import url_for
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, EventStatus, Registration, Speaker, User
from confman.services import sample
from confman.web import caching

from factories import make_speakers_list

NOW = datetime(2021, 10, 25, 8, 0, tzinfo=UTC)


@pytest.fixture
def prepcon(app):
    sample.load_sample(now=NOW)
    make_speakers_list(db.session.scalar(select(AgendaSession).order_by(AgendaSession.id).limit(1)))
    db.session.commit()
    return "prepcon-2021"


def public_urls(slug: str) -> dict[str, str]:
    """One URL per endpoint of the policy table, so a new public endpoint without a test fails below."""
    session_id = db.session.scalar(select(AgendaSession.id).order_by(AgendaSession.id).limit(1))
    speaker_id = db.session.scalar(select(Speaker.id).order_by(Speaker.id).limit(1))
    return {
        "public.index": "/",
        "public.event": f"/events/{slug}/",
        "public.agenda_page": f"/events/{slug}/agenda",
        "public.session_page": f"/events/{slug}/sessions/{session_id}",
        "public.speakers": f"/events/{slug}/speakers/",
        "public.speaker": f"/events/{slug}/speakers/{speaker_id}",
        "live.live_page": f"/events/{slug}/live",
        "live.live_json": f"/events/{slug}/live.json",
        "exports.agenda_ics": f"/events/{slug}/agenda.ics",
        "exports.schedule_json": f"/events/{slug}/schedule.json",
        "exports.schedule_xml": f"/events/{slug}/schedule.xml",
        "exports.programme_page": f"/events/{slug}/programme",
        "exports.programme_pdf_file": f"/events/{slug}/programme.pdf",
        "exports.session_ics": f"/events/{slug}/sessions/{session_id}.ics",
        "exports.speaker_ics": f"/events/{slug}/speakers/{speaker_id}.ics",
        "feeds.changes_atom": f"/events/{slug}/changes.atom",
        "floor.list_page": f"/events/{slug}/sessions/{session_id}/list-of-speakers",
        "floor.list_json": f"/events/{slug}/sessions/{session_id}/list-of-speakers.json",
        "floor.list_csv": f"/events/{slug}/sessions/{session_id}/list-of-speakers.csv",
        "floor.statements_page": f"/events/{slug}/statements",
    }


def test_every_public_url_is_one_shareable_copy_for_anonymous_visitors(app, client, prepcon):
    urls = public_urls(prepcon)
    # A statement's file needs a delivered statement: tests/web/test_statements.py checks its policy.
    assert set(urls) | {"floor.statement_file"} == set(caching.POLICIES), "every policy's endpoint is checked"

    for endpoint, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == caching.POLICIES[endpoint], url
        assert "Set-Cookie" not in response.headers, url
        assert "cookie" not in response.headers.get("Vary", "").lower(), url
        assert response.headers.get("ETag") or endpoint.startswith(
            ("public.", "live.live_page", "floor.list_page", "floor.statements_page")), url


def test_a_revalidation_keeps_the_policy_and_costs_no_body(client, prepcon):
    first = client.get(f"/events/{prepcon}/live.json")
    again = client.get(f"/events/{prepcon}/live.json", headers={"If-None-Match": first.headers["ETag"]})
    feed = client.get(f"/events/{prepcon}/agenda.ics")
    feed_again = client.get(f"/events/{prepcon}/agenda.ics", headers={"If-None-Match": feed.headers["ETag"]})

    assert (again.status_code, again.data) == (304, b"")
    assert again.headers["Cache-Control"] == caching.LIVE
    assert feed_again.status_code == 304 and feed_again.headers["Cache-Control"] == caching.FEED
    assert "Set-Cookie" not in again.headers and "Set-Cookie" not in feed_again.headers


def test_a_signed_in_visitor_gets_a_private_copy_of_the_same_urls(client, login, prepcon):
    organizer = db.session.scalar(select(User).filter_by(email=sample.SAMPLE_ACCOUNTS["organizer"]))
    login(organizer, sample.SAMPLE_PASSWORD)

    for url in public_urls(prepcon).values():
        response = client.get(url)
        assert response.headers["Cache-Control"] == caching.PRIVATE, url


def test_pages_with_a_form_or_a_personal_feed_are_never_shared(client, prepcon):
    registration = db.session.scalar(select(Registration).where(Registration.calendar_token.is_not(None)).limit(1))

    register = client.get(f"/events/{prepcon}/register")
    login_page = client.get("/login")
    feed = client.get(f"/calendar/{registration.calendar_token}.ics")
    account = client.get("/account/")

    assert register.headers["Cache-Control"] == caching.PRIVATE  # its CSRF token is the visitor's
    assert login_page.headers["Cache-Control"] == caching.PRIVATE
    assert feed.headers["Cache-Control"] == caching.PRIVATE
    assert "private" in account.headers["Cache-Control"]


def test_a_flashed_message_keeps_the_page_it_shows_on_private(app, client, prepcon):
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "You are logged out.")]

    page = client.get("/")
    after = client.get("/")

    assert "You are logged out." in page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == caching.PRIVATE
    assert after.headers["Cache-Control"] == caching.PAGE


def test_a_draft_event_is_never_shared(app, client, login, prepcon):
    event = db.session.scalar(select(Event).filter_by(slug=prepcon))
    event.status = EventStatus.DRAFT
    db.session.commit()
    organizer = db.session.scalar(select(User).filter_by(email=sample.SAMPLE_ACCOUNTS["organizer"]))

    anonymous = client.get(f"/events/{prepcon}/agenda")
    login(organizer, sample.SAMPLE_PASSWORD)
    staff = client.get(f"/events/{prepcon}/agenda")

    assert anonymous.status_code == 404 and "public" not in anonymous.headers["Cache-Control"]
    assert staff.status_code == 200 and staff.headers["Cache-Control"] == caching.PRIVATE


def test_static_files_are_shared_whoever_asks(app, client):
    with app.test_request_context():
        stylesheet = url_for("static", filename="css/app.css")

    with client.get(stylesheet) as fingerprinted, client.get("/static/css/app.css") as plain:
        pass

    assert "max-age=31536000" in fingerprinted.headers["Cache-Control"]
    assert plain.headers["Cache-Control"] == "no-cache"  # Flask's: revalidate by ETag, from any cache
    assert "cookie" not in (fingerprinted.headers.get("Vary", "") + plain.headers.get("Vary", "")).lower()
