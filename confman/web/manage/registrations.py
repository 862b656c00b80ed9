"""Organizers' registration pages: the table, decisions, settings, counts, CSV export and the outbox."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.extensions import db
from confman.forms.registrations import BulkDecisionForm, ButtonForm, DecisionForm, SettingsForm
from confman.models import Event, OutboxMessage, OutboxStatus, Registration, RegistrationCategory, RegistrationStatus
from confman.services import audit, documents, outbox, permissions, registration
from confman.services.registration import delegations, reports
from confman.timeutil import from_local, utcnow
from confman.web import mailer
from confman.web.helpers import get_event_or_404, int_arg, organizer_required, safe_next_url
from confman.web.manage import bp
from confman.web.wording import error_text

SORT_LABELS = {"registered": _l("registration"), "name": _l("name"), "organization": _l("organization"),
               "status": _l("status"), "category": _l("category")}


def _decided(action: str, count: int) -> str:
    if action == "approve":
        return ngettext("%(num)d registration approved.", "%(num)d registrations approved.", count)
    if action == "decline":
        return ngettext("%(num)d registration declined.", "%(num)d registrations declined.", count)
    return ngettext("%(num)d registration moved to the waiting list.",
                    "%(num)d registrations moved to the waiting list.", count)


def _filters() -> reports.Filters:
    """The table's query string; a value that is not one of the choices is a 400 with words, not a silent reset."""
    args = request.args
    try:
        return reports.Filters(
            q=args.get("q", "").strip()[:200],
            status=RegistrationStatus(args["status"]) if args.get("status") else None,
            category=RegistrationCategory(args["category"]) if args.get("category") else None,
            organization_id=int_arg("organization"),
            sort=args.get("sort", "registered") if args.get("sort", "registered") in reports.SORTS else "registered",
            descending=args.get("order") == "desc",
            page=int_arg("page", default=1),
        )
    except ValueError:
        abort(400, description=_("A filter has a value that is not one of its choices."))


def _query_args(filters: reports.Filters) -> dict:
    args = {"q": filters.q or None, "status": filters.status.value if filters.status else None,
            "category": filters.category.value if filters.category else None,
            "organization": filters.organization_id, "sort": filters.sort,
            "order": "desc" if filters.descending else None, "page": filters.page if filters.page > 1 else None}
    return {k: v for k, v in args.items() if v is not None}


@bp.route("/events/<slug>/registrations")
@organizer_required
def registrations(event: Event):
    filters = _filters()
    page = reports.search(event, filters)
    return render_template(
        "manage/registrations.html", event=event, page=page, filters=filters, query_args=_query_args,
        status_counts=reports.status_counts(event), organizations=reports.organization_choices(event),
        bulk_form=BulkDecisionForm(formdata=None), statuses=list(RegistrationStatus),
        categories=list(RegistrationCategory), sorts=list(reports.SORTS), sort_labels=SORT_LABELS,
    )


@bp.route("/events/<slug>/registrations.csv")
@organizer_required
def registrations_csv(event: Event):
    rows = reports.export_csv(event, _filters())
    return Response(stream_with_context(rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{event.slug}-registrations.csv"'})


def _apply(event: Event, ids: list[int], action: str, *, delegation=None) -> bool:
    try:
        changed = registration.decide(event, ids, action, actor=current_user, now=utcnow(), delegation=delegation)
    except (registration.EventFull, registration.DelegationFull, registration.DecisionNotAllowed) as exc:
        mailer.discard()
        flash(error_text(exc), "error")
        return False
    db.session.commit()
    mailer.send()
    flash(_decided(action, len(changed)), "success")
    return True


@bp.route("/events/<slug>/registrations/bulk", methods=["POST"])
@organizer_required
def bulk_decide(event: Event):
    form = BulkDecisionForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
    else:
        _apply(event, form.ids.data, form.action.data)
    return redirect(safe_next_url(url_for(".registrations", slug=event.slug)))


def _reviewable_or_404(slug: str, registration_id: int):
    """The registration, for an organizer of its event or its delegation's focal point; 404 for anyone else."""
    event = get_event_or_404(slug)
    reg = db.session.get(Registration, registration_id)
    if reg is None or reg.event_id != event.id:
        abort(404)
    if permissions.can_organize(current_user, event):
        return event, reg, None
    if reg.delegation is not None and delegations.can_review(current_user, reg.delegation):
        return event, reg, reg.delegation
    abort(404)


@bp.route("/events/<slug>/registrations/<int:registration_id>")
@login_required
def registration_detail(slug: str, registration_id: int):
    event, reg, delegation = _reviewable_or_404(slug, registration_id)
    return render_template("manage/registration.html", event=event, reg=reg, form=DecisionForm(formdata=None),
                           is_organizer=delegation is None, position=registration.waitlist_position(reg))


@bp.route("/events/<slug>/registrations/<int:registration_id>/decide", methods=["POST"])
@login_required
def decide(slug: str, registration_id: int):
    event, reg, delegation = _reviewable_or_404(slug, registration_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose approve, decline or waiting list."), "error")
    else:
        _apply(event, [reg.id], form.action.data, delegation=delegation)
    return redirect(safe_next_url(url_for(".registration_detail", slug=slug, registration_id=registration_id)))


@bp.route("/events/<slug>/registrations/<int:registration_id>/document")
@login_required
def registration_document(slug: str, registration_id: int):
    _, reg, _ = _reviewable_or_404(slug, registration_id)
    return send_document(reg.nomination_document_path, f"nomination-{reg.id}.pdf")


def send_document(key: str | None, download_name: str):
    """A private PDF as a download. Documents are size-limited on upload, so reading them whole is fine."""
    data = documents.read(key, storage=current_app.extensions["confman.storage"])
    if data is None:
        abort(404)
    response = Response(data, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{download_name}"'})
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "sandbox"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- Settings and counts ---------------------------------------------------------------------------------------

def _local_input(instant: datetime | None, event: Event) -> datetime | None:
    return None if instant is None else instant.astimezone(event.tz).replace(tzinfo=None)


@bp.route("/events/<slug>/registrations/settings", methods=["GET", "POST"])
@organizer_required
def registration_settings(event: Event):
    form = SettingsForm(data=None if request.method == "POST" else {
        "opens_at": _local_input(event.registration_opens_at, event),
        "closes_at": _local_input(event.registration_closes_at, event),
        "capacity": event.capacity, "needs_approval": event.needs_approval, "version": event.version})
    if form.validate_on_submit():
        now = utcnow()
        registration.lock_event(event)
        taken = registration.seats_taken(event)
        if form.version.data != str(event.version):
            form.version.errors.append(_("Another organizer changed these settings meanwhile. Nothing was saved: "
                                         "reload the page to see their values."))
        elif form.capacity.data is not None and form.capacity.data < taken:
            form.capacity.errors.append(ngettext(
                "%(num)d seat is already taken: the capacity cannot be lower. Decline or waitlist registrations first.",
                "%(num)d seats are already taken: the capacity cannot be lower. Decline or waitlist registrations "
                "first.", taken))
        else:
            before = {"opens": event.registration_opens_at, "closes": event.registration_closes_at,
                      "capacity": event.capacity, "needs_approval": event.needs_approval}
            event.registration_opens_at = from_local(form.opens_at.data, event.tz) if form.opens_at.data else None
            event.registration_closes_at = from_local(form.closes_at.data, event.tz) if form.closes_at.data else None
            event.capacity = form.capacity.data
            event.needs_approval = form.needs_approval.data
            audit.record(event=event, actor=current_user, action="registration.settings", target_type="event",
                         target_id=event.id, now=now, summary="Registration settings changed", before=before,
                         after={"opens": event.registration_opens_at, "closes": event.registration_closes_at,
                                "capacity": event.capacity, "needs_approval": event.needs_approval})
            db.session.flush()
            promoted = registration.fill_free_seats(event, now=now)
            db.session.commit()
            mailer.send()
            flash(_("Registration settings saved.") + (" " + ngettext(
                "%(num)d waitlisted registration got a seat.", "%(num)d waitlisted registrations got a seat.",
                len(promoted)) if promoted else ""), "success")
            return redirect(url_for(".registration_settings", slug=event.slug))
        db.session.rollback()
    return render_template("manage/registration_settings.html", event=event, form=form,
                           seats_taken=registration.seats_taken(event)), 400 if form.errors else 200


@bp.route("/events/<slug>/registrations/counts")
@organizer_required
def registration_counts(event: Event):
    return render_template("manage/registration_counts.html", event=event, counts=reports.counts(event),
                           statuses=list(RegistrationStatus), delegations=delegations.event_delegations(event))


# --- The outbox ------------------------------------------------------------------------------------------------

@bp.route("/events/<slug>/outbox")
@organizer_required
def outbox_list(event: Event):
    return render_template("manage/outbox.html", event=event, messages=outbox.list_messages(event),
                           form=ButtonForm(formdata=None), placeholder=outbox.SIGN_IN_PLACEHOLDER,
                           smtp_configured=mailer.smtp_settings() is not None, console_mail=mailer.console_mail())


@bp.route("/events/<slug>/outbox/send", methods=["POST"])
@organizer_required
def outbox_send(event: Event):
    if not ButtonForm().validate_on_submit():
        abort(400)
    ids = db.session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.event_id == event.id, OutboxMessage.status == OutboxStatus.QUEUED)).all()
    messages = mailer.send(list(ids))
    flash(*_send_report(messages))
    return redirect(url_for(".outbox_list", slug=event.slug))


def _send_report(messages) -> tuple[str, str]:
    """What "Send queued messages now" really did, in words: sent, kept back (and why), or nothing to do."""
    if not messages:
        return _("No message was waiting to be sent."), "info"
    sent = sum(1 for m in messages if m.status == OutboxStatus.SENT)
    failed = [m for m in messages if m.status == OutboxStatus.QUEUED]
    stored = sum(1 for m in messages if m.status == OutboxStatus.STORED)
    if stored and mailer.console_mail():
        return ngettext("%(num)d message was not sent, because no mail server is configured (CONFMAN_SMTP_URL): "
                        "it was written in full, with its sign-in link, to the server's console.",
                        "%(num)d messages were not sent, because no mail server is configured (CONFMAN_SMTP_URL): "
                        "they were written in full, with their sign-in links, to the server's console.",
                        stored), "info"
    if stored:
        return ngettext("%(num)d message was not sent, because no mail server is configured (CONFMAN_SMTP_URL): "
                        "it is kept here only.",
                        "%(num)d messages were not sent, because no mail server is configured (CONFMAN_SMTP_URL): "
                        "they are kept here only.", stored), "info"
    if failed:
        return ngettext("%(sent)d sent; %(num)d message is still queued: %(error)s",
                        "%(sent)d sent; %(num)d messages are still queued: %(error)s",
                        len(failed), sent=sent, error=failed[0].last_error or "?"), "error"
    return ngettext("%(num)d message sent.", "%(num)d messages sent.", sent), "success"
