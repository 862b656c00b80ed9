"""A delegate's own registration: signing in by emailed link, status, details, cancel, agenda, calendar link."""

import io

import pytest
from registration_helpers import OPEN, PDF, form, link_in, messages, registrations

from confman.extensions import db
from confman.models import RegistrationStatus
from confman.services import publication
from confman.web import mailer

from conftest import page_text
from factories import NOW, make_event, make_registration, make_session, make_user


def register(client, slug="prepcon", **overrides):
    return client.post(f"/events/{slug}/register", data=form(**overrides), content_type="multipart/form-data")


def sign_in_from_mail(client, email):
    """Follow the link of the newest message to `email`, as the delegate would from their mailbox."""
    message = messages(to_email=email)[-1]
    path = link_in(mailer._personalize(message))
    page = client.get(path)
    assert page.status_code == 200
    return client.post(path)


def test_sign_in_link_from_the_confirmation_opens_the_registration(client, app):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()
    register(client)

    response = sign_in_from_mail(client, "ada@example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account/events/prepcon/"
    page = client.get("/account/events/prepcon/")
    assert "Status: Pending" in page_text(page)


def test_sign_in_link_get_does_not_sign_in(client, app):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()
    register(client)
    path = link_in(mailer._personalize(messages(to_email="ada@example.org")[-1]))

    client.get(path)

    assert client.get("/account/").status_code == 302


def test_sign_in_with_a_tampered_token_is_refused(client, app):
    response = client.get("/account/sign-in/not-a-real-token")

    assert response.status_code == 400
    assert "does not work" in page_text(response)


def test_sign_in_request_answers_the_same_for_unknown_addresses(client, app):
    make_user("known@example.org")
    db.session.commit()

    known = client.post("/account/sign-in", data={"email": "known@example.org"}, follow_redirects=True)
    unknown = client.post("/account/sign-in", data={"email": "nobody@example.org"}, follow_redirects=True)

    assert page_text(known) == page_text(unknown)
    assert [m.to_email for m in messages()] == ["known@example.org"]


@pytest.fixture
def delegate(client, login):
    """A signed-in delegate with a pending registration for "prepcon"."""
    event = make_event(slug="prepcon", capacity=1, needs_approval=False, joining_link="https://meet.example/j",
                       **OPEN)
    user = make_user("ada@example.org")
    db.session.commit()
    login(user)
    register(client)
    return event


def test_my_registration_shows_joining_link_only_when_approved(client, login, delegate):
    approved = client.get("/account/events/prepcon/")
    other = make_user("bob@example.org")
    db.session.commit()
    login(other)
    register(client, email="bob@example.org")
    waitlisted = client.get("/account/events/prepcon/")

    assert "https://meet.example/j" in page_text(approved)
    assert "https://meet.example/j" not in page_text(waitlisted)
    assert "number 1 on the waiting list" in page_text(waitlisted)


def test_my_registration_of_someone_else_is_not_found(client, login, app):
    event = make_event(slug="prepcon", **OPEN)
    make_registration(event, user=make_user("owner@example.org"))
    stranger = make_user("stranger@example.org")
    db.session.commit()
    login(stranger)

    assert client.get("/account/events/prepcon/").status_code == 404
    assert client.post("/account/events/prepcon/cancel", data={"confirm": "y"}).status_code == 404


def test_edit_details_saves_and_a_stale_version_is_refused(client, delegate):
    reg = registrations(delegate)[0]
    version = reg.version

    saved = client.post("/account/events/prepcon/details", data={
        "honorific": "Dr.", "name": "Ada Lovelace", "title": "Minister Counsellor", "needs": "French",
        "version": version})
    stale = client.post("/account/events/prepcon/details", data={
        "honorific": "", "name": "Overwritten", "title": "", "needs": "", "version": version})

    assert saved.status_code == 302
    assert stale.status_code == 409
    assert "changed since you opened this page" in page_text(stale)
    reg = registrations(delegate)[0]
    assert (reg.honorific, reg.name, reg.title, reg.needs) == ("Dr.", "Ada Lovelace", "Minister Counsellor", "French")


def test_cancel_promotes_the_first_waitlisted_and_tells_them(client, login, delegate):
    for n in range(2):
        make_registration(delegate, email=f"wait{n}@example.org", status=RegistrationStatus.WAITLISTED)
    db.session.commit()
    login(db.session.merge(registrations(delegate)[0].user))

    unconfirmed = client.post("/account/events/prepcon/cancel", data={})
    confirmed = client.post("/account/events/prepcon/cancel", data={"confirm": "y"})

    assert unconfirmed.status_code == 400
    assert confirmed.status_code == 302
    assert [(r.email, r.status) for r in registrations(delegate)] == [
        ("ada@example.org", RegistrationStatus.CANCELLED), ("wait0@example.org", RegistrationStatus.APPROVED),
        ("wait1@example.org", RegistrationStatus.WAITLISTED)]
    assert [m.kind for m in messages(to_email="wait0@example.org")] == ["promoted"]
    assert registrations(delegate)[0].calendar_token is None


def test_calendar_link_regenerates_and_revokes(client, delegate):
    old = registrations(delegate)[0].calendar_token
    assert f"/calendar/{old}.ics" in page_text(client.get("/account/events/prepcon/"))

    client.post("/account/events/prepcon/calendar/regenerate")
    new = registrations(delegate)[0].calendar_token
    client.post("/account/events/prepcon/calendar/revoke")
    revoked = registrations(delegate)[0].calendar_token

    assert new and new != old and len(new) >= 40
    assert revoked is None
    page = page_text(client.get("/account/events/prepcon/"))
    assert "/calendar/" not in page and "turned off" in page


def test_my_agenda_saves_chosen_sessions_and_refuses_another_events_session(client, delegate):
    first, second = make_session(delegate, title="Opening"), make_session(delegate, title="Closing")
    publication.publish_agenda(delegate, actor=None, now=NOW)
    unpublished = make_session(delegate, title="Draft session")
    foreign = make_session(make_event(slug="other"), title="Elsewhere")
    db.session.commit()

    saved = client.post("/account/events/prepcon/agenda", data={"sessions": [first.id, second.id]})
    tampered = client.post("/account/events/prepcon/agenda", data={"sessions": [first.id, foreign.id]})
    draft = client.post("/account/events/prepcon/agenda", data={"sessions": [first.id, unpublished.id]})

    assert saved.status_code == 302
    assert tampered.status_code == 400 and draft.status_code == 400
    assert "Draft session" not in page_text(client.get("/account/events/prepcon/agenda"))
    assert "Nothing was saved" in page_text(tampered)
    assert sorted(s.title for s in registrations(delegate)[0].sessions) == ["Closing", "Opening"]
    assert "You picked 2 sessions." in page_text(client.get("/account/events/prepcon/"))


def test_replacing_the_document_checks_it_is_a_pdf(client, delegate):
    old = registrations(delegate)[0].nomination_document_path

    refused = client.post("/account/events/prepcon/document", data={"document": (io.BytesIO(b"GIF89a"), "x.pdf")},
                          content_type="multipart/form-data")
    accepted = client.post("/account/events/prepcon/document", data={"document": (io.BytesIO(PDF), "nv.pdf")},
                           content_type="multipart/form-data")

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert registrations(delegate)[0].nomination_document_path not in (None, old)


def test_account_home_lists_my_registration(client, delegate):
    page = client.get("/account/")

    assert "/account/events/prepcon/" in page.get_data(as_text=True)
