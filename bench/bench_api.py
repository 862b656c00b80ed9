"""The API's agenda read next to schedule.json (the export it should be as cheap as), and an organizer's reads.

The agenda's JSON is made once per published version and process (like the exports' render cache), so a warm
read costs the queries that find the event and its latest version; the goal is a flat query count whatever the
agenda's size, and a warm time within 2x of schedule.json.
"""

from __future__ import annotations

from sqlalchemy import select

from bench.harness import HEADER, measure
from confman.extensions import db
from confman.models import Event, Role, TokenScope
from confman.services import api_tokens, publication, users
from confman.timeutil import utcnow


def run(app, events: dict[str, str]) -> list[str]:
    tokens = {}
    with app.app_context():
        for size, slug in events.items():
            event = db.session.scalar(select(Event).filter_by(slug=slug))
            if publication.latest_version(event) is None:
                publication.publish_agenda(event, actor=None, now=utcnow())
            user = users.create_user(f"bench-api-{size}@example.org", password=None, now=utcnow(),
                                     roles=((event, Role.ORGANIZER),))
            tokens[size] = api_tokens.create_token(user, event, name="bench", scope=TokenScope.READ, now=utcnow())[1]
        db.session.commit()
    lines = [HEADER]
    for size, slug in events.items():
        auth = {"Authorization": f"Bearer {tokens[size]}"}
        export = measure(app, f"schedule.json warm ({size})", lambda c, s=slug: c.get(f"/events/{s}/schedule.json"))
        agenda = measure(app, f"api agenda warm ({size})", lambda c, s=slug: c.get(f"/api/v1/events/{s}/agenda"))
        etag = app.test_client().get(f"/api/v1/events/{slug}/agenda").headers["ETag"]
        not_modified = measure(app, f"api agenda 304 ({size})", lambda c, s=slug, e=etag: c.get(
            f"/api/v1/events/{s}/agenda", headers={"If-None-Match": e}), repeat=50)
        sessions = measure(app, f"api working sessions p1 ({size})", lambda c, s=slug, a=auth: c.get(
            f"/api/v1/events/{s}/sessions?limit=50", headers=a))
        registrations = measure(app, f"api registrations p1 ({size})", lambda c, s=slug, a=auth: c.get(
            f"/api/v1/events/{s}/registrations?limit=50", headers=a))
        lines += [export.row(), agenda.row(), not_modified.row(), sessions.row(), registrations.row(),
                  f"{'  agenda / schedule.json':<40} {agenda.median_ms / export.median_ms:>27.2f}x"]
    return lines
