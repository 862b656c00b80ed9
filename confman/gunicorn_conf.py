"""gunicorn settings for production: `gunicorn -c python:confman.gunicorn_conf 'confman:create_app()'`.

Every value can be overridden from the environment (GUNICORN_CMD_ARGS or the CONFMAN_* names below).
"""

import multiprocessing
import os

bind = os.environ.get("CONFMAN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("CONFMAN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("CONFMAN_THREADS", 4))  # live pages poll; threads keep workers free for them
worker_class = "gthread"
timeout = 60  # PDF rendering of a large programme takes a few seconds on a cold cache
graceful_timeout = 30
keepalive = 5
# No recycling by default: at live-page polling rates a limit of a few thousand requests restarted each worker
# every second or two, and while a worker boots (and warms its caches) the other serves alone -- that was
# live.json's "bimodal" throughput. The app's caches are bounded; set CONFMAN_MAX_REQUESTS to recycle anyway.
max_requests = int(os.environ.get("CONFMAN_MAX_REQUESTS", 0))
max_requests_jitter = max_requests // 10
accesslog = None  # confman logs each request as JSON itself
errorlog = "-"
forwarded_allow_ips = os.environ.get("CONFMAN_FORWARDED_ALLOW_IPS", "127.0.0.1")


def _check_rate_limit_store(worker_count: int, environ) -> str | None:
    """Refuse several workers with login throttling counted in each worker's memory: with four workers, 38 of 60
    wrong passwords a minute got through a limit of ten (issue 19, finding 6). Returns a warning, if any."""
    if worker_count <= 1 or environ.get("CONFMAN_RATELIMIT_ENABLED", "true").lower() in ("false", "0", "no"):
        return None
    store = environ.get("CONFMAN_RATELIMIT_STORAGE_URI", "")
    if not store:
        raise SystemExit(
            f"confman: {worker_count} workers would each count login attempts on their own, multiplying the "
            "login throttle. Set CONFMAN_RATELIMIT_STORAGE_URI=redis://host:6379/1 (shared by every worker and "
            "server), or CONFMAN_RATELIMIT_STORAGE_URI=memory:// to accept limits multiplied by the workers, or "
            "CONFMAN_WORKERS=1.")
    if store.startswith("memory://"):
        return (f"confman: WARNING: login throttling counts in each of the {worker_count} workers' memory "
                "(CONFMAN_RATELIMIT_STORAGE_URI=memory://): attackers get that many times the limit")
    return None


def on_starting(server) -> None:
    """gunicorn's hook in the master, before any worker starts."""
    try:
        warning = _check_rate_limit_store(server.cfg.workers, os.environ)
    except SystemExit as refusal:
        server.log.error("%s", refusal)
        raise
    if warning:
        server.log.warning("%s", warning)
