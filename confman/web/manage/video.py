"""Organizers' video-message pages: the overview, each slot, the private files, interpreters and their transcripts."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from confman import catalogues
from confman.extensions import db
from confman.forms.video import (
    InterpreterForm,
    LinkForm,
    PlayedForm,
    RemoveInterpreterForm,
    ReviewForm,
    RevokeLinkForm,
    SlotForm,
)
from confman.models import AgendaSession, Event, Role, SessionKind, Speaker, VideoStatus, VideoSubmission
from confman.services import outbox, permissions, users, video
from confman.services.video import VideoMessageError, VideoSummary
from confman.storage import StorageError
from confman.timeutil import from_local, to_local, utcnow
from confman.web import mailer
from confman.web.helpers import (
    deny,
    get_event_or_404,
    moderator_required,
    organizer_required,
    safe_next_url,
    storage,
)
from confman.web.manage import bp
from confman.web.wording import error_text


@bp.app_template_filter("filesize")
def filesize(size: int | None) -> str:
    return "" if size is None else video.files.human_size(size)


@bp.app_template_global()
def video_file_url(summary: VideoSummary, *, download: bool = False) -> str | None:
    """The private URL of a video message's file, for the management view and the moderator's console."""
    if summary.submission_id is None:
        return None
    item = db.session.get(AgendaSession, summary.session_id)
    return url_for("manage.video_file", slug=item.event.slug, submission_id=summary.submission_id, kind="video",
                   download=1 if download else None)


@bp.route("/events/<slug>/video-messages/")
@organizer_required
def video_overview(event: Event):
    return render_template("manage/video_overview.html", event=event, items=video.slot_sessions(event),
                           now=utcnow(), vms=video)


def _slot_session_or_404(event: Event, session_id: int) -> AgendaSession:
    item = db.session.get(AgendaSession, session_id)
    if item is None or item.event_id != event.id or item.kind != SessionKind.VIDEO_MESSAGE:
        abort(404)
    return item


def _slot_page(event: Event, item: AgendaSession, *, status: int = 200, new_link: str | None = None, **forms):
    vm = item.video_message
    if "slot_form" not in forms:
        forms["slot_form"] = _filled_slot_form(event, item)
    forms.setdefault("link_form", LinkForm(formdata=None))
    forms.setdefault("review_form", ReviewForm(formdata=None))
    return render_template(
        "manage/video_slot.html", event=event, item=item, vm=vm, now=utcnow(), new_link=new_link,
        revoke_form=RevokeLinkForm(formdata=None), played_form=PlayedForm(formdata=None), vms=video,
        summary=video.video_summary(item), current=video.current_submission(vm), **forms,
    ), status


def _filled_slot_form(event: Event, item: AgendaSession) -> SlotForm:
    vm = item.video_message
    form = SlotForm(formdata=None, event=event)
    if vm is None:
        form.allowed_length.data = "5:00"
        return form

    def local(instant):
        return to_local(instant, event.tz).replace(tzinfo=None) if instant else None

    form.speaker_id.data = vm.speaker_id or 0
    form.introducer_id.data = vm.introducer_id or 0
    form.allowed_length.data = video.format_clock(vm.allowed_length)
    form.deadline.data, form.embargo.data = local(vm.deadline_at), local(vm.embargo_at)
    for name in ("language", "subtitle_expectations", "notes_for_office", "fallback", "office_email",
                 "interpreters_before_embargo"):
        getattr(form, name).data = getattr(vm, name)
    return form


@bp.route("/events/<slug>/video-messages/<int:session_id>", methods=["GET", "POST"])
@organizer_required
def video_slot(event: Event, session_id: int):
    item = _slot_session_or_404(event, session_id)
    if request.method == "GET":
        return _slot_page(event, item)
    form = SlotForm(event=event)
    if form.validate_on_submit():
        speaker = db.session.get(Speaker, form.speaker_id.data) if form.speaker_id.data else None
        introducer = db.session.get(Speaker, form.introducer_id.data) if form.introducer_id.data else None
        try:
            video.save_slot(
                item, actor=current_user, now=utcnow(), speaker=speaker, introducer=introducer,
                allowed_length=form.length_value,
                deadline_at=from_local(form.deadline.data, event.tz) if form.deadline.data else None,
                embargo_at=from_local(form.embargo.data, event.tz) if form.embargo.data else None,
                language=form.language.data, subtitle_expectations=form.subtitle_expectations.data or "",
                notes_for_office=form.notes_for_office.data or "", fallback=form.fallback.data or "",
                office_email=form.office_email.data or "",
                interpreters_before_embargo=form.interpreters_before_embargo.data,
            )
        except VideoMessageError as exc:
            db.session.rollback()
            blamed = form.allowed_length if isinstance(exc, video.InvalidAllowedLength) else form.speaker_id
            blamed.errors = [*blamed.errors, str(exc)]
        else:
            db.session.commit()
            flash(_("The video-message slot is saved."), "success")
            return redirect(url_for("manage.video_slot", slug=event.slug, session_id=item.id))
    return _slot_page(event, item, slot_form=form, status=400)


def _slot_or_404(event: Event, session_id: int):
    item = _slot_session_or_404(event, session_id)
    if item.video_message is None:
        abort(404, description=_("Save the slot's settings first."))
    return item, item.video_message


@bp.route("/events/<slug>/video-messages/<int:session_id>/link", methods=["POST"])
@organizer_required
def video_make_link(event: Event, session_id: int):
    item, vm = _slot_or_404(event, session_id)
    form = LinkForm()
    if not form.validate_on_submit():
        return _slot_page(event, item, link_form=form, status=400)
    try:
        token = video.make_submission_link(vm, actor=current_user, now=utcnow(),
                                                    valid_for=timedelta(days=form.valid_days.data))
    except VideoMessageError as exc:
        db.session.rollback()
        form.valid_days.errors = [str(exc)]
        return _slot_page(event, item, link_form=form, status=409)
    link = url_for("video.submit", token=token, _external=True)
    sent_to = None
    if form.send_to_office.data and vm.office_email:
        _mail_link_to_office(event, item, vm, link)
        sent_to = vm.office_email
    db.session.commit()
    mailer.send()
    if sent_to:
        flash(_("The link was sent to %(email)s.", email=sent_to), "success")
    # Shown once, in this response: only the hash is stored, so it never appears again.
    return _slot_page(event, item, new_link=link)


def _mail_link_to_office(event: Event, item, vm, link: str) -> None:
    """The submission link, in the office's language (its account's, else the event's), not the organizer's."""
    language = outbox.mail_language(user=users.find_by_email(vm.office_email), event=event)
    _ = catalogues.gettext_for(language)  # noqa: F811 - the office's catalogue, not the request's
    until = catalogues.format_instant(vm.submission_expires_at, event.tz, language, "EEEE d MMMM y, HH:mm")
    outbox.queue(event=event, to_email=vm.office_email, kind="video_link", now=utcnow(),
                 subject=_("Your video message for %(event)s: where to upload it", event=event.title),
                 body="\n".join([
                     _("Please upload the video message for “%(session)s” of %(event)s here:",
                       session=item.title, event=event.title), "", link, "",
                     _("The link works until %(until)s (%(zone)s time).", until=until, zone=event.timezone),
                     "", _("This message was sent by confman on behalf of the organizers.")]))


@bp.route("/events/<slug>/video-messages/<int:session_id>/revoke", methods=["POST"])
@organizer_required
def video_revoke_link(event: Event, session_id: int):
    item, vm = _slot_or_404(event, session_id)
    if RevokeLinkForm().validate_on_submit():
        video.revoke_submission_link(vm, actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("The submission link is withdrawn: it no longer works."), "success")
    return redirect(url_for("manage.video_slot", slug=event.slug, session_id=item.id))


@bp.route("/events/<slug>/video-messages/<int:session_id>/review", methods=["POST"])
@organizer_required
def video_review(event: Event, session_id: int):
    item, vm = _slot_or_404(event, session_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _slot_page(event, item, review_form=form, status=400)
    try:
        if form.reject.data:
            video.reject(vm, submission_id=int(form.submission_id.data), reason=form.reason.data or "",
                                  actor=current_user, now=utcnow())
            message = "The video is rejected; the speaker's office can send a new one through its link."
        else:
            video.approve(vm, submission_id=int(form.submission_id.data), actor=current_user, now=utcnow())
            message = "The video is approved."
    except VideoMessageError as exc:
        db.session.rollback()
        form.reason.errors = [str(exc)]
        return _slot_page(event, item, review_form=form, status=409)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("manage.video_slot", slug=event.slug, session_id=item.id))


@bp.route("/events/<slug>/video-messages/<int:session_id>/played", methods=["POST"])
@moderator_required
def video_played(event: Event, session_id: int):
    item, vm = _slot_or_404(event, session_id)
    if PlayedForm().validate_on_submit():
        try:
            video.mark_played(vm, actor=current_user, now=utcnow())
        except VideoMessageError as exc:
            db.session.rollback()
            flash(error_text(exc), "error")
        else:
            db.session.commit()
            flash(_("Marked as played."), "success")
    if permissions.can_organize(current_user, event):
        back = url_for("manage.video_slot", slug=event.slug, session_id=item.id)
    else:
        back = url_for("manage.index")
    return redirect(safe_next_url(back))


@bp.route("/events/<slug>/video-files/<int:submission_id>/<any(video, transcript):kind>")
@login_required
def video_file(slug: str, submission_id: int, kind: str):
    """A submitted file, for the event's organizers and moderators (and interpreters, for released transcripts)."""
    event = get_event_or_404(slug)
    if not permissions.can_interpret(current_user, event):
        deny(event)
    submission = db.session.get(VideoSubmission, submission_id)
    if submission is None or submission.video_message.session.event_id != event.id:
        abort(404)
    if not video.may_fetch(current_user, event, submission, kind, now=utcnow()):
        abort(403)
    key = submission.file_path if kind == "video" else submission.transcript_path
    if not key:
        abort(404)
    name = submission.file_name if kind == "video" else submission.transcript_name
    mimetype = (submission.content_type if kind == "video" else submission.transcript_content_type) or (
        "application/octet-stream")
    return send_stored_file(key, mimetype=mimetype, download_name=name or "file",
                            as_attachment=request.args.get("download") == "1")


SIGNED_URL_SECONDS = 300


def send_stored_file(key: str, *, mimetype: str, download_name: str, as_attachment: bool):
    """A private stored file, after the caller's authorization check: from this machine's disk (with ranges, so
    video players can seek), else a redirect to a short-lived signed URL of the object store, else streamed."""
    files = storage()
    path = files.local_path(key)
    if path is not None:
        if not path.is_file():
            abort(404, description=_("The file is missing from the upload folder."))
        response = send_file(path, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                             conditional=True, max_age=0)
    elif current_app.config.get("S3_SIGNED_URLS", True) and (url := files.signed_url(
            key, expires_in=SIGNED_URL_SECONDS, filename=download_name, content_type=mimetype)):
        response = redirect(url, code=303)
    else:
        try:
            handle = files.open(key)
        except StorageError:
            abort(404, description=_("The file is missing from the file storage."))
        response = send_file(handle, mimetype=mimetype, download_name=download_name, as_attachment=as_attachment,
                             conditional=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/events/<slug>/interpreters", methods=["GET", "POST"])
@organizer_required
def video_interpreters(event: Event):
    form = InterpreterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = video.grant_interpreter(event, form.email.data, actor=current_user, now=utcnow())
        except VideoMessageError as exc:
            db.session.rollback()
            form.email.errors = [str(exc)]
            status = 400
        else:
            db.session.commit()
            flash(_("%(name)s can now read the approved transcripts.", name=user.display_name), "success")
            return redirect(url_for("manage.video_interpreters", slug=event.slug))
    elif request.method == "POST":
        status = 400
    return render_template("manage/video_interpreters.html", event=event, form=form,
                           interpreters=video.interpreters(event),
                           remove_form=RemoveInterpreterForm(formdata=None)), status


@bp.route("/events/<slug>/interpreters/remove", methods=["POST"])
@organizer_required
def video_remove_interpreter(event: Event):
    form = RemoveInterpreterForm()
    if form.validate_on_submit() and str(form.user_id.data).isdigit():
        video.remove_interpreter(event, int(form.user_id.data), actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("Access removed."), "success")
    return redirect(url_for("manage.video_interpreters", slug=event.slug))


@bp.route("/events/<slug>/transcripts")
@login_required
def video_transcripts(slug: str):
    """The interpreters' page: approved video-message transcripts, ahead of the sessions."""
    event = get_event_or_404(slug)
    if not permissions.can_interpret(current_user, event):
        deny(event)
    now = utcnow()
    return render_template("manage/video_transcripts.html", event=event, now=now,
                           transcripts=video.interpreter_transcripts(event, now),
                           is_interpreter_only=not permissions.can_moderate(current_user, event),
                           Role=Role, VideoStatus=VideoStatus)
