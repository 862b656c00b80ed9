"""Requests are counted per token: one integration over its allowance gets a 429 problem, another does not."""

from __future__ import annotations

import pytest

from confman.extensions import db

from api_support import bearer, make_token
from factories import make_event, make_organizer


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}


def test_a_token_over_its_allowance_is_told_when_to_retry(app, client):
    event = make_event()
    busy, quiet = make_token(make_organizer(event), event), make_token(make_organizer(event), event)
    db.session.commit()
    url = f"/api/v1/events/{event.slug}"

    answers = [client.get(url, headers=bearer(busy)).status_code for _ in range(4)]
    refused = client.get(url, headers=bearer(busy))
    other = client.get(url, headers=bearer(quiet))

    assert answers == [200, 200, 200, 429]
    assert refused.mimetype == "application/problem+json"
    assert refused.get_json()["type"].endswith("#problem-rate-limited")
    assert int(refused.headers["Retry-After"]) > 0
    assert other.status_code == 200
