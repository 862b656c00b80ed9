"""Running background jobs inside the web process where there is no separate worker (SQLite, development)."""

from __future__ import annotations

import os
import threading
import time

from flask import Flask

from confman.extensions import db
from confman.services import jobs
from confman.timeutil import utcnow


def start_inline_worker(app: Flask) -> None:
    """Work the queue from a daemon thread, started by the first request (so CLI commands never start one).

    On by default for SQLite outside tests (CONFMAN_JOBS_INLINE=true/false overrides); deployments on
    PostgreSQL run `confman worker` processes instead.
    """
    inline = app.config.get("JOBS_INLINE")
    if inline is None:
        inline = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not app.testing
    if not inline:
        return
    started = threading.Event()
    lock = threading.Lock()

    @app.before_request
    def start_once() -> None:
        if started.is_set():
            return
        with lock:
            if not started.is_set():
                threading.Thread(target=_work, args=(app,), name="confman-jobs", daemon=True).start()
                started.set()


def _work(app: Flask) -> None:
    name = f"inline:{os.getpid()}"
    last_error_logged = 0.0
    while True:
        try:
            with app.app_context():
                jobs.run_due(name, now=utcnow())
                db.session.remove()
        except Exception:  # noqa: BLE001 - the loop must outlive a bad moment (e.g. the database locked)
            if time.monotonic() - last_error_logged > 60:
                app.logger.exception("inline job worker")
                last_error_logged = time.monotonic()
        time.sleep(1.0)
