"""Delegations: organizers create them and import their lists; focal points see and approve their own."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from confman import site
from confman.extensions import db
from confman.forms.registrations import DecisionForm, DelegationForm, DocumentForm, ImportForm
from confman.models import Delegation, Event, Organization, OverQuotaPolicy
from confman.services import audit, documents, permissions, registration, users
from confman.services.registration import delegations
from confman.timeutil import utcnow
from confman.web import mailer
from confman.web.helpers import get_event_or_404, organizer_required
from confman.web.manage import bp
from confman.web.manage.registrations import send_document
from confman.web.registrations import document_limit, store_document
from confman.web.wording import error_text


@bp.route("/events/<slug>/delegations", methods=["GET", "POST"])
@organizer_required
def delegations_page(event: Event):
    organizations = db.session.scalars(select(Organization).order_by(Organization.name)).all()
    form = DelegationForm(organizations=organizations)
    if form.validate_on_submit():
        organization = db.session.get(Organization, form.organization.data)
        try:
            delegation = delegations.create_delegation(
                event, organization, quota=form.quota.data, policy=OverQuotaPolicy(form.over_quota_policy.data),
                focal_point_email=form.focal_point_email.data or "", head_of_delegation=form.head_of_delegation.data
                or "", actor=current_user, now=utcnow())
        except delegations.DelegationExists as exc:
            mailer.discard()
            form.organization.errors.append(error_text(exc))
        except users.InvalidEmail:
            mailer.discard()
            form.focal_point_email.errors.append(_("This is not a valid email address."))
        else:
            db.session.commit()
            mailer.send()
            attached = len(delegations.members(delegation))
            flash(ngettext("The delegation of %(name)s was created, with the %(num)d registration already made for "
                           "it.", "The delegation of %(name)s was created, with the %(num)d registrations already "
                           "made for it.", attached, name=organization.name) if attached else
                  _("The delegation of %(name)s was created.", name=organization.name), "success")
            return redirect(url_for(".delegation_page", slug=event.slug, delegation_id=delegation.id))
    return render_template("manage/delegations.html", event=event, form=form,
                           delegations=delegations.event_delegations(event)), 400 if form.errors else 200


def _delegation_or_404(slug: str, delegation_id: int) -> tuple[Event, Delegation, bool]:
    """The delegation, for an organizer of the event or its own focal point (is_organizer tells which)."""
    event = get_event_or_404(slug)
    delegation = db.session.get(Delegation, delegation_id)
    if delegation is None or delegation.event_id != event.id or not delegations.can_review(current_user, delegation):
        abort(404)
    return event, delegation, permissions.can_organize(current_user, event)


def _render(event, delegation, is_organizer, *, import_form=None, import_errors=(), document_form=None, status=200):
    return render_template(
        "manage/delegation.html", event=event, delegation=delegation, is_organizer=is_organizer,
        members=delegations.members(delegation), seats=registration.delegation_seats_taken(delegation),
        import_form=import_form or ImportForm(formdata=None), import_errors=import_errors,
        document_form=document_form or DocumentForm(formdata=None), decision_form=DecisionForm(formdata=None),
    ), status


@bp.route("/events/<slug>/delegations/<int:delegation_id>")
@login_required
def delegation_page(slug: str, delegation_id: int):
    return _render(*_delegation_or_404(slug, delegation_id))


@bp.route("/events/<slug>/delegations/<int:delegation_id>/import", methods=["POST"])
@login_required
def delegation_import(slug: str, delegation_id: int):
    event, delegation, is_organizer = _delegation_or_404(slug, delegation_id)
    if not is_organizer:
        abort(403)
    form = ImportForm()
    if not form.validate_on_submit():
        return _render(event, delegation, is_organizer, import_form=form, status=400)
    try:
        created = delegations.import_members(delegation, form.file.data.read(), actor=current_user, now=utcnow())
    except delegations.ImportFailed as exc:
        mailer.discard()
        flash(error_text(exc), "error")
        return _render(event, delegation, is_organizer, import_errors=exc.errors, status=400)
    db.session.commit()
    mailer.send()
    flash(ngettext("%(num)d member imported.", "%(num)d members imported.", len(created)), "success")
    return redirect(url_for(".delegation_page", slug=slug, delegation_id=delegation_id))


@bp.route("/events/<slug>/delegations/<int:delegation_id>/document", methods=["GET", "POST"])
@site.accepts_upload(document_limit)
@login_required
def delegation_document(slug: str, delegation_id: int):
    event, delegation, is_organizer = _delegation_or_404(slug, delegation_id)
    form = DocumentForm()
    if not form.is_submitted():
        return send_document(delegation.nomination_document_path, f"delegation-{delegation.id}-nomination.pdf")
    if form.validate_on_submit():
        try:
            key = store_document(form.document.data)
        except documents.InvalidDocument as exc:
            form.document.errors.append(error_text(exc))
        else:
            delegation.nomination_document_path = key
            audit.record(event=event, actor=current_user, action="delegation.document", target_type="delegation",
                         target_id=delegation.id, now=utcnow(), summary="Nomination document uploaded")
            db.session.commit()
            flash(_("The nomination document was received."), "success")
            return redirect(url_for(".delegation_page", slug=slug, delegation_id=delegation_id))
    return _render(event, delegation, is_organizer, document_form=form, status=400)
