"""The team page: organizers give and take roles by email, to existing accounts and by invitation."""

from registration_helpers import messages
from sqlalchemy import select

from confman.extensions import db
from confman.models import AuditEntry, Delegation, EventRole, Role

from conftest import PASSWORD, page_text
from factories import make_delegation, make_event, make_organization, make_organizer, make_user


def _setup(login):
    event = make_event(slug="prepcon")
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    login(organizer)
    return event, organizer


def test_team_page_makes_an_existing_account_moderator_who_then_opens_the_console(client, login, app):
    event, organizer = _setup(login)
    existing = make_user("mod@example.org")
    db.session.commit()

    response = client.post("/manage/events/prepcon/team", data={"email": "Mod@Example.org", "role": "moderator",
                                                                "delegation_id": ""}, follow_redirects=True)
    login(existing)

    assert "mod@example.org is moderator now, and was told by mail." in page_text(response)
    assert client.get("/moderate/prepcon/").status_code == 200
    [mail] = messages(to_email="mod@example.org")
    assert "You are now moderator of Event" in mail.body
    assert db.session.scalar(select(AuditEntry.summary).filter_by(action="team.granted")) == (
        "Made mod@example.org moderator")


def test_team_page_invites_a_new_address_with_an_account_and_a_sign_in_link(client, login, app):
    _setup(login)

    response = client.post("/manage/events/prepcon/team", data={"email": "new@example.org", "role": "interpreter",
                                                                "delegation_id": ""}, follow_redirects=True)

    assert "Invited new@example.org as interpreter" in page_text(response)
    assert "new@example.org" in page_text(client.get("/manage/events/prepcon/team"))
    [mail] = messages(to_email="new@example.org")
    assert mail.kind == "sign_in"


def test_team_page_names_a_focal_point_and_requires_the_delegation(client, login, app):
    event, _ = _setup(login)
    delegation = make_delegation(event, make_organization(name="Republic of Ghana"))
    db.session.commit()

    missing = client.post("/manage/events/prepcon/team", data={"email": "fp@example.org", "role": "focal_point",
                                                               "delegation_id": ""})
    named = client.post("/manage/events/prepcon/team", data={"email": "fp@example.org", "role": "focal_point",
                                                             "delegation_id": str(delegation.id)})

    assert missing.status_code == 400
    assert named.status_code == 302, page_text(named)
    assert "Choose the delegation this person is the focal point of." in page_text(missing)
    db.session.expire_all()
    assert db.session.get(Delegation, delegation.id).focal_point.email == "fp@example.org"
    assert "Focal point of a delegation: Republic of Ghana" in page_text(client.get("/manage/events/prepcon/team"))


def test_team_page_revokes_a_role_but_never_the_last_organizer(client, login, app):
    event, organizer = _setup(login)
    moderator = make_user("mod@example.org", roles=((event, Role.MODERATOR),))
    db.session.commit()

    removed = client.post("/manage/events/prepcon/team/revoke", data={"user_id": moderator.id, "role": "moderator"},
                          follow_redirects=True)
    refused = client.post("/manage/events/prepcon/team/revoke", data={"user_id": organizer.id, "role": "organizer"},
                          follow_redirects=True)

    assert "mod@example.org is no longer moderator." in page_text(removed)
    assert "An event needs at least one organizer" in page_text(refused)
    db.session.expire_all()
    assert [(r.user.email, r.role) for r in db.session.scalars(select(EventRole))] == [
        ("org@example.org", Role.ORGANIZER)]
    login(moderator, PASSWORD)
    assert client.get("/moderate/prepcon/").status_code == 403


def test_team_page_is_for_the_events_organizers_only(client, login, app):
    event = make_event(slug="prepcon")
    moderator = make_user("mod@example.org", roles=((event, Role.MODERATOR),))
    other = make_organizer(make_event(slug="other"))
    db.session.commit()

    login(moderator)
    as_moderator = client.post("/manage/events/prepcon/team", data={"email": "x@example.org", "role": "organizer"})
    login(other)
    as_other = client.get("/manage/events/prepcon/team")

    assert (as_moderator.status_code, as_other.status_code) == (403, 403)
    assert db.session.scalar(select(EventRole).where(EventRole.role == Role.ORGANIZER,
                                                     EventRole.event_id == event.id)) is None


def test_team_page_speaks_french(client, login, app):
    _setup(login)

    text = page_text(client.get("/manage/events/prepcon/team?lang=fr"))

    assert "Ajouter quelqu’un à l’équipe" in text and "Donner le rôle" in text


def test_the_invitation_is_in_the_invitees_language_not_the_organizers(client, login, app):
    _setup(login)
    francophone = make_user("mod@example.org")
    francophone.interface_language = "fr"
    db.session.commit()

    client.post("/manage/events/prepcon/team", data={"email": "mod@example.org", "role": "moderator",
                                                     "delegation_id": ""})

    [mail] = messages(to_email="mod@example.org")
    assert mail.body.startswith("Vous êtes maintenant modérateur de Event"), mail.body
    assert "You are now" not in mail.body
