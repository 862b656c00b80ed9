"""Personal API tokens: made for one event and a scope, shown once, kept as a hash, revocable.

A token reads `cm_<prefix>_<secret>`: the prefix (8 random characters, stored as is) finds the row by a unique
index, and the SHA-256 of the secret (32 random bytes, so a fast hash is enough: there is nothing to guess) is
compared in constant time. Nothing that could sign in is ever stored.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from confman.extensions import db
from confman.models import ApiToken, Event, TokenScope, User
from confman.services import ConfmanError, audit, permissions

TOKEN_PREFIX = "cm_"
# last_used_at is written at most this often per token: a busy integration must not turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class InvalidToken(ConfmanError):
    pass


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def may_hold_token(user: User, event: Event) -> bool:
    """Tokens are for staff of the event: organizers, moderators (and admins)."""
    return permissions.can_moderate(user, event)


def create_token(user: User, event: Event, *, name: str, scope: TokenScope, now: datetime) -> tuple[ApiToken, str]:
    """A new token; returns it with the full secret, which is never shown again. Raises InvalidToken. Flushes."""
    name = (name or "").strip()
    if not name:
        raise InvalidToken("Give the token a name, such as the system that will use it.")
    if not may_hold_token(user, event):
        raise InvalidToken("You can make tokens only for events you organize or moderate.")
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
    token = ApiToken(user=user, event=event, name=name[:100], scope=scope, prefix=prefix, secret_hash=_hash(secret),
                     created_at=now)
    db.session.add(token)
    db.session.flush()
    audit.record(event=event, actor=user, action="api_token.created", target_type="api_token", target_id=token.id,
                 now=now, summary=f"API token “{token.name}” ({scope.value})", after={"scope": scope, "name": name})
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


def revoke_token(token: ApiToken, *, actor: User, now: datetime) -> None:
    if token.revoked_at is not None:
        return
    token.revoked_at = now
    audit.record(event=token.event, actor=actor, action="api_token.revoked", target_type="api_token",
                 target_id=token.id, now=now, summary=f"API token “{token.name}” revoked")
    db.session.flush()


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())))


def authenticate(presented: str, *, now: datetime) -> ApiToken | None:
    """The active token `presented` names, its owner still active and still staff of its event; else None.
    Records the use (at most once a minute)."""
    if not presented.startswith(TOKEN_PREFIX):
        return None
    prefix, _, secret = presented.removeprefix(TOKEN_PREFIX).partition("_")
    if not prefix or not secret:
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.prefix == prefix))
    if token is None or not hmac.compare_digest(token.secret_hash, _hash(secret)):
        return None
    if token.revoked_at is not None or not token.user.is_active or not may_hold_token(token.user, token.event):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # In a transaction of its own: reads never commit, and a refused write still counts as a use.
        with db.engine.begin() as connection:
            connection.execute(update(ApiToken).where(ApiToken.id == token.id).values(last_used_at=now))
        db.session.expire(token, ["last_used_at"])
    return token
