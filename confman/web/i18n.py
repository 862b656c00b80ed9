"""The interface language of a request: which one, how pages say it, and how shared caches keep them apart.

The language is, in order: `?lang=` in the URL (what feeds, exports and the links of a translated page carry), the
visitor's explicit choice (the header's switcher, kept in the session and, when signed in, on the account), the
delegate's registration language for the event in view, `Accept-Language`, the event's default language, English.
A `confman` command speaks the terminal's language (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, as gettext reads
them); what it queues for other people (mail) is in each recipient's language, which its callers force.

A shared cache keys by URL (deploy/nginx.conf), so a public response must depend on nothing else — or say so:
- with `?lang=` it depends on the URL only;
- without it, it depends on `Accept-Language` (`Vary: Accept-Language`), or on the session's choice, which makes
  it `private` (nginx does not even look up a visitor who holds a session cookie).
Links to public pages generated while rendering a translated page carry `?lang=`, so a visitor who switched stays
on URL-keyed copies.
"""

from __future__ import annotations

import os
import time
from urllib.parse import urlencode

import click
from babel import Locale
from flask import (
    Blueprint,
    Flask,
    Response,
    abort,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, Registration

DEFAULT_LANGUAGES = ("en", "fr", "ar")
RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})
SESSION_KEY = "lang"
EVENT_LANGUAGE_TTL_SECONDS = 5.0  # an organizer's change of the default language shows within seconds

bp = Blueprint("language", __name__)


def supported_languages() -> tuple[str, ...]:
    value = current_app.config.get("LANGUAGES") or DEFAULT_LANGUAGES
    if isinstance(value, str):  # CONFMAN_LANGUAGES=en,fr,ar
        value = [code.strip() for code in value.split(",") if code.strip()]
    return tuple(value)


def supported(code: str | None) -> str | None:
    code = (code or "").strip().lower().replace("_", "-")
    return code if code in supported_languages() else None


def _event_language(slug: str) -> str | None:
    """The event's default language (a column the content-languages work adds), remembered briefly per process."""
    column = getattr(Event, "default_language", None)
    if column is None:
        return None
    memo = current_app.extensions.setdefault("confman_event_language", {})
    hit = memo.get(slug)
    if hit is not None and time.monotonic() - hit[0] < EVENT_LANGUAGE_TTL_SECONDS:
        return hit[1]
    value = db.session.scalar(select(column).where(Event.slug == slug))
    memo[slug] = (time.monotonic(), value)
    return value


def _registration_language(slug: str) -> str | None:
    column = getattr(Registration, "language", None)
    if column is None or not current_user.is_authenticated:
        return None
    return db.session.scalar(select(column).join(Event, Event.id == Registration.event_id)
                             .where(Event.slug == slug, Registration.user_id == current_user.id))


def _event_slug() -> str | None:
    return (request.view_args or {}).get("slug")


def _chosen_language() -> str | None:
    """The visitor's own choice: the session's (this browser), else the account's."""
    if chosen := supported(session.get(SESSION_KEY)):
        return chosen
    if current_user.is_authenticated:
        return supported(getattr(current_user, "interface_language", None))
    return None


def base_language() -> str:
    """What a visitor with no preference gets here: the event's default language, else English."""
    slug = _event_slug()
    return supported(_event_language(slug) if slug else None) or supported("en") or supported_languages()[0]


def terminal_language() -> str | None:
    """The language a terminal asks for, the way gettext reads the environment: LANGUAGE's list first (unless the
    locale is C/POSIX), then the first of LC_ALL, LC_MESSAGES, LANG that is set ("fr_FR.UTF-8" means French)."""
    locale = next((os.environ[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if os.environ.get(name)), "")
    wanted = [] if locale.split(".")[0] in ("C", "POSIX") else os.environ.get("LANGUAGE", "").split(":")
    for value in [*wanted, locale]:
        if code := supported(value.split(".")[0].split("@")[0].split("_")[0]):
            return code
    return None


def select_locale() -> str:
    """Flask-Babel's locale selector; records where the language came from, for the cache headers."""
    if not has_request_context():
        # A command's messages follow the terminal; a worker's texts are each in a language its callers force.
        if click.get_current_context(silent=True) is not None and (spoken := terminal_language()):
            return spoken
        return supported("en") or supported_languages()[0]
    if from_url := supported(request.args.get("lang")):
        g.language_source = "url"
        return from_url
    if chosen := _chosen_language():
        g.language_source = "choice"
        return chosen
    slug = _event_slug()
    if slug and (registered := supported(_registration_language(slug))):
        g.language_source = "registration"
        return registered
    g.language_source = "accept-language"
    if request.accept_languages:
        if match := request.accept_languages.best_match(supported_languages()):
            return match
    return base_language()


def current_language() -> str:
    return str(get_locale() or "en").replace("_", "-")


def text_direction(code: str) -> str:
    return "rtl" if code.split("-")[0] in RTL_LANGUAGES else "ltr"


def language_name(code: str) -> str:
    """The language's own name for itself ("Français", "العربية"), as a switcher lists them."""
    name = Locale.parse(code.replace("-", "_")).get_display_name(code.replace("-", "_")) or code
    return name[:1].upper() + name[1:]


def _safe_next(target: str | None) -> str:
    """A path on this site only (no scheme, no host, no `//`): the switcher never redirects elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return url_for("public.index", lang=None)  # the choice is in the session now
    return target


@bp.route("/language/<code>", methods=["GET", "POST"])
def choose(code: str):
    """The header's switcher. A GET (a plain link, for anonymous visitors) changes this browser's session only; the
    POST form signed-in users get (CSRF-checked) also remembers the choice on the account."""
    code = supported(code)
    if code is None:
        abort(404)
    session[SESSION_KEY] = code
    if request.method == "POST" and current_user.is_authenticated:
        current_user.interface_language = code
        db.session.commit()
    response = redirect(_safe_next(request.values.get("next")))
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _switch_target() -> str:
    """The current page's path and query without `lang`, to come back to after switching."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return request.path + (f"?{urlencode(args)}" if args else "")


def _language_context() -> dict:
    code = current_language()
    return {
        "html_lang": code,
        "html_dir": text_direction(code),
        "language_choices": [(c, language_name(c), c == code) for c in supported_languages()],
        "language_switch_next": _switch_target,
    }


def _carry_language(endpoint: str, values: dict) -> None:
    """Links to public, shared-cached pages carry the page's language when it is not the default English, so the
    visitor's next page is a URL-keyed copy in the same language."""
    from confman.web.caching import policy_for

    if "lang" in values or policy_for(endpoint) is None or not has_request_context():
        return
    code = current_language()
    if code != "en":
        values["lang"] = code


def _language_headers(response: Response) -> Response:
    if request.endpoint == "static" or request.endpoint is None:
        return response
    response.headers.setdefault("Content-Language", current_language())
    source = g.get("language_source")
    if source == "accept-language":
        response.vary.add("Accept-Language")
    elif source == "choice" and "private" not in (response.headers.get("Cache-Control") or ""):
        # The session's choice is not in the URL: no shared cache may keep this copy for others.
        response.headers["Cache-Control"] = "private, no-cache"
    return response


def setup(app: Flask) -> None:
    """After caching.setup: after-request handlers run in reverse, so the cache policy sees what this one set."""
    app.register_blueprint(bp)
    app.context_processor(_language_context)
    app.url_defaults(_carry_language)
    app.after_request(_language_headers)
