"""Organizer pages: what is not published yet and publishing it, the problems list, and the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from confman.extensions import db
from confman.forms.manage import PublishForm
from confman.models import AgendaSession, AuditEntry, Event
from confman.services import agenda, changelog, events, languages, publication
from confman.timeutil import format_duration, utcnow
from confman.web import wording
from confman.web.helpers import int_arg, organizer_required
from confman.web.manage import bp
from confman.web.manage.common import actor, agenda_report
from confman.web.manage.sessions import FIELD_LABELS
from confman.web.programme import queue_programme_render

AUDIT_PAGE = 100


@bp.route("/events/<slug>/publish", methods=["GET", "POST"])
@organizer_required
def publish(event: Event):
    form = PublishForm()
    was_draft = not event.is_public
    if form.validate_on_submit():
        now = utcnow()
        made_public = was_draft and form.make_public.data and events.make_public(event, actor=actor(), now=now)
        try:
            version = publication.publish_agenda(event, actor=actor(), now=now, comment=form.comment.data or "")
        except publication.NothingToPublish:
            if made_public:  # the agenda was published before, only the event was hidden: one act shows both
                db.session.commit()
                flash(_("The event is public now, with its agenda as published: %(url)s",
                        url=url_for("public.event", slug=event.slug, _external=True)), "success")
                return redirect(url_for("manage.publish", slug=event.slug))
            db.session.rollback()
            latest = changelog.recent_versions(event)[0].number
            form.comment.errors.append(_("Nothing changed since version %(number)s.", number=latest))
        else:
            queue_programme_render(event, now=now, live=False)
            db.session.commit()
            flash(_publish_message(event, version, made_public), "success" if event.is_public else "warning")
            return redirect(url_for("manage.publish", slug=event.slug))
    sessions = agenda.load_sessions(event)
    report = agenda_report(event, sessions)
    changes = changelog.unpublished_changes(event, sessions)
    return render_template("manage/publish.html", event=event, form=form, changes=changes,
                           describe=wording.describe_change, versions=changelog.recent_versions(event),
                           report=report, tz=event.tz), (400 if form.errors else 200)


def _publish_message(event: Event, version, made_public: bool) -> str:
    """Says exactly who sees the new version: a draft event's agenda is published for nobody yet."""
    done = ngettext("Published version %(number)s with %(num)d change.",
                    "Published version %(number)s with %(num)d changes.", len(version.changelog),
                    number=version.number)
    if made_public:
        return done + " " + _("The event and its agenda are public now: %(url)s",
                              url=url_for("public.event", slug=event.slug, _external=True))
    if not event.is_public:
        return done + " " + _("The event is still a draft, so the public does not see it yet (only its team "
                              "does). Tick “Also make the event public” below to show both.")
    return done + " " + _("Delegates see it now.")


@bp.route("/events/<slug>/problems")
@organizer_required
def problems(event: Event):
    report = agenda_report(event, agenda.load_schedule(event))
    return render_template("manage/problems.html", event=event, report=report,
                           missing=languages.missing_translations(event),
                           gaps=languages.interpretation_gaps(event, agenda.load_sessions(event)))


@bp.route("/events/<slug>/audit")
@organizer_required
def audit_log(event: Event):
    before = int_arg("before")
    query = (select(AuditEntry).filter_by(event_id=event.id).options(selectinload(AuditEntry.actor))
             .order_by(AuditEntry.id.desc()).limit(AUDIT_PAGE + 1))
    if before:
        query = query.where(AuditEntry.id < before)
    entries = db.session.scalars(query).all()
    older = entries[AUDIT_PAGE].id + 1 if len(entries) > AUDIT_PAGE else None
    entries = entries[:AUDIT_PAGE]
    ids = {s["id"] for e in entries if e.action.startswith("live.")
           for s in (e.before or {}).get("sessions", []) + (e.after or {}).get("sessions", [])}
    titles = dict(db.session.execute(select(AgendaSession.id, AgendaSession.title)
                                     .where(AgendaSession.id.in_(ids))).all()) if ids else {}
    return render_template("manage/audit.html", event=event, entries=entries, older=older, tz=event.tz,
                           live_sentences=lambda entry: _live_sentences(entry, titles, event.tz),
                           field_labels=FIELD_LABELS)


_LIVE_FIELDS = {"status": _l("status"), "starts_at": _l("planned start"), "duration": _l("length"),
                "actual_started_at": _l("started"), "actual_ended_at": _l("ended"),
                "announced_delay": _l("announced delay"), "break_before": _l("break before")}


def _live_sentences(entry: AuditEntry, titles: dict[int, str], tz) -> list[str]:
    """A live action's before and after, as one sentence per session that changed (not the raw captures)."""
    before = {s["id"]: s for s in (entry.before or {}).get("sessions", [])}
    sentences = []
    for after in (entry.after or {}).get("sessions", []):
        old = before.get(after["id"])
        if old is None:
            continue
        changes = [_("%(field)s %(old)s → %(new)s", field=label, old=audit_value(old.get(key), key, tz),
                     new=audit_value(after.get(key), key, tz))
                   for key, label in _LIVE_FIELDS.items() if old.get(key) != after.get(key)]
        if changes:
            sentences.append(_("“%(title)s”: %(changes)s.", title=titles.get(after["id"], f"#{after['id']}"),
                               changes="; ".join(changes)))
    return sentences


@bp.app_template_filter("audit_value")
def audit_value(value, key: str = "", tz=None) -> str:
    """An audit-log value as a person reads it: instants in the event's zone, lengths in minutes."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if key in ("duration", "time_limit", "announced_delay", "break_before") and isinstance(value, int | float):
        return format_duration(timedelta(seconds=value))
    if key.endswith("_at") and isinstance(value, str) and tz is not None:
        try:
            return wording.when(datetime.fromisoformat(value), tz, "EEE d MMM y HH:mm")
        except ValueError:
            return value
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    text = str(value)
    return text if len(text) <= 160 else text[:157] + "…"

