"""Organizers' outgoing webhooks for an event: receivers, their signing secrets, and the delivery log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from confman.extensions import db
from confman.forms.webhooks import WebhookButtonForm, WebhookForm
from confman.models import Event, Webhook
from confman.services import webhooks
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage import bp
from confman.web.wording import error_text


def _hook_or_404(event: Event, hook_id: int) -> Webhook:
    hook = db.session.get(Webhook, hook_id)
    if hook is None or hook.event_id != event.id:
        abort(404)
    return hook


@bp.route("/events/<slug>/webhooks", methods=["GET", "POST"])
@organizer_required
def webhooks_page(event: Event):
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            webhooks.add_webhook(event, url=form.url.data, kinds=form.kinds.data, actor=current_user, now=utcnow())
        except webhooks.InvalidWebhookUrl as exc:
            form.url.errors.append(error_text(exc))
        else:
            db.session.commit()
            flash(_("Webhook added. Give its secret to the receiver so it can check signatures."), "success")
            return redirect(url_for("manage.webhooks_page", slug=event.slug), code=303)
    hooks = db.session.scalars(select(Webhook).filter_by(event_id=event.id).order_by(Webhook.id)).all()
    status = 400 if form.errors else 200
    return render_template("manage/webhooks.html", event=event, form=form, hooks=hooks, kinds=webhooks.KINDS,
                           button=WebhookButtonForm(), log=webhooks.delivery_log(event),
                           resource_of=webhooks.resource_of), status


@bp.route("/events/<slug>/webhooks/<int:hook_id>/rotate", methods=["POST"])
@organizer_required
def webhook_rotate(event: Event, hook_id: int):
    if not WebhookButtonForm().validate_on_submit():
        abort(400)
    webhooks.rotate_secret(_hook_or_404(event, hook_id), actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("New secret made: the old one no longer signs anything."), "success")
    return redirect(url_for("manage.webhooks_page", slug=event.slug), code=303)


@bp.route("/events/<slug>/webhooks/<int:hook_id>/remove", methods=["POST"])
@organizer_required
def webhook_remove(event: Event, hook_id: int):
    if not WebhookButtonForm().validate_on_submit():
        abort(400)
    webhooks.remove_webhook(_hook_or_404(event, hook_id), actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("Webhook removed."), "success")
    return redirect(url_for("manage.webhooks_page", slug=event.slug), code=303)
