"""Sending the outbox (the "outbox.send" job, run by workers), and the personal sign-in links the messages carry."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

from confman import site
from confman.extensions import db
from confman.models import Job, OutboxMessage, OutboxStatus, Registration
from confman.services import jobs, outbox, users
from confman.timeutil import utcnow
from confman.web.sign_in_links import sign_in_token


def _personalize(message: OutboxMessage) -> str:
    if outbox.SIGN_IN_PLACEHOLDER not in message.body:
        return message.body
    user = users.find_by_email(message.to_email)
    if user is None:
        link = url_for("registrations.sign_in_request", _external=True)
    else:
        target = url_for("account.home", _external=False)
        registration = db.session.get(Registration, message.registration_id) if message.registration_id else None
        if registration is not None:
            target = url_for("registrations.mine", slug=registration.event.slug, _external=False)
        link = url_for("registrations.sign_in", token=sign_in_token(user), next=target, _external=True)
    return message.body.replace(outbox.SIGN_IN_PLACEHOLDER, link)


def smtp_settings() -> outbox.SmtpSettings | None:
    url = current_app.config.get("SMTP_URL")
    if not url:
        return None
    return outbox.parse_smtp_url(url, default_sender=current_app.config.get("MAIL_FROM", "confman@localhost"))


# With no mail server, development follows Django's console backend and Flask-Mail's suppress-and-log: every
# message goes to this logger in full, sign-in link included, so a newcomer can follow it (see console_mail()).
MAIL_LOG = logging.getLogger("confman.mail")


def console_mail() -> bool:
    """Are messages written in full to the server's log? CONFMAN_MAIL_CONSOLE decides; by default yes when no SMTP
    URL is set outside production. Production never does so unasked: the links in them are credentials."""
    if smtp_settings() is not None:
        return False
    setting = current_app.config.get("MAIL_CONSOLE")
    if setting is None:
        return not site.is_production(current_app)
    return setting is True or str(setting).lower() in ("1", "true", "yes", "on")


def _deliver(message_ids: Iterable[int] | None, now: datetime) -> list[OutboxMessage]:
    smtp = smtp_settings()
    messages = outbox.deliver(message_ids, smtp=smtp, now=now, personalize=_personalize)
    if smtp is None and console_mail():
        for message in messages:
            write_to_console(message)
    return messages


def write_to_console(message: OutboxMessage) -> None:
    MAIL_LOG.info("\n".join([
        "----- mail (no mail server is configured: CONFMAN_SMTP_URL) -----",
        f"To: {message.to_email}", f"Subject: {message.subject}", "", _personalize(message),
        "----- end of mail -----"]),
        extra={"fields": {"to": message.to_email, "subject": message.subject, "outbox_id": message.id}})


def send(message_ids: list[int] | None = None) -> list[OutboxMessage]:
    """After the view's commit. With `message_ids` (an organizer's "send now"): send those at once.

    Without: the messages this request queued are sent by their jobs, on a worker; with CONFMAN_JOBS_EAGER
    (tests, or a single server that wants mail out before the response) this request runs those jobs itself.
    """
    if message_ids is not None:
        if not message_ids:
            return []
        messages = _deliver(message_ids, utcnow())
        db.session.commit()
        return messages
    ids = outbox.take_queued_ids()
    if not ids or not current_app.config.get("JOBS_EAGER"):
        return []
    keys = [outbox.send_job_key(message_id, 0) for message_id in ids]
    job_ids = db.session.scalars(select(Job.id).where(Job.dedupe_key.in_(keys))).all()
    while job_ids and jobs.run_one(f"request:{os.getpid()}", now=utcnow(), only=job_ids) is not None:
        pass
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(ids))))


def discard() -> None:
    """Roll back the request's changes and forget the messages it queued."""
    db.session.rollback()
    outbox.take_queued_ids()


@jobs.handler(outbox.SEND_JOB)
def send_job(payload: dict[str, Any], now: datetime) -> None:
    message_id = int(payload["message_id"])
    # Links come from CONFMAN_BASE_URL, in a request or on a worker alike (confman.site).
    sent = _deliver([message_id], now)
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.QUEUED:
        return  # sent (by this job or an organizer's "send now"), or stored without SMTP
    if not sent:
        raise outbox.MessageBusy(f"message {message_id} is being sent by someone else")
    outbox.retry_later(message, now=now)
