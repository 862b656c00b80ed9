"""Organizers build the agenda through the forms: sessions, speakers, conflicts, locking, publishing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, AuditEntry, ProtocolRank, SessionStatus
from confman.services import publication

from conftest import page_text
from factories import NOW, make_channel, make_event, make_organizer, make_session, make_speaker, make_user


@pytest.fixture
def setup(app):
    event = make_event(slug="prepcon", timezone="Europe/Amsterdam", starts_on=datetime(2021, 10, 30).date(),
                       ends_on=datetime(2021, 10, 31).date())
    plenary = make_channel(event, name="Plenary")
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    return event, plenary, organizer


def _form(event, plenary, **overrides):
    data = {"title": "Opening", "kind": "opening", "theme_id": "None", "starts_at": "2021-10-30T09:00",
            "duration": "60", "channel_id": str(plenary.id), "description": "", "notes": ""}
    data.update(overrides)
    return data


def test_session_new_stores_the_local_time_as_utc_and_logs_it(client, login, setup):
    event, plenary, organizer = setup
    login(organizer)

    response = client.post("/manage/events/prepcon/sessions/new", data=_form(event, plenary))

    item = db.session.scalars(select(AgendaSession)).one()
    assert response.status_code == 302
    assert item.starts_at == datetime(2021, 10, 30, 7, 0, tzinfo=UTC)  # 09:00 CEST
    assert db.session.scalars(select(AuditEntry.action)).all() == ["session.created"]


def test_session_new_on_the_dst_day_reads_the_offset_then_in_force(client, login, setup):
    event, plenary, organizer = setup
    login(organizer)

    client.post("/manage/events/prepcon/sessions/new", data=_form(event, plenary, starts_at="2021-10-31T09:00"))
    page = page_text(client.get("/manage/events/prepcon/problems"))

    assert db.session.scalars(select(AgendaSession.starts_at)).one() == datetime(2021, 10, 31, 8, 0, tzinfo=UTC)
    assert "Clocks in Europe/Amsterdam go back 1 hour on Sunday 31 October 2021" in page


@pytest.mark.parametrize(("override", "message"), [
    ({"title": "  "}, "A session needs a title."),
    ({"duration": "0"}, "Between 1 and 1440 minutes."),
    ({"starts_at": "tomorrow"}, "Not a valid datetime value."),
    ({"channel_id": "99999"}, "Not a valid choice."),
])
def test_session_new_shows_errors_next_to_fields_and_saves_nothing(client, login, setup, override, message):
    event, plenary, organizer = setup
    login(organizer)

    response = client.post("/manage/events/prepcon/sessions/new", data=_form(event, plenary, **override))

    assert response.status_code == 200
    assert message in page_text(response)
    assert 'class="error"' in response.get_data(as_text=True)
    assert db.session.scalars(select(AgendaSession)).all() == []


def test_session_text_with_html_is_escaped_and_markdown_sanitized(client, login, setup):
    event, plenary, organizer = setup
    login(organizer)
    client.post("/manage/events/prepcon/sessions/new", data=_form(
        event, plenary, title="<script>alert(1)</script>", description="**Bold** <img src=x onerror=alert(1)>"))
    item = db.session.scalars(select(AgendaSession)).one()
    publication.publish_agenda(item.event, actor=None, now=NOW)
    db.session.commit()

    manage = client.get(f"/manage/events/prepcon/sessions/{item.id}").get_data(as_text=True)
    public = client.get("/events/prepcon/agenda").get_data(as_text=True)

    for html in (manage, public):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<strong>Bold</strong>" in public
    assert "<img" not in public


def test_session_edit_shows_a_channel_overlap_until_it_is_fixed(client, login, setup):
    event, plenary, organizer = setup
    make_session(event, title="Opening", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    db.session.commit()
    login(organizer)

    client.post("/manage/events/prepcon/sessions/new", data=_form(event, plenary, title="Panel", kind="break",
                                                                   starts_at="2021-10-30T09:30"))
    item = db.session.scalars(select(AgendaSession).filter_by(title="Panel")).one()
    warned = page_text(client.get(f"/manage/events/prepcon/sessions/{item.id}"))
    client.post(f"/manage/events/prepcon/sessions/{item.id}/move",
                data={"day": "2021-10-30", "start_time": "10:00", "channel_id": str(plenary.id), "version": "1"})
    fixed = page_text(client.get(f"/manage/events/prepcon/sessions/{item.id}"))

    assert "Warning: “Opening” and “Panel” overlap in Plenary." in warned
    assert "overlap" not in fixed


def test_session_edit_second_save_from_an_old_page_is_refused_and_shows_the_change(app, client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Opening", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    colleague = make_organizer(event, "colleague@example.org")
    db.session.commit()
    other = app.test_client()
    other.post("/login", data={"email": colleague.email, "password": "correct horse battery"})
    login(organizer)
    url = f"/manage/events/prepcon/sessions/{item.id}"
    client.get(url)
    other.get(url)

    first = other.post(url, data=_form(event, plenary, title="Opening ceremony", version="1"))
    second = client.post(url, data=_form(event, plenary, title="Opening session", starts_at="2021-10-30T10:00",
                                         version="1"))

    db.session.expire_all()
    text = page_text(second)
    assert first.status_code == 302
    assert second.status_code == 409
    assert "Not saved: someone else changed this session" in text
    assert "colleague@example.org" in text
    assert "Title Opening Opening ceremony" in text
    assert db.session.get(AgendaSession, item.id).title == "Opening ceremony"
    assert db.session.get(AgendaSession, item.id).starts_at == datetime(2021, 10, 30, 7, 0, tzinfo=UTC)


def test_session_cancel_keeps_it_marked_and_bumps_sequence(client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Panel", channel=plenary)
    db.session.commit()
    login(organizer)

    client.post(f"/manage/events/prepcon/sessions/{item.id}/cancel", data={"version": "1"})
    stale = client.post(f"/manage/events/prepcon/sessions/{item.id}/reinstate", data={"version": "1"})

    db.session.expire_all()
    item = db.session.get(AgendaSession, item.id)
    assert (item.status, item.sequence) == (SessionStatus.CANCELLED, 1)
    assert stale.status_code == 409


def test_session_duplicate_makes_a_copy_in_the_same_slot(client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Panel", channel=plenary)
    db.session.commit()
    login(organizer)

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}/duplicate", follow_redirects=True)

    assert "Panel (copy)" in page_text(response)
    assert "overlap in Plenary" in page_text(response)


def _speakers_table(response):
    text = page_text(response)
    return text[text.index("Speakers, in speaking order"):text.index("Add speakers")]


def test_participants_follow_protocol_and_can_be_reordered_by_hand(client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Panel", channel=plenary)
    expert = make_speaker(event, name="Expert")
    minister = make_speaker(event, name="Minister", protocol_rank=ProtocolRank.MINISTER)
    db.session.commit()
    login(organizer)
    base = f"/manage/events/prepcon/sessions/{item.id}"

    client.post(f"{base}/participants", data={"speaker_id": expert.id, "role": "speaker", "time_limit": "5"})
    client.post(f"{base}/participants", data={"speaker_id": minister.id, "role": "speaker"})
    by_protocol = _speakers_table(client.get(base))
    db.session.expire_all()
    moved = next(p for p in db.session.get(AgendaSession, item.id).participations if p.speaker_id == expert.id)
    client.post(f"{base}/participants/{moved.id}/move/up")
    by_hand = _speakers_table(client.get(base))

    assert by_protocol.index("Minister") < by_protocol.index("Expert")
    assert by_hand.index("Expert") < by_hand.index("Minister")
    assert "The order was set by hand." in by_hand
    assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action.like("participation.%"))).all() == [
        "participation.added", "participation.added", "participation.order_overridden"]


def test_publish_shows_unpublished_changes_then_the_public_changelog(client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Opening", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    publication.publish_agenda(event, actor=None, now=NOW)
    db.session.commit()
    login(organizer)
    client.post(f"/manage/events/prepcon/sessions/{item.id}/move",
                data={"day": "2021-10-31", "start_time": "10:00", "channel_id": str(plenary.id), "version": "1"})

    pending = page_text(client.get("/manage/events/prepcon/publish"))
    before = page_text(client.get("/events/prepcon/agenda"))
    client.post("/manage/events/prepcon/publish", data={"comment": "The opening moved to Sunday."})
    event_page = page_text(client.get("/events/prepcon/"))
    again = client.post("/manage/events/prepcon/publish", data={"comment": ""})

    assert "Moved “Opening” from Sat 30 Oct 09:00–10:00 to Sun 31 Oct 10:00–11:00" in pending
    assert "09:00 – 10:00" in before
    assert "What changed" in event_page
    assert "Version 2" in event_page and "The opening moved to Sunday." in event_page
    assert "Moved “Opening” from Sat 30 Oct 09:00–10:00 to Sun 31 Oct 10:00–11:00" in event_page
    assert again.status_code == 400 and "Nothing changed since version 2." in page_text(again)


def test_audit_log_lists_who_changed_what(client, login, setup):
    event, plenary, organizer = setup
    item = make_session(event, title="Opening", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    db.session.commit()
    login(organizer)
    client.post(f"/manage/events/prepcon/sessions/{item.id}",
                data=_form(event, plenary, title="Opening ceremony", duration="45", version="1"))

    text = page_text(client.get("/manage/events/prepcon/audit"))

    assert "org@example.org Updated “Opening ceremony”" in text
    assert "Title Opening → Opening ceremony" in text
    assert "Duration 1 h → 45 min" in text


def test_timetable_grid_shows_channels_as_columns_and_flags_problems(client, login, setup):
    event, plenary, organizer = setup
    second = make_channel(event, name="Side room", position=1)
    make_session(event, title="Plenary talk", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    make_session(event, title="Side talk", channel=second, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    db.session.commit()
    login(organizer)

    html = client.get("/manage/events/prepcon/timetable?day=2021-10-30").get_data(as_text=True)

    assert html.index(">Plenary<") < html.index(">Side room<")
    assert html.count("tt-item") >= 2 and "has-problem" in html  # both panels lack speakers


def test_public_agenda_grid_view_reads_the_published_agenda(client, setup):
    event, plenary, _ = setup
    make_session(event, title="Published one", channel=plenary, starts_at=datetime(2021, 10, 30, 7, 0, tzinfo=UTC))
    publication.publish_agenda(event, actor=None, now=NOW)
    make_session(event, title="Draft one", channel=plenary, starts_at=datetime(2021, 10, 30, 9, 0, tzinfo=UTC))
    db.session.commit()

    response = client.get("/events/prepcon/agenda?view=grid&tz=UTC")

    text = page_text(response)
    assert response.status_code == 200
    assert "Published one" in text and "Draft one" not in text
    assert "07:00–08:00" in text
    assert 'class="timetable"' in response.get_data(as_text=True)


def test_users_who_are_not_organizers_cannot_post_sessions(client, login, setup):
    event, plenary, _ = setup
    user = make_user()
    db.session.commit()
    login(user)

    response = client.post("/manage/events/prepcon/sessions/new", data=_form(event, plenary))

    assert response.status_code == 403
    assert db.session.scalars(select(AgendaSession)).all() == []


def test_sessions_list_groups_by_day_in_event_zone(client, login, setup):
    event, plenary, organizer = setup
    make_session(event, title="Late", channel=plenary, starts_at=datetime(2021, 10, 30, 22, 30, tzinfo=UTC),
                 duration=timedelta(minutes=30))
    db.session.commit()
    login(organizer)

    text = page_text(client.get("/manage/events/prepcon/sessions/"))

    assert text.index("Sunday 31 October 2021") < text.index("Late")


def test_participation_edit_sets_role_and_time_limit_and_remove_takes_the_speaker_out(client, login, setup):
    from confman.models import ParticipationRole

    from factories import make_participation

    event, plenary, organizer = setup
    item = make_session(event, title="Panel", channel=plenary)
    p = make_participation(item, make_speaker(event, name="Ada"))
    db.session.commit()
    login(organizer)
    base = f"/manage/events/prepcon/sessions/{item.id}/participants/{p.id}"

    client.post(base, data={f"p{p.id}-role": "chair", f"p{p.id}-time_limit": "4"})
    db.session.expire_all()
    edited = db.session.get(type(p), p.id)
    role, limit = edited.role, edited.time_limit
    client.post(f"{base}/remove")

    db.session.expire_all()
    assert (role, limit) == (ParticipationRole.CHAIR, timedelta(minutes=4))
    assert db.session.get(AgendaSession, item.id).participations == []
    assert "Removed Ada from “Panel”" in page_text(client.get("/manage/events/prepcon/audit"))
