"""Administration (needs the admin API key): import provider credentials into the catalogue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from pydantic import BaseModel

from api.deps import AdminDep, ContextDep
from api.errors import ApiError
from tools.importers import MAX_IMPORT_BYTES, ImportError_, ImportIssue
from tools.importers.service import Format, import_credentials

router = APIRouter(prefix="/api/admin", tags=["admin"])


class ImportReport(BaseModel):
    imported: list[str]
    dry_run: bool
    note: str = "Imported credentials take effect when the server restarts."


class ImportRejected(BaseModel):
    issues: list[ImportIssue]


@router.post("/catalogue/import", response_model=ImportReport, responses={422: {"model": ImportRejected}})
async def import_catalogue(
    _: AdminDep, ctx: ContextDep, file: UploadFile, format: Format, dry_run: Annotated[bool, Query()] = True
) -> dict:
    raw = await file.read(MAX_IMPORT_BYTES + 1)
    try:
        credentials, _target = import_credentials(
            raw=raw,
            format=format,
            name=file.filename or "upload",
            kb=ctx.kb,
            catalogue=ctx.catalogue,
            catalogue_dir=ctx.settings.catalogue_dir,
            dry_run=dry_run,
        )
    except ImportError_ as exc:
        raise ApiError(422, "import_rejected", details=[i.model_dump() for i in exc.issues]) from exc
    return {"imported": [c.id for c in credentials], "dry_run": dry_run}
