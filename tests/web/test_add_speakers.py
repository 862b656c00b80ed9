"""Several speakers join a session at once on its page: picked from the event's speakers, typed as new names, or
both; all of them or none."""

from sqlalchemy import func, select

from confman.extensions import db
from confman.models import Participation, Speaker

from conftest import page_text
from factories import make_event, make_organizer, make_session, make_speaker


def _setup(login):
    event = make_event(slug="prepcon")
    item = make_session(event, title="Panel on training")
    organizer = make_organizer(event, "org@example.org")
    db.session.commit()
    login(organizer)
    return event, item


def _speakers_of(item) -> list[str]:
    db.session.expire_all()
    return [p.speaker.full_name for p in db.session.scalars(
        select(Participation).filter_by(session_id=item.id).order_by(Participation.position))]


def test_several_picked_and_typed_speakers_join_in_one_request(client, login):
    event, item = _setup(login)
    ada, alan = make_speaker(event, name="Ada Lovelace"), make_speaker(event, honorific="Mr.", name="Alan Turing")
    db.session.commit()

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}/participants", data={
        "speaker_id": [ada.id, alan.id],
        "new_speakers": "H.E. Ms. Grace Hopper\n\n  mr. alan   turing \nKatherine Johnson",
        "role": "panelist", "time_limit": "5"}, follow_redirects=True)

    assert "Added Ada Lovelace, Mr. Alan Turing, H.E. Ms. Grace Hopper, Katherine Johnson." in page_text(response)
    assert sorted(_speakers_of(item)) == ["Ada Lovelace", "H.E. Ms. Grace Hopper", "Katherine Johnson",
                                          "Mr. Alan Turing"]
    grace = db.session.scalar(select(Speaker).filter_by(name="Grace Hopper"))
    assert grace.honorific == "H.E. Ms."
    assert db.session.scalar(select(func.count(Speaker.id)).filter_by(event_id=event.id)) == 4  # Alan not twice
    assert {p.role.value for p in db.session.get(type(item), item.id).participations} == {"panelist"}


def test_a_speaker_already_in_the_session_adds_nobody(client, login):
    event, item = _setup(login)
    ada = make_speaker(event, name="Ada Lovelace")
    db.session.commit()
    client.post(f"/manage/events/prepcon/sessions/{item.id}/participants", data={"speaker_id": ada.id,
                                                                                  "role": "speaker"})

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}/participants", data={
        "new_speakers": "New Person\nAda Lovelace", "role": "speaker"})

    assert response.status_code == 400
    assert "Already in this session: Ada Lovelace. Nothing was added." in page_text(response)
    assert _speakers_of(item) == ["Ada Lovelace"]
    assert db.session.scalar(select(func.count(Speaker.id)).filter_by(name="New Person")) == 0


def test_adding_nobody_asks_for_a_speaker(client, login):
    _, item = _setup(login)

    response = client.post(f"/manage/events/prepcon/sessions/{item.id}/participants", data={
        "new_speakers": " \n ", "role": "speaker"})

    assert response.status_code == 400
    assert "Pick a speaker, or type the names of new ones." in page_text(response)


def test_the_session_page_offers_several_speakers_in_french(client, login):
    _, item = _setup(login)

    text = page_text(client.get(f"/manage/events/prepcon/sessions/{item.id}?lang=fr"))

    assert "Ajouter des orateurs" in text
    assert "Nouveaux orateurs, un nom par ligne" in text
    assert "Add speakers" not in text
