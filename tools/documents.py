"""Readers for what a person uploads: PDF, DOCX, TXT, Europass XML CVs and ELM/EDC credentials.

Every reader is bounded in size, pages, depth and time, sniffs the type from the content (never the
name), and raises DocumentError with a stable code that the agent turns into a message in the person's
language. Nothing here writes the file anywhere.
"""

from __future__ import annotations

import io
import json
import re
import time
import unicodedata
import zipfile
import zlib
from enum import StrEnum

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from pydantic import BaseModel

MAX_BYTES = 10 * 2**20
MAX_TEXT_CHARS = 200_000
MAX_PDF_PAGES = 100
MAX_PDF_CONTENT_BYTES = 2 * 2**20  # decoded page content streams, all pages together (a text page: ~10-50 KB)
MAX_PDF_OPERATIONS = 100_000  # content-stream operators visited, Form XObjects included (a text page: ~1-3k)
MAX_PDF_SECONDS = 10.0
MAX_UNZIPPED_BYTES = 50 * 2**20
MAX_ZIP_RATIO = 100
MAX_ZIP_ENTRIES = 2_000
MAX_NESTING = 200


class DocumentKind(StrEnum):
    PDF = "pdf"
    DOCX = "docx"
    TEXT = "text"
    EUROPASS = "europass"
    ELM = "elm"


class ErrorCode(StrEnum):
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNSUPPORTED = "unsupported"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    IMAGE_ONLY = "image_only"
    UNSAFE = "unsafe"
    TOO_DEEP = "too_deep"


class DocumentError(ValueError):
    def __init__(self, code: ErrorCode, detail: str = "") -> None:
        super().__init__(f"{code.value}: {detail}" if detail else code.value)
        self.code = code
        self.detail = detail


class ExperienceEntry(BaseModel):
    title: str = ""
    employer: str = ""
    start: str = ""
    end: str = ""


class Document(BaseModel):
    kind: DocumentKind
    text: str
    truncated: bool = False
    experiences: list[ExperienceEntry] = []
    esco_uris: list[str] = []  # skill references stated by the document itself (ELM, Europass)


def sniff(data: bytes) -> DocumentKind:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return DocumentKind.PDF
    if head.startswith(b"PK\x03\x04"):
        return DocumentKind.DOCX
    if head.startswith(b"<"):
        return DocumentKind.EUROPASS
    if head.startswith((b"{", b"[")):
        return DocumentKind.ELM
    return DocumentKind.TEXT


def read_document(data: bytes, *, max_bytes: int = MAX_BYTES) -> Document:
    if len(data) > max_bytes:
        raise DocumentError(ErrorCode.TOO_LARGE, f"{len(data)} bytes > {max_bytes}")
    if not data.strip():
        raise DocumentError(ErrorCode.EMPTY)
    kind = sniff(data)
    reader = {
        DocumentKind.PDF: _read_pdf,
        DocumentKind.DOCX: _read_docx,
        DocumentKind.EUROPASS: _read_xml,
        DocumentKind.ELM: _read_json,
        DocumentKind.TEXT: _read_text,
    }[kind]
    document = reader(data)
    if not document.text.strip() and not document.esco_uris:
        raise DocumentError(ErrorCode.IMAGE_ONLY if kind == DocumentKind.PDF else ErrorCode.EMPTY)
    return document


def _clean(text: str) -> str:
    """No control characters (line breaks and tabs stay) and no lone surrogates: what a document says is shown
    back to the person (evidence) and stored with the session, in a terminal as in JSON."""
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs"))


def _bounded(kind: DocumentKind, parts: list[str], **extra) -> Document:
    text = "\n".join(p.strip() for p in parts if p and p.strip())
    truncated = len(text) > MAX_TEXT_CHARS or extra.pop("truncated", False)
    return Document(kind=kind, text=_clean(text[:MAX_TEXT_CHARS]), truncated=truncated, **extra)


def is_supported(data: bytes) -> bool:
    """Whether the content is of a kind we read (a quick look, before parsing)."""
    return sniff(data) != DocumentKind.TEXT or not _binary(_decode(data[:20_000]))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _binary(text: str) -> bool:
    controls = sum(1 for ch in text[:20_000] if ord(ch) < 32 and ch not in "\n\r\t")
    return controls > 0.05 * min(len(text), 20_000) or "\x00" in text[:20_000]


def _read_text(data: bytes) -> Document:
    text = _decode(data)
    if _binary(text):
        raise DocumentError(ErrorCode.UNSUPPORTED, "binary content")
    return _bounded(DocumentKind.TEXT, [text])


def _read_pdf(data: bytes) -> Document:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(ErrorCode.ENCRYPTED)
        pages = reader.pages
        parts: list[str] = []
        budget = _PdfBudget()
        for index, page in enumerate(pages):
            if index >= MAX_PDF_PAGES or sum(map(len, parts)) > MAX_TEXT_CHARS:
                return _bounded(DocumentKind.PDF, parts, truncated=True)
            contents = page.get_contents()
            budget.content_bytes += len(contents.get_data()) if contents is not None else 0
            try:
                if budget.content_bytes > MAX_PDF_CONTENT_BYTES:
                    raise _BudgetSpent
                parts.append(page.extract_text(visitor_operand_before=budget.visit) or "")
            except _BudgetSpent:  # a few KB that inflate into minutes of parsing: keep what was read, if anything
                if not any(p.strip() for p in parts):
                    raise DocumentError(ErrorCode.UNSAFE, "content beyond the reading budget") from None
                return _bounded(DocumentKind.PDF, parts, truncated=True)
    except DocumentError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError, RecursionError) as exc:
        if "encrypt" in str(exc).lower() or "password" in str(exc).lower():
            raise DocumentError(ErrorCode.ENCRYPTED) from exc
        raise DocumentError(ErrorCode.CORRUPT, type(exc).__name__) from exc
    except Exception as exc:  # pypdf raises assorted errors on hostile files; none may escape as a crash
        raise DocumentError(ErrorCode.CORRUPT, type(exc).__name__) from exc
    return _bounded(DocumentKind.PDF, parts)


class _BudgetSpent(Exception):
    pass


class _PdfBudget:
    """What reading one PDF may cost: decoded content bytes, operators visited and seconds. A small file can
    paint the same huge stream on every page or call a heavy form thousands of times."""

    def __init__(self) -> None:
        self.content_bytes = 0
        self.operations = 0
        self.deadline = time.monotonic() + MAX_PDF_SECONDS

    def visit(self, *_: object) -> None:
        self.operations += 1
        if self.operations > MAX_PDF_OPERATIONS or time.monotonic() > self.deadline:
            raise _BudgetSpent


def _read_docx(data: bytes) -> Document:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if len(infos) > MAX_ZIP_ENTRIES or total > MAX_UNZIPPED_BYTES or total / packed > MAX_ZIP_RATIO:
                raise DocumentError(ErrorCode.UNSAFE, "archive expands too much")
            if "word/document.xml" not in archive.namelist():
                raise DocumentError(ErrorCode.UNSUPPORTED, "zip archive that is not a Word document")
            for info in infos:  # the sizes above are what the archive claims: inflate each member in small steps
                with archive.open(info) as member:  # and stop at its claimed size (a CRC error if it lied)
                    while member.read(2**16):
                        pass
    except zipfile.BadZipFile as exc:
        raise DocumentError(ErrorCode.CORRUPT, "bad zip") from exc
    except (RuntimeError, NotImplementedError, EOFError, OSError, zlib.error) as exc:  # encrypted, unknown method
        raise DocumentError(ErrorCode.CORRUPT, type(exc).__name__) from exc
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        parts = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                parts.append(" | ".join(dict.fromkeys(cell.text for cell in row.cells)))
    except DocumentError:
        raise
    except Exception as exc:  # python-docx surfaces lxml and zip errors of every kind
        raise DocumentError(ErrorCode.CORRUPT, type(exc).__name__) from exc
    return _bounded(DocumentKind.DOCX, parts)


# --- XML: Europass CVs (v2/v3 SkillsPassport, the newer Candidate form) and ELM XML -----------------------

_SKIP_XML = {
    "DocumentInfo",
    "PrintingPreferences",
    "Identification",
    "ContactInfo",
    "Attachment",
    "Data",
    "Demographics",
    "Photo",
    "Signature",
    "Address",
    "Telephone",
    "Email",
    "Website",
    "CommunicationList",
    "PersonName",
}
_TEXT_XML = {
    "Label",
    "Description",
    "Activities",
    "Title",
    "Name",
    "PositionTitle",
    "CompetencyName",
    "OrganizationName",
    "Value",
    "Comment",
    "EducationDegreeName",
    "title",
    "description",
    "definition",
    "prefLabel",
    "noteLiteral",
    "learningOutcome",
}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _read_xml(data: bytes) -> Document:
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DocumentError(ErrorCode.UNSAFE, type(exc).__name__) from exc
    except SafeET.ParseError as exc:
        raise DocumentError(ErrorCode.CORRUPT, str(exc)) from exc
    parts: list[str] = []
    uris: list[str] = []
    stack = [(root, 0)]
    while stack:  # iterative walk: deep nesting cannot exhaust the stack
        element, depth = stack.pop()
        if depth > MAX_NESTING:
            raise DocumentError(ErrorCode.TOO_DEEP)
        name = _local(element.tag)
        if name in _SKIP_XML:
            continue
        for value in element.attrib.values():
            if value.startswith("http://data.europa.eu/esco/skill/"):
                uris.append(value)
        text = (element.text or "").strip()
        if text.startswith("http://data.europa.eu/esco/skill/"):
            uris.append(text)
        elif text and name in _TEXT_XML:
            parts.append(_strip_html(text))
        stack.extend((child, depth + 1) for child in reversed(list(element)))
    return _bounded(
        DocumentKind.EUROPASS, parts, experiences=_europass_experiences(root), esco_uris=list(dict.fromkeys(uris))
    )


def _find(element, *path: str):
    for name in path:
        if element is None:
            return None
        element = next((c for c in element if _local(c.tag) == name), None)
    return element


def _europass_experiences(root) -> list[ExperienceEntry]:
    entries = []
    for element in root.iter():
        name = _local(element.tag)
        if name == "WorkExperience":  # v2/v3 SkillsPassport
            period = _find(element, "Period")
            start, end = _find(period, "From"), _find(period, "To")
            current = _find(period, "Current")
            entries.append(
                ExperienceEntry(
                    title=_text(_find(element, "Position", "Label")),
                    employer=_text(_find(element, "Employer", "Name")),
                    start=start.attrib.get("year", "") if start is not None else "",
                    end="current"
                    if _text(current) == "true"
                    else (end.attrib.get("year", "") if end is not None else ""),
                )
            )
        elif name == "EmployerHistory":  # Candidate form
            position = _find(element, "PositionHistory")
            entries.append(
                ExperienceEntry(
                    title=_text(_find(position, "PositionTitle")),
                    employer=_text(_find(element, "OrganizationName")),
                    start=_text(_find(position, "EmploymentPeriod", "StartDate", "FormattedDateTime"))[:10],
                    end=_text(_find(position, "EmploymentPeriod", "EndDate", "FormattedDateTime"))[:10],
                )
            )
    return entries


def _text(element) -> str:
    return (element.text or "").strip() if element is not None else ""


_TAG = re.compile(r"<[^>]{0,200}>")


def _strip_html(text: str) -> str:
    """Europass descriptions carry HTML fragments."""
    return " ".join(_TAG.sub(" ", text).split())


# --- JSON: ELM / EDC credentials (JSON-LD) ----------------------------------------------------------------

_TEXT_JSON = {
    "title",
    "description",
    "definition",
    "learningOutcome",
    "prefLabel",
    "noteLiteral",
    "name",
    "achievement",
    "criteria",
    "narrative",
}
_LANGUAGE_KEYS = set(
    [
        "bg",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "ga",
        "hr",
        "hu",
        "is",
        "it",
        "lt",
        "lv",
        "mk",
        "mt",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "sk",
        "sl",
        "sq",
        "sr",
        "sv",
        "tr",
        "uk",
    ]
)
_SKIP_JSON = {
    "givenName",
    "familyName",
    "fullName",
    "birthName",
    "displayParameter",
    "image",
    "logo",
    "content",
    "contactPoint",
    "address",
    "location",
    "proof",
    "dateOfBirth",
    "emailAddress",
    "awardingBody",
    "issuer",
    "vatIdentifier",
    "registration",
}


def json_depth(data: bytes | str) -> int:
    """Maximum bracket nesting, counted without parsing (strings skipped)."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def load_json(data: bytes) -> object:
    if json_depth(data) > MAX_NESTING:
        raise DocumentError(ErrorCode.TOO_DEEP)
    try:
        return json.loads(data)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError, an integer of 5,000 digits
        raise DocumentError(ErrorCode.CORRUPT, str(exc)[:200]) from exc


def _read_json(data: bytes) -> Document:
    parsed = load_json(data)
    parts: list[str] = []
    uris: list[str] = []
    stack: list[tuple[str, object]] = [("", parsed)]
    while stack:
        key, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((k, v) for k, v in reversed(list(value.items())) if k not in _SKIP_JSON)
        elif isinstance(value, list):
            stack.extend((key, v) for v in reversed(value))
        elif isinstance(value, str):
            if value.startswith("http://data.europa.eu/esco/skill/"):
                uris.append(value)
            elif key in _TEXT_JSON or key in _LANGUAGE_KEYS:  # {"en": "..."} language maps
                parts.append(_strip_html(value))
    return _bounded(DocumentKind.ELM, list(dict.fromkeys(parts)), esco_uris=list(dict.fromkeys(uris)))
