"""The signed-in user's own pages under /account/."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.extensions import db
from confman.forms.auth import SignOutEverywhereForm
from confman.models import Registration
from confman.services import permissions
from confman.services.registration import delegations
from confman.web.auth import end_every_session

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.route("/")
@login_required
def home():
    registrations = db.session.scalars(
        select(Registration).where(Registration.user_id == current_user.id).order_by(Registration.registered_at)
    ).all()
    return render_template(
        "account/home.html", registrations=registrations, staff_events=permissions.staff_events(current_user),
        focal_delegations=delegations.focal_point_delegations(current_user),
        sign_out_form=SignOutEverywhereForm(formdata=None),
    )


@bp.route("/sign-out-everywhere", methods=["POST"])
@login_required
def sign_out_everywhere():
    if not SignOutEverywhereForm().validate_on_submit():
        return redirect(url_for(".home"))
    end_every_session()
    flash(_("You are signed out on every device and browser, this one included."), "success")
    return redirect(url_for("auth.login"))
