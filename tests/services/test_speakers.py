"""Speaking order: protocol rank by default, ties by the order added, overridable by hand (and recorded)."""

from sqlalchemy import select

from confman.extensions import db
from confman.models import AuditEntry, ParticipationRole, ProtocolRank
from confman.services import agenda, speakers

from factories import NOW, make_event, make_session, make_speaker


def _order(item):
    return [p.speaker.name for p in agenda.speaking_order(item)]


def _add(item, speaker, role=ParticipationRole.SPEAKER):
    return speakers.add_participation(item, speaker, role=role, time_limit=None, actor=None, now=NOW)


def test_add_participation_orders_by_protocol_rank_then_order_added(app):
    event = make_event()
    item = make_session(event)
    other1 = make_speaker(event, name="Expert A")
    minister = make_speaker(event, name="Minister", protocol_rank=ProtocolRank.MINISTER)
    other2 = make_speaker(event, name="Expert B")
    head = make_speaker(event, name="Head", protocol_rank=ProtocolRank.HEAD_OF_STATE_OR_GOVERNMENT)
    chair = make_speaker(event, name="Chair")

    for speaker in (other1, minister, other2, head):
        _add(item, speaker)
    _add(item, chair, ParticipationRole.CHAIR)

    assert _order(item) == ["Chair", "Head", "Minister", "Expert A", "Expert B"]


def test_move_participation_overrides_protocol_and_is_recorded(app):
    event = make_event()
    item = make_session(event)
    _add(item, make_speaker(event, name="Minister", protocol_rank=ProtocolRank.MINISTER))
    expert = _add(item, make_speaker(event, name="Expert"))

    speakers.move_participation(expert, -1, actor=None, now=NOW)
    _add(item, make_speaker(event, name="Vice", protocol_rank=ProtocolRank.VICE_MINISTER))

    assert _order(item) == ["Expert", "Minister", "Vice"]
    assert all(p.is_order_overridden for p in item.participations)
    entry = db.session.scalars(select(AuditEntry).filter_by(action="participation.order_overridden")).one()
    assert entry.summary == f"Set the speaking order of “{item.title}” by hand (moved Expert)"


def test_restore_protocol_order_undoes_the_override(app):
    event = make_event()
    item = make_session(event)
    _add(item, make_speaker(event, name="Minister", protocol_rank=ProtocolRank.MINISTER))
    expert = _add(item, make_speaker(event, name="Expert"))
    speakers.move_participation(expert, -1, actor=None, now=NOW)

    speakers.restore_protocol_order(item, actor=None, now=NOW)

    assert _order(item) == ["Minister", "Expert"]
    assert not any(p.is_order_overridden for p in item.participations)


def test_update_speaker_rank_reorders_sessions_that_follow_protocol(app):
    event = make_event()
    item = make_session(event)
    _add(item, make_speaker(event, name="First"))
    second = make_speaker(event, name="Second")
    _add(item, second)

    speakers.update_speaker(second, actor=None, now=NOW, protocol_rank=ProtocolRank.MINISTER)

    assert _order(item) == ["Second", "First"]


def test_add_participation_refuses_the_same_speaker_twice_and_other_events_speakers(app):
    event = make_event()
    item = make_session(event)
    speaker = make_speaker(event)
    stranger = make_speaker(make_event())
    _add(item, speaker)

    refused = []
    for candidate in (speaker, stranger):
        try:
            _add(item, candidate)
        except (speakers.AlreadyParticipating, speakers.SpeakerOfAnotherEvent) as error:
            refused.append(type(error).__name__)

    assert refused == ["AlreadyParticipating", "SpeakerOfAnotherEvent"]
    assert len(item.participations) == 1
