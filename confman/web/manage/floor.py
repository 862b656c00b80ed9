"""Organizers' side of the floor: list-of-speakers settings and moves, statements, and the virtual rooms."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from confman.extensions import db
from confman.forms.floor import (
    ButtonForm,
    ChannelRoomForm,
    MoveForm,
    ReasonForm,
    SessionRoomForm,
    SpeakersListForm,
)
from confman.models import AgendaSession, Channel, Event, Inscription, SessionRoom, SpeakersList, Statement
from confman.services import agenda, floor
from confman.timeutil import from_local, utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404
from confman.web.wording import error_text


def _local_input(instant, event: Event):
    return None if instant is None else instant.astimezone(event.tz).replace(tzinfo=None)


@bp.route("/events/<slug>/floor")
@organizer_required
def floor_overview(event: Event):
    lists = {sl.session_id: sl for sl in db.session.scalars(select(SpeakersList).filter_by(event_id=event.id))}
    return render_template("manage/floor/overview.html", event=event, items=agenda.load_sessions(event),
                           lists=lists, active=lambda sl: sum(1 for i in sl.inscriptions if i.status.is_active))


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers", methods=["GET", "POST"])
@organizer_required
def floor_list(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    speakers_list = floor.load_list(item.id)
    data = None
    if request.method == "GET":
        data = {"categories": list(floor.DEFAULT_CATEGORIES), "max_per_delegation": 1}
        if speakers_list is not None:
            limit = speakers_list.default_time_limit
            data = {"is_open": speakers_list.is_open, "opens_at": _local_input(speakers_list.opens_at, event),
                    "closes_at": _local_input(speakers_list.closes_at, event),
                    "categories": speakers_list.categories,
                    "time_limit_minutes": int(limit.total_seconds() // 60) if limit else None,
                    "max_per_delegation": speakers_list.max_per_delegation, "cap": speakers_list.cap,
                    "delegates_may_inscribe": speakers_list.delegates_may_inscribe}
    form = SpeakersListForm(data=data)
    if form.validate_on_submit():
        settings = floor.Settings(
            is_open=form.is_open.data,
            opens_at=from_local(form.opens_at.data, event.tz) if form.opens_at.data else None,
            closes_at=from_local(form.closes_at.data, event.tz) if form.closes_at.data else None,
            categories=form.categories.data,
            default_time_limit=timedelta(minutes=form.time_limit_minutes.data) if form.time_limit_minutes.data
            else None,
            max_per_delegation=form.max_per_delegation.data, cap=form.cap.data,
            delegates_may_inscribe=form.delegates_may_inscribe.data)
        try:
            floor.configure(item, settings, actor=actor(), now=utcnow())
        except floor.BadSettings as exc:
            db.session.rollback()
            form.form_errors.append(error_text(exc))
        else:
            db.session.commit()
            flash(_("The list of speakers' settings are saved."), "success")
            return redirect(url_for("manage.floor_list", slug=event.slug, session_id=item.id), code=303)
    order = floor.calling_order(speakers_list.inscriptions) if speakers_list else []
    withdrawn = [i for i in speakers_list.inscriptions if not i.status.is_active] if speakers_list else []
    return render_template("manage/floor/list.html", event=event, item=item, speakers_list=speakers_list,
                           form=form, order=order, withdrawn=withdrawn, move_form=MoveForm, button=ButtonForm(),
                           reason_form=ReasonForm()), 400 if form.errors or form.form_errors else 200


def _entry_or_404(event: Event, session_id: int, inscription_id: int) -> Inscription:
    inscription = owned_or_404(Inscription, inscription_id, event)
    if inscription.session_id != session_id:
        abort(404)
    return inscription


def _back(event: Event, session_id: int):
    return redirect(url_for("manage.floor_list", slug=event.slug, session_id=session_id), code=303)


def _apply(event: Event, session_id: int, action, success: str):
    try:
        action()
    except floor.FloorError as exc:
        db.session.rollback()
        flash(_("Nothing was changed: %(problem)s", problem=error_text(exc)), "error")
    else:
        db.session.commit()
        flash(success, "success")
    return _back(event, session_id)


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers/<int:inscription_id>/move", methods=["POST"])
@organizer_required
def floor_move(event: Event, session_id: int, inscription_id: int):
    inscription = _entry_or_404(event, session_id, inscription_id)
    form = MoveForm(prefix=f"move-{inscription.id}")
    if not form.validate_on_submit():
        flash(_("Nothing was changed: the place must be a number from 1."), "error")
        return _back(event, session_id)
    return _apply(event, session_id, lambda: floor.move(inscription, form.position.data, form.reason.data or "",
                                                        actor=actor(), now=utcnow()), _("The entry is moved."))


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers/undo", methods=["POST"])
@organizer_required
def floor_undo(event: Event, session_id: int):
    speakers_list = floor.load_list(owned_or_404(AgendaSession, session_id, event).id)
    if speakers_list is None or not ButtonForm().validate_on_submit():
        abort(404 if speakers_list is None else 400)
    return _apply(event, session_id, lambda: floor.undo_move(speakers_list, actor=actor(), now=utcnow()),
                  _("The last move is undone."))


@bp.route("/events/<slug>/sessions/<int:session_id>/list-of-speakers/<int:inscription_id>/withdraw",
          methods=["POST"])
@organizer_required
def floor_withdraw(event: Event, session_id: int, inscription_id: int):
    inscription = _entry_or_404(event, session_id, inscription_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        abort(400)
    return _apply(event, session_id, lambda: floor.withdraw(inscription, actor=actor(), now=utcnow(),
                                                            reason=form.reason.data or ""),
                  _("The entry is withdrawn."))


@bp.route("/events/<slug>/statements/<int:statement_id>/withdraw", methods=["POST"])
@organizer_required
def statement_withdraw(event: Event, statement_id: int):
    statement = owned_or_404(Statement, statement_id, event)
    form = ReasonForm()
    session_id = statement.inscription.session_id
    if not form.validate_on_submit():
        abort(400)
    return _apply(event, session_id, lambda: floor.withdraw_statement(statement, form.reason.data or "",
                                                                      actor=actor(), now=utcnow()),
                  _("The statement is withdrawn."))


@bp.route("/events/<slug>/rooms")
@organizer_required
def rooms(event: Event):
    return render_template("manage/floor/rooms.html", event=event, forms=_room_forms(event))


def _room_forms(event: Event, posted: int | None = None):
    return [(c, ChannelRoomForm(prefix=f"channel-{c.id}", formdata=None if c.id != posted else request.form,
                                data={"meeting_url": c.meeting_url, "livestream_url": c.livestream_url}))
            for c in event.channels]


@bp.route("/events/<slug>/rooms/<int:channel_id>", methods=["POST"])
@organizer_required
def channel_room(event: Event, channel_id: int):
    channel = owned_or_404(Channel, channel_id, event)
    form = ChannelRoomForm(prefix=f"channel-{channel.id}")
    if form.validate_on_submit():
        try:
            floor.set_channel_links(channel, meeting_url=form.meeting_url.data or "",
                                    livestream_url=form.livestream_url.data or "", actor=actor(), now=utcnow())
        except floor.BadLink as exc:
            db.session.rollback()
            form.meeting_url.errors = [error_text(exc)]
        else:
            db.session.commit()
            flash(_("The links of %(channel)s are saved.", channel=channel.name), "success")
            return redirect(url_for("manage.rooms", slug=event.slug), code=303)
    forms = [(c, form if c.id == channel.id else f) for c, f in _room_forms(event)]
    return render_template("manage/floor/rooms.html", event=event, forms=forms), 400


@bp.route("/events/<slug>/sessions/<int:session_id>/room", methods=["GET", "POST"])
@organizer_required
def session_room(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    room = db.session.get(SessionRoom, item.id)
    form = SessionRoomForm(data=None if request.method == "POST" or room is None else {
        "meeting_url": room.meeting_url, "livestream_url": room.livestream_url, "recording_url": room.recording_url})
    if form.validate_on_submit():
        try:
            floor.set_session_links(item, meeting_url=form.meeting_url.data or "",
                                    livestream_url=form.livestream_url.data or "",
                                    recording_url=form.recording_url.data or "", actor=actor(), now=utcnow())
        except floor.BadLink as exc:
            db.session.rollback()
            form.form_errors.append(error_text(exc))
        else:
            db.session.commit()
            flash(_("The room of “%(session)s” is saved.", session=item.title), "success")
            return redirect(url_for("manage.session_room", slug=event.slug, session_id=item.id), code=303)
    return render_template("manage/floor/session_room.html", event=event, item=item, form=form,
                           links=floor.links_for(item)), 400 if form.errors or form.form_errors else 200
