"""The floor: lists of speakers (inscriptions, calling order, the chair's calls), written statements, virtual rooms.

Views use the modules through this package: `from confman.services import floor`, then `floor.inscribe(...)`.
"""

from confman.services.floor.calling import (
    OUTCOMES,
    WRAP_UP,
    Clock,
    NotPossibleNow,
    call,
    call_next,
    called,
    clock,
    mark,
    reopen,
    waiting,
)
from confman.services.floor.inscriptions import (
    AlreadyInscribed,
    BadEntry,
    ListFull,
    NotAllowed,
    NotEligible,
    NothingToUndo,
    SpeakerDetails,
    WindowClosed,
    change,
    inscribe,
    move,
    undo_move,
    withdraw,
)
from confman.services.floor.lists import (
    DEFAULT_CATEGORIES,
    BadSettings,
    FloorError,
    Settings,
    StaleList,
    bump_live_version,
    calling_order,
    configure,
    delegation_categories,
    delegations_of,
    is_window_open,
    list_of,
    load_list,
    may_manage,
    speaks_for,
    time_limit,
)
from confman.services.floor.live_view import annotate as annotate_live
from confman.services.floor.live_view import floor_status, lists_for
from confman.services.floor.rooms import (
    BadLink,
    JoinLink,
    Links,
    join_links,
    links_for,
    may_join,
    meeting_links,
    public_links,
    resolve,
    rooms_by_session,
    set_channel_links,
    set_session_links,
)
from confman.services.floor.statements import DEFAULT_MAX_BYTES as STATEMENT_MAX_BYTES
from confman.services.floor.statements import (
    StatementRefused,
    document_kind,
    event_statements,
    file_statement,
    is_public,
    may_file,
    may_read,
    withdraw_statement,
)
from confman.services.floor.statements import read as read_statement

__all__ = [
    "AlreadyInscribed", "BadEntry", "BadLink", "BadSettings", "Clock", "DEFAULT_CATEGORIES", "FloorError",
    "JoinLink", "Links", "ListFull", "NotAllowed", "NotEligible", "NotPossibleNow", "NothingToUndo", "OUTCOMES",
    "STATEMENT_MAX_BYTES", "Settings", "SpeakerDetails", "StaleList", "StatementRefused", "WRAP_UP", "WindowClosed",
    "annotate_live", "bump_live_version", "call", "call_next", "called", "calling_order", "change", "clock",
    "configure", "delegation_categories", "delegations_of", "document_kind", "event_statements", "file_statement",
    "floor_status", "inscribe", "is_public", "is_window_open", "join_links", "links_for", "list_of", "lists_for",
    "load_list", "mark", "may_file", "may_join", "may_manage", "may_read", "meeting_links", "move", "public_links",
    "read_statement", "reopen", "resolve", "rooms_by_session", "set_channel_links", "set_session_links",
    "speaks_for", "time_limit", "undo_move", "waiting", "withdraw", "withdraw_statement",
]
from confman.services.floor.reminders import DEFAULT_LEAD as DAY_REMINDER_LEAD
from confman.services.floor.reminders import queue_day_reminders
