"""Delegations: quotas, a focal point who sees and approves only their own, private documents, list import."""

import io

import pytest
from registration_helpers import PDF, messages, registrations

from confman.extensions import db
from confman.models import Delegation, OrganizationKind, OverQuotaPolicy, RegistrationCategory, RegistrationStatus
from confman.services import users

from conftest import page_text
from factories import make_event, make_organization, make_organizer, make_registration, make_user

P, A, W = RegistrationStatus.PENDING, RegistrationStatus.APPROVED, RegistrationStatus.WAITLISTED


@pytest.fixture
def setup(app):
    event = make_event(slug="prepcon", capacity=10)
    nl = make_organization(name="Kingdom of the Netherlands", kind=OrganizationKind.MEMBER_STATE)
    pk = make_organization(name="Islamic Republic of Pakistan", kind=OrganizationKind.MEMBER_STATE)
    organizer = make_organizer(event)
    db.session.commit()
    return event, nl, pk, organizer


def test_organizer_creates_a_delegation_and_its_focal_point_is_invited(client, login, setup):
    event, nl, _, organizer = setup
    login(organizer)

    response = client.post("/manage/events/prepcon/delegations", data={
        "organization": nl.id, "quota": "3", "over_quota_policy": "refuse", "focal_point_email": "FP@nl.example",
        "head_of_delegation": "H.E. Ms. Head"})

    assert response.status_code == 302
    delegation = db.session.query(Delegation).one()
    assert (delegation.quota, delegation.focal_point.email) == (3, "fp@nl.example")
    assert users.find_by_email("fp@nl.example").password_hash is None
    [invitation] = messages(to_email="fp@nl.example")
    assert "focal point of the delegation of Kingdom of the Netherlands" in invitation.body
    again = client.post("/manage/events/prepcon/delegations", data={"organization": nl.id,
                                                                    "over_quota_policy": "refuse"})
    assert "already has a delegation" in page_text(again)


def make_delegation(event, org, focal_point, **kw):
    delegation = Delegation(event=event, organization=org, focal_point=focal_point, **kw)
    db.session.add(delegation)
    db.session.flush()
    return delegation


def test_focal_point_sees_and_approves_only_their_delegation(client, login, setup):
    event, nl, pk, _ = setup
    focal = make_user("fp@nl.example")
    mine = make_delegation(event, nl, focal)
    theirs = make_delegation(event, pk, make_user("fp@pk.example"))
    member = make_registration(event, delegation=mine, organization=nl, name="Dutch Member", status=P)
    outsider = make_registration(event, delegation=theirs, organization=pk, name="Pakistani Member", status=P)
    db.session.commit()
    login(focal)

    own_page = client.get(f"/manage/events/prepcon/delegations/{mine.id}")
    other_page = client.get(f"/manage/events/prepcon/delegations/{theirs.id}")
    approve_own = client.post(f"/manage/events/prepcon/registrations/{member.id}/decide", data={"action": "approve"})
    approve_other = client.post(f"/manage/events/prepcon/registrations/{outsider.id}/decide",
                                data={"action": "approve"})
    table = client.get("/manage/events/prepcon/registrations")
    home = client.get("/account/")

    assert "Dutch Member" in page_text(own_page) and "Pakistani Member" not in page_text(own_page)
    assert other_page.status_code == 404
    assert approve_own.status_code == 302 and approve_other.status_code == 404
    assert table.status_code == 403
    assert f"/manage/events/prepcon/delegations/{mine.id}" in home.get_data(as_text=True)
    assert [r.status for r in registrations(event)] == [A, P]


def test_nomination_documents_are_for_organizers_and_the_focal_point_only(client, login, setup, tmp_path):
    event, nl, _, organizer = setup
    focal = make_user("fp@nl.example")
    delegation = make_delegation(event, nl, focal)
    (tmp_path / "uploads" / "nominations").mkdir(parents=True)
    (tmp_path / "uploads" / "nominations" / "abc.pdf").write_bytes(PDF)
    member = make_registration(event, delegation=delegation, nomination_document_path="nominations/abc.pdf",
                               user=make_user("member@nl.example"))
    stranger = make_user("stranger@example.org")
    db.session.commit()
    url = f"/manage/events/prepcon/registrations/{member.id}/document"

    as_organizer = login(organizer).get(url)
    as_focal_point = login(focal).get(url)
    as_member = login(member.user).get(url)
    as_stranger = login(stranger).get(url)

    assert as_organizer.data == PDF and as_organizer.mimetype == "application/pdf"
    assert as_organizer.headers["Content-Disposition"].startswith("attachment")
    assert as_focal_point.data == PDF
    assert (as_member.status_code, as_stranger.status_code) == (404, 404)


def test_focal_point_uploads_the_delegations_note_verbale_as_pdf_only(client, login, setup):
    event, nl, _, _ = setup
    focal = make_user("fp@nl.example")
    delegation = make_delegation(event, nl, focal)
    db.session.commit()
    login(focal)
    url = f"/manage/events/prepcon/delegations/{delegation.id}/document"

    refused = client.post(url, data={"document": (io.BytesIO(b"<html>"), "nv.pdf")},
                          content_type="multipart/form-data")
    accepted = client.post(url, data={"document": (io.BytesIO(PDF), "nv.pdf")}, content_type="multipart/form-data")

    assert refused.status_code == 400 and "not a PDF" in page_text(refused)
    assert accepted.status_code == 302
    assert client.get(url).data == PDF


def csv_file(text: str):
    return {"file": (io.BytesIO(text.encode()), "list.csv")}


def test_import_creates_every_member_with_an_account(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None, quota=3)
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import", data=csv_file(
        "honorific,name,title,email,category\nH.E. Mr.,Jan Jansen,Ambassador,jan@nl.example,\n"
        "Ms.,Eva de Vries,Counsellor,eva@nl.example,observer\n"), content_type="multipart/form-data")

    assert response.status_code == 302
    regs = registrations(event)
    assert [(r.name, r.status, r.category, r.delegation_id) for r in regs] == [
        ("Jan Jansen", A, RegistrationCategory.MEMBER_STATE, delegation.id),
        ("Eva de Vries", A, RegistrationCategory.OBSERVER, delegation.id)]
    assert all(r.user is not None for r in regs)
    assert [m.kind for m in messages(to_email="jan@nl.example")] == ["confirmation"]


def test_import_with_bad_rows_changes_nothing_and_reports_each_line(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None)
    make_registration(event, email="taken@nl.example")
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import", data=csv_file(
        "name,email,category\nGood Person,good@nl.example,\n,nameless@nl.example,\nBad Mail,not-mail,\n"
        "Bad Category,cat@nl.example,king\nTwice,good@nl.example,\nTaken,taken@nl.example,\n"),
        content_type="multipart/form-data")

    text = page_text(response)
    assert response.status_code == 400
    assert "Nothing was imported" in text
    for expected in ("Line 3: the name is missing.", "Line 4: “not-mail” is not a valid email address.",
                     "Line 5: “king” is not a category", "Line 6: good@nl.example is also on line 2."):
        assert expected in text
    assert len(registrations(event)) == 1
    assert messages() == []


def test_import_reports_an_address_already_registered(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None)
    make_registration(event, email="taken@nl.example")
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data=csv_file("name,email\nTaken,taken@nl.example\n"), content_type="multipart/form-data")

    assert "Line 2: taken@nl.example is already registered for this event." in page_text(response)


def test_import_beyond_a_refusing_quota_changes_nothing(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None, quota=1, over_quota_policy=OverQuotaPolicy.REFUSE)
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data=csv_file("name,email\nOne,one@nl.example\nTwo,two@nl.example\n"),
                           content_type="multipart/form-data")

    assert "quota is 1 members" in page_text(response)
    assert registrations(event) == []


def test_import_without_the_email_column_says_which_columns_are_needed(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None)
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data=csv_file("full name;mail\nA;a@x.org\n"), content_type="multipart/form-data")

    assert "missing: name, email" in page_text(response)


def test_focal_point_cannot_import(client, login, setup):
    event, nl, _, _ = setup
    focal = make_user("fp@nl.example")
    delegation = make_delegation(event, nl, focal)
    db.session.commit()
    login(focal)

    response = client.post(f"/manage/events/prepcon/delegations/{delegation.id}/import",
                           data=csv_file("name,email\nA,a@nl.example\n"), content_type="multipart/form-data")

    assert response.status_code == 403
    assert registrations(event) == []


def test_delegation_waitlist_is_promoted_when_a_member_is_declined(client, login, setup):
    event, nl, _, organizer = setup
    delegation = make_delegation(event, nl, None, quota=1, over_quota_policy=OverQuotaPolicy.WAITLIST)
    seated = make_registration(event, delegation=delegation, status=P)
    other_waiting = make_registration(event, status=W)  # waiting for the event, not the delegation
    member_waiting = make_registration(event, delegation=delegation, status=W)
    db.session.commit()
    login(organizer)

    client.post(f"/manage/events/prepcon/registrations/{seated.id}/decide", data={"action": "decline"})

    statuses = {r.id: r.status for r in registrations(event)}
    assert statuses[member_waiting.id] == P
    assert statuses[other_waiting.id] == P  # the event had free seats all along: the waiting list is filled
