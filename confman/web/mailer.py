"""Sending the outbox after a view commits, and the personal sign-in links the messages carry."""

from __future__ import annotations

from flask import current_app, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from confman.extensions import db
from confman.models import OutboxMessage, Registration, User
from confman.services import outbox, users
from confman.timeutil import utcnow

SIGN_IN_MAX_AGE = 14 * 24 * 3600  # seconds; override with CONFMAN_SIGN_IN_LINK_MAX_AGE


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="confman.sign-in")


def sign_in_token(user: User) -> str:
    """A signed, expiring link token. It carries the account's session nonce, so a password change or a
    forced logout revokes every link sent before."""
    return _serializer().dumps([user.id, user.session_nonce])


def user_from_sign_in_token(token: str) -> User | None:
    max_age = int(current_app.config.get("SIGN_IN_LINK_MAX_AGE", SIGN_IN_MAX_AGE))
    try:
        user_id, nonce = _serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or not user.is_active or user.session_nonce != nonce:
        return None
    return user


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
    """Send what this request queued (or `message_ids`), after the view's commit; records the outcome."""
    ids = outbox.take_queued_ids() if message_ids is None else message_ids
    if not ids:
        return []
    messages = outbox.deliver(ids, smtp=smtp_settings(), now=utcnow(), personalize=_personalize)
    db.session.commit()
    return messages


def discard() -> None:
    """Roll back the request's changes and forget the messages it queued."""
    db.session.rollback()
    outbox.take_queued_ids()
