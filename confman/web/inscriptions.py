"""A delegation's own pages: inscribing on lists of speakers, its inscriptions across the event, its statements.

They answer 404 to anyone who speaks for no delegation of the event (focal points, and approved delegates where
a list allows it), as a delegate's other pages do.
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.extensions import db
from confman.forms.floor import ButtonForm, ChangeForm, InscriptionForm, StatementForm, choices
from confman.models import Delegation, Event, Inscription, ProtocolRank, SpeakersList
from confman.services import floor
from confman.storage import StorageError
from confman.timeutil import from_local
from confman.web.content import viewer_agenda
from confman.web.helpers import get_public_event_or_404, storage
from confman.web.live import request_now
from confman.web.wording import error_text

bp = Blueprint("inscriptions", __name__, url_prefix="/account/events/<slug>")


def _event_and_delegations(slug: str) -> tuple[Event, list[Delegation]]:
    event = get_public_event_or_404(slug)
    mine = floor.delegations_of(current_user, event)
    if not mine:
        abort(404)
    return event, mine


def _own_inscription_or_404(event: Event, inscription_id: int) -> Inscription:
    inscription = db.session.get(Inscription, inscription_id)
    if (inscription is None or inscription.event_id != event.id
            or not floor.speaks_for(current_user, inscription.delegation, inscription.speakers_list)):
        abort(404)
    return inscription


def _details(form) -> floor.SpeakerDetails:
    return floor.SpeakerDetails(name=form.speaker_name.data or "", honorific=form.honorific.data or "",
                                title=form.speaker_title.data or "",
                                protocol_rank=ProtocolRank(form.protocol_rank.data))


def _statement_form(inscription: Inscription) -> StatementForm:
    return StatementForm(prefix=f"statement-{inscription.id}")  # one form per inscription on the page


@bp.route("/inscriptions")
@login_required
def mine(slug: str):
    event, delegations = _event_and_delegations(slug)
    now = request_now()
    ids = [d.id for d in delegations]
    inscriptions = [i for i in db.session.scalars(select(Inscription).where(Inscription.event_id == event.id)
                                                  .order_by(Inscription.inscribed_at))
                    if i.delegation_id in ids or any(d.id in ids for d in i.joint_delegations)]
    published = {s.id: s for s in viewer_agenda(event).sessions}
    lists = db.session.scalars(select(SpeakersList).where(SpeakersList.event_id == event.id)).all()
    open_lists = [(published[sl.session_id], sl) for sl in lists
                  if sl.session_id in published and floor.is_window_open(sl, now)]
    places = {}
    for sl in {i.speakers_list for i in inscriptions}:
        places.update({entry.id: n for n, entry in enumerate(floor.calling_order(sl.inscriptions), start=1)})
    return render_template("floor/mine.html", event=event, delegations=delegations, inscriptions=inscriptions,
                           published=published, open_lists=sorted(open_lists, key=lambda p: p[0].starts_at),
                           places=places, now=now, button=ButtonForm(), statement_form=_statement_form,
                           window_open=floor.is_window_open, may_change=lambda i: floor.is_window_open(
                               i.speakers_list, now) and i.status.value == "pending")


@bp.route("/sessions/<int:session_id>/inscribe", methods=["GET", "POST"])
@login_required
def inscribe(slug: str, session_id: int):
    event, delegations = _event_and_delegations(slug)
    item = viewer_agenda(event).session(session_id)
    speakers_list = floor.load_list(session_id) if item is not None else None
    if speakers_list is None:
        abort(404)
    delegations = [d for d in delegations if floor.speaks_for(current_user, d, speakers_list)]
    if not delegations:
        abort(404)
    form = InscriptionForm()
    form.delegation.choices = choices((d.id, d.organization.name) for d in delegations)
    others = db.session.scalars(select(Delegation).where(Delegation.event_id == event.id)).all()
    form.joint.choices = choices(sorted(((d.id, d.organization.name) for d in others), key=lambda c: c[1]))
    if form.validate_on_submit():
        now = request_now()
        by_id = {d.id: d for d in others}
        try:
            inscription = floor.inscribe(speakers_list, by_id[form.delegation.data], _details(form),
                                         joint=[by_id[n] for n in form.joint.data or [] if n in by_id],
                                         actor=current_user, now=now)
        except floor.FloorError as exc:
            db.session.rollback()
            form.form_errors.append(error_text(exc))
        else:
            db.session.commit()
            place = [i.id for i in floor.calling_order(speakers_list.inscriptions)].index(inscription.id) + 1
            flash(_("%(delegation)s is inscribed to speak in “%(session)s” (place %(place)d for now).",
                    delegation=inscription.delegation.organization.name, session=item.title, place=place), "success")
            return redirect(url_for("inscriptions.mine", slug=slug), code=303)
    return render_template("floor/inscribe.html", event=event, item=item, speakers_list=speakers_list, form=form,
                           window_open=floor.is_window_open(speakers_list, request_now())), (
        400 if form.errors or form.form_errors else 200)


@bp.route("/inscriptions/<int:inscription_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, inscription_id: int):
    event, _delegations = _event_and_delegations(slug)
    inscription = _own_inscription_or_404(event, inscription_id)
    form = ChangeForm(data=None if request.method == "POST" else {
        "honorific": inscription.speaker_honorific, "speaker_name": inscription.speaker_name,
        "speaker_title": inscription.speaker_title, "protocol_rank": inscription.protocol_rank.value})
    if form.validate_on_submit():
        try:
            floor.change(inscription, _details(form), actor=current_user, now=request_now())
        except floor.FloorError as exc:
            db.session.rollback()
            form.form_errors.append(error_text(exc))
        else:
            db.session.commit()
            flash(_("The inscription is changed."), "success")
            return redirect(url_for("inscriptions.mine", slug=slug), code=303)
    return render_template("floor/edit.html", event=event, inscription=inscription, form=form), (
        400 if form.errors or form.form_errors else 200)


@bp.route("/inscriptions/<int:inscription_id>/withdraw", methods=["POST"])
@login_required
def withdraw(slug: str, inscription_id: int):
    event, _delegations = _event_and_delegations(slug)
    inscription = _own_inscription_or_404(event, inscription_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        floor.withdraw(inscription, actor=current_user, now=request_now())
    except floor.FloorError as exc:
        db.session.rollback()
        flash(_("Nothing was changed: %(problem)s", problem=error_text(exc)), "error")
    else:
        db.session.commit()
        flash(_("The inscription is withdrawn."), "success")
    return redirect(url_for("inscriptions.mine", slug=slug), code=303)


@bp.route("/inscriptions/<int:inscription_id>/statement", methods=["POST"])
@login_required
def statement(slug: str, inscription_id: int):
    event, _delegations = _event_and_delegations(slug)
    inscription = _own_inscription_or_404(event, inscription_id)
    form = _statement_form(inscription)
    back = redirect(url_for("inscriptions.mine", slug=slug), code=303)
    if not form.validate_on_submit():
        flash(_("Nothing was uploaded: %(problem)s", problem=" ".join(
            str(e) for errors in form.errors.values() for e in errors)), "error")
        return back
    embargo = from_local(form.embargo_at.data, event.tz) if form.embargo_at.data else None
    max_bytes = int(current_app.config.get("STATEMENT_MAX_BYTES", floor.STATEMENT_MAX_BYTES))
    data = form.document.data.read(max_bytes + 1)
    try:
        floor.file_statement(inscription, language=form.language.data, filename=form.document.data.filename or "",
                             data=data, embargo_at=embargo, actor=current_user, now=request_now(),
                             storage=storage(), max_bytes=max_bytes)
    except (floor.FloorError, StorageError) as exc:
        db.session.rollback()
        flash(_("Nothing was uploaded: %(problem)s", problem=error_text(exc)), "error")
        return back
    db.session.commit()
    flash(_("The statement is filed. It stays private until the intervention is delivered or its embargo ends."),
          "success")
    return back
