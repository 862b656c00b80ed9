"""The signed-in user's own pages under /account/."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from confman.extensions import db
from confman.models import Registration
from confman.services import permissions
from confman.services.registration import delegations

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
    )
