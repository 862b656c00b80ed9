"""The one rule for control characters in text people type or import (stdlib only: forms and services share it).

A NUL byte was a 500 on PostgreSQL and went raw into agenda.ics on SQLite (RFC 5545 forbids it), and single-line
fields kept CR/LF, which splits headers and calendar lines (issue 19, finding 8). Single-line text may hold TAB
but no other C0 control or DEL; multi-line text may also hold line feeds (CRLF and CR count as line feeds).
"""

from __future__ import annotations

import re

_SINGLE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_MULTI_LINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

SINGLE_LINE_MESSAGE = "Remove the line breaks and control characters from this field."
MULTI_LINE_MESSAGE = "Remove the control characters (such as NUL) from this text."


def normalize_newlines(text: str | None) -> str | None:
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def is_clean(text: str | None, *, multiline: bool = False) -> bool:
    if not text:
        return True
    pattern = _MULTI_LINE if multiline else _SINGLE_LINE
    return pattern.search(normalize_newlines(text) if multiline else text) is None
