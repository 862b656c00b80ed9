"""The agenda's changelog as an Atom feed (RFC 4287): one entry per published version or live amendment."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from html import escape

from confman.exports.programme_text import Wording
from confman.models import AgendaVersion, AgendaVersionKind, Event

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"
NAMESPACE = uuid.UUID("0b0c1f0e-5a4e-5d7e-8f55-7a1de1a2b9c3")


def N_(message: str) -> str:  # noqa: N802 - Babel's marker for a msgid translated later (a default keyword)
    return message


# What a change was, in a word (msgids: words.gettext translates them). "Cancelled" names a session here.
_LABELS = {"added": N_("New session"), "removed": N_("Removed"), "moved": N_("Moved"), "cancelled": N_("Cancelled"),
           "reinstated": N_("Reinstated"), "renamed": N_("Renamed"), "channel": N_("Channel changed"),
           "speakers": N_("Speakers changed"), "translated": N_("Translations changed"),
           "interpretation": N_("Interpretation changed")}


def changes_atom(event: Event, versions: Sequence[AgendaVersion], *, feed_url: str, agenda_url: str,
                 titles: Mapping[int, str] | None = None, words: Wording | None = None) -> bytes:
    """Newest version first. Ids are stable URNs, so feed readers never show an entry twice. `titles` (session id
    -> title in the reader's language) replaces the default-language titles the changelog recorded; `words` is
    the reader's interface language (English by default), which `xml:lang` names."""
    words = words or Wording()
    _ = words.gettext
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": words.lang})
    _add(feed, "id", f"urn:uuid:{uuid.uuid5(NAMESPACE, f'{event.slug}/changes')}")
    _add(feed, "title", _("Agenda changes: %(event)s", event=event.title))
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
        if version.kind == AgendaVersionKind.LIVE:
            heading = _("Live amendment: version %(number)s", number=version.number)
        else:
            heading = _("Agenda published: version %(number)s", number=version.number)
        _add(entry, "title", heading)
        _add(entry, "updated", _stamp(version.published_at))
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=agenda_url, type="text/html")
        content = ET.SubElement(entry, f"{{{ATOM}}}content", type="html")
        content.text = _html(event, version, titles or {}, words)
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _html(event: Event, version: AgendaVersion, titles: Mapping[int, str], words: Wording) -> str:
    parts = [f"<p>{escape(version.comment)}</p>"] if version.comment else []
    items = [f"<li>{escape(change_line(event, _retitled(c, titles), words))}</li>" for c in version.changelog]
    parts.append(f"<ul>{''.join(items)}</ul>" if items else f"<p>{escape(words.gettext('No session changed.'))}</p>")
    return "".join(parts)


def _retitled(change: dict, titles: Mapping[int, str]) -> dict:
    title = titles.get(change.get("session_id"))
    return change if title is None or change.get("change") == "renamed" else {**change, "title": title}


def change_line(event: Event, change: dict, words: Wording | None = None) -> str:
    words = words or Wording()
    _ = words.gettext
    what = change.get("change", "")
    label = _(_LABELS[what]) if what in _LABELS else (what or "changed").capitalize()
    line = _("%(change)s: %(title)s", change=label, title=change.get("title", ""))
    if what == "moved" and change.get("from") and change.get("to"):
        before, after = (words.strftime(datetime.fromisoformat(change[k]), event.tz, "%a %d %b %H:%M")
                         for k in ("from", "to"))
        line += _(", now %(after)s (was %(before)s, %(zone)s)", after=after, before=before, zone=event.timezone)
    elif what in ("speakers", "renamed") and change.get("detail"):
        line += f" ({change['detail']})"
    return line


def _stamp(instant: datetime) -> str:
    return instant.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _add(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    el.text = text
    return el
