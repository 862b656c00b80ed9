"""The list of speakers' rules as services enforce them: who inscribes, once, within the window and the cap, and
in which order the chair calls."""

from datetime import timedelta

import pytest

from confman.extensions import db
from confman.models import InscriptionStatus, OrganizationKind, ProtocolRank
from confman.services import floor

from factories import (
    NOW,
    make_delegation,
    make_event,
    make_organization,
    make_organizer,
    make_session,
    make_speakers_list,
    make_user,
)


@pytest.fixture
def world(app):
    event = make_event()
    item = make_session(event)
    speakers_list = make_speakers_list(item)
    return event, item, speakers_list


def _delegation(event, name="Ghana"):
    focal = make_user()
    return make_delegation(event, make_organization(name=name, kind=OrganizationKind.MEMBER_STATE),
                           focal_point=focal), focal


def _speaker(name="H.E. Speaker", rank=ProtocolRank.OTHER):
    return floor.SpeakerDetails(name=name, protocol_rank=rank)


def test_inscribe_orders_by_protocol_rank_tier_then_time_of_inscription(world):
    event, item, speakers_list = world
    entries = []
    for n, rank in enumerate([ProtocolRank.PERMANENT_REPRESENTATIVE, ProtocolRank.MINISTER, ProtocolRank.OTHER,
                              ProtocolRank.MINISTER]):
        delegation, focal = _delegation(event, f"Country {n}")
        entries.append(floor.inscribe(speakers_list, delegation, _speaker(f"Speaker {n}", rank), actor=focal,
                                      now=NOW + timedelta(minutes=n)))

    order = floor.calling_order(speakers_list.inscriptions)

    assert [i.speaker_name for i in order] == ["Speaker 1", "Speaker 3", "Speaker 0", "Speaker 2"]


def test_inscribe_refuses_a_second_entry_of_the_same_delegation_and_anyone_but_its_focal_point(world):
    event, item, speakers_list = world
    delegation, focal = _delegation(event)
    floor.inscribe(speakers_list, delegation, _speaker(), actor=focal, now=NOW)

    with pytest.raises(floor.AlreadyInscribed):
        floor.inscribe(speakers_list, delegation, _speaker("Another"), actor=focal, now=NOW)
    with pytest.raises(floor.NotAllowed):
        floor.inscribe(speakers_list, _delegation(event, "Peru")[0], _speaker(), actor=make_user(), now=NOW)


def test_inscribe_refuses_a_full_list_and_a_closed_window_but_the_chair_adds_from_the_floor(world):
    event, item, speakers_list = world
    speakers_list.cap = 1
    db.session.flush()
    first, focal = _delegation(event, "Chile")
    floor.inscribe(speakers_list, first, _speaker(), actor=focal, now=NOW)
    second, focal2 = _delegation(event, "Fiji")

    with pytest.raises(floor.ListFull):
        floor.inscribe(speakers_list, second, _speaker(), actor=focal2, now=NOW)
    speakers_list.cap, speakers_list.closes_at = None, NOW
    db.session.flush()
    with pytest.raises(floor.WindowClosed):
        floor.inscribe(speakers_list, second, _speaker(), actor=focal2, now=NOW)
    late = floor.inscribe(speakers_list, second, _speaker("Late"), actor=make_organizer(event), now=NOW,
                          from_floor=True)

    assert floor.calling_order(speakers_list.inscriptions)[-1] is late


def test_withdraw_gives_the_turn_back_and_move_is_undone(world):
    event, item, speakers_list = world
    a, fa = _delegation(event, "Austria")
    b, fb = _delegation(event, "Benin")
    ia = floor.inscribe(speakers_list, a, _speaker("A"), actor=fa, now=NOW)
    ib = floor.inscribe(speakers_list, b, _speaker("B"), actor=fb, now=NOW + timedelta(seconds=1))
    organizer = make_organizer(event)

    floor.move(ib, 1, "Leaves early for a vote", actor=organizer, now=NOW)
    moved = [i.speaker_name for i in floor.calling_order(speakers_list.inscriptions)]
    floor.undo_move(speakers_list, actor=organizer, now=NOW)
    restored = [i.speaker_name for i in floor.calling_order(speakers_list.inscriptions)]
    floor.withdraw(ia, actor=fa, now=NOW)
    again = floor.inscribe(speakers_list, a, _speaker("A again"), actor=fa, now=NOW)

    assert (moved, restored) == (["B", "A"], ["A", "B"])
    assert (ia.status, again.turn) == (InscriptionStatus.WITHDRAWN, 1)
    with pytest.raises(floor.NothingToUndo):
        floor.undo_move(speakers_list, actor=organizer, now=NOW)


def test_statement_kind_is_read_from_the_content():
    import io
    import zipfile

    def archive(members):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            for name, data in members.items():
                z.writestr(name, data)
        return buffer.getvalue()

    odt = archive({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"})
    docx = archive({"[Content_Types].xml": "<x/>", "word/document.xml": "<x/>"})

    assert [floor.document_kind(d) for d in (b"%PDF-1.7\n...\n%%EOF\n", odt, docx)] == ["pdf", "odt", "docx"]
    with pytest.raises(floor.StatementRefused):
        floor.document_kind(b"MZ\x90\x00 not a document")
