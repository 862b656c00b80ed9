"""A session's published list of speakers as plain data, JSON and CSV: delegations in calling order."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from confman.models import Inscription, SpeakersList
from confman.services import floor

CSV_COLUMNS = ("place", "delegations", "speaker", "title", "protocol_rank", "status", "from_floor",
               "time_limit_seconds")


def delegation_name(delegation) -> str:
    return delegation.organization.name


def entry(place: int, inscription: Inscription) -> dict[str, Any]:
    limit = floor.time_limit(inscription)
    return {
        "place": place,
        "delegations": [delegation_name(d) for d in inscription.delegations],
        "country_codes": [d.organization.country_code for d in inscription.delegations],
        "speaker": inscription.speaker_full_name,
        "title": inscription.speaker_title,
        "protocol_rank": inscription.protocol_rank.value,
        "status": inscription.status.value,
        "from_floor": inscription.is_from_floor,
        "time_limit_seconds": int(limit.total_seconds()) if limit else None,
    }


def entries(speakers_list: SpeakersList) -> list[dict[str, Any]]:
    return [entry(n, i) for n, i in enumerate(floor.calling_order(speakers_list.inscriptions), start=1)]


def as_json(speakers_list: SpeakersList, *, title: str, session_url: str, now: datetime,
            statement_url: Callable[[int], str] | None = None) -> bytes:
    data = {
        "session": {"id": speakers_list.session_id, "title": title, "url": session_url},
        "open_for_inscriptions": floor.is_window_open(speakers_list, now),
        "opens_at": speakers_list.opens_at.isoformat() if speakers_list.opens_at else None,
        "closes_at": speakers_list.closes_at.isoformat() if speakers_list.closes_at else None,
        "cap": speakers_list.cap,
        "entries": entries(speakers_list),
    }
    if statement_url is not None:
        by_place = {n: i for n, i in enumerate(floor.calling_order(speakers_list.inscriptions), start=1)}
        for item in data["entries"]:
            item["statements"] = [{"language": s.language, "url": statement_url(s.id)}
                                  for s in by_place[item["place"]].statements if floor.is_public(s, now)]
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def as_csv(speakers_list: SpeakersList) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for item in entries(speakers_list):
        cells = [str(c) for c in (item["place"], "; ".join(item["delegations"]), item["speaker"], item["title"],
                                  item["protocol_rank"], item["status"], "yes" if item["from_floor"] else "no",
                                  item["time_limit_seconds"] or "")]
        # A spreadsheet would run a cell starting like a formula: delegates' text is data, never a formula.
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells])
    return ("\ufeff" + out.getvalue()).encode()  # the BOM makes spreadsheets read UTF-8
