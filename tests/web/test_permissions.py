"""Authorization per event: an organizer of one event cannot act on another."""

from confman.extensions import db
from confman.models import EventStatus, Role

from factories import make_event, make_moderator, make_organizer, make_user


def test_organizer_reaches_their_event_but_not_another(client, login, app):
    mine = make_event(slug="mine")
    theirs = make_event(slug="theirs")
    organizer = make_organizer(mine)
    make_organizer(theirs)
    db.session.commit()
    login(organizer)

    assert client.get("/manage/events/mine/").status_code == 200
    assert client.get("/manage/events/theirs/").status_code == 403


def test_moderator_and_delegate_are_not_organizers(client, login, app):
    event = make_event(slug="prepcon")
    moderator = make_moderator(event)
    delegate = make_user()
    db.session.commit()

    login(moderator)
    as_moderator = client.get("/manage/events/prepcon/")
    login(delegate)
    as_delegate = client.get("/manage/events/prepcon/")

    assert as_moderator.status_code == 403
    assert as_delegate.status_code == 403


def test_anonymous_users_are_sent_to_log_in(client, app):
    make_event(slug="prepcon")
    db.session.commit()

    response = client.get("/manage/events/prepcon/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_admin_reaches_every_event(client, login, app):
    make_event(slug="one")
    make_event(slug="two")
    admin = make_user(is_admin=True)
    db.session.commit()
    login(admin)

    assert client.get("/manage/events/one/").status_code == 200
    assert client.get("/manage/events/two/").status_code == 200


def test_unknown_event_is_404_even_for_admins(client, login, app):
    admin = make_user(is_admin=True)
    db.session.commit()
    login(admin)

    assert client.get("/manage/events/nope/").status_code == 404


def test_draft_events_are_invisible_to_the_public_but_not_to_their_staff(client, login, app):
    draft = make_event(slug="draft", status=EventStatus.DRAFT, title="Secret draft")
    organizer = make_organizer(draft)
    other = make_user(roles=((make_event(slug="other"), Role.ORGANIZER),))
    db.session.commit()

    anonymous = client.get("/events/draft/")
    index = client.get("/").get_data(as_text=True)
    login(other)
    other_organizer = client.get("/events/draft/agenda")
    login(organizer)
    own_organizer = client.get("/events/draft/agenda")

    assert anonymous.status_code == 404
    assert "Secret draft" not in index
    assert other_organizer.status_code == 404
    assert own_organizer.status_code == 200
