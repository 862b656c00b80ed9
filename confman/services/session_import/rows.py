"""What a file proposes, row by row, before it is compared with the event: the shape every reader returns.

Messages are msgids with their values (`Message`), worded in the viewer's language by the page that shows them:
services know no Flask. `N_` marks them for the catalogue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from confman import plaintext
from confman.models import ParticipationRole, SessionKind

MAX_ERRORS = 50  # past this many, reading stops: the file is probably not what the organizer meant to send
MAX_ROWS = 2000


def N_(text: str) -> str:  # noqa: N802 - Babel's marker for a msgid worded later
    return text


@dataclass(frozen=True)
class Message:
    text: str
    params: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class ProposedPerson:
    name: str
    role: ParticipationRole = ParticipationRole.SPEAKER


@dataclass
class ProposedRow:
    """One session as the file gives it. None means "the file says nothing of it" (kept on an update)."""

    where: Message
    key: str | None  # the stable key that matches an earlier import: frab guid or id, CSV `ref`
    title: str
    starts_at: datetime | None  # aware UTC; None: unscheduled (CSV without day and start)
    duration: timedelta
    kind: SessionKind | None = None
    channel: str | None = None  # "" = no channel
    theme: str | None = None
    description: str | None = None
    language: str | None = None  # floor language, "" = the event's default
    persons: list[ProposedPerson] | None = None
    topics: list[str] | None = None
    is_fixed: bool | None = None
    has_start: bool = True  # False: the file has no day or start columns (an update keeps the session's start)


@dataclass(frozen=True)
class RowError:
    where: Message | None  # None: the whole file
    message: Message


class TooManyErrors(Exception):
    pass


@dataclass
class ReadResult:
    format: str  # "csv", "frab schedule.xml", "c3voc schedule.json"
    rows: list[ProposedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    colours: dict[str, str] = field(default_factory=dict)  # theme name -> #rrggbb, from frab tracks
    truncated: bool = False  # stopped after MAX_ERRORS

    def error(self, where: Message | None, text: str, **params) -> None:
        self.errors.append(RowError(where, Message(text, params)))
        if len(self.errors) >= MAX_ERRORS:
            self.truncated = True
            raise TooManyErrors


def read_file(file_format: str, read: Callable[[bytes, ZoneInfo, ReadResult], None], data: bytes,
              tz: ZoneInfo) -> ReadResult:
    """Every row of `data` checked by `read` (until MAX_ERRORS, where ReadResult.error stops it); never raises for
    bad input (see ReadResult.errors)."""
    result = ReadResult(format=file_format)
    try:
        read(data, tz, result)
    except TooManyErrors:
        pass
    return result


KIND_NAMES = {**{k.value: k for k in SessionKind}, **{k.label.lower(): k for k in SessionKind},
              "talk": SessionKind.STATEMENT, "lecture": SessionKind.STATEMENT, "keynote": SessionKind.STATEMENT,
              "discussion": SessionKind.PANEL, "podium": SessionKind.PANEL, "pause": SessionKind.BREAK,
              "video": SessionKind.VIDEO_MESSAGE, "video message": SessionKind.VIDEO_MESSAGE}
_DURATION = re.compile(r"(\d{1,2}):([0-5]\d)(?::([0-5]\d))?")


def kind_of(value: str) -> SessionKind | None:
    return KIND_NAMES.get(" ".join(value.lower().replace("_", " ").split())) or KIND_NAMES.get(value.lower())


def hhmm_duration(value: str) -> timedelta | None:
    match = _DURATION.fullmatch(value.strip())
    if match is None:
        return None
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def check_text(result: ReadResult, where: Message, *, title: str, names: list[str], channel: str, theme: str,
               description: str, topics: list[str] = ()) -> bool:
    """The checks every format shares: a title, lengths, no control characters. False when one failed."""
    ok = True
    if not title:
        result.error(where, N_("It has no title."))
        ok = False
    elif len(title) > 200:
        result.error(where, N_("Its title is longer than 200 characters."))
        ok = False
    if any(not n for n in names):
        result.error(where, N_("A speaker has no name."))
        ok = False
    if any(len(n) > 200 for n in names):
        result.error(where, N_("A speaker's name is longer than 200 characters."))
        ok = False
    if any(len(v) > 120 for v in (channel, theme, *topics)):
        result.error(where, N_("A channel, theme or topic name is longer than 120 characters."))
        ok = False
    single = [title, channel, theme, *names, *topics]
    if not all(plaintext.is_clean(v) for v in single) or not plaintext.is_clean(description, multiline=True):
        result.error(where, N_("It holds control characters (or line breaks in a title or name)."))
        ok = False
    return ok
