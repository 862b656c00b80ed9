"""Sending the outbox (the "outbox.send" job, run by workers), and the personal sign-in links the messages carry."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from sqlalchemy import select

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


def send(message_ids: list[int] | None = None) -> list[OutboxMessage]:
    """After the view's commit. With `message_ids` (an organizer's "send now"): send those at once.

    Without: the messages this request queued are sent by their jobs, on a worker; with CONFMAN_JOBS_EAGER
    (tests, or a single server that wants mail out before the response) this request runs those jobs itself.
    """
    if message_ids is not None:
        if not message_ids:
            return []
        messages = outbox.deliver(message_ids, smtp=smtp_settings(), now=utcnow(), personalize=_personalize)
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
    sent = outbox.deliver([message_id], smtp=smtp_settings(), now=now, personalize=_personalize)
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.QUEUED:
        return  # sent (by this job or an organizer's "send now"), or stored without SMTP
    if not sent:
        raise outbox.MessageBusy(f"message {message_id} is being sent by someone else")
    outbox.retry_later(message, now=now)
