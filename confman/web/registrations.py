"""Delegates' pages: the registration form, signing in by emailed link, and their own registration under /account/."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectChoice

from confman import site
from confman.extensions import db, limiter
from confman.forms.languages import RegistrationLanguagesForm
from confman.forms.registrations import (
    OTHER_ORGANIZATION,
    AgendaChoiceForm,
    ButtonForm,
    CancelForm,
    DetailsForm,
    DocumentForm,
    RegistrationForm,
    SignInRequestForm,
)
from confman.models import Event, Organization, Registration, RegistrationCategory, RegistrationStatus
from confman.services import N_, agenda, documents, outbox, registration, users
from confman.services.registration import delegations
from confman.storage import StorageError
from confman.timeutil import utcnow
from confman.web import mailer, sign_in_links
from confman.web.content import content_language, page_language, viewer_agenda
from confman.web.helpers import get_event_or_404, get_public_event_or_404, safe_next_url
from confman.web.wording import error_text

bp = Blueprint("registrations", __name__)


def document_limit(config) -> int:
    return int(config.get("NOMINATION_MAX_BYTES", documents.MAX_DOCUMENT_BYTES))


def _max_document_bytes() -> int:
    return document_limit(current_app.config)


def _max_document_mb() -> int:
    return _max_document_bytes() // (1024 * 1024) or 1


def _too_many() -> str:
    return _("Too many requests for sign-in links. Wait a minute.")


def file_storage():
    return current_app.extensions["confman.storage"]


def store_document(upload) -> str:
    """Raises documents.InvalidDocument. Reads at most one byte past the limit, whatever the upload's size."""
    limit = _max_document_bytes()
    try:
        return documents.store(upload.stream.read(limit + 1), storage=file_storage(), max_bytes=limit)
    except StorageError as exc:
        current_app.logger.error("nomination document not stored: %s", exc)
        raise documents.InvalidDocument(N_("The file could not be stored just now. Please try again.")) from exc


class _RegistrationForm(RegistrationForm, RegistrationLanguagesForm):
    pass


class _DetailsForm(DetailsForm, RegistrationLanguagesForm):
    pass


def _languages_from(form, event: Event) -> dict:
    """The language fields, when the form showed them (an event with one language has none to choose)."""
    if len(event.languages) < 2:
        return {}
    return {"language": form.language.data or "",
            "interpretation_languages": tuple(form.interpretation_languages.data or ())}


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@site.accepts_upload(document_limit)
def register(slug: str):
    event = get_public_event_or_404(slug)
    now = utcnow()
    user = current_user._get_current_object() if current_user.is_authenticated else None
    if user is not None and registration.registration_of(user, event) is not None:
        flash(_("You are registered for this event: here is your registration."), "info")
        return redirect(url_for(".mine", slug=slug))
    organizations = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    form = _RegistrationForm(organizations=organizations)
    form.set_languages(event, page_language())
    if not form.is_submitted() and len(event.languages) > 1:
        form.language.data = content_language(event)
    if user is not None:
        form.email.data = user.email  # a signed-in delegate registers their own account's address
        if request.method == "GET":
            form.name.data = form.name.data or user.name
    state = registration.window_state(event, now)
    if state != "open":
        # 409: the form is fine, but the event's state (its registration window) refuses it.
        return render_template("registrations/register.html", event=event, form=form, state=state,
                               max_document_mb=_max_document_mb()), 409 if request.method == "POST" else 200
    if form.validate_on_submit():
        outcome = _register(event, form, user, now)
        if outcome is not None:
            return outcome
    return render_template("registrations/register.html", event=event, form=form, state=state,
                           max_document_mb=_max_document_mb()), 400 if request.method == "POST" else 200


def _register(event: Event, form: RegistrationForm, user, now):
    """Register from a valid form; a response, or None when the form got an error to show."""
    organization = None
    if form.organization.data != OTHER_ORGANIZATION:
        organization = db.session.get(Organization, int(form.organization.data))
    try:
        email = users.normalize_email(user.email if user is not None else form.email.data)
    except users.InvalidEmail:
        form.email.errors.append(_("This is not a valid email address."))
        return None
    try:
        document_key = store_document(form.document.data)
    except documents.InvalidDocument as exc:
        form.document.errors.append(error_text(exc))
        return None
    details = registration.Details(
        name=form.name.data, email=email, category=RegistrationCategory(form.category.data),
        honorific=form.honorific.data or "", title=form.title.data or "", organization=organization,
        organization_name=form.organization_name.data or "", needs=form.needs.data or "",
        language=form.language.data or "", interpretation_languages=tuple(form.interpretation_languages.data or ()),
        interface_language=page_language())
    try:
        account = user or delegations.delegate_account(email, name=form.name.data, now=now)
        registration.register(event, details, user=account, now=now, document_key=document_key)
        db.session.commit()
    except registration.DelegationFull as exc:
        mailer.discard()
        documents.discard(document_key, storage=file_storage())
        form.organization.errors.append(error_text(exc))
        return None
    except (registration.AlreadyRegistered, IntegrityError):
        # A double submit, a racing duplicate, or someone else's address: the same answer in every case.
        mailer.discard()
        documents.discard(document_key, storage=file_storage())
        existing = registration.find_registration(event, email)
        if existing is not None:
            outbox.notify_registration(existing, "already_registered", now=now, language=page_language())
            db.session.commit()
    mailer.send()
    if user is not None:
        flash(_("Thank you: your registration was received."), "success")
        return redirect(url_for(".mine", slug=event.slug))
    return redirect(url_for(".sent", slug=event.slug))


@bp.route("/events/<slug>/register/sent")
def sent(slug: str):
    event = get_public_event_or_404(slug)
    return render_template("registrations/sent.html", event=event, console_mail=mailer.console_mail())


# --- Signing in by emailed link ---------------------------------------------------------------------------------

def _sign_in_limit() -> str:
    return current_app.config.get("SIGN_IN_RATE_LIMIT", "5 per minute;20 per hour")


@bp.route("/account/sign-in", methods=["GET", "POST"])
@limiter.limit(_sign_in_limit, methods=["POST"], error_message=_too_many)
def sign_in_request():
    """Each request sends a mail: throttled per client address so the form cannot be used to flood a mailbox."""
    form = SignInRequestForm()
    if form.validate_on_submit():
        user = users.find_by_email(form.email.data)
        if user is not None and user.is_active:
            outbox.notify_sign_in(to_email=user.email, now=utcnow(), language=page_language())
            db.session.commit()
            mailer.send()
        # The same words whether or not the address has an account.
        flash(_("If this address has an account, a sign-in link is on its way to it."), "info")
        return redirect(url_for(".sign_in_request"))
    return render_template("registrations/sign_in_request.html", form=form, console_mail=mailer.console_mail())


@bp.route("/account/sign-in/<token>", methods=["GET", "POST"])
def sign_in(token: str):
    """GET only shows a button: mail scanners open links, and must not sign anyone in. POST spends the link."""
    link = sign_in_links.read(token)
    if link.state != sign_in_links.LinkState.VALID:
        return _link_unusable(link, token)
    form = ButtonForm()
    if form.validate_on_submit():
        if not users.use_sign_in_links(link.user, link.generation):  # a second click that raced this one
            db.session.rollback()
            return _link_unusable(sign_in_links.SignInLink(sign_in_links.LinkState.USED, link.user), token)
        login_user(link.user)
        link.user.last_login_at = utcnow()
        db.session.commit()
        return redirect(safe_next_url(url_for("account.home")))
    return render_template("registrations/sign_in.html", form=form, user=link.user, next=safe_next_url(""))


def _link_unusable(link: sign_in_links.SignInLink, token: str):
    return render_template("registrations/sign_in_invalid.html", link=link, token=token, form=ButtonForm(),
                           hours=max(1, sign_in_links.max_age() // 3600)), 400


@bp.route("/account/sign-in/<token>/new", methods=["POST"])
@limiter.limit(_sign_in_limit, error_message=_too_many)
def sign_in_renew(token: str):
    """One click on a used or expired link's page: a fresh link, to the address the old one was sent to only."""
    link = sign_in_links.read(token)
    if link.user is None or not ButtonForm().validate_on_submit():
        abort(400)
    outbox.notify_sign_in(to_email=link.user.email, now=utcnow(), language=page_language())
    db.session.commit()
    mailer.send()
    flash(_("A new sign-in link is on its way to %(email)s.", email=link.user.email), "info")
    return redirect(url_for(".sign_in_request"), code=303)


# --- The delegate's own registration ---------------------------------------------------------------------------

def _mine_or_404(slug: str) -> Registration:
    """The signed-in user's registration for the event; 404 for anything else, so nothing can be probed."""
    event = get_event_or_404(slug)
    mine = registration.registration_of(current_user, event)
    if mine is None:
        abort(404)
    return mine


def _render_mine(mine: Registration, *, details_form=None, cancel_form=None, document_form=None, status=200):
    details_form = details_form or _DetailsForm(obj=mine, formdata=None)
    details_form.set_languages(mine.event, page_language())
    details_form.version.data = mine.version
    calendar_url = (url_for("feeds.personal_calendar", token=mine.calendar_token, _external=True)
                    if mine.calendar_token else None)
    return render_template(
        "registrations/mine.html", event=mine.event, reg=mine, details_form=details_form,
        cancel_form=cancel_form or CancelForm(formdata=None),
        document_form=document_form or DocumentForm(formdata=None),
        button_form=ButtonForm(formdata=None), position=registration.waitlist_position(mine),
        calendar_url=calendar_url,
        is_active=mine.status not in (RegistrationStatus.CANCELLED, RegistrationStatus.DECLINED),
    ), status


@bp.route("/account/events/<slug>/")
@login_required
def mine(slug: str):
    return _render_mine(_mine_or_404(slug))


@bp.route("/account/events/<slug>/details", methods=["POST"])
@login_required
def edit_details(slug: str):
    mine = _mine_or_404(slug)
    form = _DetailsForm()
    form.set_languages(mine.event, page_language())
    if form.validate_on_submit():
        if form.version.data != str(mine.version):
            form.version.errors.append(_("Your registration changed since you opened this page. Nothing was saved: "
                                         "check the details below and save again."))
            return _render_mine(mine, details_form=form, status=409)
        try:
            registration.update_details(mine, honorific=form.honorific.data or "", name=form.name.data,
                                        title=form.title.data or "", needs=form.needs.data or "",
                                        **_languages_from(form, mine.event))
        except registration.DecisionNotAllowed as exc:
            db.session.rollback()
            flash(error_text(exc), "error")
            return redirect(url_for(".mine", slug=slug))
        db.session.commit()
        flash(_("Your details were saved."), "success")
        return redirect(url_for(".mine", slug=slug))
    return _render_mine(mine, details_form=form, status=400)


@bp.route("/account/events/<slug>/cancel", methods=["POST"])
@login_required
def cancel(slug: str):
    mine = _mine_or_404(slug)
    form = CancelForm()
    if not form.validate_on_submit():
        return _render_mine(mine, cancel_form=form, status=400)
    try:
        registration.cancel(mine, now=utcnow())
    except registration.DecisionNotAllowed as exc:
        mailer.discard()
        flash(error_text(exc), "error")
        return redirect(url_for(".mine", slug=slug))
    db.session.commit()
    mailer.send()
    flash(_("Your registration is cancelled."), "success")
    return redirect(url_for(".mine", slug=slug))


@bp.route("/account/events/<slug>/document", methods=["POST"])
@site.accepts_upload(document_limit)
@login_required
def upload_document(slug: str):
    mine = _mine_or_404(slug)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            mine.nomination_document_path = store_document(form.document.data)
        except documents.InvalidDocument as exc:
            form.document.errors.append(error_text(exc))
        else:
            db.session.commit()
            flash(_("Your document was received."), "success")
            return redirect(url_for(".mine", slug=slug))
    return _render_mine(mine, document_form=form, status=400)


@bp.route("/account/events/<slug>/calendar/<action>", methods=["POST"])
@login_required
def calendar_token(slug: str, action: str):
    mine = _mine_or_404(slug)
    if action not in ("regenerate", "revoke") or not ButtonForm().validate_on_submit():
        abort(400)
    try:
        if action == "regenerate":
            registration.regenerate_calendar_token(mine)
            flash(_("Your calendar link is new: the old one no longer works."), "success")
        else:
            registration.revoke_calendar_token(mine)
            flash(_("Your calendar link is turned off."), "success")
    except registration.DecisionNotAllowed as exc:
        db.session.rollback()
        flash(error_text(exc), "error")
        return redirect(url_for(".mine", slug=slug))
    db.session.commit()
    return redirect(url_for(".mine", slug=slug))


@bp.route("/account/events/<slug>/agenda", methods=["GET", "POST"])
@login_required
def my_agenda(slug: str):
    mine = _mine_or_404(slug)
    event = mine.event
    # Delegates pick from the published agenda only: drafts and unpublished edits stay invisible.
    sessions = [s for s in viewer_agenda(event).sessions if not s.is_cancelled]
    form = AgendaChoiceForm(data=None if request.method == "POST" else {"sessions": [s.id for s in mine.sessions]})
    form.sessions.choices = [SelectChoice(s.id, s.title) for s in sessions]
    if form.validate_on_submit():
        try:
            registration.set_sessions(mine, set(form.sessions.data or []))
        except registration.DecisionNotAllowed as exc:
            db.session.rollback()
            flash(error_text(exc), "error")
            return redirect(url_for(".mine", slug=slug))
        db.session.commit()
        flash(_("Your agenda was saved."), "success")
        return redirect(url_for(".my_agenda", slug=slug))
    days = agenda.group_by_day(sessions, event.tz)
    return render_template("registrations/agenda.html", event=event, reg=mine, form=form, days=days,
                           chosen={s.id for s in mine.sessions}), 400 if form.errors else 200
