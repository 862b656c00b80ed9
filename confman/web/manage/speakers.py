"""Organizer pages: the speakers of an event, with their photos and private contact details."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.forms.manage import ConfirmForm, SpeakerForm
from confman.models import Event, Organization, Participation, ProtocolRank, Speaker
from confman.services import speakers as speaker_service
from confman.services import uploads
from confman.storage import StorageError
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required, storage
from confman.web.manage import bp
from confman.web.manage.common import actor, owned_or_404, read_upload
from confman.web.manage.languages import save_translations, translated_form
from confman.web.wording import error_text


def _organizations() -> list[Organization]:
    return list(db.session.scalars(select(Organization).order_by(Organization.name)))


@bp.route("/events/<slug>/speakers/")
@organizer_required
def speakers(event: Event):
    people = db.session.scalars(
        select(Speaker).filter_by(event_id=event.id)
        .options(selectinload(Speaker.organization),
                 selectinload(Speaker.participations).selectinload(Participation.session))
    ).all()
    people = sorted(people, key=lambda s: (s.protocol_rank.precedence, s.name.lower()))
    return render_template("manage/speakers.html", event=event, speakers=people, tz=event.tz)


def _values(form: SpeakerForm) -> dict:
    return dict(honorific=form.honorific.data or "", name=form.name.data, title=form.title.data or "",
                protocol_rank=ProtocolRank(form.protocol_rank.data), organization_id=form.organization_id.data,
                bio=form.bio.data or "", email=(form.email.data or "").lower())


def _photo(form: SpeakerForm) -> str | None:
    """Store an uploaded photo; None when none was sent. Puts an error on the form if it is not an image."""
    data = read_upload(form.photo.data)
    if data is None:
        return None
    try:
        return uploads.save_public_image(storage(), "photos", data)
    except (uploads.UnsupportedImage, StorageError) as error:
        form.photo.errors.append(error_text(error))
        return None


@bp.route("/events/<slug>/speakers/new", methods=["GET", "POST"])
@organizer_required
def speaker_new(event: Event):
    form = translated_form(SpeakerForm, event, "speaker", organizations=_organizations())
    if form.validate_on_submit():
        key = _photo(form)
        if not form.photo.errors:
            speaker = speaker_service.create_speaker(event, actor=actor(), now=utcnow(), photo_path=key,
                                                     **_values(form))
            save_translations(form, speaker, event, "speaker")
            db.session.commit()
            flash(_("Added %(name)s.", name=speaker.full_name), "success")
            return redirect(url_for("manage.speakers", slug=event.slug))
    return render_template("manage/speaker_form.html", event=event, form=form, speaker=None)


@bp.route("/events/<slug>/speakers/<int:speaker_id>", methods=["GET", "POST"])
@organizer_required
def speaker_edit(event: Event, speaker_id: int):
    speaker = owned_or_404(Speaker, speaker_id, event)
    form = translated_form(SpeakerForm, event, "speaker", obj=speaker, organizations=_organizations(),
                           source=speaker)
    if not form.is_submitted():
        form.protocol_rank.data = speaker.protocol_rank.value
    if form.validate_on_submit():
        key = _photo(form)
        if not form.photo.errors:
            values = _values(form)
            old = speaker.photo_path
            if key is not None:
                values["photo_path"] = key
            elif form.remove_photo.data:
                values["photo_path"] = None
            speaker_service.update_speaker(speaker, actor=actor(), now=utcnow(), **values)
            save_translations(form, speaker, event, "speaker")
            db.session.commit()
            if old and old != speaker.photo_path:
                uploads.delete_public_file(storage(), old)
            flash(_("Saved %(name)s.", name=speaker.full_name), "success")
            return redirect(url_for("manage.speakers", slug=event.slug))
    return render_template("manage/speaker_form.html", event=event, form=form, speaker=speaker,
                           confirm_form=ConfirmForm(), tz=event.tz)


@bp.route("/events/<slug>/speakers/<int:speaker_id>/delete", methods=["POST"])
@organizer_required
def speaker_delete(event: Event, speaker_id: int):
    speaker = owned_or_404(Speaker, speaker_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name, photo = speaker.full_name, speaker.photo_path
    speaker_service.delete_speaker(speaker, actor=actor(), now=utcnow())
    db.session.commit()
    uploads.delete_public_file(storage(), photo)
    flash(_("Removed %(name)s and their place in sessions.", name=name), "success")
    return redirect(url_for("manage.speakers", slug=event.slug))
