"""The console's list of speakers: call next, mark turns, late inscriptions from the floor, and the room now on.

Its routes join the moderate blueprint; every action names the live-state version the console showed.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from confman.extensions import db
from confman.forms.floor import FloorActionForm, LateInscriptionForm, choices
from confman.models import AgendaSession, Delegation, Event, Inscription, InscriptionStatus, ProtocolRank, SpeakersList
from confman.services import floor, live
from confman.web.helpers import moderator_required
from confman.web.live import request_now
from confman.web.moderate import bp
from confman.web.wording import error_text


@dataclass
class Panel:
    """What the console shows of the floor for the session on now."""

    item: AgendaSession
    speakers_list: SpeakersList | None
    order: list[Inscription]
    clock: floor.Clock | None
    links: floor.Links
    late_form: LateInscriptionForm | None

    @property
    def waiting(self) -> int:
        return sum(1 for i in self.order if i.status == InscriptionStatus.PENDING)


def panel(event: Event, rundown: live.Rundown, now) -> Panel | None:
    item = rundown.live or rundown.next
    if item is None:
        return None
    speakers_list = floor.load_list(item.id)
    late_form = None
    if speakers_list is not None:
        late_form = LateInscriptionForm(formdata=None)
        delegations = db.session.scalars(select(Delegation).where(Delegation.event_id == event.id)).all()
        late_form.delegation.choices = choices(sorted(((d.id, d.organization.name) for d in delegations),
                                                            key=lambda c: c[1]))
    return Panel(item, speakers_list, floor.calling_order(speakers_list.inscriptions) if speakers_list else [],
                 floor.clock(speakers_list, now) if speakers_list else None, floor.links_for(item), late_form)


@bp.route("/<slug>/floor", methods=["POST"])
@moderator_required
def floor_act(event: Event):
    late = request.form.get("action") == "late"
    form = LateInscriptionForm() if late else FloorActionForm()
    if late:
        form.delegation.choices = choices((d.id, "") for d in db.session.scalars(
            select(Delegation).where(Delegation.event_id == event.id)))
    back = url_for("moderate.console", slug=event.slug, channel=form.channel.data or None,
                   day=form.day.data or None)
    if not form.validate():
        problems = "; ".join(f"{name}: {' '.join(map(str, errors))}" for name, errors in form.errors.items())
        flash(_("Nothing was changed: %(problem)s.", problem=problems), "error")
        return redirect(back, code=303)
    item = db.session.get(AgendaSession, form.session_id.data)
    speakers_list = floor.load_list(item.id) if item is not None and item.event_id == event.id else None
    if speakers_list is None:
        abort(404)
    inscription = None
    if form.inscription_id.data is not None:
        inscription = next((i for i in speakers_list.inscriptions if i.id == form.inscription_id.data), None)
        if inscription is None:
            abort(404)
    now, version = request_now(), form.version.data
    try:
        message = _dispatch(form, event, speakers_list, inscription, now, version)
    except floor.FloorError as exc:
        db.session.rollback()
        flash(error_text(exc) if isinstance(exc, floor.StaleList) else _("Nothing was changed: %(problem)s",
                                                                   problem=error_text(exc)), "error")
        return redirect(back, code=303)
    db.session.commit()
    flash(message, "success")
    return redirect(back, code=303)


def _dispatch(form, event, speakers_list, inscription, now, version) -> str:
    action, common = form.action.data, {"actor": current_user, "now": now, "version": version}
    if action == "call_next":
        called = floor.call_next(speakers_list, **common)
        return _("Gave the floor to %(name)s.", name=called.speaker_full_name) if called else _(
            "The list of speakers is done.")
    if action == "late":
        delegation = db.session.get(Delegation, form.delegation.data)
        floor.bump_live_version(speakers_list.session, now, expected=version)  # the console's view must be current
        added = floor.inscribe(speakers_list, delegation, floor.SpeakerDetails(
            name=form.speaker_name.data or "", honorific=form.honorific.data or "",
            title=form.speaker_title.data or "", protocol_rank=ProtocolRank(form.protocol_rank.data)),
            actor=current_user, now=now, from_floor=True)
        return _("%(name)s is added to the list from the floor.", name=added.speaker_full_name)
    if inscription is None:
        abort(400, description=_("This action needs an entry of the list."))
    if action == "call":
        return _("Gave the floor to %(name)s.", name=floor.call(inscription, **common).speaker_full_name)
    if action == "reopen":
        return _("%(name)s is back on the list.", name=floor.reopen(inscription, **common).speaker_full_name)
    floor.mark(inscription, InscriptionStatus(action), **common)
    return _("%(name)s: marked %(outcome)s.", name=inscription.speaker_full_name, outcome=action)
