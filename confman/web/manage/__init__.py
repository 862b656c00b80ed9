"""Organizer pages under /manage/."""

from __future__ import annotations

from flask import Blueprint, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, Speaker
from confman.services import agenda, changelog, permissions, registration
from confman.timeutil import utcnow
from confman.web.helpers import organizer_required
from confman.web.manage.common import agenda_report

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.route("/")
@login_required
def index():
    from confman.web.manage.events import may_create_events

    return render_template("manage/index.html", staff_events=permissions.staff_events(current_user),
                           may_create_events=may_create_events(current_user))


@bp.route("/events/<slug>/")
@organizer_required
def event(event: Event):
    def count(model) -> int:
        return db.session.scalar(select(func.count()).select_from(model).where(model.event_id == event.id)) or 0

    counts = {"sessions": count(AgendaSession), "speakers": count(Speaker), "registrations": count(Registration)}
    items = agenda.load_sessions(event)
    versions = changelog.recent_versions(event, limit=3)
    return render_template("manage/event.html", event=event, counts=counts, report=agenda_report(event, items),
                           unpublished=changelog.unpublished_changes(event, items), versions=versions,
                           checklist=_checklist(event, counts, versions),
                           registration_window=registration.window_state(event, utcnow()))


def _checklist(event: Event, counts: dict[str, int], versions) -> list[tuple[str, bool, str]]:
    """A new event's first steps, each ticked by what the event already has (never by a click on the list)."""
    slug = event.slug
    return [
        (_("Add the co-hosts"), bool(event.co_hosts), url_for("manage.co_hosts", slug=slug)),
        (_("Add themes"), bool(event.themes), url_for("manage.labels", slug=slug, kinds="themes")),
        (_("Add sessions"), counts["sessions"] > 0, url_for("manage.session_new", slug=slug)),
        (_("Open registration (opening and closing times)"), event.registration_opens_at is not None,
         url_for("manage.event_edit", slug=slug) + "#registration"),
        (_("Publish the event and its agenda"), event.is_public and bool(versions),
         url_for("manage.publish", slug=slug)),
    ]


# The organizer's pages, each area in its own module (they register on `bp`).
from confman.web.manage import (  # noqa: E402, F401, I001
    delegations, events, floor, hosts, interpreting, labels, languages, participants, publishing, registrations,
    session_import, sessions, speakers, team, timetable_editor, timetable_speakers, video, webhooks,
)
