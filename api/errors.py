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


def error_response(
    request: Request, status: int, code: str, *, language=None, headers=None, details=None, **values
) -> JSONResponse:
    lang = request_language(request, language or getattr(request.state, "language", None) or _session_language(request))
    error = {"code": code, "message": text(lang, f"api.{code}", **values)}
    if details is not None:
        error["details"] = details
    return JSONResponse({"error": error}, status_code=status, headers=headers)


async def on_api_error(request: Request, exc: ApiError) -> JSONResponse:
    return error_response(
        request, exc.status, exc.code, language=exc.language, headers=exc.headers, details=exc.details, **exc.values
    )


async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    first = exc.errors()[0] if exc.errors() else {}
    where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
    return error_response(request, 422, "invalid_request", detail=f"{where}: {first.get('msg', '')}".strip(": "))


async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 404:
        return error_response(request, 404, "not_found")
    return error_response(request, exc.status_code, "invalid_request", detail=str(exc.detail))


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    request.app.state.log.exception("unexpected error", extra={"request_id": getattr(request.state, "request_id", "")})
    return error_response(request, 500, "internal_error")
