"""Empty lists say what to do next, on the organizer's pages and the public agenda."""

from confman.extensions import db

from conftest import page_text
from factories import make_event, make_organizer


def test_empty_states_on_a_new_event_say_what_to_do_next(client, login):
    event = make_event()
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)
    base = f"/manage/events/{event.slug}"

    sessions = page_text(client.get(f"{base}/sessions/"))
    speakers = page_text(client.get(f"{base}/speakers/"))
    registrations = page_text(client.get(f"{base}/registrations"))
    counts = page_text(client.get(f"{base}/registrations/counts"))

    assert "No sessions yet. Use “Add a session”" in sessions
    assert "No speakers yet. Use “Add a speaker”" in speakers
    assert "No registrations yet. Delegates register on the public registration form" in registrations
    assert "No registrations yet: the tables below fill in" in counts
