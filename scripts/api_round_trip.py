"""Rebuild the PrepCon agenda in an empty event through the API alone, and compare the published exports.

    .venv/bin/python scripts/api_round_trip.py [--keep DIR]

Two scratch databases: A holds the PrepCon sample (`confman demo`'s data); B holds only an empty event with the
same settings (slug, title, days, zone, parent), made as an administrator makes one on the event page, and an
organizer's write token for it. Everything else reaches B through the API, read from A through the API too:
organizations, co-hosts, themes, channels, tags, speakers, sessions in the order they were made (so ids match),
who speaks in what order, video-message slots, then a publication. The script then fetches agenda.ics,
schedule.json and schedule.xml from both and compares them byte for byte.

What legitimately differs, and is normalized (exactly these, nothing else): in agenda.ics the DTSTAMP and
LAST-MODIFIED lines, because B's sessions were written now while the sample is dated 18 October 2021. Nothing in
schedule.json or schedule.xml is normalized. Exit status 0 when all three match.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

from sqlalchemy import select

from confman import create_app
from confman.extensions import db
from confman.models import Event, Role, TokenScope
from confman.services import api_tokens, sample, users
from confman.services import events as event_service
from confman.timeutil import utcnow

SLUG = sample.PREPCON_SLUG
EXPORTS = ("agenda.ics", "schedule.json", "schedule.xml")
# The only lines that may differ: when B's rows were written (now) versus the sample's date.
NORMALIZED = {"agenda.ics": re.compile(rb"^(DTSTAMP|LAST-MODIFIED):.*$", re.M)}
EVENT_FIELDS = ("slug", "title", "short_title", "description", "starts_on", "ends_on", "timezone", "format",
                "venue", "status", "registration_opens_at", "registration_closes_at", "capacity", "needs_approval")


def _app(folder: Path, name: str):
    return create_app({"TESTING": True, "SECRET_KEY": "round-trip", "SERVER_NAME": "confman.example",
                       "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / (name + '.sqlite3')}",
                       "UPLOAD_FOLDER": str(folder / name / "uploads"), "CACHE_FOLDER": str(folder / name / "cache"),
                       "JOBS_INLINE": False, "RATELIMIT_ENABLED": False})


class Api:
    """JSON over the app's WSGI interface, with a token; any answer but the expected one stops the script."""

    def __init__(self, app, token: str):
        self.client, self.headers = app.test_client(), {"Authorization": f"Bearer {token}",
                                                        "Accept-Encoding": "identity"}

    def call(self, method: str, path: str, body=None, expect=(200,)):
        response = self.client.open(f"/api/v1{path}", method=method, json=body, headers=self.headers)
        if response.status_code not in expect:
            raise SystemExit(f"{method} {path}: {response.status_code} {response.get_data(as_text=True)[:500]}")
        return response.get_json()

    def all(self, path: str) -> list:
        items, cursor = [], None
        while True:
            page = self.call("GET", f"{path}?limit=200" + (f"&cursor={cursor}" if cursor else ""))
            items += page["items"]
            if not (cursor := page["next_cursor"]):
                return items


def setup_source(folder: Path):
    app = _app(folder, "a")
    with app.app_context():
        db.create_all()
        sample.load_sample(now=sample.SAMPLE_PREPARED_AT)
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        organizer = users.create_user("reader@example.org", password=None, now=utcnow(),
                                      roles=((event, Role.ORGANIZER),))
        _token, secret = api_tokens.create_token(organizer, event, name="round trip", scope=TokenScope.READ,
                                                 now=utcnow())
        values = {name: getattr(event, name) for name in EVENT_FIELDS}
        parent = {name: getattr(event.parent, name) for name in EVENT_FIELDS}
        db.session.commit()
    return app, Api(app, secret), values, parent


def setup_empty_event(folder: Path, values: dict, parent: dict):
    """B: the empty event (and its parent series event), as an administrator makes them; an organizer's token."""
    app = _app(folder, "b")
    with app.app_context():
        db.create_all()
        admin = users.create_user("admin@example.org", password=None, now=utcnow(), is_admin=True)
        series = event_service.create_event(actor=admin, now=utcnow(), **parent)
        event = event_service.create_event(actor=admin, now=utcnow(), parent_id=series.id, **values)
        organizer = users.create_user("builder@example.org", password=None, now=utcnow(),
                                      roles=((event, Role.ORGANIZER),))
        _token, secret = api_tokens.create_token(organizer, event, name="round trip", scope=TokenScope.WRITE,
                                                 now=utcnow())
        db.session.commit()
    return app, Api(app, secret)


def rebuild(source: Api, target: Api) -> dict[str, int]:
    """Everything of the agenda, from A's API to B's, in the order A made it."""
    base = f"/events/{SLUG}"
    orgs = {}
    for org in sorted(source.all("/organizations"), key=lambda o: o["id"]):
        made = target.call("POST", f"{base}/organizations", {k: org[k] for k in ("name", "short_name", "kind",
                                                                              "country_code")}, expect=(201,))
        orgs[org["id"]] = made["id"]
    for host in source.call("GET", f"{base}/co-hosts"):
        target.call("POST", f"{base}/co-hosts", {"organization_id": orgs[host["organization"]["id"]],
                                                 "role": host["role"]}, expect=(201,))
    labels = {}
    for kind, fields in (("themes", ("name", "colour", "pattern")), ("channels", ("name", "livestream_url")),
                         ("tags", ("name",))):
        for label in source.call("GET", f"{base}/{kind}"):
            body = {k: label[k] for k in fields if label.get(k)}
            labels[(kind, label["id"])] = target.call("POST", f"{base}/{kind}", body, expect=(201,))["id"]
    speakers = {}
    for speaker in sorted(source.all(f"{base}/speakers"), key=lambda s: s["id"]):
        body = {k: speaker[k] for k in ("honorific", "name", "title", "protocol_rank", "bio", "email")}
        body["organization_id"] = orgs.get(speaker["organization_id"])
        speakers[speaker["id"]] = target.call("POST", f"{base}/speakers", body, expect=(201,))["id"]
    slots = {s["session_id"]: s for s in source.call("GET", f"{base}/video-messages")}
    count = 0
    for item in sorted(source.all(f"{base}/sessions"), key=lambda s: s["id"]):
        body = {k: item[k] for k in ("kind", "title", "description", "notes", "starts_at", "duration_minutes",
                                     "is_fixed")}
        body["theme_id"] = labels.get(("themes", item["theme_id"]))
        body["channel_id"] = labels.get(("channels", item["channel_id"]))
        body["tag_ids"] = [labels[("tags", t)] for t in item["tag_ids"]]
        made = target.call("POST", f"{base}/sessions", body, expect=(201,))
        for person in item["speakers"]:  # in speaking order
            made = target.call("POST", f"{base}/sessions/{made['id']}/participations", {
                "speaker_id": speakers[person["speaker_id"]], "role": person["role"],
                "time_limit_minutes": person["time_limit_minutes"]}, expect=(201,))
        if (slot := slots.get(item["id"])) and slot["status"] is not None:
            target.call("PUT", f"{base}/video-messages/{made['id']}", {
                "speaker_id": speakers.get(slot["speaker_id"]), "introducer_id": speakers.get(slot["introducer_id"]),
                "allowed_length_seconds": slot["allowed_length_seconds"], "deadline_at": slot["deadline_at"],
                "embargo_at": slot["embargo_at"], "language": slot["language"],
                "office_email": slot["office_email"] or ""})
        if item["status"] == "cancelled":
            target.call("POST", f"{base}/sessions/{made['id']}/cancel", {"version": made["version"]})
        count += 1
    version = source.call("GET", f"{base}/changelog")["items"][-1]
    target.call("POST", f"{base}/publications", {"comment": version["comment"]}, expect=(201,))
    return {"organizations": len(orgs), "speakers": len(speakers), "sessions": count}


def exports(app) -> dict[str, bytes]:
    client = app.test_client()
    return {name: client.get(f"/events/{SLUG}/{name}", headers={"Accept-Encoding": "identity"}).get_data()
            for name in EXPORTS}


def compare(expected: dict[str, bytes], actual: dict[str, bytes]) -> list[str]:
    """One line per export: identical, identical after normalizing (and how many lines), or the first difference."""
    report = []
    for name in EXPORTS:
        a, b = expected[name], actual[name]
        if a == b:
            report.append(f"{name}: byte-identical ({len(a)} bytes)")
            continue
        if pattern := NORMALIZED.get(name):
            changed = len(pattern.findall(a))
            a, b = pattern.sub(rb"\1:<normalized>", a), pattern.sub(rb"\1:<normalized>", b)
            if a == b:
                report.append(f"{name}: identical once DTSTAMP and LAST-MODIFIED are normalized ({changed} lines)")
                continue
        first = next(n for n, (x, y) in enumerate(zip(a.splitlines(), b.splitlines(), strict=False)) if x != y) \
            if a.splitlines()[:1] else 0
        report.append(f"{name}: DIFFERENT at line {first + 1}: {a.splitlines()[first][:120]!r} != "
                      f"{b.splitlines()[first][:120]!r}")
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write both sets of exports into this folder")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="confman-round-trip-") as scratch:
        folder = Path(scratch)
        source_app, source, values, parent = setup_source(folder)
        target_app, target = setup_empty_event(folder, values, parent)
        counts = rebuild(source, target)
        expected, actual = exports(source_app), exports(target_app)
        for app in (source_app, target_app):
            with app.app_context():
                db.engine.dispose()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for name in EXPORTS:
            (args.keep / f"sample-{name}").write_bytes(expected[name])
            (args.keep / f"rebuilt-{name}").write_bytes(actual[name])
    print(f"rebuilt through the API: {counts['organizations']} organizations, {counts['speakers']} speakers, "
          f"{counts['sessions']} sessions")
    report = compare(expected, actual)
    print("\n".join(report))
    return 0 if all("DIFFERENT" not in line for line in report) else 1


if __name__ == "__main__":
    sys.exit(main())
