"""Findings 7, 9 and 10 of issue 19: body limits per view, out-of-range input as 4xx with words, no draft probing."""

from __future__ import annotations

import io

import pytest
from registration_helpers import OPEN, PDF, form
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from confman.extensions import db
from confman.models import Delegation, EventStatus, OrganizationKind

from conftest import page_text
from factories import make_event, make_organization, make_organizer, make_user

BIG = 6 * 1024 * 1024


def test_finding_7_login_refuses_a_huge_body_before_reading_it(client):
    body = b"\r\n".join([
        b"--b", b'Content-Disposition: form-data; name="email"', b"", b"a@example.org",
        b"--b", b'Content-Disposition: form-data; name="junk"; filename="junk.bin"', b"", b"\0" * BIG, b"--b--", b""])

    response = client.post("/login", data=body, content_type="multipart/form-data; boundary=b")

    assert response.status_code == 413
    assert "The upload is too large" in page_text(response)


def _multipart(fields: dict) -> dict:
    """The body as bytes: the test client would spool a big file to a temporary file that a 413 leaves open."""
    boundary, body = encode_multipart({k: FileStorage(v[0], filename=v[1]) if isinstance(v, tuple) else v
                                       for k, v in fields.items()})
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def test_finding_7_the_registration_form_still_takes_a_nomination_document_near_its_limit(client, app):
    make_event(slug="prepcon", **OPEN)
    db.session.commit()
    # 4.5 MB (a long comment after the header): above the global limit, below the document's 5 MB.
    document = PDF.replace(b"\n", b"\n%" + b"x" * (4 * 1024 * 1024 + 512 * 1024) + b"\n", 1)

    accepted = client.post("/events/prepcon/register", **_multipart(form(document=(io.BytesIO(document), "nv.pdf"))))
    huge = client.post("/events/prepcon/register", **_multipart(form(email="b@example.org", document=(
        io.BytesIO(PDF + b"%" * BIG * 2), "nv.pdf"))))

    assert accepted.status_code == 302
    assert huge.status_code == 413


@pytest.fixture
def organized(app):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    nl = make_organization(name="Kingdom of the Netherlands", kind=OrganizationKind.MEMBER_STATE)
    delegation = Delegation(event=event, organization=nl, focal_point=None, quota=5)
    db.session.add(delegation)
    db.session.commit()
    return event, organizer, delegation


HUGE = str(2**70)


@pytest.mark.parametrize("path", [
    f"/manage/events/prepcon/sessions/{HUGE}", f"/manage/events/prepcon/speakers/{HUGE}",
    f"/manage/events/prepcon/delegations/{HUGE}", f"/manage/events/prepcon/registrations/{HUGE}",
    f"/events/prepcon/sessions/{HUGE}", f"/events/prepcon/speakers/{HUGE}.ics",
])
def test_finding_9_a_huge_id_in_a_url_is_404(client, login, organized, path):
    login(organized[1])

    assert client.get(path).status_code == 404


@pytest.mark.parametrize("query", [f"page={HUGE}", "page=-1", "page=abc", f"organization={HUGE}"])
def test_finding_9_an_out_of_range_page_or_filter_is_400_with_words(client, login, organized, query):
    login(organized[1])

    response = client.get(f"/manage/events/prepcon/registrations?{query}")

    assert response.status_code == 400
    assert "must be a whole number" in page_text(response) or "not one of its choices" in page_text(response)


def test_finding_9_an_out_of_range_audit_cursor_is_400(client, login, organized):
    login(organized[1])

    assert client.get(f"/manage/events/prepcon/audit?before={HUGE}").status_code == 400


@pytest.mark.parametrize("path", ["/moderate/prepcon/", "/manage/events/prepcon/timetable", "/events/prepcon/agenda",
                                  "/events/prepcon/agenda.ics"])
def test_finding_9_a_day_at_the_end_of_the_calendar_is_400_with_words(client, login, organized, path):
    login(organized[1])

    response = client.get(f"{path}?day=9999-12-31")

    assert response.status_code == 400
    assert "The day must be between the years" in response.get_data(as_text=True)


def test_finding_9_a_delegation_csv_with_a_field_over_128_kb_is_refused_with_words(client, login, organized):
    event, organizer, delegation = organized
    login(organizer)
    csv = b"name,email\n" + b'"' + b"A" * (200 * 1024) + b'",a@example.org\n'

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data={"file": (io.BytesIO(csv), "list.csv")}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "this is not a CSV line we can read" in page_text(response)
    assert db.session.query(Delegation).one().id == delegation.id


def test_finding_10_a_draft_events_management_url_is_404_like_an_unknown_one(client, login, app):
    make_event(slug="secret-draft", status=EventStatus.DRAFT)
    make_event(slug="public-one")
    stranger = make_user("stranger@example.org")
    db.session.commit()
    login(stranger)

    draft = [client.get(f"/manage/events/secret-draft/{page}").status_code for page in ("", "sessions/", "webhooks")]
    unknown = [client.get(f"/manage/events/no-such-event/{page}").status_code for page in ("", "sessions/")]
    moderate = client.get("/moderate/secret-draft/").status_code
    public = client.get("/manage/events/public-one/").status_code

    assert draft == [404, 404, 404]
    assert unknown == [404, 404]
    assert moderate == 404
    assert public == 403
