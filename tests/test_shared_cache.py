"""confman behind a real shared cache: Debian's nginx with the project's deploy/nginx.conf, in front of gunicorn.

Thousands of delegates polling live.json reach the origin a few times per second; a moderator's action shows
through the cache within the promised staleness; nothing personal is ever served to another visitor; and when
the origin fails, the last copy is served.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
WRK = shutil.which("wrk")
SLUG = "prepcon-2021"
VIEWERS, POLL_SECONDS, WINDOW_SECONDS = 2000, 2, 20

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(NGINX),
                       reason="nginx (Debian package nginx) is not installed; .ci/run installs it"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


class Origin:
    """gunicorn serving the app as the README deploys it; its JSON access log counts what reached it."""

    def __init__(self, folder: Path, port: int, base_url: str):
        self.folder, self.port, self.log = folder, port, folder / "origin.log"
        self.env = {**os.environ, "CONFMAN_ENV": "development", "CONFMAN_BASE_URL": base_url,
                    "CONFMAN_DATABASE_URL": f"sqlite:///{folder / 'confman.sqlite3'}", "CONFMAN_WORKERS": "2",
                    "CONFMAN_THREADS": "4", "CONFMAN_BIND": f"127.0.0.1:{port}", "PYTHONUNBUFFERED": "1",
                    "CONFMAN_RATELIMIT_STORAGE_URI": "memory://"}  # the login throttle is not under test here
        self.env.pop("CONFMAN_TEST_DATABASE", None)
        self.process: subprocess.Popen | None = None

    def prepare(self) -> None:
        confman = [str(Path(sys.executable).parent / "confman")]
        for command in (["db", "upgrade"], ["demo"]):
            subprocess.run([*confman, *command], env=self.env, cwd=self.folder, check=True, capture_output=True)

    def start(self) -> None:
        with self.log.open("a") as log:  # the child keeps its own copy of the descriptor
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "python:confman.gunicorn_conf", "confman:create_app()"],
                env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.DEVNULL)
        _wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def requests_for(self, path: str) -> int:
        count = 0
        for line in self.log.read_text().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            count += entry.get("message") == "request" and entry.get("path") == path
        return count


def _nginx_config(folder: Path, listen: int, origin: int) -> Path:
    """The shipped file with its three marked lines pointed at this test's folder and ports."""
    site = (ROOT / "deploy" / "nginx.conf").read_text()
    site = re.sub(r"proxy_cache_path \S+", f"proxy_cache_path {folder / 'cache'}", site)
    site = site.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{origin};")
    site = site.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    (folder / "confman.conf").write_text(site)
    main = folder / "nginx.conf"
    # As root, nginx's workers would run as nobody, who cannot enter pytest's private temporary folders.
    user = f"user {pwd.getpwuid(os.getuid()).pw_name};" if os.getuid() == 0 else ""
    main.write_text(f"""
{user}
daemon off;
master_process on;
worker_processes 1;
worker_rlimit_nofile 16384;
pid {folder / 'nginx.pid'};
error_log {folder / 'nginx-error.log'} warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {folder / 'tmp'}; proxy_temp_path {folder / 'tmp'};
    fastcgi_temp_path {folder / 'tmp'}; uwsgi_temp_path {folder / 'tmp'}; scgi_temp_path {folder / 'tmp'};
    include {folder / 'confman.conf'};
}}
""")
    (folder / "tmp").mkdir(exist_ok=True)
    return main


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shared-cache")
    listen, origin_port = _free_port(), _free_port()
    base = f"http://127.0.0.1:{listen}"
    origin = Origin(folder, origin_port, base)
    origin.prepare()
    origin.start()
    config = _nginx_config(folder, listen, origin_port)
    check = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    nginx = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.DEVNULL)
    _wait_for_port(listen, nginx)
    try:
        yield base, origin
    finally:
        nginx.terminate()
        nginx.wait(timeout=30)
        origin.stop()


@pytest.mark.skipif(WRK is None, reason="wrk (Debian package wrk) is not installed; .ci/run installs it")
def test_two_thousand_viewers_polling_live_json_reach_the_origin_a_few_times_a_second(stack, tmp_path):
    base, origin = stack
    path = f"/events/{SLUG}/live.json"
    script = tmp_path / "poll.lua"
    script.write_text(f"function delay() return {POLL_SECONDS * 1000} end\n")  # each viewer polls every 2 s
    before = origin.requests_for(path)
    limit = resource.getrlimit(resource.RLIMIT_NOFILE)
    run = subprocess.run(
        ["wrk", "-t", "2", "-c", str(VIEWERS), "-d", f"{WINDOW_SECONDS}s", "--timeout", "10s", "-s", str(script),
         base + path],
        capture_output=True, text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16384, limit[1])))
    reached = origin.requests_for(path) - before

    served = int(re.search(r"(\d+) requests in", run.stdout).group(1))
    assert run.returncode == 0, run.stderr
    assert "Non-2xx" not in run.stdout, run.stdout
    assert served >= VIEWERS * WINDOW_SECONDS / POLL_SECONDS / 2, run.stdout  # the viewers really polled
    assert reached / WINDOW_SECONDS <= 3, f"{reached} origin requests for {served} polls"


def test_a_moderators_action_shows_through_the_cache_within_three_seconds(stack):
    base, origin = stack
    url = f"{base}/events/{SLUG}/live.json"
    before = requests.get(url, timeout=10)
    assert before.headers["X-Cache-Status"] in ("MISS", "HIT", "EXPIRED", "UPDATING", "REVALIDATED")
    acted = _announce_delay(origin, minutes=5)

    trace = []
    while (seen := requests.get(url, timeout=10)).headers["ETag"] == before.headers["ETag"]:
        trace.append((round(time.monotonic() - acted, 2), seen.headers["X-Cache-Status"]))
        assert time.monotonic() - acted <= 3.0, f"the change did not show through the cache within 3 s: {trace}"
        time.sleep(0.05)

    assert time.monotonic() - acted <= 3.0
    assert seen.json()["etag"] != before.json()["etag"]


def _announce_delay(origin: Origin, *, minutes: int) -> float:
    """What a moderator's console does, on the origin's database; returns the instant the action committed."""
    code = (
        "import sys\n"
        "from confman import create_app\n"
        "from confman.extensions import db\n"
        "from confman.models import AgendaSession, Event\n"
        "from confman.services import live\n"
        "from confman.timeutil import utcnow\n"
        "from sqlalchemy import select\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    event = db.session.scalar(select(Event).filter_by(slug={SLUG!r}))\n"
        "    first = db.session.scalar(select(AgendaSession).filter_by(event_id=event.id)"
        ".order_by(AgendaSession.starts_at))\n"
        "    day = first.starts_at.astimezone(event.tz).date()\n"
        f"    live.announce_delay(event, first.channel_id, day, {minutes}, actor=None, now=utcnow(),"
        " version=live.state_version(event, first.channel_id))\n"
        "    db.session.commit()\n"
        "    print('done', flush=True)\n"
        "    sys.stdin.read()\n"
    )
    helper = subprocess.Popen([sys.executable, "-c", code], env=origin.env, cwd=origin.folder, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    with helper:
        assert helper.stdout.readline().strip() == "done"
        acted = time.monotonic()
        helper.stdin.close()
    return acted


def test_signed_in_pages_and_personal_feeds_are_never_served_to_another_visitor(stack):
    base, _ = stack
    agenda = f"{base}/events/{SLUG}/agenda"
    requests.get(agenda, timeout=10)  # an anonymous copy is in the cache now
    delegate = requests.Session()
    form = delegate.get(f"{base}/login", timeout=10).text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    signed_in = delegate.post(f"{base}/login", timeout=10, data={
        "csrf_token": token, "email": "delegate@prepcon.example", "password": "prepcon-sample"})
    own_agenda = delegate.get(agenda, timeout=10)
    account = delegate.get(f"{base}/account/events/{SLUG}/", timeout=10)
    feed_url = re.search(r'(/calendar/[A-Za-z0-9_-]+\.ics)', account.text).group(1)
    feeds = [delegate.get(base + feed_url, timeout=10), requests.get(base + feed_url, timeout=10)]
    anonymous_agenda = requests.get(agenda, timeout=10)
    anonymous_account = requests.get(f"{base}/account/", timeout=10, allow_redirects=False)

    assert signed_in.status_code == 200 and "Log out" in own_agenda.text
    assert own_agenda.headers["X-Cache-Status"] == "BYPASS"
    assert "Log out" not in anonymous_agenda.text
    assert "delegate@prepcon.example" not in anonymous_agenda.text
    assert anonymous_account.status_code == 302
    assert "HIT" not in [f.headers["X-Cache-Status"] for f in feeds]  # private: never stored


class _Failing(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_when_the_origin_answers_5xx_the_last_copy_is_served(stack):
    base, origin = stack
    url = f"{base}/events/{SLUG}/live.json"
    fresh = requests.get(url, timeout=10)
    origin.stop()
    failing = ThreadingHTTPServer(("127.0.0.1", origin.port), _Failing)
    threading.Thread(target=failing.serve_forever, daemon=True).start()
    try:
        time.sleep(3)  # past s-maxage=2: the cache must ask the origin, which now fails
        stale = requests.get(url, timeout=10)
    finally:
        failing.shutdown()
        failing.server_close()
        origin.start()

    assert stale.status_code == 200
    assert stale.headers["X-Cache-Status"] in ("STALE", "UPDATING")
    assert stale.json()["etag"] == fresh.json()["etag"]
