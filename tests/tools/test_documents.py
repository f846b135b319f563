"""Readers of uploads: real content is read; hostile or broken files give a clear error code, fast."""

import io
import time
import zipfile

import pytest
from pypdf import PdfWriter

from tools.documents import DocumentError, DocumentKind, ErrorCode, read_document, sniff


def _pdf(text_pages: int = 1, *, encrypt: bool = False) -> bytes:
    writer = PdfWriter()
    for _ in range(text_pages):
        writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx(paragraph: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 * 2**20))
    return out.getvalue()


EUROPASS = b"""<?xml version="1.0" encoding="UTF-8"?>
<SkillsPassport xmlns="http://europass.cedefop.europa.eu/Europass" locale="en">
 <LearnerInfo>
  <Identification><PersonName><FirstName>Ana</FirstName></PersonName></Identification>
  <WorkExperienceList><WorkExperience>
   <Period><From year="2015"/><Current>true</Current></Period>
   <Position><Label>CNC operator</Label></Position>
   <Activities>Set up CNC milling machines and check parts with a micrometer.</Activities>
   <Employer><Name>Acme Machining</Name></Employer>
  </WorkExperience></WorkExperienceList>
 </LearnerInfo>
</SkillsPassport>"""


def test_text_docx_and_europass_are_read():
    assert read_document(b"I weld steel frames.").kind == DocumentKind.TEXT
    assert "milling" in read_document(_docx("I set up CNC milling machines.")).text
    cv = read_document(EUROPASS)
    assert cv.kind == DocumentKind.EUROPASS and "micrometer" in cv.text and "Ana" not in cv.text
    assert cv.experiences[0].title == "CNC operator" and cv.experiences[0].employer == "Acme Machining"
    assert cv.experiences[0].start == "2015" and cv.experiences[0].end == "current"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", ErrorCode.EMPTY),
        (b"   \n\t", ErrorCode.EMPTY),
        (b"x" * (11 * 2**20), ErrorCode.TOO_LARGE),
        (bytes(range(256)) * 50, ErrorCode.UNSUPPORTED),
        (b"%PDF-1.7\n garbage that is not a pdf", ErrorCode.CORRUPT),
        (_pdf(encrypt=True), ErrorCode.ENCRYPTED),
        (_pdf(3), ErrorCode.IMAGE_ONLY),
        (_zip_bomb(), ErrorCode.UNSAFE),
        (b"PK\x03\x04 not really a zip", ErrorCode.CORRUPT),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', ErrorCode.UNSAFE),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><x>&b;</x>',
            ErrorCode.UNSAFE,
        ),
        (b"<a>" * 5000 + b"x" + b"</a>" * 5000, ErrorCode.TOO_DEEP),
        (b"<unclosed>", ErrorCode.CORRUPT),
        (b"[" * 100_000 + b"]" * 100_000, ErrorCode.TOO_DEEP),
        (b'{"broken": ', ErrorCode.CORRUPT),
    ],
)
def test_bad_files_give_a_clear_error_quickly(data, code):
    start = time.perf_counter()
    with pytest.raises(DocumentError) as caught:
        read_document(data)
    assert caught.value.code == code
    assert time.perf_counter() - start < 20


def test_type_is_sniffed_from_content_not_name():
    assert sniff(b"%PDF-1.4") == DocumentKind.PDF
    assert sniff(b"\xef\xbb\xbf<?xml") == DocumentKind.EUROPASS
    assert sniff(b'{"a": 1}') == DocumentKind.ELM
    assert sniff(b"plain words") == DocumentKind.TEXT
