"""The conflicts module: overlaps (also as properties, with hypothesis), double bookings and odd times."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from confman.models import SessionKind, SessionStatus
from confman.services import conflicts
from confman.services.conflicts import Interval, ProblemKind

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BASE = datetime(2021, 10, 25, 7, 0, tzinfo=UTC)


@dataclass
class P:
    speaker_id: int


@dataclass
class Video:
    allowed_length: timedelta
    measured_length: timedelta | None = None


@dataclass
class Item:
    id: int
    starts_at: datetime
    duration: timedelta = timedelta(minutes=60)
    title: str = "Session"
    kind: SessionKind = SessionKind.PLENARY
    status: SessionStatus = SessionStatus.SCHEDULED
    channel_id: int | None = 1
    participations: list = field(default_factory=lambda: [P(999)])
    video_message: Video | None = None

    @property
    def ends_at(self):
        return self.starts_at + self.duration


def check(items, starts_on=date(2021, 10, 25), ends_on=date(2021, 10, 26), tz=AMSTERDAM):
    return conflicts.check_agenda(items, event_starts_on=starts_on, event_ends_on=ends_on, tz=tz,
                                  speaker_names={1: "H.E. Ada"}, channel_names={1: "Plenary"})


def kinds(report):
    return sorted(p.kind for p in report.problems)


# --- overlap properties ------------------------------------------------------------------------------------------

minutes = st.integers(min_value=0, max_value=24 * 60)
spans = st.tuples(minutes, st.integers(min_value=0, max_value=240))


def interval(key, span):
    start, length = span
    return Interval(key, BASE + timedelta(minutes=start), BASE + timedelta(minutes=start + length))


@given(spans, spans)
def test_overlaps_is_symmetric(a, b):
    x, y = interval("a", a), interval("b", b)

    assert conflicts.overlaps(x, y) == conflicts.overlaps(y, x)


@given(spans, st.integers(min_value=0, max_value=240))
def test_overlaps_sessions_back_to_back_never_overlap(a, length):
    first = interval("a", a)
    second = Interval("b", first.end, first.end + timedelta(minutes=length))

    assert not conflicts.overlaps(first, second)


@given(spans, spans, st.integers(min_value=-10_000, max_value=10_000))
def test_overlaps_does_not_depend_on_when(a, b, shift):
    x, y = interval("a", a), interval("b", b)
    moved = timedelta(minutes=shift)

    assert conflicts.overlaps(x, y) == conflicts.overlaps(
        Interval("a", x.start + moved, x.end + moved), Interval("b", y.start + moved, y.end + moved))


@given(spans)
def test_overlaps_a_non_empty_interval_overlaps_itself(a):
    x = interval("a", a)

    assert conflicts.overlaps(x, x) == (a[1] > 0)


@given(st.lists(spans, max_size=25))
def test_overlapping_pairs_finds_exactly_the_pairs_a_brute_force_finds(raw):
    intervals = [interval(n, span) for n, span in enumerate(raw)]

    found = {frozenset((a.key, b.key)) for a, b in conflicts.overlapping_pairs(intervals)}
    pairs = conflicts.overlapping_pairs(intervals)

    expected = {frozenset((a.key, b.key)) for i, a in enumerate(intervals) for b in intervals[i + 1:]
                if conflicts.overlaps(a, b)}
    assert found == expected
    assert len(pairs) == len(found)  # each pair once


# --- the checks --------------------------------------------------------------------------------------------------

def test_check_agenda_finds_a_double_booked_speaker_across_channels():
    a = Item(1, BASE, title="Panel A", participations=[P(1)], channel_id=1)
    b = Item(2, BASE + timedelta(minutes=30), title="Panel B", participations=[P(1)], channel_id=2)

    report = check([a, b])

    assert kinds(report) == [ProblemKind.SPEAKER_DOUBLE_BOOKED]
    assert report.problems[0].params == {"speaker": "H.E. Ada", "speaker_id": 1, "first": "Panel A",
                                         "second": "Panel B"}
    assert report.for_session(2) == report.problems


def test_check_agenda_finds_two_sessions_overlapping_in_one_channel():
    a = Item(1, BASE, title="Opening", participations=[P(1)])
    b = Item(2, BASE + timedelta(minutes=59), title="Panel", participations=[P(2)])

    report = check([a, b])

    assert kinds(report) == [ProblemKind.CHANNEL_OVERLAP]
    assert report.problems[0].params == {"first": "Opening", "second": "Panel", "channel": "Plenary"}


def test_check_agenda_ignores_cancelled_sessions_and_back_to_back_ones():
    a = Item(1, BASE, participations=[P(1)])
    b = Item(2, BASE + timedelta(minutes=60), participations=[P(1)])
    cancelled = Item(3, BASE, participations=[P(1)], status=SessionStatus.CANCELLED)

    assert check([a, b, cancelled]).problems == []


def test_check_agenda_finds_sessions_outside_the_event_days_in_its_zone():
    # 23:30 UTC on 26 October is 01:30 on the 27th in Amsterdam: after the event.
    late = Item(1, datetime(2021, 10, 26, 23, 30, tzinfo=UTC), duration=timedelta(minutes=30))
    # 22:30 UTC on 24 October is 00:30 on the 25th in Amsterdam: inside.
    early = Item(2, datetime(2021, 10, 24, 22, 30, tzinfo=UTC), duration=timedelta(minutes=30), channel_id=2)

    report = check([late, early])

    assert [(p.kind, p.session_ids) for p in report.problems] == [(ProblemKind.OUTSIDE_EVENT_DATES, (1,))]


def test_check_agenda_finds_a_session_crossing_midnight_in_the_event_zone():
    # 21:30–22:30 UTC is 23:30–00:30 in Amsterdam (UTC+2).
    item = Item(1, datetime(2021, 10, 25, 21, 30, tzinfo=UTC))
    ends_at_midnight = Item(2, datetime(2021, 10, 25, 21, 0, tzinfo=UTC), channel_id=2)

    report = check([item])

    assert kinds(report) == [ProblemKind.CROSSES_MIDNIGHT]
    assert check([ends_at_midnight]).problems == []


def test_check_agenda_notes_the_dst_change_inside_an_amsterdam_event():
    report = check([], starts_on=date(2021, 10, 30), ends_on=date(2021, 10, 31))

    assert [p.params for p in report.notices] == [
        {"zone": "Europe/Amsterdam", "day": date(2021, 10, 31), "is_forward": False, "minutes": 60,
         "before": "UTC+2", "after": "UTC+1"}]
    assert report.mistakes == []


def test_check_agenda_midnight_check_uses_the_25_hour_day():
    # On 31 October 2021 Amsterdam's day lasts 25 hours: 22:00 UTC on the 31st is 23:00 local, so a
    # one-hour session ends exactly at midnight and crosses nothing.
    item = Item(1, datetime(2021, 10, 31, 22, 0, tzinfo=UTC))

    report = check([item], starts_on=date(2021, 10, 30), ends_on=date(2021, 10, 31))

    assert report.mistakes == []


def test_check_agenda_finds_video_sessions_without_a_slot_or_too_short():
    bare = Item(1, BASE, kind=SessionKind.VIDEO_MESSAGE, participations=[], title="Video A")
    short = Item(2, BASE + timedelta(hours=2), duration=timedelta(minutes=5), kind=SessionKind.VIDEO_MESSAGE,
                 participations=[], title="Video B", video_message=Video(timedelta(minutes=5), timedelta(minutes=6)))

    report = check([bare, short])

    assert [(p.kind, p.session_ids) for p in report.problems] == [
        (ProblemKind.VIDEO_WITHOUT_SLOT, (1,)), (ProblemKind.VIDEO_LONGER_THAN_SLOT, (2,))]
    assert report.problems[1].params == {"title": "Video B", "length": timedelta(minutes=6),
                                         "duration": timedelta(minutes=5)}


def test_check_agenda_wants_speakers_for_panels_but_not_for_breaks():
    panel = Item(1, BASE, kind=SessionKind.PANEL, participations=[], title="Panel")
    coffee = Item(2, BASE + timedelta(hours=2), kind=SessionKind.BREAK, participations=[], title="Break")

    report = check([panel, coffee])

    assert [(p.kind, p.params) for p in report.problems] == [
        (ProblemKind.NO_SPEAKERS, {"title": "Panel", "session_kind": SessionKind.PANEL})]
