"""Asking for sign-in links sends mail, so it is throttled per client address."""

import pytest
from registration_helpers import messages

from confman.extensions import db

from factories import make_user


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "SIGN_IN_RATE_LIMIT": "3 per minute"}


def test_sign_in_requests_beyond_the_limit_are_refused_and_send_nothing(client, app):
    make_user("known@example.org")
    db.session.commit()

    statuses = [client.post("/account/sign-in", data={"email": "known@example.org"}).status_code for _ in range(5)]

    assert statuses == [302, 302, 302, 429, 429]
    assert len(messages(to_email="known@example.org")) == 3
