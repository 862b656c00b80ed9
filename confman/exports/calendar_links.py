"""'Add to calendar' links for one session: Google Calendar and Outlook take the event in their URL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC
from urllib.parse import urlencode

from confman.exports.ical import describe
from confman.exports.programme_text import Wording
from confman.models import Event
from confman.services.publication import PublicSession

GOOGLE = "https://calendar.google.com/calendar/render"
OUTLOOK_COM = "https://outlook.live.com/calendar/0/action/compose"
OFFICE_365 = "https://outlook.office.com/calendar/0/action/compose"
_MAX_DETAILS = 1000  # these links travel in a URL: long descriptions are cut, the session page has the rest


@dataclass(frozen=True)
class CalendarLinks:
    google: str
    outlook_com: str
    office_365: str


def session_links(event: Event, item: PublicSession, *, url: str, words: Wording | None = None) -> CalendarLinks:
    words = words or Wording()
    details = describe(item, url=url, words=words)
    if len(details) > _MAX_DETAILS:
        details = details[:_MAX_DETAILS].rsplit("\n", 1)[0] + f"\n…\n{url}"
    location = item.channel.name if item.channel else (event.venue or words.gettext("Online"))
    start, end = item.starts_at.astimezone(UTC), item.ends_at.astimezone(UTC)
    google = GOOGLE + "?" + urlencode({
        "action": "TEMPLATE", "text": item.title, "dates": f"{start:%Y%m%dT%H%M%SZ}/{end:%Y%m%dT%H%M%SZ}",
        "details": details, "location": location, "ctz": event.timezone,
    })
    outlook_query = urlencode({
        "path": "/calendar/action/compose", "rru": "addevent", "subject": item.title,
        "startdt": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "enddt": end.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "body": details, "location": location,
    })
    return CalendarLinks(google=google, outlook_com=f"{OUTLOOK_COM}?{outlook_query}",
                         office_365=f"{OFFICE_365}?{outlook_query}")


def webcal(url: str) -> str:
    """The `webcal://` form of an http(s) URL: calendar apps subscribe to it instead of downloading once."""
    _, sep, rest = url.partition("://")
    return f"webcal://{rest}" if sep else url
