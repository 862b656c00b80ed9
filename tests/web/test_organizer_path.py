"""The organizer's first hour: New event on /manage/, a checklist that ticks itself, registration on the event form,
one honest act of publishing, a fixed start on the session form, and deleting what was never published."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, EventStatus, Tag

from conftest import page_text
from factories import make_event, make_organizer, make_session, make_theme, make_user

NEW_EVENT = {"title": "Women in Peacekeeping", "short_title": "WPK", "slug": "wpk", "starts_on": "2030-03-08",
             "ends_on": "2030-03-09", "timezone": "Europe/Berlin", "format": "virtual", "status": "draft",
             "needs_approval": "y"}


def _organizer(login, **event_values):
    event = make_event(slug="prepcon", **event_values)
    event.organizer = make_organizer(event)  # for a test that logs out and back in
    db.session.commit()
    login(event.organizer)
    return event


def test_manage_index_offers_new_event_to_organizers_only(client, login, app):
    _organizer(login)
    nobody = make_user("nobody@example.org")
    db.session.commit()
    organizer_page = page_text(client.get("/manage/"))
    login(nobody)

    newcomer_page = page_text(client.get("/manage/"))

    assert "New event" in organizer_page
    assert "New event" not in newcomer_page
    assert "can give you a role on its team page" in newcomer_page


def test_checklist_ticks_itself_as_the_event_grows(client, login, app):
    _organizer(login)
    client.post("/manage/events/new", data=NEW_EVENT)
    first = page_text(client.get("/manage/events/wpk/"))

    client.post("/manage/events/wpk/edit", data={**NEW_EVENT, "registration_opens_at": "2030-01-10T09:00",
                                                 "registration_closes_at": "2030-03-01T18:00", "version": "1"})
    client.post("/manage/events/wpk/sessions/new", data={"title": "Opening", "kind": "opening", "theme_id": "",
                                                         "channel_id": "", "starts_at": "2030-03-08T09:00",
                                                         "duration": "30"})
    second = page_text(client.get("/manage/events/wpk/"))

    assert "First steps ○ Add the co-hosts (to do) ○ Add themes (to do) ○ Add sessions (to do)" in first
    assert "○ Open registration (opening and closing times) (to do)" in first
    assert "✓ Add sessions (done) ✓ Open registration (opening and closing times) (done)" in second
    assert "Draft: the public sees nothing of this event yet." in second
    assert "Registration closed (the event is a draft)" in second


def test_dashboard_badge_says_whether_registration_is_open(client, login, app):
    now = datetime.now(UTC)
    _organizer(login, status=EventStatus.PUBLISHED, registration_opens_at=now - timedelta(days=1),
               registration_closes_at=now + timedelta(days=1))

    text = page_text(client.get("/manage/events/prepcon/"))

    assert "Registration open" in text
    assert "The event page is public, but its agenda has not been published" in text
    assert "Everything is published" not in text


def test_publishing_a_draft_makes_event_and_agenda_public_in_one_act(client, login, app):
    event = _organizer(login, status=EventStatus.DRAFT)
    make_session(event, title="Opening")
    db.session.commit()
    client.post("/logout")
    hidden = client.get("/events/prepcon/agenda").status_code
    login(event.organizer)

    response = client.post("/manage/events/prepcon/publish", data={"comment": "", "make_public": "y"},
                           follow_redirects=True)
    client.post("/logout")

    assert hidden == 404
    assert "The event and its agenda are public now: http://confman.test/events/prepcon/" in page_text(response)
    assert "Opening" in page_text(client.get("/events/prepcon/agenda"))
    assert db.session.scalar(select(AuditEntry.summary).filter_by(action="event.updated")) == "Made the event public"


def test_publishing_a_draft_agenda_without_the_switch_says_the_public_does_not_see_it(client, login, app):
    event = _organizer(login, status=EventStatus.DRAFT)
    make_session(event, title="Opening")
    db.session.commit()

    response = client.post("/manage/events/prepcon/publish", data={"comment": ""}, follow_redirects=True)
    dashboard = page_text(client.get("/manage/events/prepcon/"))

    text = page_text(response)
    assert "Published version 1 with 1 change." in text
    assert "The event is still a draft, so the public does not see it yet" in text
    assert "Delegates see it now" not in text
    assert "Also make the event public" in text
    assert "Draft: the public sees nothing of this event yet." in dashboard
    assert "Everything is published" not in dashboard


def test_publish_again_on_a_draft_with_nothing_new_just_makes_it_public(client, login, app):
    event = _organizer(login, status=EventStatus.DRAFT)
    make_session(event, title="Opening")
    db.session.commit()
    client.post("/manage/events/prepcon/publish", data={"comment": ""})

    response = client.post("/manage/events/prepcon/publish", data={"comment": "", "make_public": "y"},
                           follow_redirects=True)

    assert "The event is public now, with its agenda as published" in page_text(response)
    assert "Everything is published: the public sees version 1" in page_text(client.get("/manage/events/prepcon/"))


def test_session_form_sets_a_fixed_start(client, login, app):
    event = _organizer(login)
    make_theme(event)
    db.session.commit()

    client.post("/manage/events/prepcon/sessions/new", data={
        "title": "Opening", "kind": "opening", "theme_id": "", "channel_id": "", "starts_at": "2021-10-25T09:00",
        "duration": "30", "is_fixed": "y"})

    item = db.session.scalar(select(AgendaSession).filter_by(title="Opening"))
    assert item.is_fixed is True
    page = client.get(f"/manage/events/prepcon/sessions/{item.id}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="is_fixed"', page)


def test_a_never_published_session_can_be_deleted_a_published_one_only_cancelled(client, login, app):
    event = _organizer(login)
    published = make_session(event, title="Published one")
    db.session.commit()
    client.post("/manage/events/prepcon/publish", data={"comment": ""})
    draft = make_session(event, title="Draft one")
    db.session.commit()

    draft_page = page_text(client.get(f"/manage/events/prepcon/sessions/{draft.id}"))
    deleted = client.post(f"/manage/events/prepcon/sessions/{draft.id}/delete", data={"version": draft.version},
                          follow_redirects=True)
    refused = client.post(f"/manage/events/prepcon/sessions/{published.id}/delete",
                          data={"version": published.version}, follow_redirects=True)

    assert "Delete this session" in draft_page and "Cancel this session" not in draft_page
    assert "Deleted “Draft one”." in page_text(deleted)
    assert "was published, so delegates and calendars may have it: cancel it instead" in page_text(refused)
    assert [i.title for i in db.session.scalars(select(AgendaSession))] == ["Published one"]
    assert "Cancel this session" in page_text(client.get(f"/manage/events/prepcon/sessions/{published.id}"))


def test_event_form_suggests_the_zone_of_a_city_and_offers_no_deprecated_alias(client, login, app):
    _organizer(login)

    response = client.post("/manage/events/new", data={**NEW_EVENT, "timezone": "Geneva"})
    page = client.get("/manage/events/new").get_data(as_text=True)

    assert "“Geneva” is not an IANA time zone (like Europe/Amsterdam). Did you mean Europe/Zurich?" in page_text(
        response)
    assert '<option value="America/New_York">' in page and '<option value="Europe/Zurich">' in page
    assert '<option value="US/Eastern">' not in page and '<option value="Asia/Calcutta">' not in page


def test_organization_kinds_read_un_entity_and_the_agenda_says_topic(client, login, app):
    event = _organizer(login, status=EventStatus.PUBLISHED)
    training = Tag(event=event, slug="training", name="Training")
    make_session(event, title="Opening", tags=[training])
    db.session.commit()
    client.post("/manage/events/prepcon/publish", data={"comment": ""})

    co_hosts = page_text(client.get("/manage/events/prepcon/co-hosts/"))
    agenda = page_text(client.get("/events/prepcon/agenda"))

    assert "UN entity" in co_hosts and "Un entity" not in co_hosts
    assert "Topic All topics" in agenda and "Tag" not in agenda
