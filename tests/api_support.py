"""Helpers of the API tests: tokens made through the service, and requests that send them."""

from __future__ import annotations

from confman.models import TokenScope
from confman.services import api_tokens

from factories import NOW


def make_token(user, event, scope: str = "write", name: str = "test integration") -> str:
    _token, secret = api_tokens.create_token(user, event, name=name, scope=TokenScope(scope), now=NOW)
    return secret


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


# Every API operation that takes a bearer token, by endpoint: tests/api/test_authorization.py holds each to its
# role and scope, tests/web/test_authorization_matrix.py checks that a browser's session reaches none of them.
API_TOKEN_ENDPOINTS = [
    "api_token.who_am_i", "api_token.revoke_self",
]
