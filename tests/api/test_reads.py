"""Public reads of the API: events, the published agenda and its versions, problem+json, ETags, cursors."""

from __future__ import annotations

from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, EventStatus
from confman.services import publication, sample

from api_support import bearer, make_token
from factories import NOW, make_event, make_organizer, make_session


def _prepcon():
    sample.load_sample(now=NOW)
    db.session.commit()
    return db.session.scalar(select(Event).filter_by(slug="prepcon-2021"))


def test_agenda_gives_every_published_session_in_utc_and_the_event_zone(app, client):
    event = _prepcon()
    published = publication.public_agenda(event)

    response = client.get("/api/v1/events/prepcon-2021/agenda")

    assert response.status_code == 200
    body = response.get_json()
    assert body["timezone"] == "America/New_York"
    assert [s["id"] for s in body["sessions"]] == [s.id for s in published.sessions]
    first = body["sessions"][0]
    assert first["starts_at"].endswith("Z")
    assert first["starts_at_local"].endswith("-04:00")  # New York in October: EDT
    assert first["links"]["self"] == f"http://confman.test/api/v1/events/prepcon-2021/agenda/sessions/{first['id']}"


def test_agenda_answers_304_to_its_own_etag(app, client):
    _prepcon()
    etag = client.get("/api/v1/events/prepcon-2021/agenda").headers["ETag"]

    again = client.get("/api/v1/events/prepcon-2021/agenda", headers={"If-None-Match": etag})

    assert again.status_code == 304
    assert again.data == b""


def test_agenda_of_a_given_version_is_that_version(app, client):
    event = _prepcon()
    item = event.sessions[0]
    item.title = "Renamed for version two"
    publication.publish_agenda(event, actor=None, now=NOW)
    db.session.commit()

    old = client.get("/api/v1/events/prepcon-2021/agenda?version=1").get_json()
    new = client.get("/api/v1/events/prepcon-2021/agenda").get_json()
    missing = client.get("/api/v1/events/prepcon-2021/agenda?version=99")

    assert (old["version"], new["version"]) == (1, 2)
    assert "Renamed for version two" not in [s["title"] for s in old["sessions"]]
    assert "Renamed for version two" in [s["title"] for s in new["sessions"]]
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"


def test_sessions_are_paginated_by_cursor_to_the_end(app, client):
    event = _prepcon()
    total = len(publication.public_agenda(event).sessions)
    seen, url = [], "/api/v1/events/prepcon-2021/agenda/sessions?limit=5"

    while url:
        page = client.get(url).get_json()
        seen += [s["id"] for s in page["items"]]
        url = (f"/api/v1/events/prepcon-2021/agenda/sessions?limit=5&cursor={page['next_cursor']}"
               if page["next_cursor"] else None)

    assert len(seen) == total == len(set(seen))


def test_a_made_up_cursor_is_a_problem_not_a_page(app, client):
    _prepcon()

    response = client.get("/api/v1/events/prepcon-2021/agenda/sessions?cursor=bm9wZQ")

    assert response.status_code == 400
    assert response.get_json()["type"] == "http://confman.test/api/#problem-bad-cursor"


def test_a_bad_query_value_is_a_422_naming_the_field(app, client):
    _prepcon()

    response = client.get("/api/v1/events/prepcon-2021/agenda/sessions?limit=1000")

    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"location": "query", "field": "limit",
         "messages": ["Must be greater than or equal to 1 and less than or equal to 200."]}]


def test_unknown_paths_and_methods_are_problems(app, client):
    missing = client.get("/api/v1/no-such-thing")
    wrong_method = client.delete("/api/v1/events")

    assert (missing.status_code, missing.mimetype) == (404, "application/problem+json")
    assert (wrong_method.status_code, wrong_method.mimetype) == (405, "application/problem+json")
    assert "GET" in wrong_method.headers["Allow"]
    assert wrong_method.get_json()["title"] == "Method Not Allowed"


def test_a_draft_event_is_absent_without_its_own_token(app, client):
    draft = make_event(slug="draft-one", status=EventStatus.DRAFT)
    organizer = make_organizer(draft)
    secret = make_token(organizer, draft, scope="read")
    db.session.commit()

    anonymous = client.get("/api/v1/events/draft-one")
    staff = client.get("/api/v1/events/draft-one", headers=bearer(secret))
    listed = client.get("/api/v1/events").get_json()

    assert anonymous.status_code == 404
    assert staff.status_code == 200
    assert "draft-one" not in [e["slug"] for e in listed["items"]]


def test_changelog_lists_versions_newest_first_with_their_changes(app, client):
    event = _prepcon()
    make_session(event, title="A late addition")
    publication.publish_agenda(event, actor=None, now=NOW)
    db.session.commit()

    page = client.get("/api/v1/events/prepcon-2021/changelog").get_json()

    assert [v["number"] for v in page["items"]] == [2, 1]
    assert {"change": "added", "title": "A late addition"}.items() <= page["items"][0]["changes"][0].items()


def test_the_openapi_document_is_3_1_and_lists_the_reads(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()

    assert doc["openapi"] == "3.1.0"
    assert {"/api/v1/events", "/api/v1/events/{slug}/agenda", "/api/v1/events/{slug}/live",
            "/api/v1/events/{slug}/sessions/{session_id}/list-of-speakers"} <= set(doc["paths"])
    scheme = doc["components"]["securitySchemes"]["bearer"]
    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_the_reference_page_documents_every_path_without_inline_script(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()

    page = client.get("/api/").get_data(as_text=True)

    assert "<script>" not in page and "<script " not in page.replace('<script src=', '')
    for path in doc["paths"]:
        assert path in page
    assert 'id="problem-stale-version"' in page
