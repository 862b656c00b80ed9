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
max_requests = 2000  # recycle workers to bound memory growth
max_requests_jitter = 200
accesslog = None  # confman logs each request as JSON itself
errorlog = "-"
forwarded_allow_ips = os.environ.get("CONFMAN_FORWARDED_ALLOW_IPS", "127.0.0.1")
