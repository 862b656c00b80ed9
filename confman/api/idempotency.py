"""`Idempotency-Key` on the POSTs that create (draft-ietf-httpapi-idempotency-key-header).

The key is claimed first, in a transaction of its own, so of two concurrent requests with one key exactly one runs
(the unique constraint decides); the other is told it is in flight (409). A success is stored with its answer and
replayed to every retry (`Idempotent-Replayed: true`); a failure frees the key, so the client may try again. The
same key with a different body or address is refused (422, as the draft says), never applied.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from flask import Response, request
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from confman.api import core
from confman.extensions import db
from confman.models import IdempotentRequest
from confman.timeutil import utcnow

HEADER = "Idempotency-Key"
KEEP_FOR = timedelta(hours=24)
_IN_FLIGHT = 0


def idempotent(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        token = core.current_token()
        if not key or token is None:
            return view(*args, **kwargs)
        if len(key) > 200:
            raise core.Problem(400, "bad-request", "The Idempotency-Key is too long", "Use at most 200 characters.")
        target = f"{request.method} {request.path}"[:300]
        body_hash = hashlib.sha256(request.get_data()).hexdigest()
        now = utcnow()
        db.session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < now - KEEP_FOR))
        stored = db.session.scalar(select(IdempotentRequest).filter_by(token_id=token.id, key=key))
        if stored is None:
            db.session.add(IdempotentRequest(token_id=token.id, key=key, method_path=target, body_hash=body_hash,
                                             status=_IN_FLIGHT, response_body="", created_at=now))
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                stored = db.session.scalar(select(IdempotentRequest).filter_by(token_id=token.id, key=key))
        if stored is not None:
            return _replay(stored, target, body_hash)
        try:
            response = view(*args, **kwargs)
        except Exception:
            db.session.rollback()
            _forget(token.id, key)
            raise
        if 200 <= response.status_code < 300:
            db.session.execute(update(IdempotentRequest).filter_by(token_id=token.id, key=key).values(
                status=response.status_code, response_body=response.get_data(as_text=True),
                location=response.headers.get("Location", "")[:500]))
            db.session.commit()
        else:
            _forget(token.id, key)
        return response

    return wrapped


def _forget(token_id: int, key: str) -> None:
    db.session.execute(delete(IdempotentRequest).filter_by(token_id=token_id, key=key))
    db.session.commit()


def _replay(stored: IdempotentRequest, target: str, body_hash: str) -> Response:
    if stored.method_path != target or stored.body_hash != body_hash:
        raise core.Problem(422, "idempotency-key-reused", "This Idempotency-Key was used for another request",
                           "Use a new key for a new request; a retry must send the very same body.")
    if stored.status == _IN_FLIGHT:
        raise core.Problem(409, "idempotency-key-in-flight", "A request with this key is still being processed",
                           "Retry in a moment.", headers={"Retry-After": "1"})
    headers = {"Idempotent-Replayed": "true"}
    if stored.location:
        headers["Location"] = stored.location
    response = Response(stored.response_body, status=stored.status, mimetype="application/json", headers=headers)
    response.vary.add("Authorization")
    return response
