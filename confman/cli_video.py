"""`confman video ...`: reminders to speakers' offices and the overdue list, for cron or an organizer's terminal."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from confman.cli import event_by_slug
from confman.extensions import db
from confman.services import video
from confman.timeutil import utcnow


@click.group("video")
def video_group() -> None:
    """Video-message slots."""


@video_group.command("remind")
@click.option("--event", "event_slug", help="Only this event (its slug); default: every event.")
@with_appcontext
def remind(event_slug: str | None) -> None:
    """Queue due reminders in the outbox and list overdue slots. Safe to run often: each reminder goes once.

    Reminders go out 7, 2 and 1 days before the deadline (CONFMAN_VIDEO_REMINDER_DAYS, e.g. "[7, 2, 1]").
    """
    event = event_by_slug(event_slug) if event_slug else None
    days = current_app.config.get("VIDEO_REMINDER_DAYS") or [lead.days for lead in video.DEFAULT_LEAD_TIMES]
    try:
        lead_times = tuple(timedelta(days=float(d)) for d in days)
    except (TypeError, ValueError) as exc:
        raise click.ClickException(_("VIDEO_REMINDER_DAYS must be a list of numbers of days, not %(value)s.",
                                     value=repr(days))) from exc
    report = video.queue_reminders(now=utcnow(), event=event, lead_times=lead_times)
    db.session.commit()
    for line in report.queued:
        click.echo(_("queued   %(what)s", what=line))
    for line in report.overdue:
        click.echo(_("OVERDUE  %(what)s", what=line))
    for line in report.no_address:
        click.echo(_("no address for the speaker's office: %(what)s (set it on the slot)", what=line), err=True)
    click.echo(ngettext("%(num)d message queued", "%(num)d messages queued", len(report.queued)) + ", "
               + ngettext("%(num)d overdue slot.", "%(num)d overdue slots.", len(report.overdue)))
