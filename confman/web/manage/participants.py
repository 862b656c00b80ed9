"""Organizer pages: who speaks in a session, in which role, for how long and in which order."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _

from confman.extensions import db
from confman.forms.manage import ConfirmForm, ParticipationEditForm, ParticipationForm
from confman.models import AgendaSession, Event, Participation, ParticipationRole, Speaker
from confman.services import speakers
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404
from confman.web.manage.sessions import fill_session_form, render_session, session_form
from confman.web.wording import error_text


def _minutes(value: int | None) -> timedelta | None:
    return timedelta(minutes=value) if value else None


@bp.route("/events/<slug>/sessions/<int:session_id>/participants", methods=["POST"])
@organizer_required
def participation_add(event: Event, session_id: int):
    """One or several speakers join the session in one go, picked or typed as new names: all of them, or none."""
    item = owned_or_404(AgendaSession, session_id, event)
    form = ParticipationForm()
    form.speaker_id.choices = [(s.id, s.name) for s in db.session.scalars(
        db.select(Speaker).filter_by(event_id=event.id))]
    if form.validate_on_submit():
        role, limit = ParticipationRole(form.role.data), _minutes(form.time_limit.data)
        try:
            people = [owned_or_404(Speaker, speaker_id, event) for speaker_id in form.speaker_id.data]
            for speaker in speakers.speakers_named(event, form.new_names(), actor=actor(), now=utcnow()):
                if speaker not in people:
                    people.append(speaker)
            present = {p.speaker_id for p in item.participations}
            if already := [s.full_name for s in people if s.id in present]:
                raise speakers.AlreadyParticipating(_("Already in this session: %(names)s. Nothing was added.",
                                                      names=", ".join(already)))
            for speaker in people:
                speakers.add_participation(item, speaker, role=role, time_limit=limit, actor=actor(), now=utcnow())
        except speakers.AmbiguousName as error:
            db.session.rollback()
            item = owned_or_404(AgendaSession, session_id, event)
            form.new_speakers.errors.append(_("Several speakers are called %(name)s: pick the right one from the "
                                              "list.", name=error.name))
        except (speakers.AlreadyParticipating, speakers.SpeakerOfAnotherEvent, speakers.InvalidSpeaker) as error:
            db.session.rollback()
            item = owned_or_404(AgendaSession, session_id, event)
            form.speaker_id.errors.append(error_text(error))
        else:
            db.session.commit()
            flash(_("Added %(name)s.", name=", ".join(s.full_name for s in people)), "success")
            return redirect(url_for("manage.session_edit", slug=event.slug, session_id=item.id) + "#speakers")
    form_of_session = session_form(event, item)
    fill_session_form(form_of_session, item)
    return render_session(event, item, form_of_session, add_form=form)[0], 400


def _participation(event: Event, session_id: int, participation_id: int) -> Participation:
    item = owned_or_404(AgendaSession, session_id, event)
    p = db.session.get(Participation, participation_id)
    if p is None or p.session_id != item.id:
        abort(404)
    return p


@bp.route("/events/<slug>/sessions/<int:session_id>/participants/<int:participation_id>", methods=["POST"])
@organizer_required
def participation_edit(event: Event, session_id: int, participation_id: int):
    p = _participation(event, session_id, participation_id)
    form = ParticipationEditForm(prefix=f"p{p.id}")
    if form.validate_on_submit():
        speakers.update_participation(p, role=ParticipationRole(form.role.data),
                                      time_limit=_minutes(form.time_limit.data), actor=actor(), now=utcnow())
        db.session.commit()
        flash(_("Saved %(name)s's part.", name=p.speaker.full_name), "success")
    else:
        flash("; ".join(e for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=session_id) + "#speakers")


@bp.route("/events/<slug>/sessions/<int:session_id>/participants/<int:participation_id>/move/<any(up,down):direction>",
          methods=["POST"])
@organizer_required
def participation_move(event: Event, session_id: int, participation_id: int, direction: str):
    p = _participation(event, session_id, participation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    speakers.move_participation(p, -1 if direction == "up" else 1, actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("Speaking order set by hand. “Restore protocol order” undoes it."), "success")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=session_id) + "#speakers")


@bp.route("/events/<slug>/sessions/<int:session_id>/protocol-order", methods=["POST"])
@organizer_required
def participation_protocol(event: Event, session_id: int):
    item = owned_or_404(AgendaSession, session_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    speakers.restore_protocol_order(item, actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("The speaking order follows protocol again."), "success")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=session_id) + "#speakers")


# Registered last, so a walk over the URL map in order reaches every other route before this one removes.
@bp.route("/events/<slug>/sessions/<int:session_id>/participants/<int:participation_id>/remove", methods=["POST"])
@organizer_required
def participation_remove(event: Event, session_id: int, participation_id: int):
    p = _participation(event, session_id, participation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = p.speaker.full_name
    speakers.remove_participation(p, actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("Removed %(name)s from this session.", name=name), "success")
    return redirect(url_for("manage.session_edit", slug=event.slug, session_id=session_id) + "#speakers")
