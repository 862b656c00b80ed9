"""Exports of the small and the large event: cold renders, 304 answers, and the programme PDF cold and cached.

A cold programme PDF is one nobody asked for before: an empty rendering cache and a time zone not rendered yet
(Typst memoises within a process, so typesetting the very same input again would measure its memo, not a
render). Its CPU time is printed too: on a shared machine that figure moves less than the wall clock.
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
import time

from sqlalchemy import select

from bench.harness import HEADER, measure
from confman.cache import DiskCache
from confman.extensions import db
from confman.models import Event
from confman.services import publication
from confman.timeutil import utcnow


def run(app, events: dict[str, str]) -> list[str]:
    with app.app_context():  # the generated events are not published: exports read the published agenda
        for slug in events.values():
            event = db.session.scalar(select(Event).filter_by(slug=slug))
            if publication.latest_version(event) is None:
                publication.publish_agenda(event, actor=None, now=utcnow())
        db.session.commit()
    lines = [HEADER]
    for size, slug in events.items():
        for name in ("agenda.ics", "schedule.json", "schedule.xml"):
            path = f"/events/{slug}/{name}"
            cold = measure(app, f"{name} cold ({size})", lambda c, p=path: c.get(p), repeat=20)
            etag = cold_etag(app, path)
            not_modified = measure(app, f"{name} 304 ({size})",
                                   lambda c, p=path, e=etag: c.get(p, headers={"If-None-Match": e}), repeat=50)
            lines += [cold.row(), not_modified.row()]
        pdf = f"/events/{slug}/programme.pdf"
        zones = itertools.cycle(COLD_ZONES)
        cpu: list[float] = []

        def cold_pdf(client, p=pdf, zones=zones, cpu=cpu):
            app.extensions["confman.cache"] = DiskCache(tempfile.mkdtemp(prefix="bench-cache-"))  # empty: cold
            started = time.process_time()
            response = client.get(p, query_string={"tz": next(zones)})
            cpu.append((time.process_time() - started) * 1000)
            return response

        lines.append(measure(app, f"programme.pdf cold ({size})", cold_pdf, repeat=3).row()
                     + f"   cpu median {statistics.median(cpu[1:]):.0f} ms")
        lines.append(measure(app, f"programme.pdf cached ({size})", lambda c, p=pdf: c.get(p), repeat=20).row())
    return lines


COLD_ZONES = ["Europe/Amsterdam", "Asia/Karachi", "America/New_York", "Asia/Seoul", "UTC", "Africa/Nairobi",
              "Pacific/Auckland", "Europe/Lisbon"]


def cold_etag(app, path: str) -> str:
    return app.test_client().get(path).headers["ETag"]
