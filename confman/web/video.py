"""The speaker's office page: no account, only the private link, to send a video message and its transcript."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge

from confman.extensions import csrf, db
from confman.forms.video import SubmissionForm
from confman.models import VideoStatus
from confman.services import video
from confman.services.video import VideoMessageError
from confman.services.video.files import IncomingFile, UploadRefused
from confman.storage import StorageError
from confman.timeutil import common_zones, utcnow, zone_or_none
from confman.web.helpers import storage
from confman.web.wording import error_text

bp = Blueprint("video", __name__)


def upload_limits() -> tuple[int, int]:
    config = current_app.config
    return (int(config.get("VIDEO_MAX_BYTES") or video.files.DEFAULT_VIDEO_MAX_BYTES),
            int(config.get("TRANSCRIPT_MAX_BYTES") or video.files.DEFAULT_TRANSCRIPT_MAX_BYTES))


def staging_root() -> Path:
    """A folder on this machine's disk where uploads are checked before they go to the (maybe remote) storage."""
    return Path(current_app.config.get("STAGING_FOLDER") or Path(current_app.instance_path) / "tmp")


def _incoming(upload: FileStorage | None) -> IncomingFile | None:
    if upload is None or not upload.filename:
        return None  # the browser sends an empty part when no file was chosen
    return IncomingFile(upload.filename, upload.stream, upload.mimetype or "")


@bp.after_request
def private_page(response):
    # The token is in the URL: keep it out of caches and out of Referer headers sent to other sites.
    if request.endpoint == "video.submit":
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response


# The upload is checked by the form's own CSRF token, not by CSRFProtect's before_request: that would read the
# body before this view could set the per-view size limit.
@csrf.exempt
@bp.route("/submit/<token>", methods=["GET", "POST"])
def submit(token: str):
    now = utcnow()
    vm = video.find_by_token(token)
    if vm is None:
        return render_template("video/link_problem.html", title=_("This link does not work"),
                               message=_("The address is not a valid submission link. Check that you copied the "
                                         "whole link, or ask the organizers for a new one.")), 404
    try:
        video.check_link(vm, now)
    except VideoMessageError as exc:
        return render_template("video/link_problem.html", title=error_text(exc),
                               message=_("Nothing was changed. Ask the organizers for a new link.")), 410

    item, event = vm.session, vm.session.event
    tz_name = request.args.get("tz", "").strip()
    viewer_tz = zone_or_none(tz_name)
    video_max, transcript_max = upload_limits()
    request.max_content_length = video_max + transcript_max + 1024 * 1024
    status = 200
    try:
        form = SubmissionForm()
        posted = form.validate_on_submit()
    except RequestEntityTooLarge:
        form, posted, status = SubmissionForm(formdata=None), False, 413
        form.video.errors = [f"The upload is larger than the limit of {video.files.human_size(video_max)}. "
                             "Send a link to the video instead."]
    if posted and vm.status in video.OPEN_STATUSES:
        root = staging_root()
        staged_video = staged_transcript = None
        blamed = form.video  # the field whose check is running, to put a refusal next to it
        try:
            if incoming := _incoming(form.video.data):
                staged_video = video.files.stage_video(incoming, upload_root=root, max_bytes=video_max)
            blamed = form.transcript
            if incoming := _incoming(form.transcript.data):
                staged_transcript = video.files.stage_transcript(incoming, upload_root=root, max_bytes=transcript_max)
            blamed = form.link if form.link.data else form.video
            video.submit(vm, video=staged_video, link_url=form.link.data, transcript=staged_transcript,
                                  storage=storage(), now=now)
        except StorageError as exc:
            db.session.rollback()
            video.files.discard(staged_video, staged_transcript)
            current_app.logger.error("video message not stored: %s", exc)
            form.video.errors = [*form.video.errors, "The file could not be stored just now. Please try again."]
            status = 503
        except (UploadRefused, VideoMessageError) as exc:
            db.session.rollback()
            video.files.discard(staged_video, staged_transcript)
            if isinstance(exc, video.NothingSubmitted | video.FileAndLinkBothGiven):
                blamed = form.video
            blamed.errors = [*blamed.errors, str(exc)]
            status = 400
        except OSError as exc:  # the upload folder is full or not writable: say so, keep nothing
            db.session.rollback()
            video.files.discard(staged_video, staged_transcript)
            current_app.logger.error("video upload could not be stored: %s", exc)
            form.video.errors = [*form.video.errors, "The server could not store the file right now (its storage "
                                 "is full or not writable). Nothing was saved: try again later, or send a link to "
                                 "the video instead."]
            status = 507
        else:
            db.session.commit()
            flash(_("Thank you: the video was received. The organizers will review it."), "success")
            return redirect(url_for("video.submit", token=token, tz=tz_name or None))
    elif posted:
        status = 409  # approved in the meantime: nothing to take
    elif request.method == "POST" and status == 200:
        status = 400  # the form itself was refused (its CSRF token, a field too long)
    return render_template(
        "video/submit.html", vm=vm, item=item, event=event, form=form, viewer_tz=viewer_tz, tz_name=tz_name,
        zones=common_zones(), now=now, video_max=video.files.human_size(video_max),
        transcript_max=video.files.human_size(transcript_max), accepts=vm.status in video.OPEN_STATUSES,
        is_over_length=video.is_over_length(vm), VideoStatus=VideoStatus,
        video_types=video.files.ACCEPTED_VIDEO_EXTENSIONS, transcript_types=video.files.ACCEPTED_TRANSCRIPT_EXTENSIONS,
    ), status
