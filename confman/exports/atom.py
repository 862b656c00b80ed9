"""The agenda's changelog as an Atom feed (RFC 4287): one entry per published version or live amendment."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape

from confman.models import AgendaVersion, AgendaVersionKind, Event

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
NAMESPACE = uuid.UUID("0b0c1f0e-5a4e-5d7e-8f55-7a1de1a2b9c3")
_LABELS = {"added": "Added", "removed": "Removed", "moved": "Moved", "cancelled": "Cancelled",
           "reinstated": "Reinstated", "renamed": "Renamed", "channel": "Channel changed",
           "speakers": "Speakers changed", "translated": "Translations changed",
           "interpretation": "Interpretation changed"}


def changes_atom(event: Event, versions: Sequence[AgendaVersion], *, feed_url: str, agenda_url: str,
                 titles: Mapping[int, str] | None = None) -> bytes:
    """Newest version first. Ids are stable URNs, so feed readers never show an entry twice. `titles` (session id
    -> title in the reader's language) replaces the default-language titles the changelog recorded."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    _add(feed, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{event.slug}/changes')}")
    _add(feed, "title", f"Agenda changes: {event.title}")
    newest = max((v.published_at for v in versions), default=event.created_at)
    _add(feed, "updated", _stamp(newest))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=feed_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=agenda_url, type="text/html")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _add(author, "name", event.title)
    _add(feed, "generator", "confman")
    for version in sorted(versions, key=lambda v: v.number, reverse=True):
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _add(entry, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{event.slug}/agenda-version/{version.number}')}")
        kind = "Live amendment" if version.kind == AgendaVersionKind.LIVE else "Agenda published"
        _add(entry, "title", f"{kind}: version {version.number}")
        _add(entry, "updated", _stamp(version.published_at))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=agenda_url, type="text/html")
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = _html(event, version, titles or {})
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _html(event: Event, version: AgendaVersion, titles: Mapping[int, str]) -> str:
    parts = [f"<p>{escape(version.comment)}</p>"] if version.comment else []
    items = [f"<li>{escape(change_line(event, _retitled(c, titles)))}</li>" for c in version.changelog]
    parts.append(f"<ul>{''.join(items)}</ul>" if items else "<p>No session changed.</p>")
    return "".join(parts)


def _retitled(change: dict, titles: Mapping[int, str]) -> dict:
    title = titles.get(change.get("session_id"))
    return change if title is None or change.get("change") == "renamed" else {**change, "title": title}


def change_line(event: Event, change: dict) -> str:
    label = _LABELS.get(change.get("change", ""), change.get("change", "Changed").capitalize())
    line = f"{label}: {change.get('title', '')}"
    if change.get("change") == "moved" and change.get("from") and change.get("to"):
        before, after = (datetime.fromisoformat(change[k]).astimezone(event.tz) for k in ("from", "to"))
        line += f", now {after:%a %d %b %H:%M} (was {before:%a %d %b %H:%M}, {event.timezone})"
    elif change.get("change") in ("speakers", "renamed") and change.get("detail"):
        line += f" ({change['detail']})"
    return line


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    el.text = text
    return el
