"""The job queue: retries with back-off, no duplicate completion, abandoned jobs taken over, real concurrency."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from confman.extensions import db
from confman.models import AuditEntry, Job, JobStatus
from confman.services import jobs

from conftest import ON_POSTGRES
from factories import NOW

FAILURES: dict[str, int] = {}


@jobs.handler("test.note")
def _note(payload, now):
    """A job whose only effect is a row: exactly-once completion is then countable."""
    if FAILURES.get(payload["text"], 0) > 0:
        FAILURES[payload["text"]] -= 1
        raise RuntimeError("mail server said no")
    db.session.add(AuditEntry(action="test.note", target_type="job", summary=payload["text"], at=now))


def _notes():
    return db.session.scalars(select(AuditEntry.summary).filter_by(action="test.note").order_by(AuditEntry.id)).all()


def test_jobs_run_in_order_and_only_once(app):
    for text in ("first", "second"):
        jobs.enqueue("test.note", {"text": text}, now=NOW)
    db.session.commit()

    ran = jobs.run_due("w1", now=NOW)
    again = jobs.run_due("w1", now=NOW + timedelta(hours=1))

    assert (ran, again) == (2, 0)
    assert _notes() == ["first", "second"]


def test_failed_job_is_retried_with_back_off_then_given_up(app):
    FAILURES["flaky"] = 99
    jobs.enqueue("test.note", {"text": "flaky"}, now=NOW, max_attempts=3)
    db.session.commit()

    def state(job):
        return None if job is None else (job.status, job.attempts, job.run_after)

    first = state(jobs.run_one("w1", now=NOW))
    too_early = state(jobs.run_one("w1", now=NOW + timedelta(seconds=5)))
    second = state(jobs.run_one("w1", now=NOW + timedelta(seconds=11)))
    third = jobs.run_one("w1", now=NOW + timedelta(minutes=5))

    assert first == (JobStatus.QUEUED, 1, NOW + timedelta(seconds=10))
    assert too_early is None
    assert second == (JobStatus.QUEUED, 2, NOW + timedelta(seconds=31))
    assert (third.status, third.attempts) == (JobStatus.FAILED, 3)
    assert "mail server said no" in third.last_error
    assert _notes() == []
    FAILURES.clear()


def test_a_job_abandoned_by_a_dead_worker_is_taken_over_after_its_lease(app):
    jobs.enqueue("test.note", {"text": "orphan"}, now=NOW)
    db.session.commit()
    jobs.claim("dead-worker", now=NOW)  # claimed, then the worker died before finishing

    during_lease = jobs.run_one("w2", now=NOW + timedelta(minutes=1))
    after_lease = jobs.run_one("w2", now=NOW + jobs.LEASE + timedelta(seconds=1))

    assert during_lease is None
    assert after_lease.status == JobStatus.DONE
    assert _notes() == ["orphan"]


def test_a_worker_whose_lease_was_taken_over_does_not_complete_the_job_twice(app):
    jobs.enqueue("test.note", {"text": "once"}, now=NOW)
    db.session.commit()
    job = jobs.claim("slow-worker", now=NOW)
    jobs.run_one("fast-worker", now=NOW + jobs.LEASE + timedelta(seconds=1))  # takes over and completes

    # The slow worker finally finishes its handler: its completion must be discarded.
    jobs.HANDLERS["test.note"]({"text": "once"}, NOW)
    finished = db.session.execute(
        jobs.update(Job).where(Job.id == job.id, Job.locked_by == "slow-worker").values(status=JobStatus.DONE)
    ).rowcount
    db.session.rollback()

    assert finished == 0
    assert _notes() == ["once"]


def test_duplicate_keys_make_one_pending_job(app):
    first = jobs.enqueue("test.note", {"text": "reminder"}, now=NOW, dedupe_key="remind:1")
    second = jobs.enqueue("test.note", {"text": "reminder"}, now=NOW, dedupe_key="remind:1")
    db.session.commit()
    jobs.run_due("w", now=NOW)
    after_done = jobs.enqueue("test.note", {"text": "reminder"}, now=NOW, dedupe_key="remind:1")

    assert first is not None and second is None
    assert after_done is not None


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="SKIP LOCKED needs PostgreSQL; runs in the PostgreSQL part of the suite")
def test_concurrent_workers_share_the_queue_and_complete_each_job_exactly_once(app):
    for n in range(60):
        jobs.enqueue("test.note", {"text": f"job-{n}"}, now=NOW)
    db.session.commit()
    counts = {}

    def worker(name):
        with app.app_context():
            counts[name] = jobs.run_due(name, now=NOW, limit=1000)
            db.session.remove()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(counts.values()) == 60
    assert sorted(_notes()) == sorted(f"job-{n}" for n in range(60))
    assert db.session.scalar(select(func.count()).select_from(Job).where(Job.status != JobStatus.DONE)) == 0
