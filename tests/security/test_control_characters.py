"""Finding 8 of issue 19: control characters are refused (with words) by every text field and every import.

The attack: a NUL byte in a public registration field was a 500 on PostgreSQL and was written raw into
agenda.ics on SQLite; single-line fields kept CR/LF.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from flask_wtf import FlaskForm
from registration_helpers import OPEN, form, registrations
from sqlalchemy import func, select

from confman.extensions import db
from confman.forms.base import Form
from confman.models import Delegation, Event, OrganizationKind, Registration

from conftest import make_app, page_text
from factories import make_event, make_organization, make_organizer

DEMOCON = Path(__file__).parent.parent / "exports" / "schemas" / "upstream-examples" / "pretalx-democon.json"


def post_registration(client, **fields):
    return client.post("/events/prepcon/register", data=form(**fields), content_type="multipart/form-data")


@pytest.mark.parametrize(("field", "value"), [
    ("name", "Ada\x00Delegate"), ("name", "Ada\r\nBcc: victim@example.org"), ("title", "Counsellor\x1b[31m"),
    ("organization_name", "Mission\nof Somewhere"), ("needs", "Wheelchair\x00access"),
])
def test_finding_8_a_public_registration_refuses_control_characters_with_a_form_error(client, app, field, value):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()

    response = post_registration(client, **{field: value})

    assert response.status_code == 400
    assert ("Remove the line breaks and control characters" in page_text(response)
            or "Remove the control characters" in page_text(response))
    assert registrations(event) == []


def test_finding_8_multi_line_text_keeps_tabs_and_line_breaks(client, app):
    event = make_event(slug="prepcon", **OPEN)
    db.session.commit()

    response = post_registration(client, needs="Interpretation:\tFrench\r\nWheelchair access")

    assert response.status_code == 302
    assert [r.needs for r in registrations(event)] == ["Interpretation:\tFrench\nWheelchair access"]


def test_finding_8_every_confman_form_is_built_on_the_checking_base():
    direct = [cls for cls in FlaskForm.__subclasses__() if cls.__module__.startswith("confman")]

    assert direct == [Form]


def test_finding_8_a_delegation_csv_with_control_characters_is_refused_whole(client, login, app):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event)
    nl = make_organization(name="Kingdom of the Netherlands", kind=OrganizationKind.MEMBER_STATE)
    delegation = Delegation(event=event, organization=nl, focal_point=None, quota=5)
    db.session.add(delegation)
    db.session.commit()
    login(organizer)
    csv = b"name,email\nAda Fine,ada@example.org\nGrace\x00Hopper,grace@example.org\n"

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data={"file": (io.BytesIO(csv), "list.csv")}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "Line 3: name holds line breaks or control characters." in page_text(response)
    assert db.session.scalar(select(func.count(Registration.id))) == 0


def test_finding_8_a_schedule_import_with_control_characters_changes_nothing(app, tmp_path):
    document = json.loads(DEMOCON.read_text())
    day = document["schedule"]["conference"]["days"][0]
    room = next(iter(day["rooms"]))
    day["rooms"][room][0]["title"] = "Opening\x00 remarks"
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(document))

    result = app.test_cli_runner().invoke(args=["import-schedule", str(path), "--event", "democon"])

    assert result.exit_code != 0
    assert "control characters" in result.output
    assert db.session.scalar(select(func.count(Event.id))) == 0


@pytest.mark.postgres
def test_finding_8_a_nul_byte_in_a_public_registration_is_a_form_error_on_postgresql(tmp_path, own_postgres_url):
    app = make_app(tmp_path, own_postgres_url)
    with app.app_context():
        db.create_all()
        try:
            make_event(slug="prepcon", **OPEN)
            db.session.commit()

            response = post_registration(app.test_client(), name="Ada\x00Delegate",
                                         organization_name="Mission\x00")

            assert response.status_code == 400
            assert "Remove the line breaks and control characters" in page_text(response)
            assert db.session.scalar(select(func.count(Registration.id))) == 0
        finally:
            db.session.remove()
            db.drop_all()
            db.engine.dispose()
