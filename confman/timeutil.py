"""Instants and wall-clock times: aware UTC inside, a zone only at the edges. Standard library only."""

from datetime import UTC, date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import TZPATH, ZoneInfo, ZoneInfoNotFoundError, available_timezones


def utcnow() -> datetime:
    return datetime.now(UTC)


def to_local(instant: datetime, tz: ZoneInfo) -> datetime:
    if instant.tzinfo is None:
        raise ValueError(f"naive datetime {instant!r}: attach a timezone first")
    return instant.astimezone(tz)


def from_local(wall_clock: datetime, tz: ZoneInfo) -> datetime:
    """Interpret a naive wall-clock time in `tz` and return the UTC instant.

    Ambiguous times (the repeated hour when daylight saving ends) take the first occurrence (fold=0), as
    calendar apps do; a time that does not exist (skipped hour) is moved forward by the gap.
    """
    if wall_clock.tzinfo is not None:
        raise ValueError("from_local expects a naive wall-clock time")
    # fold=0 is zoneinfo's default and gives both behaviours: the earlier offset applies in either case.
    return wall_clock.replace(tzinfo=tz, fold=0).astimezone(UTC)


def local_day_bounds(day: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants at which `day` starts and ends in `tz` (23 or 25 hours long across a DST change)."""
    start = from_local(datetime.combine(day, time()), tz)
    end = from_local(datetime.combine(day + timedelta(days=1), time()), tz)
    return start, end


def zone_or_none(name: str | None) -> ZoneInfo | None:
    """The IANA zone called `name`, or None when there is no such zone."""
    if not name or name not in _known_zones():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


_ZONES: frozenset[str] | None = None


def _known_zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(available_timezones())
    return _ZONES


_COMMON: list[str] | None = None


def common_zones() -> list[str]:
    """The zones a picker offers: those of the tz database's zone.tab (one or more per country), so deprecated
    aliases such as US/Eastern or Asia/Calcutta are left out (they still validate, for old data)."""
    global _COMMON
    if _COMMON is None:
        listed = _zone_tab()
        _COMMON = sorted(z for z in _known_zones() if (z in listed if listed else "/" in z and not z.startswith(
            ("Etc/", "SystemV/", "posix/", "right/", "US/"))))
    return _COMMON


def _zone_tab() -> set[str]:
    texts = []
    try:
        texts.append(resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8"))
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        for folder in TZPATH:
            try:
                texts.append((Path(folder) / "zone.tab").read_text(encoding="utf-8"))
                break
            except OSError:
                continue
    return {line.split("\t")[2] for text in texts for line in text.splitlines()
            if line and not line.startswith("#") and len(line.split("\t")) > 2}


# Places people type that are not the city a zone is named after.
_PLACES = {
    "geneva": "Europe/Zurich", "bern": "Europe/Zurich", "the hague": "Europe/Amsterdam", "hague": "Europe/Amsterdam",
    "washington": "America/New_York", "washington dc": "America/New_York", "boston": "America/New_York",
    "san francisco": "America/Los_Angeles", "ottawa": "America/Toronto", "beijing": "Asia/Shanghai",
    "new delhi": "Asia/Kolkata", "delhi": "Asia/Kolkata", "mumbai": "Asia/Kolkata", "islamabad": "Asia/Karachi",
    "brasilia": "America/Sao_Paulo", "canberra": "Australia/Sydney", "abuja": "Africa/Lagos",
    "wellington": "Pacific/Auckland", "brussels": "Europe/Brussels", "london": "Europe/London",
}


def suggest_zone(text: str | None) -> str | None:
    """The IANA zone a city or place most likely means ("Geneva" → Europe/Zurich, "New York" → America/New_York),
    or None."""
    key = " ".join((text or "").replace("_", " ").split()).lower()
    if not key:
        return None
    if key in _PLACES:
        return _PLACES[key]
    for zone in common_zones():
        if zone.rsplit("/", 1)[-1].replace("_", " ").lower() == key:
            return zone
    return None


def utc_offset_label(instant: datetime, tz: ZoneInfo) -> str:
    """'UTC+5' or 'UTC+5:30' or 'UTC' for the offset of `tz` at `instant`."""
    offset = instant.astimezone(tz).utcoffset() or timedelta()
    minutes = int(offset.total_seconds() // 60)
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{mins:02d}" if mins else "")


def format_duration(duration: timedelta) -> str:
    """'1 h 30 min' or '45 min', as agendas print lengths."""
    minutes = int(duration.total_seconds() // 60)
    hours, mins = divmod(minutes, 60)
    if hours and mins:
        return f"{hours} h {mins} min"
    if hours:
        return f"{hours} h"
    return f"{mins} min"
