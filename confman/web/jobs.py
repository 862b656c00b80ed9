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
    """A daemon thread that works the queue every second. On by default for SQLite outside tests
    (CONFMAN_JOBS_INLINE=true/false overrides); deployments on PostgreSQL run `confman worker` instead."""
    inline = app.config.get("JOBS_INLINE")
    if inline is None:
        inline = app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") and not app.testing
    if not inline:
        return
    name = f"inline:{os.getpid()}"

    def work() -> None:
        while True:
            try:
                with app.app_context():
                    jobs.run_due(name, now=utcnow())
                    db.session.remove()
            except Exception:  # noqa: BLE001 - the loop must outlive a bad moment (e.g. database locked)
                app.logger.exception("inline job worker")
            time.sleep(1.0)

    threading.Thread(target=work, name="confman-jobs", daemon=True).start()
