"""One content language against three (issue 13): the agenda page and the exports of copies of the large agenda
(same seed): one in English only, one in English, French and Arabic with every text translated, read in each
language, and that one again with every session interpreted into the three (which adds a line per session).

"warm" is a repeated request: the agenda page renders each time, the exports come from the render cache. The
variants alternate in rounds (a shared machine's busy moments then cost each alike); the CPU time of the process
(median) moves less than the wall clock there.
"rendered" empties the render cache before each request, so an export is rendered every time (the process's
memo of the published agenda stays warm, as it does in a running server). Queries are counted on one such
request. The issue's bound: the query counts stay flat, the warm times within 10 %.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import replace

from sqlalchemy import select

from bench.generate import LARGE, build_event
from bench.harness import HEADER, Timing, count_queries
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
    variants = [(name, slug, lang) for name, slug in slugs.items()
                for lang in (LANGUAGES if name == "3 languages" else ["en"])]
    lines = [f"{HEADER} {'cpu ms':>7}"]
    summary = []
    for label, path in PATHS:
        modes = [("warm", False)] + ([] if path == "agenda" else [("rendered", True)])
        for mode, cold in modes:
            urls = {v: f"/events/{v[1]}/{path}?lang={v[2]}" for v in variants}
            timings = _interleaved(app, urls, cold=cold, rounds=ROUNDS, per_round=2 if cold else 6)
            for (name, _slug, lang), timing in timings.items():
                timing.label = f"{label} {mode}, {name}, {lang}"
                lines.append(f"{timing.row()} {timing.cpu_ms:>7.1f}")
            base = timings[variants[0]]
            for variant in variants[1:]:
                other = timings[variant]
                summary.append(f"{label} {mode}: {variant[0]} ({variant[2]}) / 1 language: median "
                               f"{other.median_ms / base.median_ms:.2f}, cpu {other.cpu_ms / base.cpu_ms:.2f}, "
                               f"queries {base.queries} -> {other.queries}")
    return lines + [""] + summary


ROUNDS = 8  # variants alternate round by round, so a busy moment of a shared machine costs them all alike


def _interleaved(app, urls: dict, *, cold: bool, rounds: int, per_round: int) -> dict:
    """Median and p99 of each URL's requests, taken in alternating rounds; queries counted on one request."""
    client = app.test_client()
    samples: dict = {key: [] for key in urls}
    cpu: dict = {key: [] for key in urls}
    queries: dict = {}
    status: dict = {}
    for key, url in urls.items():
        _prime(app, url)
        if cold:
            _empty_cache(app)
        with count_queries(app) as counter:
            status[key] = client.get(url).status_code
        queries[key] = counter["n"]
    for _round in range(rounds):
        for key, url in urls.items():
            for _ in range(per_round):
                if cold:
                    _empty_cache(app)
                started, started_cpu = time.perf_counter(), time.process_time()
                client.get(url)
                samples[key].append((time.perf_counter() - started) * 1000)
                cpu[key].append((time.process_time() - started_cpu) * 1000)
    out = {}
    for key, values in samples.items():
        values.sort()
        out[key] = Timing("", queries[key], statistics.median(values),
                          values[min(len(values) - 1, int(len(values) * 0.99))], status[key])
        out[key].cpu_ms = statistics.median(cpu[key])
    return out


def _event(slug: str) -> Event | None:
    return db.session.scalar(select(Event).filter_by(slug=slug))


def _prime(app, url: str) -> None:
    """One request first, so every row counts the same: the process's agenda memo loaded, the export cached."""
    app.test_client().get(url)


def _empty_cache(app) -> None:
    app.extensions["confman.cache"] = DiskCache(tempfile.mkdtemp(prefix="bench-cache-"))


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
