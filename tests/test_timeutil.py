"""Wall-clock times and instants, across daylight-saving changes."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from confman.timeutil import from_local, local_day_bounds, utc_offset_label, zone_or_none

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def test_from_local_uses_the_offset_in_force_on_that_day():
    assert from_local(datetime(2021, 10, 30, 10, 0), AMSTERDAM) == datetime(2021, 10, 30, 8, 0, tzinfo=UTC)
    assert from_local(datetime(2021, 10, 31, 10, 0), AMSTERDAM) == datetime(2021, 10, 31, 9, 0, tzinfo=UTC)


def test_from_local_takes_the_first_of_a_repeated_hour():
    assert from_local(datetime(2021, 10, 31, 2, 30), AMSTERDAM) == datetime(2021, 10, 31, 0, 30, tzinfo=UTC)


def test_day_bounds_are_25_hours_when_summer_time_ends():
    start, end = local_day_bounds(date(2021, 10, 31), AMSTERDAM)

    assert end - start == timedelta(hours=25)


def test_zone_or_none_rejects_unknown_zones():
    assert zone_or_none("Asia/Karachi") == ZoneInfo("Asia/Karachi")
    assert zone_or_none("Mars/Olympus_Mons") is None
    assert zone_or_none("../../etc/passwd") is None


def test_offset_label():
    assert utc_offset_label(datetime(2021, 10, 25, tzinfo=UTC), ZoneInfo("Asia/Karachi")) == "UTC+5"
    assert utc_offset_label(datetime(2021, 10, 25, tzinfo=UTC), ZoneInfo("Asia/Kolkata")) == "UTC+5:30"
    assert utc_offset_label(datetime(2021, 10, 25, tzinfo=UTC), ZoneInfo("America/New_York")) == "UTC-4"
