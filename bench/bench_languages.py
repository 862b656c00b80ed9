"""One content language against three (issue 13): the agenda page and the exports of copies of the large agenda
(same seed): one in English only, one in English, French and Arabic with every text translated, read in each
language, and that one again with every session interpreted into the three (which adds a line per session).

"warm" is a repeated request: the agenda page renders each time, the exports come from the render cache.
"rendered" empties the render cache before each request, so an export is rendered every time (the process's
memo of the published agenda stays warm, as it does in a running server). Queries are counted on one such
request. The issue's bound: the query counts stay flat, the warm times within 10 %.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace

from sqlalchemy import select

from bench.generate import LARGE, build_event
from bench.harness import HEADER, measure
from confman.cache import DiskCache
from confman.extensions import db
from confman.models import AgendaSession, CoHost, Event, Speaker, Theme
from confman.services import publication
from confman.timeutil import utcnow

AGENDA = replace(LARGE, registrations=0)  # the same agenda as the large event; registrations do not matter here
LANGUAGES = ["en", "fr", "ar"]
PATHS = (("agenda", "agenda"), ("agenda.ics", "agenda.ics"), ("schedule.json", "schedule.json"),
         ("programme", "programme"))


def run(app, events: dict[str, str]) -> list[str]:
    with app.app_context():
        slugs = {}
        for name, slug, interpreted in (("1 language", "bench-lang-one", None),
                                        ("3 languages", "bench-lang-three", False),
                                        ("3 + interpretation", "bench-lang-interpreted", True)):
            event = _event(slug) or build_event(AGENDA, slug=slug)
            if interpreted is not None and event.languages != LANGUAGES:
                translate(event, interpretation=interpreted)
                publication.publish_agenda(event, actor=None, now=utcnow())
            slugs[name] = slug
        db.session.commit()
    lines = [HEADER]
    results = {}
    for label, path in PATHS:
        for languages, slug in slugs.items():
            for lang in (LANGUAGES if languages == "3 languages" else ["en"]):
                url = f"/events/{slug}/{path}?lang={lang}"
                _prime(app, url)
                warm = measure(app, f"{label} warm, {languages}, {lang}", lambda c, u=url: c.get(u), repeat=20)
                results[(label, languages, lang)] = warm
                lines.append(warm.row())
                if path != "agenda":
                    lines.append(measure(app, f"{label} rendered, {languages}, {lang}",
                                         lambda c, u=url: _cold(app, c, u), repeat=5).row())
    for label, _path in PATHS:
        base = results[(label, "1 language", "en")]
        for lang in LANGUAGES:
            other = results[(label, "3 languages", lang)]
            lines.append(f"{label} warm, 3 languages ({lang}) / 1 language: "
                         f"{other.median_ms / base.median_ms:.2f}, queries {base.queries} -> {other.queries}")
        other = results[(label, "3 + interpretation", "en")]
        lines.append(f"{label} warm, 3 languages + interpretation (en) / 1 language: "
                     f"{other.median_ms / base.median_ms:.2f}, queries {base.queries} -> {other.queries}")
    return lines


def _event(slug: str) -> Event | None:
    return db.session.scalar(select(Event).filter_by(slug=slug))


def _prime(app, url: str) -> None:
    """One request first, so every row counts the same: the process's agenda memo loaded, the export cached."""
    app.test_client().get(url)


def _cold(app, client, url: str):
    app.extensions["confman.cache"] = DiskCache(tempfile.mkdtemp(prefix="bench-cache-"))
    return client.get(url)


def translate(event: Event, *, interpretation: bool) -> None:
    """Every public text of `event` in French and Arabic; with `interpretation`, every session interpreted from
    English into the three languages."""
    event.languages, event.default_language = list(LANGUAGES), "en"
    event.translations = {"title": {"fr": f"Conférence d'essai : {event.title}", "ar": f"مؤتمر تجريبي: {event.title}"}}
    for theme in db.session.scalars(select(Theme).filter_by(event_id=event.id)):
        theme.translations = {"name": {"fr": f"Thème {theme.position}", "ar": f"المحور {theme.position}"}}
    for host in db.session.scalars(select(CoHost).filter_by(event_id=event.id)):
        host.translations = {"name": {"fr": f"État membre {host.position}", "ar": f"الدولة العضو {host.position}"}}
    for speaker in db.session.scalars(select(Speaker).filter_by(event_id=event.id)):
        speaker.translations = {"title": {"fr": "Délégué", "ar": "مندوب"}}
    for item in db.session.scalars(select(AgendaSession).filter_by(event_id=event.id)):
        item.translations = {"title": {"fr": f"Séance {item.id}", "ar": f"الجلسة {item.id}"},
                             "description": {"fr": "Une séance *générée* pour les mesures.",
                                             "ar": "جلسة *مولدة* للقياس."}}
        if interpretation:
            item.floor_language = "en"
            item.interpretation_languages = list(LANGUAGES)
    db.session.flush()
