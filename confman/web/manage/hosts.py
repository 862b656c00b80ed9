"""Organizer pages: the co-hosts of an event in protocol order, organizations and their logos."""

from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from confman.extensions import db
from confman.forms.manage import CoHostForm, CoHostRoleForm, ConfirmForm, LogoForm, OrganizationForm, choices
from confman.models import CoHost, CoHostRole, Event, Organization, OrganizationKind
from confman.services import audit, hosts, uploads
from confman.storage import StorageError
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required, storage
from confman.web.manage import bp
from confman.web.manage.common import actor, form_errors_from, owned_or_404, read_upload
from confman.web.manage.languages import save_translations, translated_form
from confman.web.wording import error_text


def _render(event: Event, *, add_form=None, org_form=None, status=200):
    add_form = add_form or CoHostForm()
    present = {h.organization_id for h in event.co_hosts}
    add_form.organization_id.choices = choices([(None, "— choose —")] + [
        (o.id, o.name) for o in db.session.scalars(select(Organization).order_by(Organization.name))
        if o.id not in present])
    role_forms = {h.id: CoHostRoleForm(prefix=f"h{h.id}", data={"role": h.role.value}) for h in event.co_hosts}
    return render_template("manage/co_hosts.html", event=event, add_form=add_form,
                           org_form=org_form or OrganizationForm(), role_forms=role_forms,
                           confirm_form=ConfirmForm()), status


@bp.route("/events/<slug>/co-hosts/")
@organizer_required
def co_hosts(event: Event):
    return _render(event)


@bp.route("/events/<slug>/co-hosts/add", methods=["POST"])
@organizer_required
def co_host_add(event: Event):
    form = CoHostForm()
    form.organization_id.choices = choices((o.id, o.name) for o in db.session.scalars(select(Organization)))
    if form.validate_on_submit():
        org = db.session.get(Organization, form.organization_id.data)
        try:
            hosts.add_co_host(event, org, role=CoHostRole(form.role.data), actor=actor(), now=utcnow())
        except hosts.AlreadyCoHost as error:
            db.session.rollback()
            form.organization_id.errors.append(error_text(error))
        else:
            db.session.commit()
            flash(_("Added %(name)s.", name=org.name), "success")
            return redirect(url_for("manage.co_hosts", slug=event.slug))
    return _render(event, add_form=form, status=400)


@bp.route("/events/<slug>/organizations/new", methods=["POST"])
@organizer_required
def organization_new(event: Event):
    form = OrganizationForm()
    if form.validate_on_submit():
        try:
            org = hosts.create_organization(name=form.name.data, short_name=form.short_name.data or "",
                                            kind=OrganizationKind(form.kind.data),
                                            country_code=form.country_code.data, event=event, actor=actor(),
                                            now=utcnow())
        except hosts.InvalidOrganization as error:
            db.session.rollback()
            form_errors_from(error, form, "name")
        else:
            db.session.commit()
            flash(_("Added %(name)s. You can now make it a co-host.", name=org.name), "success")
            return redirect(url_for("manage.co_hosts", slug=event.slug))
    return _render(event, org_form=form, status=400)


@bp.route("/events/<slug>/co-hosts/<int:host_id>/role", methods=["POST"])
@organizer_required
def co_host_role(event: Event, host_id: int):
    host = owned_or_404(CoHost, host_id, event)
    form = CoHostRoleForm(prefix=f"h{host.id}")
    if not form.validate_on_submit():
        abort(400)
    hosts.update_co_host(host, role=CoHostRole(form.role.data), actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("Saved the role of %(name)s.", name=host.organization.name), "success")
    return redirect(url_for("manage.co_hosts", slug=event.slug))


@bp.route("/events/<slug>/co-hosts/<int:host_id>/move/<any(up,down):direction>", methods=["POST"])
@organizer_required
def co_host_move(event: Event, host_id: int, direction: str):
    host = owned_or_404(CoHost, host_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    hosts.move_co_host(host, -1 if direction == "up" else 1, actor=actor(), now=utcnow())
    db.session.commit()
    return redirect(url_for("manage.co_hosts", slug=event.slug))


@bp.route("/events/<slug>/co-hosts/<int:host_id>/logo", methods=["GET", "POST"])
@organizer_required
def co_host_logo(event: Event, host_id: int):
    """Organizers may change the logo of the organizations that host their own event."""
    host = owned_or_404(CoHost, host_id, event)
    form = LogoForm()
    if form.validate_on_submit():
        try:
            key = uploads.save_public_image(storage(), "logos", read_upload(form.logo.data) or b"")
        except (uploads.UnsupportedImage, StorageError) as error:
            form.logo.errors.append(error_text(error))
        else:
            old = hosts.set_logo(host.organization, key, event=event, actor=actor(), now=utcnow())
            db.session.commit()
            uploads.delete_public_file(storage(), old)
            flash(_("Saved the logo of %(name)s.", name=host.organization.name), "success")
            return redirect(url_for("manage.co_hosts", slug=event.slug))
    return render_template("manage/logo_form.html", event=event, host=host, form=form), \
        (400 if form.errors else 200)


@bp.route("/events/<slug>/co-hosts/<int:host_id>/names", methods=["GET", "POST"])
@organizer_required
def co_host_names(event: Event, host_id: int):
    """A co-host's name in the event's other languages ("Pays-Bas"); the default is its organization's name."""
    host = owned_or_404(CoHost, host_id, event)
    form = translated_form(ConfirmForm, event, "co_host", source=host)
    if form.validate_on_submit():
        if save_translations(form, host, event, "co_host"):
            event.updated_at = utcnow()  # exports of the event name its co-hosts: their ETags must change
            audit.record(event=event, actor=actor(), action="co_host.names", target_type="co_host",
                         target_id=host.id, now=utcnow(), summary=f"Names of {host.organization.name}",
                         after=host.translations)
            flash(_("Saved."), "success")
        else:
            flash(_("Nothing changed."), "success")
        db.session.commit()
        return redirect(url_for("manage.co_hosts", slug=event.slug))
    # What the translation inputs translate: the organization's own name, shown, not edited here.
    base = SimpleNamespace(data=host.organization.name, label=SimpleNamespace(text=_("Name")))
    return render_template("manage/co_host_names.html", event=event, host=host, form=form, base=base), \
        (400 if form.errors else 200)


# Registered last, so a walk over the URL map in order reaches every other route before this one removes.
@bp.route("/events/<slug>/co-hosts/<int:host_id>/remove", methods=["POST"])
@organizer_required
def co_host_remove(event: Event, host_id: int):
    host = owned_or_404(CoHost, host_id, event)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = host.organization.name
    hosts.remove_co_host(host, actor=actor(), now=utcnow())
    db.session.commit()
    flash(_("%(name)s no longer hosts this event.", name=name), "success")
    return redirect(url_for("manage.co_hosts", slug=event.slug))
