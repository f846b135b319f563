"""Catalogue importers: all-or-nothing readers of provider formats into MicroCredential records."""

from __future__ import annotations

from pydantic import BaseModel

from domain.models import MicroCredential
from tools.documents import DocumentError, load_json

MAX_IMPORT_BYTES = 20 * 2**20


class ImportIssue(BaseModel):
    where: str  # "line 4, column eqf" or "$.credentialSubject.hasClaim.specifiedBy.eqfLevel"
    message: str


class ImportError_(ValueError):
    """Nothing was imported; every problem found is listed."""

    def __init__(self, issues: list[ImportIssue]) -> None:
        self.issues = issues
        super().__init__("; ".join(f"{i.where}: {i.message}" for i in issues[:50]))


class ImportResult(BaseModel):
    credentials: list[MicroCredential]


def load_import_json(raw: bytes) -> object:
    """The parsed JSON of an import file, bounded in size and nesting, or ImportError_."""
    if len(raw) > MAX_IMPORT_BYTES:
        raise ImportError_([ImportIssue(where="file", message=f"larger than {MAX_IMPORT_BYTES // 2**20} MB")])
    try:
        return load_json(raw)
    except DocumentError as exc:
        raise ImportError_([ImportIssue(where="file", message=f"not valid JSON ({exc.code.value})")]) from exc
