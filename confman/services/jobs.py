"""A job queue in the database: enqueue in the request's transaction, work anywhere with `confman worker`.

On PostgreSQL, workers claim jobs with `SELECT ... FOR UPDATE SKIP LOCKED`, so any number of them on any
machine share the queue without taking the same job. A job's effects in the database and its "done" mark
commit in one transaction: a job never completes twice, and a worker killed mid-job leaves its transaction
rolled back; once the lease runs out, another worker takes the job again. Effects outside the database (a mail,
an HTTP call) can therefore repeat after such a crash; handlers make them idempotent where it matters.
Failures are retried with exponential back-off until `max_attempts`. SQLite has no SKIP LOCKED and one writer;
there the same code runs in-process (see `confman.web.jobs`).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError

from confman.extensions import db
from confman.models import Job, JobStatus

log = logging.getLogger("confman.jobs")
LEASE = timedelta(minutes=5)
Handler = Callable[[dict[str, Any], datetime], None]
HANDLERS: dict[str, Handler] = {}
COALESCING: set[str] = set()  # kinds queued with coalesce(): their claim releases the key


def handler(kind: str, *, coalescing: bool = False) -> Callable[[Handler], Handler]:
    """Register the function that runs jobs of `kind`. It takes (payload, now), flushes and never commits.

    A `coalescing` kind is queued with `coalesce()`: its handler must do the work for the state it finds, not
    for the trigger, because one run stands for every trigger of a burst."""

    def register(function: Handler) -> Handler:
        HANDLERS[kind] = function
        if coalescing:
            COALESCING.add(kind)
        return function

    return register


def enqueue(kind: str, payload: dict[str, Any], *, now: datetime, run_after: datetime | None = None,
            dedupe_key: str | None = None, max_attempts: int = 8) -> Job | None:
    """Add a job in the caller's transaction (it runs only if that commits). Returns None for a duplicate key."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    if dedupe_key is not None:
        pending = db.session.scalar(select(Job).filter_by(dedupe_key=dedupe_key))
        if pending is not None:
            return None
    job = Job(kind=kind, payload=payload, run_after=run_after or now, created_at=now, dedupe_key=dedupe_key,
              max_attempts=max_attempts)
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # a concurrent enqueue with the same key won
        return None
    return job


def coalesce(kind: str, payload: dict[str, Any], *, key: str, now: datetime,
             delay: timedelta = timedelta()) -> Job | None:
    """Queue `kind` to run `delay` from now, unless a job with `key` is still waiting: then that job runs instead
    (no later than now + delay) and None is returned. So a burst of triggers within `delay` of its first one
    makes one run. A job already running absorbs nothing, since it may have read the state before this trigger:
    its claim released the key, and this trigger queues the next run."""
    if kind not in COALESCING:
        raise KeyError(f"job kind {kind!r} is not registered as coalescing")
    due = now + delay
    waiting = waiting_job(key)
    if waiting is not None:
        waiting.run_after = min(waiting.run_after, due)
        return None
    return enqueue(kind, payload, now=now, run_after=due, dedupe_key=key)


def waiting_job(key: str) -> Job | None:
    """The queued, not yet running, coalescing job of `key`, if any."""
    return db.session.scalar(select(Job).filter_by(dedupe_key=key, status=JobStatus.QUEUED))


def backoff(attempts: int) -> timedelta:
    """10 s, 20 s, 40 s, ... capped at one hour."""
    return timedelta(seconds=min(3600, 10 * 2 ** max(0, attempts - 1)))


def claim(worker: str, *, now: datetime, lease: timedelta = LEASE, only: Collection[int] | None = None) -> Job | None:
    """Take the oldest due job (or one whose worker died `lease` ago) and commit the claim. None when idle.

    `only` restricts the choice to these job ids (a request running the jobs it has just enqueued).
    """
    due = or_(
        and_(Job.status == JobStatus.QUEUED, Job.run_after <= now),
        and_(Job.status == JobStatus.RUNNING, Job.locked_at < now - lease),
    )
    query = select(Job).where(due).order_by(Job.run_after, Job.id).limit(1)
    if only is not None:
        query = query.where(Job.id.in_(list(only) or [-1]))
    if db.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    job = db.session.scalar(query)
    if job is None:
        db.session.rollback()
        return None
    # The conditional update is the claim on SQLite too: if another process took it meanwhile, nothing matches.
    released = {"dedupe_key": None} if job.kind in COALESCING else {}
    claimed = db.session.execute(
        update(Job).where(Job.id == job.id, Job.status == job.status, Job.attempts == job.attempts)
        .values(status=JobStatus.RUNNING, locked_by=worker, locked_at=now, attempts=Job.attempts + 1, **released)
    ).rowcount
    db.session.commit()
    if not claimed:
        return None
    return db.session.get(Job, job.id, populate_existing=True)


def run_one(worker: str, *, now: datetime, lease: timedelta = LEASE,
            only: Collection[int] | None = None) -> Job | None:
    """Claim and run one job. Returns the job (done, requeued or failed), or None when there was none."""
    job = claim(worker, now=now, lease=lease, only=only)
    if job is None:
        return None
    job_id, kind, payload = job.id, job.kind, dict(job.payload)
    try:
        HANDLERS[kind](payload, now)
        finished = db.session.execute(update(Job).where(Job.id == job_id, Job.locked_by == worker).values(
            status=JobStatus.DONE, finished_at=now, last_error="", locked_by=None, locked_at=None,
            dedupe_key=None)).rowcount
        if not finished:  # our lease ran out and another worker took the job: its run counts, ours must not
            db.session.rollback()
            log.warning("job %s (%s) was taken over by another worker; discarding this run", job_id, kind)
            return db.session.get(Job, job_id, populate_existing=True)
        db.session.commit()
    except Exception as exc:  # noqa: BLE001 - any failure of a handler is recorded and retried
        db.session.rollback()
        job = db.session.get(Job, job_id, populate_existing=True)
        error = "".join(traceback.format_exception_only(exc)).strip()
        gave_up = job.attempts >= job.max_attempts
        job.status = JobStatus.FAILED if gave_up else JobStatus.QUEUED
        if gave_up:
            job.dedupe_key = None
        job.run_after = now + backoff(job.attempts)
        job.last_error = error[:2000]
        job.locked_by = job.locked_at = None
        db.session.commit()
        log.warning("job %s (%s) failed on attempt %s: %s", job_id, kind, job.attempts, error)
    return db.session.get(Job, job_id, populate_existing=True)


def run_due(worker: str, *, now: datetime, limit: int = 100) -> int:
    """Run due jobs until none is left (or `limit`). Returns how many ran."""
    count = 0
    while count < limit and run_one(worker, now=now) is not None:
        count += 1
    return count
