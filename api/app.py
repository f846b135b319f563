"""The FastAPI application: routers, middleware (request id, logs, rate limit, CORS) and error handlers."""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from starlette.exceptions import HTTPException as StarletteHTTPException

from agent.service import Agent
from api import errors
from api.access import signing_key
from api.rate_limit import RateLimiter
from api.routes import admin, catalogue, health, sessions, widget
from domain.logs import configure_logging
from domain.settings import Settings, get_settings

log = logging.getLogger("pathways.api")


def create_app(*, settings: Settings | None = None, agent: Agent | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if getattr(app.state, "agent", None) is None:
            app.state.agent = Agent()
        yield

    app = FastAPI(
        title="LCAMP Pathways API",
        version="0.1.0",
        description="Career guidance for advanced manufacturing: sessions, turns (JSON or SSE), uploads, "
        "catalogue search, exports. This service uses the ESCO classification of the European Commission.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.agent = agent
    app.state.signing_key = signing_key(settings)
    app.state.ip_limiter = RateLimiter(per_minute=settings.rate_limit_ip)
    app.state.session_limiter = RateLimiter(per_minute=settings.rate_limit_session)
    app.state.log = log
    for router in (sessions.router, catalogue.router, admin.router, health.router, widget.router):
        app.include_router(router)
    app.add_exception_handler(errors.ApiError, errors.on_api_error)
    app.add_exception_handler(RequestValidationError, errors.on_validation_error)
    app.add_exception_handler(StarletteHTTPException, errors.on_http_error)
    app.add_exception_handler(Exception, errors.on_unexpected)
    app.middleware("http")(observe)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "Accept-Language"],
            expose_headers=["X-Request-ID", "Retry-After"],
        )
    return app


async def observe(request: Request, call_next):
    """Request id in and out, the per-address rate limit, one structured log line (never a body)."""
    request_id = request.headers.get("x-request-id", "")[:64] or uuid.uuid4().hex
    request.state.request_id = request_id
    started = time.perf_counter()
    client = request.client.host if request.client else "unknown"
    limited = request.url.path.startswith("/api/") and client not in request.app.state.settings.rate_limit_exempt
    wait = request.app.state.ip_limiter.retry_after(client) if limited else 0
    if wait:
        response = errors.error_response(request, 429, "rate_limited", headers={"Retry-After": str(wait)}, seconds=wait)
    else:
        response = await call_next(request)
    response.headers["X-Request-ID"] = request_id
    response.headers["X-Content-Type-Options"] = "nosniff"
    route = request.scope.get("route")
    log.info(
        json.dumps(
            {
                "request_id": request_id,
                "method": request.method,
                "route": getattr(route, "path", request.url.path if response.status_code != 404 else "-"),
                "status": response.status_code,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }
        )
    )
    return response
