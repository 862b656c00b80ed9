"""Measuring a page as a user's request sees it: SQL queries, median and p99 latency through the WSGI app."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event as sa_event

from confman.extensions import db


@dataclass
class Timing:
    label: str
    queries: int
    median_ms: float
    p99_ms: float
    status: int

    def row(self) -> str:
        return f"{self.label:<40} {self.status:>4} {self.queries:>7} {self.median_ms:>10.1f} {self.p99_ms:>9.1f}"


HEADER = f"{'page':<40} {'http':>4} {'queries':>7} {'median ms':>10} {'p99 ms':>9}"


@contextmanager
def count_queries(app):
    counter = {"n": 0}

    def before(*_args, **_kwargs):
        counter["n"] += 1

    with app.app_context():
        engine = db.engine
    sa_event.listen(engine, "before_cursor_execute", before)
    try:
        yield counter
    finally:
        sa_event.remove(engine, "before_cursor_execute", before)


def measure(app, label: str, request: Callable[[object], object], *, repeat: int = 30) -> Timing:
    """Run `request(client)` once to warm up and count queries, then `repeat` times for latency."""
    client = app.test_client()
    with count_queries(app) as counter:
        response = request(client)
    queries = counter["n"]
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        request(client)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    return Timing(label, queries, statistics.median(samples), p99, response.status_code)
