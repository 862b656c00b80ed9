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


# Every API operation that takes a bearer token, by endpoint, and the role it needs on the token's event:
# tests/api/test_authorization.py holds each to its role, scope and event; tests/web/test_authorization_matrix.py
# checks that a browser's session reaches none of them.
ORGANIZER_OPERATIONS = [
    *(f"api_sessions.{n}" for n in ("list_sessions", "create_session", "get_session", "change_session",
                                     "cancel_session", "reinstate_session", "add_participation",
                                     "change_participation", "remove_participation")),
    *(f"api_building.{n}" for n in ("list_speakers", "create_speaker", "get_speaker", "change_speaker",
                                     "delete_speaker", "create_organization", "add_co_host", "create_theme",
                                     "create_channel", "create_tag", "publish")),
    *(f"api_registrations.{n}" for n in ("list_registrations", "get_registration", "decide_many", "decide_one",
                                          "list_delegations", "get_delegation", "create_delegation")),
    *(f"api_video.{n}" for n in ("list_slots", "get_slot", "save_slot", "review")),
]
MODERATOR_OPERATIONS = ["api_live.rundown", "api_live.act", "api_video.mark_played"]
ANY_TOKEN_OPERATIONS = ["api_token.who_am_i", "api_token.revoke_self"]
API_TOKEN_ENDPOINTS = [*ORGANIZER_OPERATIONS, *MODERATOR_OPERATIONS, *ANY_TOKEN_OPERATIONS]
