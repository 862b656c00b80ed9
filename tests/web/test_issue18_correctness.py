"""Issue 18, section 6: what was wrong on the way (cloning, filtered calendar links, video links, delegations)."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, SessionStatus
from confman.services import publication, sample

from conftest import page_text
from factories import make_event, make_organizer, make_session


def test_clone_leaves_cancelled_sessions_behind_and_plans_from_the_release_not_the_live_day(client, login, app):
    event = make_event(slug="prepcon")
    t0 = datetime(2021, 10, 25, 13, 0, tzinfo=UTC)
    kept = make_session(event, title="Kept", starts_at=t0)
    make_session(event, title="Dropped", starts_at=t0 + timedelta(hours=2), status=SessionStatus.CANCELLED)
    publication.publish_agenda(event, actor=None, now=t0 - timedelta(days=3))
    kept.starts_at = t0 + timedelta(minutes=40)  # what a live reorder on the day writes
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/clone", data={"title": "Next", "starts_on": "2022-10-25",
                                                                  "slug": "next"}, follow_redirects=True)

    clone = db.session.scalar(select(Event).filter_by(slug="next"))
    items = db.session.scalars(select(AgendaSession).filter_by(event_id=clone.id)).all()
    assert [(i.title, i.status, i.starts_at.astimezone(event.tz).strftime("%H:%M")) for i in items] == [
        ("Kept", SessionStatus.SCHEDULED, t0.astimezone(event.tz).strftime("%H:%M"))]
    assert "Add its speakers." in page_text(response) and "co-hosts." not in page_text(response)


def test_calendar_links_of_a_filtered_agenda_carry_the_filter(client, app):
    sample.load_sample(now=datetime(2021, 10, 18, tzinfo=UTC))
    db.session.commit()

    html = client.get("/events/prepcon-2021/agenda?tag=technology").get_data(as_text=True)
    [link] = set(re.findall(r'webcal://[^"]+', html))
    feed = client.get(link.replace("webcal://confman.test", "").replace("&amp;", "&")).get_data(as_text=True)
    whole = client.get("/events/prepcon-2021/agenda.ics").get_data(as_text=True)

    assert "tag=technology" in link
    assert feed.count("BEGIN:VEVENT") == 1 and "Technology and the safety of peacekeepers" in feed
    assert whole.count("BEGIN:VEVENT") == 11
    assert client.get("/events/prepcon-2021/agenda.ics?tag=nope").status_code == 404
    assert client.get("/events/prepcon-2021/agenda.ics?speaker=x").status_code == 400


def test_a_video_link_lives_until_the_deadline_shows_its_zone_and_goes_to_the_office(client, login, app):
    from registration_helpers import messages
    from video_samples import make_slot

    from confman.timeutil import utcnow

    event = make_event(slug="prepcon", timezone="America/New_York")
    deadline = utcnow() + timedelta(days=60)
    vm = make_slot(event, now=utcnow(), deadline_at=deadline, office_email="office@mod.example")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    made = client.post(f"/manage/events/prepcon/video-messages/{vm.session_id}/link",
                       data={"valid_days": 30, "send_to_office": "y"})

    db.session.expire_all()
    assert db.session.get(type(vm), vm.id).submission_expires_at == deadline
    assert "(America/New_York)" in page_text(made)
    assert "The link was sent to office@mod.example." in page_text(made)
    [mail] = messages(to_email="office@mod.example")
    link = re.search(r'id="new-link">([^<]+)<', made.get_data(as_text=True)).group(1)
    assert link in mail.body and "(America/New_York time)" in mail.body


def test_creating_a_delegation_attaches_the_registrations_its_organization_already_has(client, login, app):
    from confman.models import Registration

    from factories import make_organization, make_registration

    event = make_event(slug="prepcon")
    ghana, other = make_organization(name="Republic of Ghana"), make_organization(name="Elsewhere")
    early = make_registration(event, organization=ghana, name="Early Delegate")
    make_registration(event, organization=other, name="Other Delegate")
    organizer = make_organizer(event)
    db.session.commit()
    login(organizer)

    response = client.post("/manage/events/prepcon/delegations", data={
        "organization": ghana.id, "quota": "3", "over_quota_policy": "refuse", "focal_point_email": "",
        "head_of_delegation": ""}, follow_redirects=True)

    assert ("The delegation of Republic of Ghana was created, with the 1 registration already made for it."
            in page_text(response))
    db.session.expire_all()
    attached = db.session.scalars(select(Registration).where(Registration.delegation_id.is_not(None))).all()
    assert [r.id for r in attached] == [early.id]
