"""Emailed sign-in links: signed, short-lived and single-use.

A link carries the account's id, its session nonce and its sign-in link generation. Signing in with a link
raises the generation, so that link and every other link sent before it stop working (issue 19, finding 4);
signing out everywhere or a new password changes the nonce, which does the same. Links expire after
CONFMAN_SIGN_IN_LINK_MAX_AGE seconds.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, BadSignature, SignatureExpired, URLSafeTimedSerializer

from confman.extensions import db
from confman.models import User

SIGN_IN_MAX_AGE = 24 * 3600  # seconds; override with CONFMAN_SIGN_IN_LINK_MAX_AGE
_MAX_ID = 2**63 - 1


class LinkState(enum.StrEnum):
    VALID = "valid"
    USED = "used"  # or replaced: a later link was used, or the account signed out everywhere
    EXPIRED = "expired"
    INVALID = "invalid"  # not one of ours, or its account is gone


@dataclass(frozen=True)
class SignInLink:
    state: LinkState
    user: User | None = None
    generation: int = 0


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="confman.sign-in.v2")


def max_age() -> int:
    return int(current_app.config.get("SIGN_IN_LINK_MAX_AGE", SIGN_IN_MAX_AGE))


def sign_in_token(user: User) -> str:
    return _serializer().dumps([user.id, user.session_nonce, user.sign_in_link_generation])


def read(token: str) -> SignInLink:
    """What a link is worth now. An expired or used link still names its account (for a new link)."""
    serializer = _serializer()
    state = LinkState.VALID
    try:
        payload = serializer.loads(token, max_age=max_age())
    except SignatureExpired as exc:
        state = LinkState.EXPIRED
        try:
            payload = serializer.load_payload(exc.payload)
        except BadData:
            return SignInLink(LinkState.INVALID)
    except BadSignature:
        return SignInLink(LinkState.INVALID)
    if not (isinstance(payload, list) and len(payload) == 3):
        return SignInLink(LinkState.INVALID)
    user_id, nonce, generation = payload
    if not (isinstance(user_id, int) and 0 < user_id <= _MAX_ID and isinstance(generation, int)):
        return SignInLink(LinkState.INVALID)
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        return SignInLink(LinkState.INVALID)
    if nonce != user.session_nonce or generation != user.sign_in_link_generation:
        return SignInLink(LinkState.USED, user, generation)
    return SignInLink(state, user, generation)
