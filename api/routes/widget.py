"""The chat widget script and the demo host page that embeds it (no external requests: all served here)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

STATIC = Path(__file__).resolve().parent.parent / "static"
router = APIRouter(include_in_schema=False)


@router.get("/widget.js")
def widget_script() -> FileResponse:
    return FileResponse(STATIC / "widget.js", media_type="text/javascript", headers={"Cache-Control": "no-cache"})


@router.get("/")
@router.get("/demo")
def demo_page() -> FileResponse:
    return FileResponse(STATIC / "demo.html", media_type="text/html")
