"""The `confman` console script: Flask's commands (run, shell, db) plus confman's own."""

from __future__ import annotations

import os
import sys

import click
from flask import Flask
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, Role, User
from confman.services import ConfmanError, sample, users
from confman.timeutil import utcnow


def _create_app():
    from confman import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, help="confman: conference management for ministerial events.")
def main() -> None:
    pass


def register_commands(app: Flask) -> None:
    """Attach confman's commands to the app, so `confman ...`, `flask --app confman ...` and tests share them."""
    app.cli.add_command(demo)
    app.cli.add_command(users_group)
    app.cli.add_command(webhooks_group)


@click.command()
@with_appcontext
def demo() -> None:
    """Load the PrepCon 2021 sample (idempotent: a second run changes nothing)."""
    report = sample.load_sample(now=utcnow())
    db.session.commit()
    for line in report.created:
        click.echo(f"created  {line}")
    for line in report.existing:
        click.echo(f"exists   {line}")
    click.echo(f"Sample accounts (password {sample.SAMPLE_PASSWORD!r}):")
    for role, email in sample.SAMPLE_ACCOUNTS.items():
        click.echo(f"  {role:<10} {email}")


@click.group("users")
def users_group() -> None:
    """Manage accounts."""


@users_group.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(["admin", "organizer", "moderator"]), required=True)
@click.option("--event", "event_slug", help="The event an organizer or moderator works on (its slug).")
@click.option("--name", default="", help="The person's name, as shown in the audit log.")
@with_appcontext
def create_user(email: str, role: str, event_slug: str | None, name: str) -> None:
    """Create an account. The password comes from CONFMAN_PASSWORD, or a prompt."""
    roles: tuple[tuple[Event, Role], ...] = ()
    if role == "admin":
        if event_slug:
            raise click.UsageError("An admin manages every event: leave out --event.")
    else:
        if not event_slug:
            raise click.UsageError(f"An {role} works on one event: give --event SLUG.")
        event = db.session.scalar(select(Event).filter_by(slug=event_slug))
        if event is None:
            raise click.ClickException(f"There is no event with the slug {event_slug!r}.")
        roles = ((event, Role(role)),)
    password = os.environ.get("CONFMAN_PASSWORD")
    if password is None:
        if not sys.stdin.isatty():
            raise click.ClickException("No password: set CONFMAN_PASSWORD or run this in a terminal.")
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = users.create_user(email, password=password, now=utcnow(), name=name, is_admin=role == "admin",
                                 roles=roles)
    except ConfmanError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created {user.email} ({role}{' of ' + event_slug if event_slug else ''}).")


@users_group.command("list")
@with_appcontext
def list_users() -> None:
    """List accounts with their roles."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        roles = ", ".join(sorted(f"{r.role.value} of {r.event.slug}" for r in user.roles))
        kind = "admin" if user.is_admin else (roles or "no staff role")
        click.echo(f"{user.email:<40} {kind}{'' if user.is_active else ' (deactivated)'}")


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
            click.echo(f"{len(attempted)} deliveries attempted.")
            return
        time.sleep(interval)
