"""The outbox: every message to a delegate is stored first and sent after, so none is lost when sending fails.

Messages are written in the same transaction as the change they announce (a registration, an approval, a
promotion), together with an "outbox.send" job (`confman.services.jobs`), so a message and its job exist exactly
when its change was committed. Any `confman worker` (or the in-process worker on SQLite) then sends it with
`deliver()`, over SMTP when a URL is configured; without one, messages are only stored for organizers to read.
A message the mail server refused stays queued with its error, and a new job retries it with back-off.

Exactly once: the "sent" mark and the job's completion commit together, and a message row is locked while it
is sent. A worker killed before the mail server accepted the message leaves it queued for the next worker; one
killed in the instant between the server's acceptance and the commit can cause a second copy, which carries the
same Message-ID (`<outbox-<id>@confman>`), so mail systems can drop it.

A message body may hold the placeholder SIGN_IN_PLACEHOLDER: the sender replaces it with a fresh personal
sign-in link at delivery time, so no credential is ever stored in the database or shown to organizers.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from sqlalchemy import select

from confman import catalogues
from confman.extensions import db
from confman.models import Event, OutboxMessage, OutboxStatus, Registration, RegistrationStatus, User
from confman.services import ConfmanError, jobs, languages

SIGN_IN_PLACEHOLDER = "[personal sign-in link]"
SEND_JOB = "outbox.send"
MAX_SEND_ATTEMPTS = 8


class InvalidSmtpUrl(ConfmanError):
    pass


def queue(*, event: Event | None, to_email: str, kind: str, subject: str, body: str, now: datetime,
          registration: Registration | None = None) -> OutboxMessage:
    message = OutboxMessage(
        event_id=event.id if event is not None else None,
        registration_id=registration.id if registration is not None else None,
        kind=kind, to_email=to_email, subject=subject[:300], body=body, status=OutboxStatus.QUEUED,
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()
    jobs.enqueue(SEND_JOB, {"message_id": message.id}, now=now, dedupe_key=send_job_key(message.id, 0))
    db.session.info.setdefault("outbox_ids", []).append(message.id)
    return message


def send_job_key(message_id: int, attempts: int) -> str:
    return f"outbox:{message_id}:{attempts}"


def retry_later(message: OutboxMessage, *, now: datetime) -> None:
    """After a failed attempt: a new job, with back-off, until MAX_SEND_ATTEMPTS (then organizers resend)."""
    if message.status == OutboxStatus.QUEUED and message.attempts < MAX_SEND_ATTEMPTS:
        jobs.enqueue(SEND_JOB, {"message_id": message.id}, now=now, run_after=now + jobs.backoff(message.attempts),
                     dedupe_key=send_job_key(message.id, message.attempts))


class MessageBusy(ConfmanError):
    """Another sender holds the message right now; the job tries again later."""


def take_queued_ids() -> list[int]:
    """The ids of the messages queued in this database session since the last call (the view sends them)."""
    return db.session.info.pop("outbox_ids", [])


# --- What delegates are told ------------------------------------------------------------------------------------

def N_(message: str) -> str:  # noqa: N802 - Babel's marker for a msgid translated later (a default keyword)
    return message


_STATUS_WORDS = {
    RegistrationStatus.PENDING: N_("Your registration is received and waiting for the organizers' approval."),
    RegistrationStatus.APPROVED: N_("Your registration is approved."),
    RegistrationStatus.WAITLISTED: N_("Your registration is on the waiting list: the event is full, and you will be "
                                      "told as soon as a place is free."),
    RegistrationStatus.DECLINED: N_("Your registration is declined."),
    RegistrationStatus.CANCELLED: N_("Your registration is cancelled."),
}

_SUBJECTS = {
    "confirmation": N_("Your registration for %(title)s"),
    "approved": N_("Your registration for %(title)s is approved"),
    "waitlisted": N_("You are on the waiting list for %(title)s"),
    "promoted": N_("A place is free for you at %(title)s"),
    "declined": N_("Your registration for %(title)s"),
    "already_registered": N_("Your registration for %(title)s"),
}


def mail_language(*, registration: Registration | None = None, user: User | None = None, event: Event | None = None,
                  hint: str | None = None) -> str:
    """The language a message to a person is written in: their registration's, else their account's, else `hint`
    (the language of the page they asked from), else the event's default, else English. A language without an
    interface catalogue reads English (catalogues.gettext_for)."""
    if user is None and registration is not None:
        user = registration.user
    for code in (registration.language if registration is not None else None,
                 user.interface_language if user is not None else None, hint,
                 event.default_language if event is not None else None):
        if code and catalogues.has_catalogue(code):
            return code
    return "en"


def notify_registration(registration: Registration, kind: str, *, now: datetime,
                        language: str | None = None) -> OutboxMessage:
    """Queue the message of `kind` (confirmation, approved, waitlisted, promoted, declined, already_registered), in
    the delegate's language (mail_language; `language` is the page's, when the delegate is on one)."""
    event = registration.event
    lang = mail_language(registration=registration, event=event, hint=language)
    _ = catalogues.gettext_for(lang)
    # The event's name in the delegate's language where the organizers gave one (else the default language's).
    content = registration.language or lang
    full_title = languages.text(event, "title", content, event)
    title = languages.text(event, "short_title", content, event) or full_title
    name = f"{registration.honorific + ' ' if registration.honorific else ''}{registration.name}"
    lines = [_("Dear %(name)s,", name=name), ""]
    if kind == "already_registered":
        lines.append(_("Someone (perhaps you) asked to register this address for %(event)s. This address is already "
                       "registered, so nothing was changed.", event=full_title))
    elif kind == "promoted":
        lines.append(_("A place has become free at %(event)s, and it is yours.", event=full_title))
    elif kind == "confirmation":
        lines.append(_("Thank you for registering for %(event)s.", event=full_title))
    lines.append(_(_STATUS_WORDS[registration.status]))
    if registration.status == RegistrationStatus.APPROVED and event.joining_link:
        lines += ["", _("Joining link (personal, please do not share it): %(url)s", url=event.joining_link)]
    lines += ["", _("To see your registration, change your details, pick your sessions or cancel, sign in here:"),
              SIGN_IN_PLACEHOLDER, "", _("This message was sent by confman on behalf of the organizers.")]
    return queue(event=event, registration=registration, to_email=registration.email, kind=kind,
                 subject=_(_SUBJECTS[kind], title=title), body="\n".join(lines), now=now)


def notify_sign_in(*, to_email: str, now: datetime, event: Event | None = None, reason: str = "",
                   language: str | None = None) -> OutboxMessage:
    """A sign-in link, in the recipient's language: `language` (the page they asked from), else their account's,
    else the event's default. `reason`, when given, is already worded (see mail_language)."""
    user = db.session.scalar(select(User).where(User.email == to_email.strip().lower()))
    lang = language or mail_language(user=user, event=event)
    _ = catalogues.gettext_for(lang)
    body = "\n".join([reason or _("You asked for a link to sign in to confman."), "", _("Sign in here:"),
                      SIGN_IN_PLACEHOLDER, "", _("If you did not ask for it, you can ignore this message.")])
    return queue(event=event, to_email=to_email, kind="sign_in", subject=_("Your sign-in link for confman"),
                 body=body, now=now)


# --- Sending ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # "plain", "starttls" or "ssl"
    username: str | None
    password: str | None
    sender: str


def parse_smtp_url(url: str, *, default_sender: str) -> SmtpSettings:
    """smtp://host:25, smtp+starttls://user:password@host:587, smtps://user:password@host:465; ?from=addr."""
    parts = urlsplit(url)
    security = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "ssl"}.get(parts.scheme)
    if security is None or not parts.hostname:
        raise InvalidSmtpUrl(f"CONFMAN_SMTP_URL must look like smtp://host:port or smtps://user:pw@host, "
                             f"not {parts.scheme}://…")
    port = parts.port or {"plain": 25, "starttls": 587, "ssl": 465}[security]
    sender = parse_qs(parts.query).get("from", [default_sender])[0]
    return SmtpSettings(parts.hostname, port, security, unquote(parts.username) if parts.username else None,
                        unquote(parts.password) if parts.password else None, sender)


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    if settings.security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=10,
                                              context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=10)
        if settings.security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
    if settings.username:
        smtp.login(settings.username, settings.password or "")
    return smtp


def deliver(message_ids: Iterable[int] | None, *, smtp: SmtpSettings | None, now: datetime,
            personalize: Callable[[OutboxMessage], str]) -> list[OutboxMessage]:
    """Send the queued messages among `message_ids` (all queued ones when None). Flushes; the caller commits.

    Without SMTP settings, messages become STORED. A failure leaves a message QUEUED with its error and a raised
    attempt count. Rows are locked with SKIP LOCKED on PostgreSQL, so two senders never send the same message.
    `personalize(message)` returns the body to send (with the sign-in placeholder filled in).
    """
    query = select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.QUEUED).order_by(OutboxMessage.id)
    if message_ids is not None:
        ids = list(message_ids)
        if not ids:
            return []
        query = query.where(OutboxMessage.id.in_(ids))
    messages: Sequence[OutboxMessage] = db.session.scalars(query.with_for_update(skip_locked=True)).all()
    if smtp is None:
        for message in messages:
            message.status = OutboxStatus.STORED
        db.session.flush()
        return list(messages)
    connection: smtplib.SMTP | None = None
    try:
        for message in messages:
            message.attempts += 1
            try:
                if connection is None:
                    connection = _connect(smtp)
                connection.send_message(_email(message, smtp.sender, personalize(message)))
            except (smtplib.SMTPException, OSError) as exc:
                message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                connection = _close(connection)
            else:
                message.status, message.sent_at, message.last_error = OutboxStatus.SENT, now, ""
    finally:
        _close(connection)
    db.session.flush()
    return list(messages)


def _close(connection: smtplib.SMTP | None) -> None:
    if connection is not None:
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()
    return None


def _email(message: OutboxMessage, sender: str, body: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_email
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@confman>"
    email.set_content(body)
    return email


def list_messages(event: Event, *, limit: int = 200) -> Sequence[OutboxMessage]:
    return db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.event_id == event.id).order_by(OutboxMessage.id.desc()).limit(limit)
    ).all()
