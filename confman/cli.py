"""The `confman` console script: Flask's commands (run, shell, db) plus confman's own."""

from __future__ import annotations

import json
import os
import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from confman.extensions import db
from confman.models import Event, Role, User
from confman.services import ConfmanError, backup, sample, users
from confman.services import demo as demo_event
from confman.timeutil import utcnow


def _create_app():
    from confman import create_app

    return create_app()


def event_by_slug(slug: str) -> Event:
    """The event a command names, or the error every command gives for a slug that names none."""
    event = db.session.scalar(select(Event).filter_by(slug=slug))
    if event is None:
        raise click.ClickException(_("There is no event with the slug %(slug)s.", slug=repr(slug)))
    return event


@click.group(cls=FlaskGroup, create_app=_create_app, help="confman: conference management for ministerial events.")
def main() -> None:
    pass


def register_commands(app: Flask) -> None:
    """Attach confman's commands to the app, so `confman ...`, `flask --app confman ...` and tests share them."""
    app.cli.add_command(demo)
    app.cli.add_command(users_group)
    app.cli.add_command(export_event_command)
    app.cli.add_command(import_event_command)
    app.cli.add_command(storage_group)
    app.cli.add_command(worker_command)
    from confman.cli_video import video_group

    app.cli.add_command(video_group)
    from confman.cli_floor import floor_group

    app.cli.add_command(floor_group)
    from confman.cli_schedule import import_schedule

    app.cli.add_command(import_schedule)
    app.cli.add_command(webhooks_group)


@click.command()
@click.option("--interpretation", is_flag=True,
              help="Interpret the sample's sessions from English into French (a new sample only).")
@with_appcontext
def demo(interpretation: bool) -> None:
    """Load the PrepCon 2021 sample and the demo event dated around today (again: re-dates the demo only)."""
    now = utcnow()
    report = sample.load_sample(now=now, interpretation=interpretation)
    demo_report = demo_event.load_demo(now=now)
    db.session.commit()
    for line in report.created:
        click.echo(_("created  %(what)s", what=line))
    for line in report.existing:
        click.echo(_("exists   %(what)s", what=line))
    if demo_report.created:
        click.echo(_("created  event %(slug)s (dated around today)", slug=demo_event.DEMO_SLUG))
    elif demo_report.moved:
        click.echo(ngettext("re-dated event %(slug)s: %(num)d session moved to today",
                             "re-dated event %(slug)s: %(num)d sessions moved to today",
                             demo_report.moved, slug=demo_event.DEMO_SLUG))
    else:
        click.echo(_("exists   event %(slug)s (already dated around today)", slug=demo_event.DEMO_SLUG))
    click.echo(_("Sample accounts (password %(password)s):", password=repr(sample.SAMPLE_PASSWORD)))
    for role, email in sample.SAMPLE_ACCOUNTS.items():
        click.echo(f"  {role:<10} {email}")
    base = current_app.config["BASE_URL"]
    click.echo(_("Try it:"))
    for label, path in ((_("demo event"), f"/events/{demo_event.DEMO_SLUG}/"),
                        (_("register"), f"/events/{demo_event.DEMO_SLUG}/register"),
                        (_("live page"), f"/events/{demo_event.DEMO_SLUG}/live"),
                        (_("console"), f"/moderate/{demo_event.DEMO_SLUG}/"),
                        (_("manage"), "/manage/"),
                        ("PrepCon 2021", f"/events/{sample.PREPCON_SLUG}/")):
        click.echo(f"  {label:<14} {base}{path}")


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "organizer", "moderator", "interpreter"]), required=True)
@click.option("--event", "event_slug", help="The event an organizer or moderator works on (its slug).")
@click.option("--name", default="", help="The person's name, as shown in the audit log.")
@with_appcontext
def create_user(email: str, role: str, event_slug: str | None, name: str) -> None:
    """Create an account. The password comes from CONFMAN_PASSWORD, or a prompt."""
    roles: tuple[tuple[Event, Role], ...] = ()
    if role == "admin":
        if event_slug:
            raise click.UsageError(_("An admin manages every event: leave out --event."))
    else:
        if not event_slug:
            raise click.UsageError(_("The role %(role)s is held on one event: give --event SLUG.", role=role))
        roles = ((event_by_slug(event_slug), Role(role)),)
    password = os.environ.get("CONFMAN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException(_("No password: set CONFMAN_PASSWORD or run this in a terminal."))
        password = click.prompt(_("Password"), hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, password=password, now=utcnow(), name=name, is_admin=role == "admin",
                                 roles=roles)
    except ConfmanError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(_("Created %(email)s (%(role)s of %(event)s).", email=user.email, role=role, event=event_slug)
               if event_slug else _("Created %(email)s (%(role)s).", email=user.email, role=role))


@users_group.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts with their roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        roles = ", ".join(sorted(f"{r.role.value} of {r.event.slug}" for r in user.roles))
        kind = "admin" if user.is_admin else (roles or _("no staff role"))
        click.echo(f"{user.email:<40} {kind}{'' if user.is_active else ' ' + _('(deactivated)')}")


@click.command("export-event")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True))
@with_appcontext
def export_event_command(slug: str, file: str) -> None:
    """Write everything about event SLUG (agenda, people, registrations, audit log) to one JSON FILE."""
    document = backup.export_event(event_by_slug(slug))
    tmp = f"{file}.partial"
    with open(tmp, "w", encoding="utf-8") as out:
        json.dump(document, out, ensure_ascii=False, indent=1)
    os.replace(tmp, file)  # never leave a half-written backup under the real name
    rows = sum(len(rows) for rows in document["tables"].values())
    click.echo(_("Exported %(slug)s: %(rows)d rows from %(tables)d tables to %(file)s.", slug=slug, rows=rows,
                 tables=len(document["tables"]), file=file))


@click.command("import-event")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_event_command(file: str) -> None:
    """Restore an event exported by export-event into a database that does not hold it yet (all or nothing)."""
    try:
        with open(file, encoding="utf-8") as source:
            document = json.load(source)
        counts = backup.import_event(document)
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        db.session.rollback()
        raise click.ClickException(_("Cannot read %(file)s: %(problem)s", file=file, problem=exc)) from exc
    except ConfmanError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    except (SQLAlchemyError, OverflowError) as exc:  # rows the database refuses: a missing reference, a NULL
        db.session.rollback()
        reason = getattr(exc, "orig", None) or exc
        raise click.ClickException(_("The backup is inconsistent and was not restored: %(reason)s",
                                     reason=reason).strip()) from exc
    db.session.commit()
    click.echo(_("Imported %(slug)s: %(rows)d rows in %(tables)d tables.", slug=document.get("event"),
                 rows=sum(counts.values()), tables=len(counts)))


@click.group("storage")
def storage_group() -> None:
    """Uploaded files."""


@storage_group.command("migrate")
@with_appcontext
def storage_migrate() -> None:
    """Copy every uploaded file from the instance folder to the configured object storage, checking checksums."""
    from flask import current_app

    from confman.storage import LocalStorage, S3Storage, StorageError, migrate

    target = current_app.extensions["confman.storage"]
    if not isinstance(target, S3Storage):
        raise click.ClickException(_("No object storage is configured: set CONFMAN_S3_BUCKET (and CONFMAN_S3_*)."))
    try:
        copied = migrate(LocalStorage(current_app.config["UPLOAD_FOLDER"]), target)
    except StorageError as exc:
        raise click.ClickException(str(exc)) from exc
    total = sum(f.size for f in copied)
    click.echo(_("Copied %(files)d files (%(size)d bytes) to bucket %(bucket)s; every checksum matches.",
                 files=len(copied), size=total, bucket=target.bucket))


@click.command("worker")
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit.")
@click.option("--idle-sleep", default=1.0, show_default=True, help="Seconds to wait when no job is due.")
@click.option("--name", default=None, help="This worker's name in the job table (default: host:pid).")
@click.option("--lease", default=None, type=float,
              help="Seconds after which a running job whose worker went silent is taken over "
                   "[default: CONFMAN_JOB_LEASE_SECONDS or 300].")
@with_appcontext
def worker_command(once: bool, idle_sleep: float, name: str | None, lease: float | None) -> None:
    """Work the background job queue (outbox mail, webhooks, PDF rendering, video probing). Stop with SIGTERM."""
    import signal
    import socket
    import time
    from datetime import timedelta

    from flask import current_app

    from confman.services import jobs

    name = name or f"{socket.gethostname()}:{os.getpid()}"
    seconds = lease if lease is not None else current_app.config.get("JOB_LEASE_SECONDS")
    lease_time = timedelta(seconds=float(seconds)) if seconds else jobs.LEASE
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True  # finish the current job, then leave

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    click.echo(_("worker %(name)s started", name=name))
    ran = 0
    while not stopping:
        job = jobs.run_one(name, now=utcnow(), lease=lease_time)
        if job is not None:
            ran += 1
            continue
        if once:
            break
        time.sleep(idle_sleep)
    click.echo(ngettext("worker %(name)s stopped after %(num)d job", "worker %(name)s stopped after %(num)d jobs",
                        ran, name=name))
@click.group("webhooks")
def webhooks_group() -> None:
    """Outgoing webhooks."""


@webhooks_group.command("deliver")
@click.option("--watch", is_flag=True, help="Keep running: send what is due every few seconds (Ctrl-C stops).")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between rounds with --watch.")
@with_appcontext
def deliver_webhooks(watch: bool, interval: float) -> None:
    """Send the webhook deliveries that are due, retrying failed ones with back-off."""
    import time

    from confman.services import webhooks

    while True:
        attempted = webhooks.deliver_due(now=utcnow())
        db.session.commit()
        for delivery in attempted:
            outcome = delivery.last_status_code or delivery.last_error
            click.echo(f"{delivery.status.value:<8} {delivery.kind:<18} {delivery.webhook.url} ({outcome})")
        if not watch:
            click.echo(ngettext("%(num)d delivery attempted.", "%(num)d deliveries attempted.", len(attempted)))
            return
        time.sleep(interval)
