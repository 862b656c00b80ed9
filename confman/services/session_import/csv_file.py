"""Reading sessions from a CSV file with a header row (the columns are documented on the import page and in
docs/import.md). Times are wall-clock times in the event's zone."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from confman import languages, plaintext
from confman.services.session_import.rows import (
    MAX_ROWS,
    N_,
    Message,
    ProposedPerson,
    ProposedRow,
    ReadResult,
    check_text,
    kind_of,
    read_file,
)
from confman.timeutil import from_local

# Column names, in the order the page documents them; then the other spellings a spreadsheet may carry.
COLUMNS = ("ref", "title", "kind", "day", "start", "end", "duration", "channel", "theme", "topics", "speakers",
           "description", "language", "fixed_start")
ALIASES = {"key": "ref", "id": "ref", "date": "day", "room": "channel", "track": "theme", "type": "kind",
           "topic": "topics", "tags": "topics", "tag": "topics", "speaker": "speakers", "persons": "speakers",
           "fixed": "fixed_start", "minutes": "duration", "floor_language": "language"}
_TIME = re.compile(r"([01]?\d|2[0-3])[:.h]([0-5]\d)")
_YES = {"yes", "y", "true", "1", "x", "oui", "o", "vrai"}
_NO = {"no", "n", "false", "0", "non", "faux", ""}


def read_csv(data: bytes, tz: ZoneInfo) -> ReadResult:
    return read_file("csv", _read, data, tz)


def _read(data: bytes, tz: ZoneInfo, result: ReadResult) -> None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.error(None, N_("The file is not UTF-8 text. Save it as “CSV UTF-8” in your spreadsheet and try "
                              "again."))
        return
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        result.error(None, N_("The file is empty."))
        return
    columns = _columns(header, result)
    if columns is None:
        return
    line = reader.line_num
    try:
        for values in reader:
            where = Message(N_("line %(line)s"), {"line": line + 1})
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(result.rows) >= MAX_ROWS:
                result.error(None, N_("The file has more than %(count)s sessions: import it in parts."),
                             count=MAX_ROWS)
                break
            if len(values) > len(columns):
                result.error(where, N_("It has %(found)s values, and the header only %(count)s columns."),
                             found=len(values), count=len(columns))
                continue
            row = dict(zip(columns, (v.strip() for v in values), strict=False))
            item = _row(row, set(columns), where, tz, result)
            if item is not None:
                result.rows.append(item)
    except csv.Error:
        result.error(Message(N_("line %(line)s"), {"line": line + 1}),
                     N_("It is not valid CSV (an unclosed quotation mark?)."))


def _columns(header: list[str], result: ReadResult) -> list[str] | None:
    columns = []
    for raw in header:
        name = raw.strip().lower().replace(" ", "_").replace("-", "_")
        name = ALIASES.get(name, name)
        if name not in COLUMNS:
            result.error(None, N_("Unknown column “%(column)s” in the header. The columns are: %(columns)s."),
                         column=raw.strip(), columns=", ".join(COLUMNS))
            return None
        if name in columns:
            result.error(None, N_("The header has the column “%(column)s” twice."), column=name)
            return None
        columns.append(name)
    if "title" not in columns:
        result.error(None, N_("The header has no “title” column. The columns are: %(columns)s."),
                     columns=", ".join(COLUMNS))
        return None
    if "duration" not in columns and "end" not in columns:
        result.error(None, N_("The header needs a “duration” (minutes) or an “end” (HH:MM) column."))
        return None
    return columns


def _row(row: dict[str, str], present: set[str], where: Message, tz: ZoneInfo,
         result: ReadResult) -> ProposedRow | None:
    def get(name: str) -> str | None:
        return row.get(name, "") if name in present else None

    title = row.get("title", "")
    names = _split(get("speakers"))
    topics = _split(get("topics"))
    description = plaintext.normalize_newlines(get("description"))
    ok = check_text(result, where, title=title, names=names or [], channel=get("channel") or "",
                    theme=get("theme") or "", description=description or "", topics=topics or [])
    ref = get("ref") or None
    if ref is not None and (len(ref) > 200 or not plaintext.is_clean(ref)):
        result.error(where, N_("Its ref is longer than 200 characters or holds control characters."))
        ok = False
    kind = None
    if get("kind"):
        kind = kind_of(row["kind"])
        if kind is None:
            result.error(where, N_("“%(value)s” is not a kind of session. Use one of: %(kinds)s."),
                         value=row["kind"], kinds="opening, statement, plenary, panel, video_message, break, closing")
            ok = False
    starts_at, start_clock = _start(get("day") or "", get("start") or "", where, tz, result)
    duration = _duration(get("duration") or "", get("end") or "", start_clock, where, result)
    language = get("language")
    if language:
        language = language.lower()
        if not languages.is_known(language):
            result.error(where, N_("“%(value)s” is not an ISO 639-1 language code (such as en, fr, ar)."),
                         value=row["language"])
            ok = False
    is_fixed = None
    if (fixed := get("fixed_start")) is not None:
        if fixed.lower() in _YES:
            is_fixed = True
        elif fixed.lower() in _NO:
            is_fixed = False
        else:
            result.error(where, N_("fixed_start is “%(value)s”: write yes or no."), value=fixed)
            ok = False
    if not ok or starts_at is False or duration is None:
        return None
    return ProposedRow(
        where=where, key=ref, title=title, starts_at=starts_at, duration=duration, kind=kind,
        channel=get("channel"), theme=get("theme"), description=description, language=language,
        persons=None if names is None else [ProposedPerson(n) for n in names], topics=topics, is_fixed=is_fixed,
        has_start=bool({"day", "start"} & present))


def _split(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [" ".join(part.split()) for part in value.split(";") if part.strip()]


def _start(day: str, start: str, where: Message, tz: ZoneInfo, result: ReadResult):
    """(UTC instant or None for an unscheduled row, wall-clock datetime); False as the instant when wrong."""
    if not day and not start:
        return None, None
    if not day or not start:
        result.error(where, N_("Give both a day and a start, or neither (an unscheduled session)."))
        return False, None
    try:
        local_day = date.fromisoformat(day)
    except ValueError:
        result.error(where, N_("The day “%(value)s” is not a date written YYYY-MM-DD."), value=day)
        return False, None
    match = _TIME.fullmatch(start)
    if match is None:
        result.error(where, N_("The start “%(value)s” is not a time written HH:MM."), value=start)
        return False, None
    clock = datetime.combine(local_day, datetime.min.time()).replace(hour=int(match[1]), minute=int(match[2]))
    return from_local(clock, tz), clock


def _duration(minutes: str, end: str, start: datetime | None, where: Message,
              result: ReadResult) -> timedelta | None:
    duration = None
    if minutes:
        if not minutes.isdigit() or not 1 <= int(minutes) <= 1440:
            result.error(where, N_("The duration “%(value)s” is not a number of minutes (1 to 1440)."),
                         value=minutes)
            return None
        duration = timedelta(minutes=int(minutes))
    if end:
        match = _TIME.fullmatch(end)
        if match is None:
            result.error(where, N_("The end “%(value)s” is not a time written HH:MM."), value=end)
            return None
        if start is None:
            if duration is None:
                result.error(where, N_("An unscheduled session needs a duration in minutes, not an end."))
            return duration
        until = start.replace(hour=int(match[1]), minute=int(match[2])) - start
        if until <= timedelta():
            result.error(where, N_("It ends at %(end)s, not after its start."), end=end)
            return None
        if duration is not None and duration != until:
            result.error(where, N_("Its duration (%(minutes)s minutes) and its end (%(end)s) disagree."),
                         minutes=minutes, end=end)
            return None
        duration = until
    if duration is None:
        result.error(where, N_("It has no duration: give the minutes, or an end."))
    return duration
