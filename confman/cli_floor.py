"""`confman floor ...`: the delegates' day reminders with their meeting links, for cron."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext
from flask_babel import force_locale, gettext, ngettext

from confman.cli import event_by_slug
from confman.extensions import db
from confman.services import floor
from confman.timeutil import utcnow


def _words(language: str):
    def in_language(message: str, **values) -> str:
        with force_locale(language):
            return gettext(message, **values)

    return in_language


@click.group("floor")
def floor_group() -> None:
    """The floor: lists of speakers and virtual rooms."""


@floor_group.command("remind")
@click.option("--event", "event_slug", help="Only this event (its slug); default: every published event.")
@click.option("--lead-minutes", type=click.IntRange(min=1, max=24 * 60),
              default=int(floor.DAY_REMINDER_LEAD / timedelta(minutes=1)), show_default=True,
              help="How long before a delegate's first session of the day the reminder goes.")
@with_appcontext
def remind(event_slug: str | None, lead_minutes: int) -> None:
    """Queue each approved delegate's reminder of the day's sessions they picked, with the meeting links.
    Safe to run every few minutes: each delegate gets one per event day."""
    event = event_by_slug(event_slug) if event_slug else None
    report = floor.queue_day_reminders(now=utcnow(), event=event, lead=timedelta(minutes=lead_minutes),
                                       words=_words)
    db.session.commit()
    for line in report.queued:
        click.echo(gettext("queued   %(what)s", what=line))
    click.echo(ngettext("%(num)d reminder queued.", "%(num)d reminders queued.", len(report.queued)))
