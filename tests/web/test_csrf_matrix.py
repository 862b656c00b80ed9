"""With CSRF on, as in production: every state-changing route of the URL map refuses a POST without the form's token.

The routes come from the URL map, so a new POST route (or an `@csrf.exempt` one that forgets its own check) is
covered without anyone remembering to add it here. Each is posted as a user the authorization matrix allows, so
the refusal is the CSRF check's, not a missing permission.
"""

from __future__ import annotations

import re

import pytest
from flask import url_for
from sqlalchemy import select
from web.test_authorization_matrix import ACCESS, ROLES, _url, world  # noqa: F401 (fixture)

from confman.extensions import db
from confman.models import AgendaSession, Base
from confman.services import video
from confman.timeutil import utcnow
from confman.web import mailer

from conftest import page_text
from factories import PASSWORD

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Who posts, most privileged first: a role the matrix allows, so only the missing token can explain a refusal.
PREFERENCE = ["admin", "organizer", "moderator", "delegate", "organizer_elsewhere", "moderator_elsewhere",
              "anonymous"]


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token_of(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def _log_in(client, user):
    token = token_of(client.get("/login"))
    response = client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, f"login of {user.email} failed"


def _snapshot() -> dict[str, list]:
    """Every row of every table: a refused request must not insert, update or delete anything."""
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in Base.metadata.sorted_tables}


def _capability_urls(app, people, values) -> dict[str, str]:
    """The secret-bearing routes, with a genuine secret, so they reach their form and its CSRF check."""
    open_slot = next(item.video_message for item in db.session.scalars(
        select(AgendaSession).filter_by(event_id=db.session.get(AgendaSession, values["session_id"]).event_id))
        if item.video_message is not None and item.video_message.status in video.OPEN_STATUSES)
    # The link is checked against the real clock, so it is made valid from now.
    video_token = video.make_submission_link(open_slot, actor=people["admin"], now=utcnow())
    db.session.commit()
    with app.test_request_context():
        return {
            "video.submit": url_for("video.submit", token=video_token),
            "registrations.sign_in": url_for("registrations.sign_in", token=mailer.sign_in_token(people["delegate"])),
            "registrations.sign_in_renew": url_for("registrations.sign_in_renew",
                                                   token=mailer.sign_in_token(people["delegate"])),
        }


def _state_changing_routes(app):
    return sorted({(rule.endpoint, method) for rule in app.url_map.iter_rules()
                   for method in rule.methods & STATE_CHANGING})


def test_every_state_changing_route_refuses_a_post_without_csrf_token(app, world):  # noqa: F811
    people, values = world
    capability = _capability_urls(app, people, values)
    rules = {rule.endpoint: rule for rule in app.url_map.iter_rules()}
    by_role: dict[str, list[tuple[str, str]]] = {role: [] for role in ROLES}
    api_routes = [(e, m) for e, m in _state_changing_routes(app) if ACCESS[e] == "token"]
    for endpoint, method in _state_changing_routes(app):
        allowed = ACCESS[endpoint]
        if allowed == "token":
            continue  # the API: no CSRF check, because no cookie is read there (below)
        role = "anonymous" if allowed == "capability" else next(r for r in PREFERENCE if r in allowed)
        by_role[role].append((endpoint, method))
    refused = []

    for role, routes in by_role.items():
        client = app.test_client()  # a fresh browser per role: logging out needs a token too
        if role != "anonymous":
            _log_in(client, people[role])
        for endpoint, method in routes:
            url = capability.get(endpoint) or _url(app, rules[endpoint], values)
            before = _snapshot()
            response = client.open(url, method=method, data={"title": "forged", "action": "approve"})

            assert response.status_code == 400, f"{role} {method} {url} without a CSRF token: {response.status_code}"
            assert _snapshot() == before, f"{method} {url} without a CSRF token changed data"
            refused.append((endpoint, page_text(response)))

    # The API is exempt from the form check, and needs none: an administrator's browser session is no credential.
    browser = app.test_client()
    _log_in(browser, people["admin"])
    for endpoint, method in api_routes:
        url = _url(app, rules[endpoint], values)
        before = _snapshot()
        response = browser.open(url, method=method, json={"title": "forged"})

        assert response.status_code == 401, f"{method} {url} with the admin's cookie: {response.status_code}"
        assert _snapshot() == before
        refused.append((endpoint, "Nothing was changed"))

    assert len(refused) == len(_state_changing_routes(app)) >= 50
    assert {"video.submit", "registrations.sign_in", "registrations.register", "auth.login"} <= {e for e, _ in refused}
    generic = [e for e, text in refused if e != "video.submit" and "Nothing was changed" not in text]
    assert generic == []


def test_a_capability_route_accepts_the_same_post_with_its_token(app, world):  # noqa: F811
    people, values = world
    client = app.test_client()
    url = _capability_urls(app, people, values)["registrations.sign_in"]
    token = token_of(client.get(url))

    response = client.post(url, data={"csrf_token": token})

    assert response.status_code == 302
    assert client.get("/account/").status_code == 200
