"""Every API error as RFC 9457 problem details (`application/problem+json`), whatever raised it."""

from __future__ import annotations

import json

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException

from confman.api.core import Problem

MEDIA_TYPE = "application/problem+json"

# HTTP errors raised outside the API's own code (routing, webargs, Flask-Limiter, werkzeug) get these types.
_KINDS = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found",
          405: "method-not-allowed", 406: "not-acceptable", 409: "conflict", 413: "too-large",
          415: "unsupported-media-type", 422: "validation", 429: "rate-limited", 500: "server-error",
          503: "unavailable"}

# The problem types, as the reference page documents them (anchors /api/#problem-<kind>).
DESCRIPTIONS = {
    "bad-request": "The request could not be read (for example a body that is not JSON).",
    "bad-cursor": "A cursor that the API did not give out: start again without one.",
    "unauthorized": "No token, or one that is unknown, revoked, or whose owner lost their role.",
    "forbidden": "The token's owner does not have the role this needs on the event.",
    "wrong-event": "The token is for another event: each token is for one event.",
    "insufficient-scope": "A read-only token was sent for a change.",
    "not-found": "No such event, or nothing with this id in it (another event's objects are as absent).",
    "method-not-allowed": "This address does not take this method; the Allow header lists those it takes.",
    "validation": "A field is missing or wrong: `errors` lists each field with its messages.",
    "stale-version": "The object changed since the version you sent: `current_version` and `changes` say how.",
    "conflict": "The change clashes with the current state (a seat that is gone, a duplicate, nothing to do).",
    "idempotency-key-reused": "This Idempotency-Key was used for a different request.",
    "idempotency-key-in-flight": "A request with this Idempotency-Key is still being processed: retry later.",
    "rate-limited": "Too many requests for this token: wait for the time Retry-After says.",
    "too-large": "The body is larger than the server takes.",
    "unsupported-media-type": "Send the body as application/json.",
    "server-error": "Something failed on our side; nothing was saved.",
    "unavailable": "The service is temporarily unavailable.",
}


def type_uri(kind: str) -> str:
    return f"{current_app.config['BASE_URL']}/api/#problem-{kind}"


def problem_response(error: HTTPException) -> Response:
    status = error.code or 500
    if isinstance(error, Problem):
        kind, title, detail, extra, headers = error.kind, error.title, error.detail, error.extra, error.headers
    else:
        kind, title, detail, extra = _KINDS.get(status, "about"), error.name, error.description or "", {}
        headers = dict(error.get_headers()) if status in (405, 429) else {}
        headers.pop("Content-Type", None)
        data = getattr(error, "data", None)  # webargs: {"messages": {location: {field: [message, ...]}}}
        if status == 422 and data and "messages" in data:
            extra = {"errors": field_errors(data["messages"])}
            title, detail = "The request has invalid fields", "See errors for each field."
        if retry := (getattr(error, "retry_after", None)):
            headers["Retry-After"] = str(retry)
    body = {"type": type_uri(kind), "title": title, "status": status, "instance": request.path, **extra}
    if detail and detail != title:
        body["detail"] = detail
    response = Response(json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype=MEDIA_TYPE,
                        headers=headers)
    response.headers["Cache-Control"] = "no-store"
    response.vary.add("Authorization")
    return response


def field_errors(messages) -> list[dict]:
    """webargs' nested {location: {field: [...]}} (fields nested further for lists and objects) as a flat list."""
    result: list[dict] = []

    def walk(location: str, prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(location, f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            result.append({"location": location, "field": prefix or "_schema", "messages": value})
        elif isinstance(value, list):
            for n, inner in enumerate(value):
                walk(location, f"{prefix}.{n}", inner)
        else:
            result.append({"location": location, "field": prefix or "_schema", "messages": [str(value)]})

    for location, fields in (messages or {}).items():
        walk(location, "", fields)
    return result


def validation(errors: list[tuple[str, str]], title: str = "The request has invalid fields") -> Problem:
    """A 422 for what a service refused, named by field: [(field, message), ...]."""
    return Problem(422, "validation", title, "; ".join(message for _, message in errors),
                   errors=[{"location": "json", "field": field, "messages": [message]} for field, message in errors])


def conflict(detail: str, **extra) -> Problem:
    return Problem(409, "conflict", "This clashes with the current state", detail, **extra)
