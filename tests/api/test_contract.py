"""Contract test: schemathesis against the served OpenAPI document, every operation, positive and negative cases.

0 server errors and 0 answers that break the document (status, content type, headers, body schema), and negative
data always refused. Not checked: "schema-valid data is accepted" (ST202): a valid request may still be refused
for what the domain says (a 409 for a seat that is gone, a 422 from a service, 400 for a cursor not given out,
404 for an id that does not exist), and those answers are documented problem+json. Examples are
bounded (CONFMAN_SCHEMATHESIS_EXAMPLES, default 6 per operation and mode), so it runs in about a minute; CI may
raise the figure. The world is the PrepCon sample, with a write token of an organizer who also moderates.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from confman.extensions import db
from confman.models import Event, Role
from confman.services import sample

from api_support import bearer, make_token
from conftest import make_app
from factories import NOW, make_user

EXAMPLES = int(os.environ.get("CONFMAN_SCHEMATHESIS_EXAMPLES", "6"))
SLUG = "prepcon-2021"


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("contract")
    app = make_app(folder, f"sqlite:///{folder / 'contract.sqlite3'}")
    with app.app_context():
        db.create_all()
        sample.load_sample(now=NOW)
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        user = make_user(roles=((event, Role.ORGANIZER), (event, Role.MODERATOR)))
        app.config["CONTRACT_TOKEN"] = make_token(user, event, scope="write", name="contract")
        app.config["CONTRACT_USER"] = user.id
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def api_schema(contract_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", contract_app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                                    max_examples=EXAMPLES, deterministic=True)
    return schema


def _fresh_token(app) -> str:
    """DELETE /api/v1/token revokes the token it is sent with: the next case gets a new one."""
    from confman.models import User

    with app.app_context():
        user = db.session.get(User, app.config["CONTRACT_USER"])
        event = db.session.scalar(select(Event).filter_by(slug=SLUG))
        secret = make_token(user, event, scope="write", name="contract")
        db.session.commit()
    app.config["CONTRACT_TOKEN"] = secret
    return secret


def _exercise(app, operation, mode: GenerationMode) -> int:
    calls = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True,
              database=None, phases=[Phase.explicit, Phase.generate])
    def run(case):
        if mode == GenerationMode.POSITIVE and "slug" in (case.path_parameters or {}):
            case.path_parameters = {**case.path_parameters, "slug": SLUG}  # reach the sample, not only 404s
        # identity: the WSGI transport does not undo Flask-Compress's brotli
        response = case.call_and_validate(headers={**bearer(app.config["CONTRACT_TOKEN"]),
                                                   "Accept-Encoding": "identity"},
                                          excluded_checks=[positive_data_acceptance])
        calls.append(response.status_code)
        if case.method.upper() == "DELETE" and case.path == "/api/v1/token" and response.status_code == 204:
            _fresh_token(app)

    run()
    return len(calls)


def test_every_operation_keeps_its_contract(api_schema, contract_app):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    failures, calls = [], 0

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                calls += _exercise(contract_app, operation, mode)
            except Unsatisfiable:
                assert mode == GenerationMode.NEGATIVE  # nothing to get wrong: only a free-text slug in the path
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every operation is tried, all reported
                failures.append(f"{mode.value} {operation.method.upper()} {operation.path}: {error}"[:2000])

    assert not failures, "\n\n".join(failures)
    assert len(operations) >= 50
    assert calls >= len(operations)
