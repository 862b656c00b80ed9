"""The timetable grid: channels as columns, elapsed-time rows (right across DST), lanes for overlaps."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from confman.services.timetable import build_timetable

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Room:
    id: int
    name: str


@dataclass
class Item:
    id: int
    starts_at: datetime
    duration: timedelta
    channel: Room | None
    participations: list = field(default_factory=list)

    @property
    def ends_at(self):
        return self.starts_at + self.duration


def test_build_timetable_puts_channels_in_columns_and_times_in_rows():
    plenary, side = Room(1, "Plenary"), Room(2, "Side")
    a = Item(1, datetime(2021, 10, 25, 7, 0, tzinfo=UTC), timedelta(minutes=30), plenary)  # 09:00 local
    b = Item(2, datetime(2021, 10, 25, 7, 30, tzinfo=UTC), timedelta(minutes=60), side)

    (day,) = build_timetable([a, b], [plenary, side], AMSTERDAM)

    assert day.day == date(2021, 10, 25)
    assert [(c.name, c.first, c.lanes) for c in day.columns] == [("Plenary", 2, 1), ("Side", 3, 1)]
    assert [(p.item.id, p.row, p.span, p.column) for p in day.placed] == [(1, 2, 6, 2), (2, 8, 12, 3)]
    assert [(row, t.astimezone(AMSTERDAM).strftime("%H:%M")) for row, t in day.marks] == [(2, "09:00"), (14, "10:00")]


def test_build_timetable_gives_overlapping_sessions_their_own_lane():
    plenary = Room(1, "Plenary")
    a = Item(1, datetime(2021, 10, 25, 7, 0, tzinfo=UTC), timedelta(minutes=60), plenary)
    b = Item(2, datetime(2021, 10, 25, 7, 30, tzinfo=UTC), timedelta(minutes=60), plenary)
    c = Item(3, datetime(2021, 10, 25, 8, 0, tzinfo=UTC), timedelta(minutes=30), plenary)

    (day,) = build_timetable([a, b, c], [plenary], AMSTERDAM)

    assert day.columns[0].lanes == 2
    assert {p.item.id: p.column for p in day.placed} == {1: 2, 2: 3, 3: 2}


def test_build_timetable_counts_elapsed_time_on_the_day_clocks_go_back():
    # 31 October 2021 in Amsterdam: 02:00-03:00 happens twice. A session from 01:30 to 03:30 local lasts 3 hours.
    room = Room(1, "Plenary")
    item = Item(1, datetime(2021, 10, 30, 23, 30, tzinfo=UTC), timedelta(hours=3), room)

    (day,) = build_timetable([item], [room], AMSTERDAM)

    assert day.placed[0].span == 36
    assert [t.astimezone(AMSTERDAM).strftime("%H:%M%z") for _, t in day.marks] == [
        "01:00+0200", "02:00+0200", "02:00+0100", "03:00+0100"]


def test_build_timetable_adds_a_column_for_sessions_without_a_channel():
    plenary = Room(1, "Plenary")
    loose = Item(1, datetime(2021, 10, 25, 7, 0, tzinfo=UTC), timedelta(minutes=30), None)

    (day,) = build_timetable([loose], [plenary], AMSTERDAM)

    assert [c.name for c in day.columns] == ["Plenary", "No channel"]
    assert day.placed[0].column == 3
