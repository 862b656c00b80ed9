"""With CSRF on, as in production: a registration or a decision posted without the form's token changes nothing."""

import re

import pytest
from registration_helpers import OPEN, form, registrations

from confman.extensions import db
from confman.models import RegistrationStatus

from conftest import page_text
from factories import make_event, make_organizer, make_registration


@pytest.fixture
def app_config():
    return {"WTF_CSRF_ENABLED": True}


def token_of(response) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', response.get_data(as_text=True)).group(1)


def test_register_without_the_csrf_token_is_refused_and_with_it_accepted(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()

    forged = client.post("/events/prepcon/register", data=form(), content_type="multipart/form-data")
    token = token_of(client.get("/events/prepcon/register"))
    genuine = client.post("/events/prepcon/register", data=form(csrf_token=token), content_type="multipart/form-data")

    assert forged.status_code == 400
    assert "Nothing was changed" in page_text(forged)
    assert genuine.status_code == 302
    assert len(registrations(event)) == 1


def test_bulk_decision_without_the_csrf_token_is_refused(client, app):
    event = make_event(slug="prepcon")
    reg = make_registration(event, status=RegistrationStatus.PENDING)
    organizer = make_organizer(event)
    db.session.commit()
    token = token_of(client.get("/login"))
    client.post("/login", data={"email": organizer.email, "password": "correct horse battery", "csrf_token": token})

    forged = client.post("/manage/events/prepcon/registrations/bulk", data={"action": "approve", "ids": [reg.id]})

    assert forged.status_code == 400
    assert registrations(event)[0].status == RegistrationStatus.PENDING
