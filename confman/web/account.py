"""The signed-in user's own pages under /account/."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confman.extensions import db
from confman.forms.auth import SignOutEverywhereForm
from confman.models import Event, Registration, Speaker
from confman.services import floor, permissions
from confman.services.registration import delegations
from confman.web.auth import end_every_session
from confman.web.content import viewer_agenda

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@login_required
def home():
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == current_user.id).order_by(Registration.registered_at)
    ).all()
    staff_events = permissions.staff_events(current_user)
    speaking = db.session.scalars(select(Event).join(Speaker, Speaker.event_id == Event.id).where(
        func.lower(Speaker.email) == current_user.email.lower()).distinct()).all()
    events = {e.id: e for e in [*(r.event for r in registrations), *(e for e, _ in staff_events), *speaking]
              if e.is_public or permissions.can_moderate(current_user, e)}
    return render_template(
        "account/home.html", registrations=registrations, staff_events=staff_events,
        focal_delegations=delegations.focal_point_delegations(current_user),
        sign_out_form=SignOutEverywhereForm(formdata=None),
        join_links=floor.join_links(current_user, events.values(),
                                    lambda e: viewer_agenda(e).sessions),
        floor_delegations=[(e, floor.delegations_of(current_user, e)) for e in events.values()
                           if floor.delegations_of(current_user, e)],
    )


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        return redirect(url_for(".home"))
    end_every_session()
    flash(_("You are signed out on every device and browser, this one included."), "success")
    return redirect(url_for("auth.login"))
