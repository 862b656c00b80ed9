"""Show that confman scales out: two app servers and a worker, as separate processes, sharing only PostgreSQL,
Redis and S3-compatible object storage (moto's S3 server on loopback), checked over real HTTP.

    .venv/bin/python scripts/two_servers.py        # needs PostgreSQL at 127.0.0.1:5432 and Redis at :6379

It makes a scratch database (dropped at the end), runs `confman db upgrade` and `confman demo`, starts moto_server,
a local SMTP server, two gunicorn app servers (A and B, one worker each) and one `confman worker`, then prints
PASS or FAIL for each check:

  upload   a speaker's office uploads a video through A; an organizer downloads it through B (a redirect to a
           signed URL of the private bucket)
  live     a moderator's action on A shows in B's live.json within 2 seconds
  etag     publishing an agenda change on A changes the ETag of agenda.ics on B (same Host header on both)
  burst    60 registrations, alternating A and B concurrently, for 20 places: nothing oversold, no duplicates
  worker   the worker is SIGKILLed while the mail server stalls; a new worker delivers the message exactly once

Exit status 0 when every check passes. tests/test_two_servers.py runs the same checks.
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import redis  # noqa: E402
import requests  # noqa: E402

from support import postgres_server_url, scratch_postgres_database  # noqa: E402

BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("CONFMAN_DEMO_REDIS_URL", "redis://127.0.0.1:6379/12")
SLUG = "prepcon-2021"
PASSWORD = "prepcon-sample"
ORGANIZER, MODERATOR = "organizer@prepcon.example", "moderator@prepcon.example"
SECRET_MARK = "two-servers-check"
BURST, CAPACITY = 60, 20
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Unavailable(Exception):
    """PostgreSQL or Redis does not answer: the checks cannot run here."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition: Callable[[], object], *, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)
    return result


def csrf_token(html: str) -> str:
    match = _CSRF.search(html)
    if match is None:
        raise AssertionError("the page has no CSRF token")
    return match.group(1)


class Smtp:
    """A local mail server that accepts everything, except that once armed it hangs in the next DATA."""

    def __init__(self):
        self.accepted: list = []
        self.armed = threading.Event()
        self.stalled = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if self.armed.is_set() and not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(3600)  # an overloaded relay: never answers; the worker is killed meanwhile
        self.accepted.append(envelope)
        return "250 OK"

    def delivered_to(self, email: str) -> int:
        return sum(email in envelope.rcpt_tos for envelope in self.accepted)


@dataclass
class Cluster:
    database_url: str
    env: dict[str, str]
    server_a: str
    server_b: str
    smtp: Smtp
    workdir: Path
    processes: list[subprocess.Popen] = field(default_factory=list)
    worker: subprocess.Popen | None = None
    _app: object = None

    def close(self) -> None:
        for process in self.processes:
            _stop(process)
        if self._app is not None:
            from confman.extensions import db

            with self._app.app_context():
                db.engine.dispose()

    def start(self, args: list[str], log: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        out = (self.workdir / f"{log}.log").open("ab")
        process = subprocess.Popen(args, env={**self.env, **(extra_env or {})}, stdout=out, stderr=out,
                                   cwd=self.workdir)
        out.close()
        self.processes.append(process)
        return process

    def start_worker(self, name: str, lease: float | None = None) -> subprocess.Popen:
        extra = ["--lease", str(lease)] if lease else []
        self.worker = self.start([str(BIN / "confman"), "worker", "--idle-sleep", "0.2", "--name", name, *extra],
                                 f"worker-{name}")
        return self.worker

    def app(self):
        """This process's own view of the shared database and storage (for setting up and counting)."""
        if self._app is None:
            self._app = self._make_app()
        return self._app

    def _make_app(self):
        from confman import create_app

        return create_app({
            "SQLALCHEMY_DATABASE_URI": self.database_url, "SECRET_KEY": self.env["CONFMAN_SECRET_KEY"],
            "ENV_NAME": "development", "S3_BUCKET": self.env["CONFMAN_S3_BUCKET"],
            "S3_ENDPOINT_URL": self.env["CONFMAN_S3_ENDPOINT_URL"], "S3_ACCESS_KEY_ID": "test",
            "S3_SECRET_ACCESS_KEY": "test", "REDIS_URL": self.env["CONFMAN_REDIS_URL"],
            "CACHE_PREFIX": self.env["CONFMAN_CACHE_PREFIX"], "UPLOAD_FOLDER": str(self.workdir / "local"),
            "JOBS_INLINE": False,  # the `confman worker` process does the jobs
        })


def _check_services() -> str:
    server = postgres_server_url()
    if server is None:
        raise Unavailable("no PostgreSQL server answers (CONFMAN_TEST_POSTGRES_URL or 127.0.0.1:5432)")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        raise Unavailable(f"no Redis server answers at {REDIS_URL}") from exc
    finally:
        client.close()
    return server


def _wait_http(url: str, process: subprocess.Popen, what: str) -> None:
    def up() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with status {process.returncode}")
        try:
            requests.get(url, timeout=1)
        except requests.RequestException:
            return False
        return True

    wait_for(up, seconds=30, what=what)


@contextmanager
def cluster() -> Iterator[Cluster]:
    """Everything started, set up and ready; stopped and removed afterwards. Raises Unavailable."""
    from aiosmtpd.controller import Controller

    server = _check_services()
    prefix = f"confman-two-servers-{secrets.token_hex(4)}"
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="confman-two-servers-")))
        database_url = stack.enter_context(scratch_postgres_database(server))
        stack.callback(_forget_redis_keys, prefix)

        moto_port, smtp_port, port_a, port_b = (free_port() for _ in range(4))
        moto = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(moto_port)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        stack.callback(_stop, moto)
        smtp = Smtp()
        controller = Controller(smtp, hostname="127.0.0.1", port=smtp_port)
        controller.start()
        stack.callback(controller.stop)

        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("CONFMAN_")},
            "CONFMAN_ENV": "production", "CONFMAN_SECRET_KEY": secrets.token_hex(32),
            "CONFMAN_SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback; a real balancer terminates TLS
            "CONFMAN_DATABASE_URL": database_url, "CONFMAN_BASE_URL": "http://confman.test",
            "CONFMAN_TRUSTED_HOSTS": "127.0.0.1",  # the checks call each server by its loopback address
            "CONFMAN_REDIS_URL": REDIS_URL, "CONFMAN_CACHE_PREFIX": f"{prefix}:render:",
            "CONFMAN_RATELIMIT_STORAGE_URI": REDIS_URL, "CONFMAN_RATELIMIT_KEY_PREFIX": prefix,
            "CONFMAN_S3_BUCKET": "confman-uploads", "CONFMAN_S3_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
            "CONFMAN_S3_REGION": "us-east-1", "CONFMAN_S3_ACCESS_KEY_ID": "test",
            "CONFMAN_S3_SECRET_ACCESS_KEY": "test",
            "CONFMAN_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}?from=prepcon@confman.example",
            "CONFMAN_WORKERS": "1",
        }
        result = Cluster(database_url, env, f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}", smtp,
                         workdir)
        stack.callback(result.close)

        wait_for(lambda: _answers(env["CONFMAN_S3_ENDPOINT_URL"]), seconds=30, what="moto_server")
        import boto3

        boto3.client("s3", endpoint_url=env["CONFMAN_S3_ENDPOINT_URL"], region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test").create_bucket(Bucket="confman-uploads")
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([str(BIN / "confman"), *command], env=env, cwd=workdir, check=True,
                           capture_output=True, timeout=120)
        _set_up(result)

        gunicorn = [str(BIN / "gunicorn"), "-c", "python:confman.gunicorn_conf", "confman:create_app()"]
        servers = []
        for name, port in (("a", port_a), ("b", port_b)):
            staging = workdir / f"staging-{name}"  # each server's own scratch disk
            servers.append(result.start(gunicorn, f"server-{name}", {
                "CONFMAN_BIND": f"127.0.0.1:{port}", "CONFMAN_STAGING_FOLDER": str(staging)}))
        result.start_worker("first")
        for url, process, name in ((result.server_a, servers[0], "server A"),
                                   (result.server_b, servers[1], "server B")):
            _wait_http(f"{url}/healthz", process, name)
        yield result


def _answers(url: str) -> bool:
    try:
        requests.get(url, timeout=1)
    except requests.RequestException:
        return False
    return True


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _forget_redis_keys(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(f"*{prefix}*"):
            client.delete(key)
    finally:
        client.close()


def _set_up(cluster: Cluster) -> None:
    """What an organizer would have done beforehand: a video slot with a fresh submission link, registration open
    for CAPACITY more automatic approvals, and a change to the agenda waiting to be published."""
    from sqlalchemy import func, select

    from confman.extensions import db
    from confman.models import Event, Registration, RegistrationStatus, VideoMessage
    from confman.services import users, video

    app = cluster.app()
    now = datetime.now(UTC)
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        approved = db.session.scalar(select(func.count(Registration.id)).filter_by(
            event_id=event.id, status=RegistrationStatus.APPROVED))
        event.capacity = approved + CAPACITY
        event.needs_approval = False
        event.registration_opens_at = now - timedelta(days=1)
        event.registration_closes_at = now + timedelta(days=1)
        slot = next(vm for vm in db.session.scalars(select(VideoMessage).order_by(VideoMessage.id))
                    if vm.session.event_id == event.id and vm.status in video.OPEN_STATUSES)
        slot.deadline_at = now + timedelta(days=1)
        cluster.env["TWO_SERVERS_VIDEO_TOKEN"] = video.make_submission_link(
            slot, actor=users.find_by_email(ORGANIZER), now=now)
        slot.session.title = f"{slot.session.title} (revised)"
        db.session.commit()


def login(base: str, email: str) -> requests.Session:
    browser = requests.Session()
    page = browser.get(f"{base}/login", timeout=10)
    answer = browser.post(f"{base}/login", data={"email": email, "password": PASSWORD,
                                                 "csrf_token": csrf_token(page.text)}, timeout=10)
    if "The email or password is not correct" in answer.text or answer.url.endswith("/login"):
        raise AssertionError(f"could not log in as {email} on {base}")
    return browser


# The checks: each returns a line of evidence, or raises AssertionError ------------------------------------------


def check_upload(cluster: Cluster) -> str:
    import imageio_ffmpeg
    from sqlalchemy import select

    from confman.extensions import db
    from confman.models import VideoSubmission

    video = cluster.workdir / "statement.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    "testsrc=duration=3:size=64x48:rate=10", "-pix_fmt", "yuv420p", str(video)],
                   check=True, capture_output=True, timeout=60)
    office = requests.Session()
    page_url = f"{cluster.server_a}/submit/{cluster.env['TWO_SERVERS_VIDEO_TOKEN']}"
    page = office.get(page_url, timeout=10)
    sent = office.post(page_url, data={"csrf_token": csrf_token(page.text)},
                       files={"video": ("statement.mp4", video.read_bytes(), "video/mp4")}, timeout=60)
    if "the video was received" not in sent.text:
        raise AssertionError(f"server A did not take the upload (status {sent.status_code})")
    app = cluster.app()
    with app.app_context():
        submission_id = db.session.scalars(select(VideoSubmission.id).order_by(VideoSubmission.id.desc())).first()

    organizer = login(cluster.server_b, ORGANIZER)
    answer = organizer.get(f"{cluster.server_b}/manage/events/{SLUG}/video-files/{submission_id}/video?download=1",
                           allow_redirects=False, timeout=10)
    if answer.status_code != 303 or "Signature=" not in answer.headers.get("Location", ""):
        raise AssertionError(f"server B answered {answer.status_code} (Location {answer.headers.get('Location')}), "
                             "not a redirect to a signed URL")
    fetched = requests.get(answer.headers["Location"], timeout=10)
    anonymous = requests.get(f"{cluster.server_b}/manage/events/{SLUG}/video-files/{submission_id}/video",
                             allow_redirects=False, timeout=10)
    if fetched.content != video.read_bytes():
        raise AssertionError("the signed URL did not give back the uploaded bytes")
    if anonymous.status_code not in (302, 401, 403):
        raise AssertionError(f"an anonymous visitor got {anonymous.status_code} from server B")
    return (f"uploaded {len(fetched.content)} bytes through A; B redirected the organizer to a signed URL "
            f"that returned the same bytes; anonymous visitors get {anonymous.status_code}")


def _live_etag(base: str) -> str:
    return requests.get(f"{base}/events/{SLUG}/live.json", timeout=10).json()["etag"]


def check_live(cluster: Cluster) -> str:
    moderator = login(cluster.server_a, MODERATOR)
    console = moderator.get(f"{cluster.server_a}/moderate/{SLUG}/", params={"channel": "plenary"}, timeout=10)
    day = re.search(r'name="day" value="([^"]+)"', console.text).group(1)
    version = re.search(r'name="version" value="(\d+)"', console.text).group(1)
    before = _live_etag(cluster.server_b)
    acted = moderator.post(f"{cluster.server_a}/moderate/{SLUG}/act", data={
        "csrf_token": csrf_token(console.text), "action": "delay", "minutes": "10", "version": version,
        "channel": "plenary", "day": day}, timeout=10)
    if "Nothing was changed" in acted.text:
        raise AssertionError("server A refused the moderator's action")
    acted_at = time.monotonic()
    after = wait_for(lambda: (etag := _live_etag(cluster.server_b)) != before and etag, seconds=2,
                     what="the action to show on server B")
    return f"B's live.json went from {before} to {after} {time.monotonic() - acted_at:.1f} s after the action on A"


def _ics_etag(base: str) -> str:
    answer = requests.get(f"{base}/events/{SLUG}/agenda.ics", headers={"Host": "confman.test"}, timeout=30)
    answer.raise_for_status()
    return answer.headers["ETag"]


def check_etag(cluster: Cluster) -> str:
    before_a, before_b = _ics_etag(cluster.server_a), _ics_etag(cluster.server_b)
    organizer = login(cluster.server_a, ORGANIZER)
    page = organizer.get(f"{cluster.server_a}/manage/events/{SLUG}/publish", timeout=10)
    published = organizer.post(f"{cluster.server_a}/manage/events/{SLUG}/publish", data={
        "csrf_token": csrf_token(page.text), "comment": "Revised title"}, timeout=30)
    if "Published version" not in published.text:
        raise AssertionError(f"server A did not publish (status {published.status_code})")
    after_b, after_a = _ics_etag(cluster.server_b), _ics_etag(cluster.server_a)
    if before_a != before_b or after_a != after_b or after_b == before_b:
        raise AssertionError(f"ETags A/B before {before_a}/{before_b}, after {after_a}/{after_b}")
    return f"both servers answered {before_b} before and {after_b} after publishing on A"


def _register(base: str, email: str) -> int:
    browser = requests.Session()
    page = browser.get(f"{base}/events/{SLUG}/register", timeout=30)
    answer = browser.post(f"{base}/events/{SLUG}/register", data={
        "csrf_token": csrf_token(page.text), "honorific": "Ms.", "name": "Burst Delegate", "title": "Counsellor",
        "email": email, "organization": "other", "organization_name": "Permanent Mission of Somewhere",
        "category": "member_state", "needs": "", "consent": "y"},
        files={"document": ("note-verbale.pdf", PDF, "application/pdf")}, allow_redirects=False, timeout=60)
    return answer.status_code


def check_burst(cluster: Cluster) -> str:
    from sqlalchemy import func, select

    from confman.extensions import db
    from confman.models import Event, Registration, RegistrationStatus

    emails = [f"burst-{n:02d}@example.org" for n in range(BURST)]
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda n: _register((cluster.server_a, cluster.server_b)[n % 2], emails[n]),
                                 range(BURST)))
    app = cluster.app()
    with app.app_context():
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        rows = db.session.execute(select(Registration.email, Registration.status).where(
            Registration.event_id == event.id, Registration.email.in_(emails))).all()
        approved_total = db.session.scalar(select(func.count(Registration.id)).filter_by(
            event_id=event.id, status=RegistrationStatus.APPROVED))
        capacity = event.capacity
    counts = {status: sum(row.status == status for row in rows) for status in RegistrationStatus}
    if set(statuses) != {302}:
        raise AssertionError(f"answers {sorted(set(statuses))}, expected only 302")
    if len(rows) != BURST or len({row.email for row in rows}) != BURST:
        raise AssertionError(f"{len(rows)} registrations for {BURST} distinct addresses")
    if approved_total > capacity or counts[RegistrationStatus.APPROVED] != CAPACITY or (
            counts[RegistrationStatus.WAITLISTED] != BURST - CAPACITY):
        raise AssertionError(f"capacity {capacity}, approved in all {approved_total}, burst: {dict(counts)}")
    return (f"{BURST} registrations over A and B: {counts[RegistrationStatus.APPROVED]} approved, "
            f"{counts[RegistrationStatus.WAITLISTED]} waitlisted, capacity {capacity} not exceeded")


def _outbox(cluster: Cluster, email: str | None = None):
    from sqlalchemy import select

    from confman.extensions import db
    from confman.models import OutboxMessage

    app = cluster.app()
    with app.app_context():
        query = select(OutboxMessage.to_email, OutboxMessage.status)
        rows = db.session.execute(query if email is None else query.filter_by(to_email=email)).all()
    return rows


def check_worker(cluster: Cluster) -> str:
    from confman.models import OutboxStatus

    wait_for(lambda: all(row.status != OutboxStatus.QUEUED for row in _outbox(cluster)), seconds=120,
             what="the worker to send the mail queued so far")
    email = "late-delegate@example.org"
    cluster.smtp.armed.set()
    status = _register(cluster.server_a, email)
    if status != 302:
        raise AssertionError(f"server A answered {status} to the registration")
    if not cluster.smtp.stalled.wait(30):
        raise AssertionError("the worker never reached the mail server")
    first = cluster.worker
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=10)
    after_kill = _outbox(cluster, email)[0].status
    cluster.start_worker("second", lease=2)
    wait_for(lambda: _outbox(cluster, email)[0].status == OutboxStatus.SENT, seconds=30,
             what="the second worker to send the message")
    time.sleep(1)  # a wrongly repeated job would send a second copy meanwhile
    copies = cluster.smtp.delivered_to(email)
    if after_kill != OutboxStatus.QUEUED or copies != 1:
        raise AssertionError(f"after the kill the message was {after_kill}; delivered {copies} times")
    return "worker SIGKILLed mid-send; the message stayed queued and the next worker delivered it exactly once"


CHECKS = [("upload", check_upload), ("live", check_live), ("etag", check_etag), ("burst", check_burst),
          ("worker", check_worker)]


def main() -> int:
    started = time.monotonic()
    failures = 0
    try:
        with cluster() as running:
            print(f"server A {running.server_a}, server B {running.server_b}, one worker; "
                  f"logs in {running.workdir} (removed at the end)", flush=True)
            for name, check in CHECKS:
                try:
                    evidence = check(running)
                except Exception as exc:  # noqa: BLE001 - report every check, whatever went wrong
                    failures += 1
                    print(f"FAIL {name}: {exc}", flush=True)
                else:
                    print(f"PASS {name}: {evidence}", flush=True)
    except Unavailable as exc:
        print(f"cannot run: {exc}", file=sys.stderr)
        return 2
    print(f"{len(CHECKS) - failures} of {len(CHECKS)} checks passed in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
