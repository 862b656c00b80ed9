"""Error pages: clear words, the right status, and a rolled-back session after a failure."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from confman.api import is_api_request, problems
from confman.web import db_resilience

_TITLES = {
    400: "The request could not be understood",
    403: "You do not have access to this page",
    404: "Page not found",
    405: "This action is not allowed here",
    409: "This changed in the meantime",
    413: "The upload is too large",
    429: "Too many attempts",
    503: "confman is temporarily unavailable",
}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_template(
            "errors/error.html", code=400, title="Your form expired or was not sent from this site",
            message="Nothing was changed. Go back, reload the page and try again.",
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
            "errors/error.html", code=error.code, title=_TITLES.get(error.code, error.name),
            message=error.description,
        ), error.code

    db_resilience.setup(app)

    @app.errorhandler(500)
    def server_error(error):
        db_resilience.reset_session()
        if is_api_request():
            return problems.problem_response(InternalServerError("Nothing was saved. The error was logged."))
        return render_template(
            "errors/error.html", code=500, title="Something went wrong on our side",
            message="Nothing was saved. The error was logged; please try again.",
        ), 500
