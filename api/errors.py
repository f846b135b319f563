"""Errors as `{"error": {"code", "message"}}`, the message in the person's language."""

from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.access import token_matches
from domain.languages import LANGS
from prompts.texts import text


class ApiError(Exception):
    def __init__(self, status: int, code: str, *, language=None, headers=None, details=None, **values: object):
        self.status, self.code, self.language, self.headers, self.values = status, code, language, headers, values
        self.details = details


def request_language(request: Request, preferred: str | None = None) -> str:
    """The session language when known, else the best of Accept-Language, else the default."""
    if preferred in LANGS:
        return preferred
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGS:
            return code
    return request.app.state.settings.default_language


def _session_language(request: Request) -> str | None:
    """The language of the session named in the path, when the request carries its token: a body that could not
    be parsed is refused before the route's dependencies have looked the session up."""
    try:
        session_id = request.path_params.get("session_id")
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if not session_id or scheme.lower() != "bearer":
            return None
        if not token_matches(request.app.state.signing_key, session_id, token.strip()):
            return None
        return request.app.state.agent.language(session_id)
    except Exception:  # an error reply must never fail itself
        return None


def _reply_language(request: Request, language=None) -> str:
    """The language given, else the one the request's route found, else its session's, else Accept-Language's."""
    return request_language(request, language or getattr(request.state, "language", None) or _session_language(request))


def error_response(
    request: Request, status: int, code: str, *, language=None, headers=None, details=None, **values
) -> JSONResponse:
    lang = _reply_language(request, language)
    error = {"code": code, "message": text(lang, f"api.{code}", **values)}
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


async def on_api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(
        request, exc.status, exc.code, language=exc.language, headers=exc.headers, details=exc.details, **exc.values
    )


# pydantic v2 error types -> the reason given in `api.invalid_request`; any other `*_type` or `*_parsing` error is
# a wrong type, anything else simply invalid.
REASONS = {
    "json_invalid": "reason_json",
    "json_type": "reason_json",
    "dict_type": "reason_not_object",
    "model_type": "reason_not_object",
    "model_attributes_type": "reason_not_object",
    "missing": "reason_missing",
    "extra_forbidden": "reason_unknown_field",
    "string_empty": "reason_empty",
    "string_too_short": "reason_too_short",
    "too_short": "reason_too_short",
    "string_too_long": "reason_too_long",
    "too_long": "reason_too_long",
    "greater_than": "reason_out_of_range",
    "greater_than_equal": "reason_out_of_range",
    "less_than": "reason_out_of_range",
    "less_than_equal": "reason_out_of_range",
    "multiple_of": "reason_out_of_range",
    "finite_number": "reason_out_of_range",
    "int_from_float": "reason_out_of_range",
    "literal_error": "reason_not_allowed",
    "enum": "reason_not_allowed",
}


def _invalid_request(
    request: Request, status: int, reason: str, where: str = "", *, headers=None, **values
) -> JSONResponse:
    lang = _reply_language(request)
    why = text(lang, f"api.{reason}", **values)
    detail = f"{where}: {why}" if where else why
    return error_response(request, status, "invalid_request", language=lang, headers=headers, detail=detail)


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    kind, ctx = first.get("type", ""), first.get("ctx") or {}
    if kind == "string_too_short" and ctx.get("min_length") == 1:  # longer minimums (a path's session id): too short
        kind = "string_empty"
    reason = REASONS.get(kind) or ("reason_wrong_type" if kind.endswith(("_type", "_parsing")) else "reason_invalid")
    loc = () if kind == "json_invalid" else first.get("loc", ())  # json_invalid's loc holds a character offset
    # "body" and the tags of union members (e.g. "dict[constrained-str,constrained-int]") are not the person's fields
    where = ".".join(str(part) for part in loc if part != "body" and "[" not in str(part))
    limit = ctx.get("max_length", ctx.get("min_length", ""))
    return _invalid_request(request, 422, reason, where, limit=limit)


async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404:
        return error_response(request, 404, "not_found")
    # Starlette's own detail is English: never passed on
    reason = {400: "reason_unreadable_body", 405: "reason_method"}.get(exc.status_code, "reason_invalid")
    return _invalid_request(request, exc.status_code, reason, headers=exc.headers)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    request.app.state.log.exception("unexpected error", extra={"request_id": getattr(request.state, "request_id", "")})
    return error_response(request, 500, "internal_error")
