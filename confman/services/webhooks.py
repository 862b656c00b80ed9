"""Outgoing webhooks: stored with the action that caused them, sent later, signed, retried with back-off.

A moderator's action only inserts `WebhookDelivery` rows and a "webhooks.deliver" job for each in its own
transaction, so a slow or dead receiver never blocks it and a crash loses nothing. `confman worker` processes
run those jobs; `deliver_due()` (the `confman webhooks deliver` command, once or with `--watch`) also sends
whatever is due, for deployments without workers. Each request carries

    X-Confman-Event: session.started
    X-Confman-Delivery: <delivery id>        (the same on every retry: receivers can drop duplicates)
    X-Confman-Timestamp: <unix seconds>
    X-Confman-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the webhook's secret>

A 2xx answer is success; anything else (or no answer within the timeout) is retried after 30 s, 1, 2, 4 and
8 minutes, then given up as failed. The delivery log keeps every outcome for the organizers.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import secrets
import socket
import ssl
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, User, Webhook, WebhookDelivery, WebhookDeliveryStatus
from confman.services import ConfmanError, audit, jobs, webhook_targets

KINDS = {
    "agenda.published": "Agenda published (a release, or a live amendment)",
    "session.started": "Session started",
    "session.ended": "Session ended",
    "delay.announced": "Delay announced",
    "session.cancelled": "Session cancelled",
}
RETRY_DELAYS = [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4),
                timedelta(minutes=8)]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 5
DELIVER_JOB = "webhooks.deliver"


class InvalidWebhookUrl(ConfmanError):
    pass


# Where the API lives (CONFMAN_BASE_URL + /api/v1), set by the app factory: payloads link to the API resource they
# describe, so a receiver can fetch the full, current state rather than parse the notification.
_api_root = ""


def configure_api_root(url: str) -> None:
    global _api_root
    _api_root = url.rstrip("/")


def resource_links(event: Event, kind: str, data: dict[str, Any]) -> dict[str, str]:
    """The API resources a delivery is about: always the event, and the agenda version, session or live state."""
    base = f"{_api_root}/events/{event.slug}"
    links = {"event": base}
    if kind == "agenda.published" and "version" in data:
        links["agenda"] = f"{base}/agenda?version={data['version']}"
        links["changelog"] = f"{base}/changelog"
    session = data.get("session")
    session_id = session.get("id") if isinstance(session, dict) else None
    if isinstance(session_id, int):
        links["session"] = f"{base}/agenda/sessions/{session_id}"
    if kind != "agenda.published":
        links["live"] = f"{base}/live"
    return links


def add_webhook(event: Event, *, url: str, kinds: Iterable[str], actor: User | None, now: datetime) -> Webhook:
    """Register a receiver. Raises InvalidWebhookUrl. Flushes."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidWebhookUrl("The address must start with https:// (or http://) and name a host.")
    try:
        webhook_targets.check_url(url)
    except webhook_targets.TargetRefused as exc:
        raise InvalidWebhookUrl(str(exc)) from None
    chosen = [k for k in KINDS if k in set(kinds)]
    hook = Webhook(event=event, url=url, secret=secrets.token_urlsafe(32), kinds=chosen, created_at=now,
                   created_by_id=actor.id if actor else None)
    db.session.add(hook)
    db.session.flush()
    audit.record(event=event, actor=actor, action="webhook.added", target_type="webhook", target_id=hook.id,
                 now=now, summary=f"Webhook {url}", after={"url": url, "kinds": chosen})
    return hook


def rotate_secret(hook: Webhook, *, actor: User | None, now: datetime) -> str:
    """A new signing secret; the old one stops working at once."""
    hook.secret = secrets.token_urlsafe(32)
    audit.record(event=hook.event, actor=actor, action="webhook.secret_rotated", target_type="webhook",
                 target_id=hook.id, now=now, summary=f"New secret for {hook.url}")
    return hook.secret


def remove_webhook(hook: Webhook, *, actor: User | None, now: datetime) -> None:
    audit.record(event=hook.event, actor=actor, action="webhook.removed", target_type="webhook",
                 target_id=hook.id, now=now, summary=f"Webhook {hook.url}", before={"url": hook.url})
    db.session.delete(hook)


def enqueue(event: Event, kind: str, data: dict[str, Any], *, now: datetime) -> list[WebhookDelivery]:
    """Store one delivery per active webhook of `event` that wants `kind`. Sends nothing. Flushes."""
    hooks = db.session.scalars(select(Webhook).filter_by(event_id=event.id, is_active=True)).all()
    deliveries = []
    for hook in hooks:
        if kind not in hook.kinds:
            continue
        body = json.dumps({"kind": kind, "event": event.slug, "at": now.isoformat(), "data": data,
                           "links": resource_links(event, kind, data)}, sort_keys=True, default=audit.jsonable)
        delivery = WebhookDelivery(webhook=hook, kind=kind, payload=body, next_attempt_at=now, created_at=now)
        db.session.add(delivery)
        deliveries.append(delivery)
    if deliveries:
        db.session.flush()
        for delivery in deliveries:
            _schedule(delivery, run_after=now, now=now)
    return deliveries


def _schedule(delivery: WebhookDelivery, *, run_after: datetime, now: datetime) -> None:
    jobs.enqueue(DELIVER_JOB, {"delivery_id": delivery.id}, now=now, run_after=run_after,
                 dedupe_key=f"webhook:{delivery.id}:{delivery.attempts}", max_attempts=3)


class DeliveryBusy(ConfmanError):
    """Another deliverer is sending this delivery right now; the job tries again later."""


@jobs.handler(DELIVER_JOB)
def deliver_job(payload: dict[str, Any], now: datetime) -> None:
    """One delivery's attempt; a failed attempt schedules the next one at its back-off time."""
    delivery_id = int(payload["delivery_id"])
    attempted = deliver_due(now=now, ids=[delivery_id])
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != WebhookDeliveryStatus.PENDING:
        return
    if not attempted and delivery.next_attempt_at <= now:
        raise DeliveryBusy(f"webhook delivery {delivery_id} is being sent by someone else")
    _schedule(delivery, run_after=delivery.next_attempt_at, now=now)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    """What a receiver does (and our tests): compare in constant time."""
    return hmac.compare_digest(sign(secret, int(timestamp), body), signature)


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(url: str, body: bytes, headers: dict[str, str]) -> Outcome:
    """POST to a public address (webhook_targets), following no redirect; never raises.

    The error is a failure class, never the socket's own words: "Connection refused" against "Remote end closed"
    would tell an organizer which ports are open wherever the address leads.
    """
    request = urllib.request.Request(url, data=body, method="POST",
                                     headers={**headers, "Content-Type": "application/json",
                                              "User-Agent": "confman-webhooks"})
    try:
        with webhook_targets.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return Outcome(response.status)
    except urllib.error.HTTPError as exc:
        return Outcome(exc.code, "redirect not followed" if 300 <= exc.code < 400 else f"HTTP {exc.code}")
    except webhook_targets.TargetRefused:
        return Outcome(None, FAILURE_PRIVATE)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        return Outcome(None, _failure_class(getattr(exc, "reason", exc)))


FAILURE_PRIVATE = "refused: the address leads into a private network"


def _failure_class(reason: object) -> str:
    if isinstance(reason, webhook_targets.TargetRefused):
        return FAILURE_PRIVATE
    if isinstance(reason, TimeoutError):
        return "no answer in time"
    if isinstance(reason, ssl.SSLError | ssl.CertificateError):
        return "secure connection (TLS) failed"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    return "could not deliver (no HTTP answer)"


def deliver_due(*, now: datetime, limit: int = 100, ids: Iterable[int] | None = None,
                send: Callable[[str, bytes, dict[str, str]], Outcome] = post) -> list[WebhookDelivery]:
    """Attempt every pending delivery that is due (among `ids` when given). Flushes after each; the caller commits."""
    query = (select(WebhookDelivery)
             .where(WebhookDelivery.status == WebhookDeliveryStatus.PENDING, WebhookDelivery.next_attempt_at <= now)
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit))
    if ids is not None:
        query = query.where(WebhookDelivery.id.in_(list(ids)))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # several deliverers never send one delivery twice
    attempted = []
    for delivery in db.session.scalars(query).all():
        hook = delivery.webhook
        body = delivery.payload.encode()
        timestamp = int(now.timestamp())
        outcome = send(hook.url, body, {
            "X-Confman-Event": delivery.kind, "X-Confman-Delivery": str(delivery.id),
            "X-Confman-Timestamp": str(timestamp), "X-Confman-Signature": sign(hook.secret, timestamp, body),
        })
        delivery.attempts += 1
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        if outcome.ok:
            delivery.status = WebhookDeliveryStatus.SENT
            delivery.delivered_at = now
        elif delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = WebhookDeliveryStatus.FAILED
        else:
            delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
        db.session.flush()
        attempted.append(delivery)
    return attempted


def delivery_log(event: Event, *, limit: int = 50) -> list[WebhookDelivery]:
    return list(db.session.scalars(
        select(WebhookDelivery).join(Webhook).where(Webhook.event_id == event.id)
        .order_by(WebhookDelivery.id.desc()).limit(limit)
    ))


def resource_of(delivery: WebhookDelivery) -> str | None:
    """The most specific API resource a stored delivery links to (for the organizers' delivery log)."""
    try:
        links = json.loads(delivery.payload).get("links") or {}
    except (ValueError, AttributeError):
        return None
    return next((links[k] for k in ("session", "agenda", "live", "event") if k in links), None)
