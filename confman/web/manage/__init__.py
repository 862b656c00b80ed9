"""Organizer pages under /manage/."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, Speaker
from confman.services import permissions
from confman.web.helpers import organizer_required

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.route("/")
@login_required
def index():
    return render_template("manage/index.html", staff_events=permissions.staff_events(current_user))


@bp.route("/events/<slug>/")
@organizer_required
def event(event: Event):
    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id)) or 0

    counts = {"sessions": count(AgendaSession), "speakers": count(Speaker), "registrations": count(Registration)}
    return render_template("manage/event.html", event=event, counts=counts)


from confman.web.manage import (  # noqa: E402, F401  (register their routes on bp)
    delegations,
    registrations,
    video,
    webhooks,
)
