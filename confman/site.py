"""The site's own address: every absolute URL is built from CONFMAN_BASE_URL, never from a request's Host.

A sign-in link mailed during a request once carried whatever Host the request named, so anyone could have a
victim's link sent to their own server (issue 19). Binding the URL adapter to the configured address makes every
`url_for(..., _external=True)` — in views, templates, mail, feeds, exports and workers — independent of the
request, and Flask's TRUSTED_HOSTS answers 400 to a request for any other host.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, current_app
from werkzeug.routing import IntegerConverter, MapAdapter

DEV_BASE_URL = "http://127.0.0.1:5000"
LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"]


class BaseUrlMissing(RuntimeError):
    pass


UPLOAD_MARGIN = 1024 * 1024  # the form's other fields and the multipart framing around a file


def accepts_upload(limit: Callable[[Mapping[str, Any]], int]):
    """Mark a view that takes a file: its body may be `limit(config)` plus a margin, where every other request is
    held to MAX_CONTENT_LENGTH (a few MB), so no login or registration form parses huge bodies into temp files.
    Put it right under the route decorator."""
    def decorate(view):
        view.upload_limit = limit
        return view
    return decorate


class ConfmanRequest(Request):
    """The body limit is the matched view's (see accepts_upload), known before CSRFProtect reads the form."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is None and self.url_rule is not None:
            limit = getattr(current_app.view_functions.get(self.url_rule.endpoint), "upload_limit", None)
            if limit is not None:
                return limit(current_app.config) + UPLOAD_MARGIN
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


MAX_ID = 2**63 - 1  # the largest PostgreSQL bigint; SQLite's integers stop there too


class Int64Converter(IntegerConverter):
    """`<int:...>` that matches only ids a database column can hold: anything larger is a plain 404, not an
    OverflowError or NumericValueOutOfRange (a 500) in the query (issue 19, finding 9)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class Confman(Flask):
    """Flask, with the URL adapter's scheme and host taken from BASE_URL in and out of requests."""

    request_class = ConfmanRequest

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.url_map.converters["int"] = Int64Converter

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
