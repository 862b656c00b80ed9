"""How many delegates need each language in each session: what organizers book interpretation booths by."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import select

from confman.extensions import db
from confman.models import AgendaSession, Event, Registration, RegistrationStatus, SessionKind, registration_session

# Whoever may still attend: an approved delegate, and one awaiting approval.
COUNTED = (RegistrationStatus.APPROVED, RegistrationStatus.PENDING)


@dataclass(frozen=True)
class Demand:
    session: AgendaSession
    counts: dict[str, int]  # language code -> delegates who will listen in it
    interpreted: tuple[str, ...]  # what the session is heard in: its floor language and interpretation


def demand(event: Event) -> tuple[list[str], list[Demand]]:
    """(the languages counted, one row per session in start order, breaks and cancelled ones left out).

    A delegate counts for the sessions they picked, or for every session when they picked none; for the languages
    they said they listen in, or their preferred language when they named none. Three queries, whatever the size.
    """
    registrations = db.session.execute(
        select(Registration.id, Registration.language, Registration.interpretation_languages)
        .where(Registration.event_id == event.id, Registration.status.in_(COUNTED))).all()
    picks: dict[int, set[int]] = {}
    for registration_id, session_id in db.session.execute(
            select(registration_session.c.registration_id, registration_session.c.session_id)
            .join(Registration, Registration.id == registration_session.c.registration_id)
            .where(Registration.event_id == event.id)):
        picks.setdefault(registration_id, set()).add(session_id)
    sessions = db.session.scalars(
        select(AgendaSession).where(AgendaSession.event_id == event.id, AgendaSession.kind != SessionKind.BREAK)
        .order_by(AgendaSession.starts_at, AgendaSession.id)).all()
    codes = list(event.languages)
    rows = []
    for item in sessions:
        if item.is_cancelled:
            continue
        counts = dict.fromkeys(codes, 0)
        for registration_id, language, listens in registrations:
            chosen = picks.get(registration_id)
            if chosen is not None and item.id not in chosen:
                continue
            for code in (listens or ([language] if language else [])):
                if code in counts:
                    counts[code] += 1
        heard = (item.floor_language or event.default_language, *item.interpretation_languages)
        rows.append(Demand(item, counts, tuple(dict.fromkeys(heard))))
    return codes, rows


def demand_csv(event: Event, *, headings: list[str]) -> str:
    """The table as CSV: `headings` are the words for session, start (UTC) and "heard in", then one column per
    language code."""
    codes, rows = demand(event)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*headings, *codes])
    for row in rows:
        writer.writerow([_cell(row.session.title), row.session.starts_at.isoformat(), " ".join(row.interpreted),
                         *(row.counts[c] for c in codes)])
    return out.getvalue()


def _cell(text: str) -> str:
    """A title a spreadsheet would run as a formula, defused with an apostrophe (as the registrations CSV does)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
