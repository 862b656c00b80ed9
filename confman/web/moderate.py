"""The moderators' run-of-show console: a channel's day with expected times, and the live actions on it."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from confman.extensions import db
from confman.forms.moderate import LiveActionForm, RehearsalForm
from confman.models import AgendaSession, Channel, Event
from confman.services import agenda, live
from confman.services import rehearsal as rehearsals
from confman.web import wording
from confman.web.helpers import day_arg, moderator_required
from confman.web.live import request_now
from confman.web.programme import queue_programme_render
from confman.web.wording import error_text

bp = Blueprint("moderate", __name__, url_prefix="/moderate")


def _channel_or_404(event: Event, slug: str | None) -> Channel | None:
    if not slug:
        return event.channels[0] if event.channels else None
    if slug == "none":
        return None
    channel = db.session.scalar(select(Channel).filter_by(event_id=event.id, slug=slug))
    if channel is None:
        abort(404)
    return channel


def _day_or_400(event: Event, value: str | None, now) -> date:
    if not value:
        today = now.astimezone(event.tz).date()
        return today if event.starts_on <= today <= event.ends_on else event.starts_on
    return day_arg(value)


@bp.route("/<slug>/")
@moderator_required
def console(event: Event):
    now = request_now()
    channel = _channel_or_404(event, request.args.get("channel"))
    day = _day_or_400(event, request.args.get("day"), now)
    rundown = live.load_rundown(event, channel.id if channel else None, day, now=now)
    has_unassigned = db.session.scalar(
        select(AgendaSession.id).filter_by(event_id=event.id, channel_id=None).limit(1)) is not None
    return render_template(
        "moderate/console.html", event=event, rundown=rundown, channel=channel, day=day, now=now,
        version=live.state_version(event, rundown.channel_id), last=live.last_action(event, rundown.channel_id),
        has_unassigned=has_unassigned,
        is_today=day == now.astimezone(event.tz).date(), rehearsal_form=RehearsalForm(formdata=None),
        sandbox=rehearsals.rehearsal_of(event) if event.rehearsal_of_id is None else None,
        speaking_order=agenda.speaking_order, current_speaker=live.current_speaker, form=LiveActionForm(),
        floor=moderate_floor.panel(event, rundown, now),
    )


@bp.route("/<slug>/version.json")
@moderator_required
def version(event: Event):
    """What a channel's console polls to refresh itself when another moderator acts on that channel."""
    channel = _channel_or_404(event, request.args.get("channel"))
    response = jsonify(version=live.state_version(event, channel.id if channel else None))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<slug>/act", methods=["POST"])
@moderator_required
def act(event: Event):
    form = LiveActionForm()
    channel_slug = form.channel.data or "none"
    back = url_for("moderate.console", slug=event.slug, channel=channel_slug, day=form.day.data or None)
    if not form.validate():
        problems = "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
        flash(_("Nothing was changed: %(problems)s.", problems=problems), "error")
        return redirect(back, code=303)
    now = request_now()
    channel = _channel_or_404(event, channel_slug)
    day = _day_or_400(event, form.day.data, now)
    item = None
    if form.session_id.data is not None:
        item = db.session.get(AgendaSession, form.session_id.data)
        if item is None or item.event_id != event.id:
            abort(404)
    common = {"actor": current_user, "now": now, "version": form.version.data}
    minutes = form.minutes.data or 0
    if form.action.data == "start" and item is not None and not form.confirmed.data and (
            item.starts_at.astimezone(event.tz).date() != now.astimezone(event.tz).date()):
        # Starting a session of another day records a real start today: the live page and every expected time
        # after it would follow (a 2021 session once showed "+2684271 min"). Only on purpose.
        flash(_("Nothing was started: “%(title)s” is planned for %(day)s, not today. Confirm to start it anyway.",
                title=item.title, day=wording.day(item.starts_at.astimezone(event.tz))), "error")
        return redirect(back, code=303)
    published = event.agenda_version
    try:
        result = _dispatch(form.action.data, event, channel, day, item, minutes, common)
    except (live.StaleState, StaleDataError):
        db.session.rollback()
        flash(error_text(live.StaleState()), "error")
        return redirect(back, code=303)
    except live.LiveError as exc:
        db.session.rollback()
        flash(_("Nothing was changed: %(problem)s", problem=error_text(exc)), "error")
        return redirect(back, code=303)
    if event.agenda_version != published:  # a live amendment: the public agenda and its PDF change
        queue_programme_render(event, now=now, live=True)
    db.session.commit()
    flash(result, "success")
    return redirect(back, code=303)


def _dispatch(action: str, event, channel, day, item, minutes, common) -> str:
    channel_id = channel.id if channel else None
    if action == "delay":
        return live.announce_delay(event, channel_id, day, minutes, **common).summary + "."
    if action == "reschedule":
        return live.reschedule(event, channel_id, day, **common).summary + "."
    if action == "undo":
        return _("Undone: %(what)s.", what=live.undo_last(event, channel_id, **common).summary)
    if item is None:
        abort(400, description=_("This action needs a session."))
    handlers = {
        "start": live.start_session, "end": live.end_session, "next_speaker": live.next_speaker,
        "skip": live.skip_session, "cancel": live.cancel_session,
    }
    if action in handlers:
        return handlers[action](item, **common).summary + "."
    if action == "break":
        return live.insert_break(item, minutes, **common).summary + "."
    return live.move_session(item, -1 if action == "up" else 1, **common).summary + "."


@bp.route("/<slug>/rehearsal", methods=["POST"])
@moderator_required
def rehearsal(event: Event):
    """Start (or reset) the sandbox of a day, or end it. Posted from the real console or from the sandbox's."""
    form = RehearsalForm()
    if not form.validate_on_submit() or event.rehearsal_of_id is not None:
        abort(400)
    now = request_now()
    if form.action.data == "end":
        rehearsals.end(event)
        db.session.commit()
        flash(_("The rehearsal is over and its sandbox deleted; the real event was never touched."), "success")
        return redirect(url_for(".console", slug=event.slug), code=303)
    day = day_arg(form.day.data)
    try:
        sandbox = rehearsals.start(event, day, actor=current_user, now=now)
    except rehearsals.NotAnEventDay as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".console", slug=event.slug), code=303)
    db.session.commit()
    flash(_("Rehearsal of %(day)s ready, moved to today at the same times: act freely, nothing reaches the public.",
            day=day.strftime("%A %d %B %Y")), "success")
    return redirect(url_for(".console", slug=sandbox.slug), code=303)


# The list of speakers' actions join this blueprint.
from confman.web import moderate_floor  # noqa: E402, I001
