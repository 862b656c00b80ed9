"""Error pages: clear words, the right status, and a rolled-back session after a failure."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from confman.api import is_api_request, problems
from confman.web import db_resilience

_TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You do not have access to this page"),
    404: _l("Page not found"),
    405: _l("This action is not allowed here"),
    409: _l("This changed in the meantime"),
    413: _l("The upload is too large"),
    429: _l("Too many attempts"),
    503: _l("confman is temporarily unavailable"),
}
# Werkzeug's own explanations are English; these replace them when a view gave none of its own.
_DESCRIPTIONS = {
    400: _l("The browser sent a request this server could not understand."),
    403: _l("You do not have the permission to see this page. If you think you should, sign in with the account "
            "the organizers gave access to."),
    404: _l("There is no page at this address. If you typed it, check the spelling; if you followed a link, the "
            "page may have moved or been withdrawn."),
    405: _l("This address does not accept that kind of request."),
    409: _l("Someone changed this while you were working on it. Reload the page and try again."),
    413: _l("The file or form sent is larger than this server accepts."),
    429: _l("Too many requests in a short time. Wait a minute and try again."),
    503: _l("The server is busy or being maintained. Please try again in a few minutes."),
}


def _description(error: HTTPException) -> str:
    if error.description == type(error).description and error.code in _DESCRIPTIONS:
        return str(_DESCRIPTIONS[error.code])
    return error.description


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html", code=400, title=_("Your form expired or was not sent from this site"),
            message=_("Nothing was changed. Go back, reload the page and try again."),
        ), 400

    @app.errorhandler(SecurityError)
    def untrusted_host(error: SecurityError):
        # A Host outside CONFMAN_TRUSTED_HOSTS: no URL adapter exists for it, so a page without links or templates.
        message = _("This server answers only for its own address: %(url)s", url=app.config["BASE_URL"])
        return f"<!doctype html><title>400</title><p>{escape(message)}</p>", 400, {"Content-Type": "text/html"}

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if is_api_request():
            return problems.problem_response(error)
        if request.accept_mimetypes.best == "application/json":
            return {"error": error.name, "message": error.description}, error.code
        return render_template(
            "errors/error.html", code=error.code, title=str(_TITLES.get(error.code, error.name)),
            message=_description(error),
        ), error.code

    db_resilience.setup(app)

    @app.errorhandler(500)
    def server_error(error):
        db_resilience.reset_session()
        if is_api_request():
            return problems.problem_response(InternalServerError("Nothing was saved. The error was logged."))
        return render_template(
            "errors/error.html", code=500, title=_("Something went wrong on our side"),
            message=_("Nothing was saved. The error was logged; please try again."),
        ), 500
