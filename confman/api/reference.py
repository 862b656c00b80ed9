"""/api/: the API reference, a plain page rendered from the OpenAPI document (no script, under the site's CSP)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, url_for

from confman.api import problems

bp = Blueprint("api_reference", __name__)
METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict, node):
    """Follow a local $ref (#/components/...) one level, as the page needs it."""
    if isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target.get(part, {})
        return target
    return node or {}


def _fields(spec: dict, schema: dict) -> list[dict]:
    schema = _resolve(spec, schema)
    if schema.get("type") == "array":
        schema = _resolve(spec, schema.get("items"))
    required = set(schema.get("required", []))
    rows = []
    for name, prop in (schema.get("properties") or {}).items():
        prop = _resolve(spec, prop) if "$ref" in prop else prop
        kind = prop.get("type", "object")
        kind = " or ".join(kind) if isinstance(kind, list) else kind
        rows.append({"name": name, "type": kind, "format": prop.get("format", ""), "required": name in required,
                     "enum": prop.get("enum", []), "description": prop.get("description", "")})
    return rows


def operations(spec: dict) -> list[dict]:
    """Every operation, grouped by its tag in the document's order."""
    groups: dict[str, dict] = {t["name"]: {"name": t["name"], "description": t.get("description", ""), "ops": []}
                               for t in spec.get("tags", [])}
    for path, item in spec.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = (op.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")
            ok = next((code for code in op.get("responses", {}) if code.startswith("2")), "")
            ok_schema = (op["responses"].get(ok, {}).get("content", {}).get("application/json", {})
                         .get("schema")) if ok else None
            tag = (op.get("tags") or ["other"])[0]
            groups.setdefault(tag, {"name": tag, "description": "", "ops": []})["ops"].append({
                "id": f"{method}-{path}".replace("/", "-").replace("{", "").replace("}", ""),
                "method": method.upper(), "path": path, "summary": op.get("summary", ""),
                "description": op.get("description", ""), "needs_token": bool(op.get("security")),
                "parameters": [_resolve(spec, p) for p in [*shared, *op.get("parameters", [])]],
                "body": _fields(spec, body) if body else [], "status": ok,
                "answer": _fields(spec, ok_schema) if ok_schema else [],
            })
    return [g for g in groups.values() if g["ops"]]


@bp.route("/api/")
def reference():
    spec = current_app.extensions["confman.api"].spec.to_dict()
    return render_template("api/reference.html", spec=spec, groups=operations(spec),
                           openapi_url=url_for("api-docs.openapi_json", _external=True),
                           problem_types=problems.DESCRIPTIONS, base_url=current_app.config["BASE_URL"])
