"""Public pages: the list of events, an event's page and its agenda."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, EventStatus
from confman.services import agenda, changelog, floor, registration, timetable
from confman.timeutil import utcnow, zone_or_none
from confman.web import wording
from confman.web.content import viewer_agenda
from confman.web.helpers import day_arg, get_public_event_or_404
from confman.web.live import request_now

bp = Blueprint("public", __name__)


@bp.route("/")
def index():
    events = db.session.scalars(
        select(Event).where(Event.status != EventStatus.DRAFT).order_by(Event.starts_on.desc())
    ).all()
    return render_template("public/index.html", events=events)


@bp.route("/events/<slug>/")
def event(slug: str):
    event = get_public_event_or_404(slug)
    now = utcnow()
    return render_template("public/event.html", event=event, now=now,
                           registration_open=registration.is_open(event, now),
                           versions=changelog.recent_versions(event, limit=10),
                           describe_change=wording.describe_change)


@bp.route("/events/<slug>/agenda")
def agenda_page(slug: str):
    event = get_public_event_or_404(slug)
    tz_name = request.args.get("tz", "").strip()
    tz = _viewer_zone(event)
    tz_error = None
    if tz_name and zone_or_none(tz_name) is None:
        tz_error = _("“%(name)s” is not a time zone we know. Times are shown in the event's zone (%(zone)s).",
                     name=tz_name, zone=wording.zone(event.tz))
    published = viewer_agenda(event)
    theme = None
    if theme_slug := request.args.get("theme"):
        theme = published.theme(theme_slug)
        if theme is None:
            abort(404)
    day = day_arg(request.args.get("day"))
    tag = None
    if tag_slug := request.args.get("tag"):
        tag = published.tag(tag_slug)
        if tag is None:
            abort(404)
    person = None
    if speaker_arg := request.args.get("speaker"):
        if not speaker_arg.isdigit():
            abort(400, description=_("The speaker must be given by number."))
        person = published.speakers.get(int(speaker_arg))
        if person is None:
            abort(404)
    text = request.args.get("q", "").strip()[:200]
    view = "grid" if request.args.get("view") == "grid" else "list"
    chosen = published.for_theme(theme)
    all_days = sorted({s.starts_at.astimezone(tz).date() for s in chosen})
    filtered = bool(text or tag or person or theme or day)
    if text or tag or person:
        chosen = published.search(chosen, text=text, tag=tag, speaker=person)
    if view == "grid":
        days = timetable.build_timetable(chosen, published.channels, tz)
    else:
        days = agenda.group_by_day(chosen, tz)
    if day is not None:
        days = [d for d in days if d.day == day]
    status = 400 if tz_error else 200
    now = request_now()
    running = [s for s in chosen if not s.is_cancelled and s.starts_at <= now < s.ends_at]
    return render_template(
        "public/agenda.html", event=event, agenda=published, days=days, tz=tz, tz_error=tz_error, theme=theme,
        room_links=floor.public_links(event, chosen),
        day=day, now=now, running_ids={s.id for s in running}, running=running,
        speaking_order=agenda.speaking_order, view=view, all_days=all_days,
        text=text, tag=tag, person=person, filtered=filtered,
        match_count=sum(1 for s in chosen if day is None or s.starts_at.astimezone(tz).date() == day),
        speaker_choices=sorted(published.speakers.values(), key=lambda s: s.name.lower()),
    ), status


def _viewer_zone(event: Event):
    """The viewer's ?tz= when it names a known zone, else the event's zone."""
    return zone_or_none(request.args.get("tz", "").strip()) or event.tz


@bp.route("/events/<slug>/sessions/<int:session_id>")
def session_page(slug: str, session_id: int):
    event = get_public_event_or_404(slug)
    item = viewer_agenda(event).session(session_id)
    if item is None:
        abort(404)
    speakers_list = floor.load_list(item.id)
    now = request_now()
    entries = floor.calling_order(speakers_list.inscriptions) if speakers_list else []
    statements = [(i, st) for i in entries for st in i.statements if floor.is_public(st, now)]
    return render_template("public/session.html", event=event, item=item, tz=_viewer_zone(event),
                           speaking_order=agenda.speaking_order, speakers_list=speakers_list, statements=statements,
                           room=floor.public_links(event, [item]).get(item.id))


@bp.route("/events/<slug>/speakers/")
def speakers(slug: str):
    event = get_public_event_or_404(slug)
    people = sorted(viewer_agenda(event).speakers.values(),
                    key=lambda s: (s.protocol_rank.precedence, s.name.lower()))
    return render_template("public/speakers.html", event=event, speakers=people)


@bp.route("/events/<slug>/speakers/<int:speaker_id>")
def speaker(slug: str, speaker_id: int):
    event = get_public_event_or_404(slug)
    person = viewer_agenda(event).speakers.get(speaker_id)
    if person is None:
        abort(404)
    return render_template("public/speaker.html", event=event, speaker=person, tz=_viewer_zone(event))
