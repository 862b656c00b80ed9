"""Every route of the app (from the URL map, so none is forgotten) as every kind of user: allowed or denied.

A new route fails `test_every_route_has_an_access_rule` until it is given a rule in ACCESS below.
"""

from __future__ import annotations

import pytest
from flask import url_for
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import (
    AgendaSession,
    AuditEntry,
    Base,
    CoHost,
    Delegation,
    Event,
    Inscription,
    Participation,
    Registration,
    Role,
    SessionKind,
    Speaker,
    SpeakersList,
    Statement,
    Theme,
)
from confman.models.live import Webhook
from confman.models.video import VideoSubmission
from confman.services import sample
from confman.storage import LocalStorage

from api_support import API_TOKEN_ENDPOINTS
from factories import NOW, PASSWORD, make_event, make_user

ROLES = ["anonymous", "delegate", "moderator_elsewhere", "organizer_elsewhere", "moderator", "organizer", "admin"]
PUBLIC = set(ROLES)
SIGNED_IN = PUBLIC - {"anonymous"}
MODERATORS = {"moderator", "organizer", "admin"}
ORGANIZERS = {"organizer", "admin"}

# endpoint -> who may use it. "capability" routes are reached by a secret in the URL, tested in their own modules.
ACCESS: dict[str, set[str] | str] = {
    "static": PUBLIC,
    "ops.healthz": PUBLIC,
    "public.index": PUBLIC,
    "public.event": PUBLIC,
    "public.agenda_page": PUBLIC,
    "public.session_page": PUBLIC,
    "public.speakers": PUBLIC,
    "public.speaker": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "language.choose": PUBLIC,  # the header's language switcher
    "account.home": SIGNED_IN,
    "account.sign_out_everywhere": SIGNED_IN,
    "manage.index": SIGNED_IN,
    "manage.event": ORGANIZERS,
    "manage.video_overview": ORGANIZERS,
    "manage.video_slot": ORGANIZERS,
    "manage.video_make_link": ORGANIZERS,
    "manage.video_revoke_link": ORGANIZERS,
    "manage.video_review": ORGANIZERS,
    "manage.video_played": MODERATORS,
    "manage.video_interpreters": ORGANIZERS,
    "manage.video_remove_interpreter": ORGANIZERS,
    "manage.video_transcripts": MODERATORS,  # and interpreters, tested in test_video_manage
    "manage.interpreting": MODERATORS,  # and interpreters, tested in web/test_interpretation.py
    "manage.interpreting_feed": "capability",  # a signed per-person address, tested in web/test_interpretation.py
    "manage.video_file": MODERATORS,
    "video.submit": "capability",
    "exports.agenda_ics": PUBLIC,
    "exports.programme_page": PUBLIC,
    "exports.programme_pdf_file": PUBLIC,
    "exports.schedule_json": PUBLIC,
    "exports.schedule_xml": PUBLIC,
    "exports.session_ics": PUBLIC,
    "exports.speaker_ics": PUBLIC,
    "feeds.changes_atom": PUBLIC,
    "feeds.personal_calendar": "capability",
    "live.live_page": PUBLIC,
    "live.live_json": PUBLIC,
    "moderate.console": MODERATORS,
    "moderate.act": MODERATORS,
    "moderate.version": MODERATORS,
    "moderate.rehearsal": MODERATORS,  # issue 18: a sandbox of one day
    "manage.webhooks_page": ORGANIZERS,
    "manage.webhook_rotate": ORGANIZERS,
    "manage.webhook_remove": ORGANIZERS,
    # Registrations (issue 4): the delegate's own pages answer 404 to everyone else.
    "registrations.register": PUBLIC,
    "registrations.sent": PUBLIC,
    "registrations.sign_in_request": PUBLIC,
    "registrations.sign_in": "capability",
    "registrations.sign_in_renew": "capability",
    "registrations.mine": {"delegate"},
    "registrations.edit_details": {"delegate"},
    "registrations.cancel": {"delegate"},
    "registrations.upload_document": {"delegate"},
    "registrations.calendar_token": {"delegate"},
    "registrations.my_agenda": {"delegate"},
    "manage.registrations": ORGANIZERS,
    "manage.registrations_csv": ORGANIZERS,
    "manage.bulk_decide": ORGANIZERS,
    "manage.registration_detail": ORGANIZERS,
    "manage.decide": ORGANIZERS,
    "manage.registration_document": ORGANIZERS,
    "manage.registration_settings": ORGANIZERS,
    "manage.registration_counts": ORGANIZERS,
    "manage.outbox_list": ORGANIZERS,
    "manage.outbox_send": ORGANIZERS,
    "manage.delegations_page": ORGANIZERS,
    "manage.delegation_page": ORGANIZERS,
    "manage.delegation_import": ORGANIZERS,
    "manage.delegation_document": ORGANIZERS,
    # Issue 3: the organizer's pages. Creating an event is for organizers of any event (and admins).
    "manage.event_new": {"organizer_elsewhere", "organizer", "admin"},
    **{f"manage.{name}": ORGANIZERS for name in (
        "event_edit", "event_clone", "co_hosts", "co_host_add", "organization_new", "co_host_role", "co_host_move",
        "co_host_logo", "co_host_remove", "labels", "label_edit", "label_delete", "publish", "problems", "audit_log",
        "timetable", "sessions", "session_new", "session_edit", "session_move", "session_cancel",
        "session_reinstate", "session_duplicate", "participation_add", "participation_edit", "participation_move",
        "participation_protocol", "participation_remove", "speakers", "speaker_new", "speaker_edit",
        "speaker_delete", "event_languages", "co_host_names", "interpretation_counts",
        "interpretation_csv")},
    # Issue 18: deleting a never-published session, and the team page.
    **{f"manage.{name}": ORGANIZERS for name in ("session_delete", "team_page", "team_revoke")},
    # Issue 18 §4: importing sessions from a file.
    **{f"manage.{name}": ORGANIZERS for name in ("session_import", "session_import_confirm")},
    "media.public_file": "capability",  # public images under random keys; tested in web/test_manage_events.py
    # Issue 14: the floor. A delegation's pages answer 404 to anyone who speaks for no delegation.
    "floor.list_page": PUBLIC,
    "floor.list_json": PUBLIC,
    "floor.list_csv": PUBLIC,
    "floor.statements_page": PUBLIC,
    "floor.statement_file": PUBLIC,  # a public one here; private ones are tested in web/test_statements.py
    **{f"inscriptions.{name}": {"delegate"} for name in ("mine", "inscribe", "edit", "withdraw", "statement")},
    **{f"manage.{name}": ORGANIZERS for name in (
        "floor_overview", "floor_list", "floor_move", "floor_undo", "floor_withdraw", "statement_withdraw", "rooms",
        "channel_room", "session_room")},
    "moderate.floor_act": MODERATORS,
    # Issue 21: the timetable editor's JSON.
    **{f"manage.{name}": ORGANIZERS for name in (
        "timetable_day", "timetable_check", "timetable_place", "timetable_create", "timetable_speakers",
        "timetable_session_speakers", "timetable_speaking_order")},
    # Issue 15: the API. Public reads are public; the rest takes a bearer token only, so every browser session,
    # even an organizer's, is refused (401): tests/api/test_authorization.py covers role x scope x event.
    "account.tokens": SIGNED_IN,
    "account.revoke_token": {"organizer"},  # the owner of the token only
    "api_reference.reference": PUBLIC,
    "api-docs.openapi_json": PUBLIC,
    **{f"api_events.{name}": PUBLIC for name in (
        "list_events", "get_event", "get_agenda", "list_public_sessions", "get_public_session",
        "list_public_speakers", "get_public_speaker", "list_themes", "list_channels", "list_tags", "list_co_hosts",
        "changelog")},
    "api_live.live_state": PUBLIC,
    "api_live.list_of_speakers_read": PUBLIC,
    "api_building.list_organizations": PUBLIC,
    **{endpoint: "token" for endpoint in API_TOKEN_ENDPOINTS},
}

# Routes about one kind of object take that kind's id rather than the first session's.
ARGUMENTS = {endpoint: {"session_id": "video_session_id"} for endpoint in (
    "manage.video_slot", "manage.video_make_link", "manage.video_revoke_link", "manage.video_review",
    "manage.video_played",
)}


@pytest.fixture
def world(app):
    """The PrepCon sample, plus one person of each kind. Returns their users and the objects routes need."""
    sample.load_sample(now=NOW)
    event = db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))
    elsewhere = make_event(slug="elsewhere")
    people = {
        "delegate": db.session.scalar(select(Registration).filter_by(event_id=event.id)).user,
        "moderator_elsewhere": make_user(roles=((elsewhere, Role.MODERATOR),)),
        "organizer_elsewhere": make_user(roles=((elsewhere, Role.ORGANIZER),)),
        "moderator": make_user(roles=((event, Role.MODERATOR),)),
        "organizer": make_user(roles=((event, Role.ORGANIZER),)),
        "admin": make_user(is_admin=True),
    }
    from confman.services import users

    users.set_password(people["delegate"], PASSWORD)
    video_session = db.session.scalar(select(AgendaSession).filter_by(event_id=event.id, kind=SessionKind.VIDEO_MESSAGE)
                                      .order_by(AgendaSession.id))
    key = "videos/matrix/statement.mp4"
    LocalStorage(app.config["UPLOAD_FOLDER"]).save(key, b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64)
    submission = VideoSubmission(video_message=video_session.video_message, submitted_at=NOW, file_path=key,
                                 file_name="statement.mp4", content_type="video/mp4", file_size=76)
    db.session.add(submission)
    hook = Webhook(event=event, url="http://127.0.0.1:9/hook", secret="s" * 40, kinds=["session.started"])
    db.session.add(hook)
    db.session.commit()
    values = {
        "slug": event.slug,
        "session_id": db.session.scalar(select(func.min(AgendaSession.id)).filter_by(event_id=event.id)),
        "speaker_id": db.session.scalar(select(func.min(Speaker.id)).filter_by(event_id=event.id)),
        "registration_id": db.session.scalar(select(func.min(Registration.id)).filter_by(event_id=event.id)),
        "filename": "css/app.css",
        "video_session_id": video_session.id,
        "submission_id": submission.id,
        "kind": "video",
        "hook_id": hook.id,
        "action": "revoke",
        "delegation_id": db.session.scalar(select(func.min(Delegation.id)).filter_by(event_id=event.id)),
        "host_id": db.session.scalar(select(func.min(CoHost.id)).filter_by(event_id=event.id)),
        "label_id": db.session.scalar(select(func.min(Theme.id)).filter_by(event_id=event.id)),
        "kinds": "themes",
        "direction": "up",
        "code": "fr",
        "token_id": _give_token(event, people["organizer"]),
    }
    values["participation_id"] = db.session.scalar(
        select(func.max(Participation.id)).filter_by(session_id=values["session_id"]))
    _give_documents(app, event)
    values.update(_give_floor(app, event, values["session_id"]))
    return people, values


def _give_floor(app, event, session_id):
    """A list of speakers on the first session that the sample delegate's delegation is on, with a statement
    that is public already."""
    delegation = db.session.scalar(select(Delegation).filter_by(event_id=event.id).order_by(Delegation.id))
    speakers_list = SpeakersList(session_id=session_id, event_id=event.id, is_open=True, categories=["member_state"],
                                 delegates_may_inscribe=True)
    db.session.add(speakers_list)
    inscription = Inscription(session_id=session_id, event_id=event.id, delegation=delegation, turn=1,
                              speaker_name="Matrix speaker", inscribed_at=NOW)
    db.session.add(inscription)
    db.session.flush()
    app.extensions["confman.storage"].save("statements/matrix.pdf", b"%PDF-1.4\n%%EOF\n")
    statement = Statement(event_id=event.id, inscription=inscription, language="en", file_path="statements/matrix.pdf",
                          file_name="statement.pdf", content_type="application/pdf", file_size=15, checksum="0" * 64,
                          embargo_at=NOW, uploaded_at=NOW)
    db.session.add(statement)
    db.session.commit()
    return {"inscription_id": inscription.id, "statement_id": statement.id, "channel_id": event.channels[0].id}


def _give_token(event, organizer) -> int:
    from confman.models import ApiToken, TokenScope
    from confman.services import api_tokens

    api_tokens.create_token(organizer, event, name="matrix", scope=TokenScope.READ, now=NOW)
    db.session.commit()
    return db.session.scalar(select(func.max(ApiToken.id)))


def _give_documents(app, event):
    """Nomination documents on the delegate's registration and their delegation, so download routes answer."""
    storage = app.extensions["confman.storage"]
    storage.save("nominations/matrix.pdf", b"%PDF-1.4\n%%EOF\n")
    for model in (Registration, Delegation):
        db.session.execute(db.update(model).where(model.event_id == event.id)
                           .values(nomination_document_path="nominations/matrix.pdf"))
    db.session.commit()


def _routes(app):
    return [rule for rule in app.url_map.iter_rules()]


def test_every_route_has_an_access_rule(app):
    unclassified = sorted({rule.endpoint for rule in _routes(app)} - set(ACCESS))

    assert unclassified == [], "give these endpoints a rule in ACCESS"


def _url(app, rule, values):
    names = ARGUMENTS.get(rule.endpoint, {})
    with app.test_request_context():
        return url_for(rule.endpoint, **{arg: values[names.get(arg, arg)] for arg in rule.arguments})


def _row_counts():
    return {t.name: db.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
            if t.name != "audit_entry"} | {"audit": db.session.scalar(select(func.count(AuditEntry.id)))}


@pytest.mark.parametrize("role", ROLES)
def test_routes_allow_and_deny_as_their_rule_says(app, client, login, world, role):
    people, values = world
    if role != "anonymous":
        login(people[role])
    checked = 0

    for rule in _routes(app):
        allowed = ACCESS[rule.endpoint]
        if allowed == "capability":
            continue
        url = _url(app, rule, values)
        if allowed == "token":  # a browser's session is no API credential, whoever is signed in
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                before = _row_counts()
                assert client.open(url, method=method).status_code == 401, f"{role}: {method} {url}"
                assert _row_counts() == before
                checked += 1
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if rule.endpoint in ("auth.logout", "account.sign_out_everywhere"):
                continue  # would end this test's login; covered in test_auth and tests/security/test_sessions
            before = _row_counts() if method != "GET" else None
            with client.open(url, method=method) as response:
                status, location = response.status_code, response.headers.get("Location", "")
            checked += 1
            denied = status == 403 or (status == 302 and "/login" in location) or status == 404
            if role in allowed:
                assert not denied, f"{role} should reach {method} {url}, got {status} {location}"
                # A page the role may see renders; an action without its form data is refused politely.
                assert status in (200, 302) if method == "GET" else status < 500, f"{method} {url}: {status}"
            else:
                assert denied, f"{role} must not reach {method} {url}, got {status}"
                if before is not None:
                    assert _row_counts() == before, f"{role}'s refused {method} {url} changed data"

    assert checked >= len(ACCESS) - 2


SECRET_LINKS = ("https://meet.example.org/secret-channel-room", "https://zoom.example.org/j/secret-session-room",
                "https://teams.example.org/secret-event-room")


def test_no_public_page_feed_or_export_carries_a_meeting_link(app, client, world):
    """Every configured join link, looked for in every public GET route as an anonymous visitor (and in the PDF's
    text): meeting links are only for those allowed to join."""
    from pypdf import PdfReader

    from confman.models import Channel, SessionRoom

    people, values = world
    event = db.session.scalar(select(Event).filter_by(slug=values["slug"]))
    event.joining_link = SECRET_LINKS[2]
    db.session.get(Channel, values["channel_id"]).meeting_url = SECRET_LINKS[0]
    db.session.get(Channel, values["channel_id"]).livestream_url = "https://stream.example.org/public"
    db.session.add(SessionRoom(session_id=values["session_id"], meeting_url=SECRET_LINKS[1],
                               recording_url="https://video.example.org/public-recording"))
    db.session.commit()
    checked = []

    for rule in _routes(app):
        if ACCESS[rule.endpoint] != PUBLIC or "GET" not in rule.methods or rule.endpoint == "auth.logout":
            continue
        with client.get(_url(app, rule, values)) as response:
            body, mimetype = response.get_data(), response.mimetype
        if mimetype == "application/pdf" and body.startswith(b"%PDF") and len(body) > 100:
            import io

            body = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).encode()
        checked.append(rule.endpoint)
        for link in SECRET_LINKS:
            assert link.encode() not in body, f"{rule.endpoint} shows the meeting link {link}"

    assert {"exports.schedule_json", "exports.agenda_ics", "exports.programme_pdf_file", "live.live_json",
            "public.session_page", "floor.list_json", "feeds.changes_atom"} <= set(checked)
    schedule = client.get(_url(app, next(r for r in _routes(app) if r.endpoint == "exports.schedule_json"), values))
    assert "https://video.example.org/public-recording" in schedule.get_data(as_text=True)
