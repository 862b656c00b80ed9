"""Organizer pages under /manage/."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, Speaker
from confman.services import agenda, changelog, permissions
from confman.web.helpers import organizer_required
from confman.web.manage.common import agenda_report

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
    items = agenda.load_sessions(event)
    return render_template("manage/event.html", event=event, counts=counts, report=agenda_report(event, items),
                           unpublished=changelog.unpublished_changes(event, items),
                           versions=changelog.recent_versions(event, limit=3))


# The organizer's pages, each area in its own module (they register on `bp`).
from confman.web.manage import (  # noqa: E402, F401, I001
    delegations, events, floor, hosts, labels, participants, publishing, registrations, sessions, speakers, video,
    webhooks,
)
