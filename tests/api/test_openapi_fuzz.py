"""The OpenAPI schema, fuzzed (schemathesis, bounded): no input, valid or not, gives a 5xx."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr

from api.access import session_token
from api.app import create_app

EXAMPLES = 20
MODES = [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE]


@pytest.fixture(scope="module")
def fuzz_app(agent, test_settings):
    overrides = {"rate_limit_ip": 10**6, "rate_limit_session": 10**6, "admin_api_key": SecretStr("fuzz-key")}
    app = create_app(settings=test_settings.model_copy(update=overrides), agent=agent)
    app.state.fuzz_session, _ = agent.start(language="en")
    return app


@pytest.fixture(scope="module")
def operations(fuzz_app):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)
    return {f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in schema.get_all_operations())}


def test_every_operation_and_mode_survives_fuzzing(fuzz_app, operations):
    assert len(operations) >= 12
    session_id = fuzz_app.state.fuzz_session
    auth = {"Authorization": f"Bearer {session_token(fuzz_app.state.signing_key, session_id)}"}
    failures: list[str] = []
    for label, operation in operations.items():
        for mode in MODES:
            try:
                fuzz(operation, mode, session_id=session_id, auth=auth, failures=failures)
            except Unsatisfiable:  # no invalid input exists for an operation without parameters
                assert mode == schemathesis.GenerationMode.NEGATIVE, label
    assert not failures, "\n".join(failures[:10])


def fuzz(operation, mode, *, session_id: str, auth: dict, failures: list[str]) -> None:
    valid = mode == schemathesis.GenerationMode.POSITIVE

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case):
        if valid and "session_id" in (case.path_parameters or {}):
            case.path_parameters["session_id"] = session_id  # reach the handlers, not only the token check
            case.headers = {**(case.headers or {}), **auth}
        if case.path.startswith("/api/admin"):
            case.headers = {**(case.headers or {}), "X-API-Key": "fuzz-key"}
        response = case.call()
        if response.status_code >= 500:
            failures.append(f"{operation.label} [{mode.value}] -> {response.status_code}: {response.text[:200]}")

    run()
