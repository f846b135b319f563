"""Catalogue importers: all-or-nothing readers of provider formats into MicroCredential records."""

from __future__ import annotations

from pydantic import BaseModel

from domain.models import MicroCredential


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
