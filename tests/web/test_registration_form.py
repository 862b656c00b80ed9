"""The public registration form: who gets a seat, what is said, and what bad input changes (nothing)."""

import io
from datetime import UTC, datetime, timedelta

from registration_helpers import OPEN, PDF, form, messages, registrations
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import Delegation, EventStatus, OverQuotaPolicy, RegistrationStatus, User

from conftest import page_text
from factories import make_event, make_organization, make_user


def post(client, slug="prepcon", **overrides):
    return client.post(f"/events/{slug}/register", data=form(**overrides), content_type="multipart/form-data")


def test_register_anonymous_creates_pending_registration_account_and_confirmation(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()

    response = post(client, email="Ada@Example.org")

    assert response.status_code == 302
    assert response.headers["Location"] == "/events/prepcon/register/sent"
    [reg] = registrations(event)
    assert (reg.email, reg.status, reg.name, reg.organization_name) == (
        "ada@example.org", RegistrationStatus.PENDING, "Ada Delegate", "Permanent Mission of Somewhere")
    assert reg.user.email == "ada@example.org"
    assert reg.calendar_token and reg.nomination_document_path
    [message] = messages(to_email="ada@example.org")
    assert message.kind == "confirmation"
    assert "waiting for the organizers' approval" in message.body


def test_register_sent_page_tells_what_to_do_next(client, app):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()

    response = client.get("/events/prepcon/register/sent")

    assert "Check your mail" in page_text(response)
    assert "ask for a new sign-in link" in page_text(response)


def test_register_twice_creates_nothing_and_answers_exactly_as_the_first_time(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()
    first = post(client)

    second = post(client, name="Someone Else")

    assert (second.status_code, second.headers["Location"]) == (first.status_code, first.headers["Location"])
    assert [r.name for r in registrations(event)] == ["Ada Delegate"]
    assert [m.kind for m in messages(to_email="ada@example.org")] == ["confirmation", "already_registered"]


def test_register_with_an_existing_accounts_address_attaches_without_signing_in(client, app):
    event = make_event(slug="prepcon", **OPEN)
    existing = make_user("ada@example.org")
    db.session.commit()

    response = post(client)

    assert response.headers["Location"] == "/events/prepcon/register/sent"
    assert registrations(event)[0].user_id == existing.id
    assert client.get("/account/").status_code == 302  # not signed in: knowing an address proves nothing
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_register_when_full_waitlists_in_arrival_order(client, app):
    event = make_event(slug="prepcon", capacity=2, needs_approval=False, **OPEN)
    db.session.commit()

    for n in range(4):
        post(client, email=f"d{n}@example.org")

    assert [r.status for r in registrations(event)] == [
        RegistrationStatus.APPROVED, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED,
        RegistrationStatus.WAITLISTED]
    assert "on the waiting list" in messages(to_email="d2@example.org")[0].body


def test_register_approved_message_carries_joining_link_only_when_approved(client, app):
    make_event(slug="prepcon", capacity=1, needs_approval=False, joining_link="https://meet.example/secret", **OPEN)
    db.session.commit()

    post(client, email="first@example.org")
    post(client, email="second@example.org")

    assert "https://meet.example/secret" in messages(to_email="first@example.org")[0].body
    assert "https://meet.example/secret" not in messages(to_email="second@example.org")[0].body


def test_register_signed_in_goes_to_own_registration(client, login, app):
    event = make_event(slug="prepcon", **OPEN)
    user = make_user("me@example.org")
    db.session.commit()
    login(user)

    response = post(client, email="someone-else@example.org")

    assert response.headers["Location"] == "/account/events/prepcon/"
    [reg] = registrations(event)
    assert (reg.email, reg.user_id) == ("me@example.org", user.id)


def test_register_before_opening_and_after_closing_says_so_and_changes_nothing(client, app):
    now = datetime.now(UTC)
    make_event(slug="later", registration_opens_at=now + timedelta(days=3))
    closed = make_event(slug="closed", registration_opens_at=now - timedelta(days=9),
                        registration_closes_at=now - timedelta(days=1))
    db.session.commit()

    later_page = client.get("/events/later/register")
    late_post = post(client, slug="closed")

    assert "Registration opens on" in page_text(later_page)
    assert late_post.status_code == 409
    assert "Registration closed on" in page_text(late_post)
    assert registrations(closed) == []


def test_register_on_a_draft_event_is_not_found(client, app):
    make_event(slug="draft", status=EventStatus.DRAFT, **OPEN)
    db.session.commit()

    assert post(client, slug="draft").status_code == 404


def test_register_bad_input_shows_errors_next_to_fields_and_changes_nothing(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()
    cases = {
        "name": dict(name=""),
        "email": dict(email="not-an-email"),
        "category": dict(category="head_of_state"),
        "organization": dict(organization="999999"),
        "organization_name": dict(organization="other", organization_name=""),
        "consent": dict(consent=""),
        "document": dict(document=(io.BytesIO(b"MZ\x90\x00 not a pdf"), "note.pdf")),
    }

    responses = {name: post(client, **overrides) for name, overrides in cases.items()}

    for name, response in responses.items():
        assert response.status_code == 400, name
        assert f'id="{name}-error"' in response.get_data(as_text=True) or name == "consent", name
    assert "not a PDF" in page_text(responses["document"])
    assert "agree to the privacy notice" in page_text(responses["consent"])
    assert registrations(event) == []
    assert messages() == []


def test_register_refuses_a_document_over_the_size_limit(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()
    app.config["NOMINATION_MAX_BYTES"] = 1024
    big = PDF[:-6] + b" " * 2048 + b"%%EOF\n"

    response = post(client, document=(io.BytesIO(big), "big.pdf"))

    assert response.status_code == 400
    assert "larger than" in page_text(response)
    assert registrations(event) == []


def test_register_over_a_refusing_delegation_quota_says_so(client, app):
    event = make_event(slug="prepcon", **OPEN)
    org = make_organization(name="Kingdom of the Netherlands")
    db.session.add(Delegation(event=event, organization=org, quota=1, over_quota_policy=OverQuotaPolicy.REFUSE))
    db.session.commit()
    post(client, email="one@example.org", organization=str(org.id))

    response = post(client, email="two@example.org", organization=str(org.id))

    assert response.status_code == 400
    assert "The delegation of Kingdom of the Netherlands is full (quota: 1)" in page_text(response)
    assert [r.email for r in registrations(event)] == ["one@example.org"]


def test_register_over_a_waitlisting_delegation_quota_waitlists(client, app):
    event = make_event(slug="prepcon", **OPEN)
    org = make_organization()
    db.session.add(Delegation(event=event, organization=org, quota=1, over_quota_policy=OverQuotaPolicy.WAITLIST))
    db.session.commit()

    post(client, email="one@example.org", organization=str(org.id))
    post(client, email="two@example.org", organization=str(org.id))

    assert [(r.status, r.delegation_id is not None) for r in registrations(event)] == [
        (RegistrationStatus.PENDING, True), (RegistrationStatus.WAITLISTED, True)]


def test_event_page_links_to_the_form_only_while_open(client, app):
    make_event(slug="open", **OPEN)
    make_event(slug="shut")
    db.session.commit()

    assert "/events/open/register" in client.get("/events/open/").get_data(as_text=True)
    assert "/events/shut/register" not in client.get("/events/shut/").get_data(as_text=True)
