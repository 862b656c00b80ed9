"""Importing sessions from a file into an event: frab `schedule.xml`, c3voc `schedule.json` or CSV. A file is read
into rows (`read_file`), compared with the event into a plan the organizer previews (`plan_import`), and applied
all at once when they confirm (`apply_plan`), or not at all."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from confman.services.session_import.csv_file import COLUMNS, read_csv
from confman.services.session_import.frab_file import read_json, read_xml
from confman.services.session_import.planning import Change, Plan, StalePreview, apply_plan, fingerprint, plan_import
from confman.services.session_import.rows import MAX_ERRORS, N_, Message, ReadResult, RowError

__all__ = ["COLUMNS", "MAX_ERRORS", "Change", "Message", "Plan", "ReadResult", "RowError", "StalePreview",
           "apply_plan", "fingerprint", "plan_import", "read_file"]


def read_file(data: bytes, tz: ZoneInfo) -> ReadResult:
    """The rows and errors of an uploaded file, by its content: JSON, XML, else CSV. Naive times are read in `tz`
    (the event's zone). Never raises for bad input."""
    text = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        result = ReadResult(format="")
        result.errors.append(RowError(None, Message(N_("The file is empty."))))
        return result
    if text[:1] == b"{":
        return read_json(text, tz)
    if text[:1] == b"<":
        return read_xml(text, tz)
    return read_csv(data, tz)
