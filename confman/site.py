"""The site's own address: every absolute URL is built from CONFMAN_BASE_URL, never from a request's Host.

A sign-in link mailed during a request once carried whatever Host the request named, so anyone could have a
victim's link sent to their own server (issue 19). Binding the URL adapter to the configured address makes every
`url_for(..., _external=True)` — in views, templates, mail, feeds, exports and workers — independent of the
request, and Flask's TRUSTED_HOSTS answers 400 to a request for any other host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, current_app
from werkzeug.routing import MapAdapter

DEV_BASE_URL = "http://127.0.0.1:5000"
LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"]


class BaseUrlMissing(RuntimeError):
    pass


class Confman(Flask):
    """Flask, with the URL adapter's scheme and host taken from BASE_URL in and out of requests."""

    def create_url_adapter(self, request) -> MapAdapter | None:
        adapter = super().create_url_adapter(request)
        base = urlsplit(self.config["BASE_URL"])
        if adapter is None:  # outside a request (workers, CLI): no SERVER_NAME is needed
            return self.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
        # Matching ignores these (no host or subdomain matching); building external URLs uses only them.
        adapter.server_name = base.netloc
        adapter.url_scheme = base.scheme
        return adapter


def is_production(app: Flask) -> bool:
    return not (app.testing or app.debug or app.config["ENV_NAME"] == "development")


def configure(app: Flask) -> str | None:
    """Settle BASE_URL and TRUSTED_HOSTS. Returns a warning to log once logging is set up, if any.

    Raises BaseUrlMissing for a production start without CONFMAN_BASE_URL, or a base URL that is not one.
    """
    config = app.config
    warning = None
    base_url = config.get("BASE_URL")
    if not base_url and config.get("SERVER_NAME"):
        base_url = f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}{config['APPLICATION_ROOT']}"
    if not base_url:
        if is_production(app):
            raise BaseUrlMissing(
                "CONFMAN_BASE_URL is not set. Set it to the address delegates use, e.g. "
                "CONFMAN_BASE_URL=https://conference.example.org: links in mail, feeds and exports are built "
                "from it, never from a request's Host header. (CONFMAN_ENV=development uses "
                f"{DEV_BASE_URL}.)")
        base_url = DEV_BASE_URL
        warning = f"CONFMAN_BASE_URL is not set: links in mail, feeds and exports point to {DEV_BASE_URL}"
    parts = urlsplit(str(base_url))
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise BaseUrlMissing(f"CONFMAN_BASE_URL={base_url!r} is not a site address like https://conference.example.org")
    config["BASE_URL"] = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"
    config["TRUSTED_HOSTS"] = _trusted_hosts(config.get("TRUSTED_HOSTS"), parts.hostname,
                                             development=not is_production(app))
    return warning


def _trusted_hosts(setting, base_host: str, *, development: bool) -> list[str] | None:
    """CONFMAN_TRUSTED_HOSTS as a JSON list or comma-separated names ("*" turns the check off); by default the
    base URL's host, and outside production (a developer's machine, tests, benchmarks) the loopback names too."""
    if setting is None:
        return [base_host, *LOOPBACK_NAMES] if development else [base_host]
    if isinstance(setting, str):
        setting = [name.strip() for name in setting.split(",") if name.strip()]
    if "*" in setting:
        return None
    return [base_host, *(name for name in setting if name != base_host)]


def base_url() -> str:
    """The configured address, without a trailing slash (for the rare URL that is not a route)."""
    return current_app.config["BASE_URL"]
