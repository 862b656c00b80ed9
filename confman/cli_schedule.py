"""`confman import-schedule`: a frab schedule.xml or c3voc schedule.json into an event, all or nothing."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from confman.exports import frab
from confman.extensions import db
from confman.services import ConfmanError
from confman.timeutil import utcnow


@click.command("import-schedule")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--event", "slug", required=True, help="The event's slug; a new slug creates the event.")
@click.option("--publish", is_flag=True, help="Publish the imported agenda (and the event, if it is new).")
@click.option("--replace", is_flag=True, help="Replace the sessions of an event that already has some.")
@with_appcontext
def import_schedule(file: Path, slug: str, publish: bool, replace: bool) -> None:
    """Read FILE (frab schedule.xml or c3voc schedule.json) into the event SLUG.

    Creates the event from the file (title, dates, time zone) when SLUG does not exist yet, rooms as channels,
    tracks as themes and persons as speakers. Nothing is changed when the file has a problem.
    """
    try:
        schedule = frab.parse_schedule(file.read_bytes())
    except frab.MalformedSchedule as exc:
        raise click.ClickException(_("%(file)s cannot be imported: %(problem)s", file=file.name, problem=exc)
                                   + "\n" + _("Nothing was changed.")) from exc
    click.echo(_("read     %(file)s: %(format)s “%(title)s”, %(sessions)d sessions, %(rooms)d rooms, %(tracks)d "
                 "tracks, %(persons)d persons", file=file.name, format=schedule.format, title=schedule.title,
                 sessions=len(schedule.sessions), rooms=len(schedule.rooms), tracks=len(schedule.tracks),
                 persons=len(schedule.persons)))
    try:
        report = frab.import_schedule(schedule, slug=slug, now=utcnow(), replace=replace, publish=publish,
                                             source=file.name)
    except ConfmanError as exc:
        db.session.rollback()
        raise click.ClickException(f"{exc}\n" + _("Nothing was changed.")) from exc
    except Exception:
        db.session.rollback()
        raise
    db.session.commit()
    for line in report.lines:
        click.echo(line)
    if not publish:
        click.echo(_("The agenda is not published yet: publish it when it is ready (or import with --publish)."))
