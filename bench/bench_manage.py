"""Organizer pages of the small and the large event: the timetable must not grow in queries with the agenda."""

from bench.harness import HEADER, measure
from confman.extensions import db
from confman.models import Event, Role
from confman.services import users

PASSWORD = "bench-organizer-password"


def _organizer_client(app, slugs):
    with app.app_context():
        email = "bench-organizer@example.org"
        user = users.find_by_email(email)
        if user is None:
            events = [db.session.scalars(db.select(Event).filter_by(slug=s)).one() for s in slugs]
            users.create_user(email, password=PASSWORD, now=events[0].created_at,
                              roles=tuple((e, Role.ORGANIZER) for e in events))
            db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, "bench organizer could not log in"
    return client


def run(app, events: dict[str, str]) -> list[str]:
    client = _organizer_client(app, list(events.values()))
    lines = [HEADER]
    results = {}
    for size, slug in events.items():
        for label, path in (("timetable", f"/manage/events/{slug}/timetable"),
                            ("timetable, one day", f"/manage/events/{slug}/timetable?day=2021-10-25"),
                            ("sessions list", f"/manage/events/{slug}/sessions/"),
                            ("problems", f"/manage/events/{slug}/problems")):
            timing = measure(app, f"{label} ({size})", lambda _c, p=path: client.get(p), repeat=15)
            results[(label, size)] = timing
            lines.append(timing.row())
    for label in ("timetable", "timetable, one day", "sessions list", "problems"):
        small, large = results[(label, "small")], results[(label, "large")]
        lines.append(f"{label}: large/small median ratio {large.median_ms / small.median_ms:.1f}, "
                     f"queries {small.queries} -> {large.queries}")
    return lines
