"""Every item of the bad-input corpus through the real entry points: the HTTP API (messages and uploads, sessions
in the six languages in turn), the terminal chat (`pathways chat`, scripted) and the catalogue importers (the
service, the admin route and `pathways catalogue import`).

Each item must give a clear answer (a 4xx `{"error": {"code", "message"}}` or a turn whose message explains the
problem, in the session's language), within TIME_LIMIT_S and MEMORY_LIMIT_MB of growth, never a 5xx; the session
then answers a normal message normally and its profile is unchanged by the bad item. The one item that fills the
skill extractor's own budget (`heavy`) has its own time limit and goes through the API only. The closing tally
(inputs, entry points, sessions) is printed at the end of the run (conftest.py).
"""

from __future__ import annotations

import csv
import io
import json
import re
import string
import time
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from api.app import create_app
from api.cli import main as cli_main
from api.terminal_chat import run_chat
from domain.languages import LANGS
from prompts.texts import texts
from tests.reliability.corpus import (
    FILE_ITEMS,
    FORMULA_STARTS,
    FORMULAS,
    IMPORT_ITEMS,
    NAMES,
    NORMAL,
    TALLY,
    TEXT_ITEMS,
    Item,
    csv_file,
    csv_row,
    elm_credential,
)
from tools.importers import ImportError_
from tools.importers.service import import_credentials

TIME_LIMIT_S = 20.0
# An upload whose text fills the extractor's 20,000-character budget (tools/extraction.py: "~1 s per 1,000
# characters") takes that budget's time: 20-30 s measured on 2 shared cores. Bounded, but not by 20 s.
HEAVY_TIME_LIMIT_S = 60.0
MEMORY_LIMIT_MB = 400  # a 20 MB input is read, cleaned and refused: its copies count
ADMIN_KEY = "reliability-admin"
CONFIRM = {"en": "yes", "es": "sí", "fr": "oui", "it": "sì", "tr": "evet", "sl": "da"}
REASON_KEYS = [key for key in texts("en") if key.startswith("api.reason_")]
READER_ERRORS = {"empty", "too_large", "unsupported", "corrupt", "encrypted", "image_only", "unsafe", "too_deep"}


# --- measuring ----------------------------------------------------------------------------------------------


def _status_mb(field: str) -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> None:
    try:  # Linux: "5" resets VmHWM (the peak resident set) to the current size
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:
        pass


@contextmanager
def bounded(item: Item, entry_point: str):
    """The work inside takes under TIME_LIMIT_S and grows the resident set by under MEMORY_LIMIT_MB at its peak
    (this process serves the API too: TestClient runs the app in a thread of it)."""
    _reset_peak()
    before = _status_mb("VmRSS")
    started = time.perf_counter()
    yield
    seconds = time.perf_counter() - started
    growth = _status_mb("VmHWM") - before
    TALLY.tried(item.id, entry_point, seconds=seconds, growth_mb=growth)
    limit = HEAVY_TIME_LIMIT_S if item.heavy else TIME_LIMIT_S
    assert seconds < limit, f"{item.id} via {entry_point}: {seconds:.1f} s"
    assert growth < MEMORY_LIMIT_MB, f"{item.id} via {entry_point}: +{growth:.0f} MB"


# --- reading replies ----------------------------------------------------------------------------------------


@cache
def pattern(lang: str, key: str) -> re.Pattern:
    """A text template as a regular expression; its fields become named groups."""
    regex, seen = "", set()
    for literal, field, _, _ in string.Formatter().parse(texts(lang)[key]):
        regex += re.escape(literal)
        if field is not None:
            regex += "(.+?)" if field in seen else f"(?P<{field}>.+?)"
            seen.add(field)
    return re.compile(regex, re.DOTALL)


def said(messages: list[str], lang: str, key: str) -> re.Match | None:
    return next((m for m in (pattern(lang, key).fullmatch(msg) for msg in messages) if m), None)


@cache
def english_only(lang: str) -> list[str]:
    """Agent texts whose English wording differs from this language's (with enough fixed words to recognise)."""
    keys = [k for k, v in texts("en").items() if k.startswith("agent.") and v != texts(lang)[k]]
    return [k for k in keys if len(re.sub(r"\{[^}]*\}", "", texts("en")[k]).strip()) >= 12]


def assert_in_language(messages: list[str], lang: str) -> None:
    """Every message is the session's language: none is an English text the session language words otherwise."""
    assert messages
    if lang == "en":
        return
    for key in english_only(lang):
        assert not said(messages, "en", key), (lang, key, messages)


def assert_error(response, lang: str, status: int, code: str) -> None:
    assert response.status_code == status, (response.status_code, response.text[:300])
    error = response.json()["error"]
    assert error["code"] == code and set(error) >= {"code", "message"}
    match = pattern(lang, f"api.{code}").fullmatch(error["message"])
    assert match, (lang, error)
    if lang != "en":
        assert not pattern("en", f"api.{code}").fullmatch(error["message"]), (lang, error)
    if code == "invalid_request":  # "{detail}" is a reason in the same language, after the field path if any
        reason = match.group("detail").rpartition(": ")[2]
        assert any(pattern(lang, key).fullmatch(reason) for key in REASON_KEYS), (lang, error)
        if lang != "en":
            assert not any(pattern("en", key).fullmatch(reason) for key in REASON_KEYS), (lang, error)


def assert_safe_name(name: str) -> None:
    assert len(name) <= 120 and name.strip()
    assert not re.search(r"[/\\\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069\"<>:]", name), name


def assert_upload_turn(turn: dict, item: Item, lang: str) -> None:
    messages = turn["messages"]
    assert turn["language"] == lang
    assert_in_language(messages, lang)
    if item.expect == "read":
        match = said(messages, lang, "agent.upload_received")
        assert match, (item.id, messages)
        assert said(messages, lang, "agent.propose_skills") or said(messages, lang, "agent.no_skills_found")
    else:
        match = said(messages, lang, f"agent.upload_error_{item.expect}")
        assert match, (item.id, item.expect, messages)
    assert_safe_name(match.group("name"))
    assert "root:x:0:0" not in json.dumps(turn)  # no external entity was ever resolved


def assert_text_turn(turn: dict, item: Item, lang: str) -> None:
    messages = turn["messages"]
    assert turn["language"] == lang, (item.id, turn["language"])
    assert_in_language(messages, lang)
    if item.expect == "turn":
        known = [k for k in texts(lang) if k.startswith("agent.")]
        assert any(said(messages, lang, k) for k in known), (item.id, messages)
    else:
        assert said(messages, lang, f"agent.{item.expect}"), (item.id, item.expect, messages)


# --- the API ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings(test_settings):
    return test_settings.model_copy(
        update={
            "rate_limit_exempt": [],
            "rate_limit_ip": 100_000,
            "rate_limit_session": 10_000,
            "admin_api_key": SecretStr(ADMIN_KEY),
        }
    )


@pytest.fixture(scope="module")
def client(agent, settings):
    return TestClient(create_app(settings=settings, agent=agent))


def at_experience(client: TestClient, lang: str) -> tuple[str, dict, dict]:
    created = client.post("/api/sessions", json={"language": lang})
    assert created.status_code == 201
    sid, auth = created.json()["session_id"], {"Authorization": f"Bearer {created.json()['token']}"}
    turn = client.post(f"/api/sessions/{sid}/actions", json={"action": {"type": "confirm"}}, headers=auth).json()
    assert turn["turn"]["step"] == "experience" and turn["turn"]["language"] == lang
    TALLY.session(sid, lang)
    return sid, auth, turn["turn"]


def still_usable(client: TestClient, sid: str, auth: dict, lang: str, profile_before: dict) -> None:
    """The bad item changed nothing confirmed, and a normal message gets a normal turn."""
    resumed = client.get(f"/api/sessions/{sid}", headers=auth)
    assert resumed.status_code == 200
    assert resumed.json()["turn"]["profile"] == profile_before
    normal = client.post(f"/api/sessions/{sid}/messages", json={"text": NORMAL[lang]}, headers=auth)
    assert normal.status_code == 200, normal.text[:300]
    turn = normal.json()["turn"]
    assert turn["language"] == lang and turn["step"] == "skills", (turn["language"], turn["step"], turn["messages"])
    assert turn["pending"]["kind"] == "confirm_skills" and turn["pending"]["options"]
    assert turn["profile"] == profile_before


@pytest.mark.parametrize("item", TEXT_ITEMS, ids=lambda item: item.id)
def test_bad_messages_through_the_api(client, item):
    lang = LANGS[TEXT_ITEMS.index(item) % len(LANGS)]
    payload = item.payload
    sid, auth, turn = at_experience(client, lang)
    url = f"/api/sessions/{sid}/messages"
    with bounded(item, "api:messages"):
        if item.raw_body:
            response = client.post(url, content=payload, headers=auth | {"Content-Type": "application/json"})
        else:
            response = client.post(url, json={"text": payload}, headers=auth)
    if item.api:
        assert_error(response, lang, *item.api)
    else:
        assert response.status_code == 200, response.text[:300]
        assert_text_turn(response.json()["turn"], item, lang)
    still_usable(client, sid, auth, lang, turn["profile"])


@pytest.mark.parametrize("item", FILE_ITEMS, ids=lambda item: item.id)
def test_bad_uploads_through_the_api(client, item):
    lang = LANGS[(FILE_ITEMS.index(item) + 1) % len(LANGS)]
    payload = item.payload
    sid, auth, turn = at_experience(client, lang)
    with bounded(item, "api:uploads"):
        response = client.post(f"/api/sessions/{sid}/uploads", files={"file": (item.name, payload)}, headers=auth)
    if item.api:
        assert_error(response, lang, *item.api)
    elif item.expect == "too_large":
        assert_error(response, lang, 413, "too_large")
    elif item.expect == "unsupported" and response.status_code == 415:  # refused before the agent sees it
        assert_error(response, lang, 415, "unsupported_type")
    else:
        assert response.status_code == 200, response.text[:300]
        assert_upload_turn(response.json()["turn"], item, lang)
    still_usable(client, sid, auth, lang, turn["profile"])


def test_file_names_are_never_used_as_paths(client, tmp_path):
    """The content of the upload is read, never a file the name points at; the name comes back sanitised."""
    canary = tmp_path / "canary.txt"
    canary.write_text("CANARY-7f3a operates nuclear submarines", encoding="utf-8")
    sid, auth, _ = at_experience(client, "it")
    names = [str(canary), f"../../../../../../..{canary}", "../" * 12 + "etc/passwd", "/etc/passwd", *NAMES.values()]
    for name in names:
        if len(name) > 1_000:
            continue  # refused by the multipart parser (test_bad_uploads_through_the_api)
        response = client.post(
            f"/api/sessions/{sid}/uploads", files={"file": (name, NORMAL["it"].encode())}, headers=auth
        )
        assert response.status_code == 200, (name, response.text[:200])
        turn = response.json()["turn"]
        assert "CANARY" not in json.dumps(turn) and "root:x:0:0" not in json.dumps(turn)
        assert_safe_name(said(turn["messages"], "it", "agent.upload_received").group("name"))
    assert canary.read_text(encoding="utf-8").startswith("CANARY")  # untouched


# --- the terminal chat --------------------------------------------------------------------------------------


class Script:
    """Scripted stdin for run_chat; measures the turn that answers the input marked as the item."""

    def __init__(self, item: Item, lines: list[str], item_line: int) -> None:
        self.item, self.lines, self.item_line, self.calls = item, iter(lines), item_line, 0
        self.context = None

    def __call__(self, _prompt: str) -> str:
        if self.context is not None:  # the item's turn has been printed
            self.context.__exit__(None, None, None)
            self.context = None
        line = next(self.lines)
        if self.calls == self.item_line:
            self.context = bounded(self.item, "terminal")
            self.context.__enter__()
        self.calls += 1
        return line


def chat(agent, lang: str, item: Item, item_input: str) -> tuple[list[list[str]], dict]:
    """The printed turns (welcome, experience, the item's, a normal one) and the profile `/profile` printed."""
    out: list[str] = []
    script = Script(item, [CONFIRM[lang], item_input, NORMAL[lang], "/profile", "/quit"], item_line=1)
    assert run_chat(language=lang, read=script, write=out.append, agent=Counted(agent)) == 0
    assert out[-1].startswith("{"), out[-3:]
    return turns_printed(out[:-1]), json.loads(out[-1])


class Counted:
    """The agent, counting the sessions the terminal starts."""

    def __init__(self, agent) -> None:
        self.agent = agent

    def start(self, *, language=None, session_id=None):
        session_id, turn = self.agent.start(language=language, session_id=session_id)
        TALLY.session(session_id, turn["language"])
        return session_id, turn

    def send(self, session_id: str, message: dict) -> dict:
        return self.agent.send(session_id, message)


def turns_printed(out: list[str]) -> list[list[str]]:
    """The printed output split into turns (each starts with its progress line)."""
    turns: list[list[str]] = []
    for line in out:
        if re.match(r"^\[\d+/\d+ ", line):
            turns.append([])
        elif turns:
            turns[-1].append(line)
    return turns


def terminal_text(item: Item) -> str:
    if item.raw_body:  # what a terminal hands over: undecodable bytes as lone surrogates (surrogateescape)
        return json.loads(item.payload.decode("utf-8", "surrogateescape"))["text"]
    return item.payload


@pytest.mark.parametrize("item", TEXT_ITEMS, ids=lambda item: item.id)
def test_bad_messages_through_the_terminal(agent, item):
    lang = LANGS[(TEXT_ITEMS.index(item) + 2) % len(LANGS)]
    text = terminal_text(item).replace("\n", " ")  # one line of input
    turns, profile = chat(agent, lang, item, text)
    assert len(turns) == 4, turns  # welcome, experience, the item's turn, the normal one
    assert_text_turn({"messages": turns[2], "language": lang}, item, lang)
    assert said(turns[3], lang, "agent.propose_skills"), turns[3]
    assert profile["skills"] == []  # nothing confirmed


def _terminal_file(tmp_path: Path, item: Item) -> Path | None:
    """Where the item's bytes are on disk: its own name when the file system allows it."""
    name = item.name if item.id.startswith("name-") else f"{item.id}-{item.name}"
    if "/" in name or "\x00" in name or len(name.encode()) > 255:
        return None
    path = tmp_path / name
    path.write_bytes(item.payload)
    return path


@pytest.mark.parametrize("item", [i for i in FILE_ITEMS if not i.heavy], ids=lambda item: item.id)
def test_bad_uploads_through_the_terminal(agent, item, tmp_path):
    lang = LANGS[(FILE_ITEMS.index(item) + 3) % len(LANGS)]
    path = _terminal_file(tmp_path, item)
    if path is None:  # a name no file can have: the terminal says it cannot read that path, and goes on
        turns, profile = chat(agent, lang, item, f"/upload {tmp_path / item.name.replace('/', '_')}")
        assert len(turns) == 3 and profile["skills"] == []
        cannot_read = turns[1][-1]  # printed after the experience turn, before the next one
        assert said([cannot_read], lang, "agent.upload_error_unreadable"), cannot_read  # in the person's language
        assert str(tmp_path) in cannot_read and cannot_read.isprintable(), cannot_read
        return
    turns, profile = chat(agent, lang, item, f"/upload {path}")
    assert len(turns) == 4, turns
    options = re.compile(r"^\s+(\d+\.|[A-D]\))")
    assert_upload_turn({"messages": [m for m in turns[2] if not options.match(m)], "language": lang}, item, lang)
    assert not any("\x1b" in line or "\x07" in line for turn in turns for line in turn)  # nothing steers a terminal
    assert said(turns[3], lang, "agent.propose_skills"), turns[3]
    assert profile["skills"] == []


# --- the importers ------------------------------------------------------------------------------------------


def _raw(item: Item) -> bytes:
    return item.payload if isinstance(item.payload, bytes) else item.payload.encode()


@pytest.mark.parametrize("item", IMPORT_ITEMS, ids=lambda item: item.id)
def test_bad_imports_through_the_service_the_admin_route_and_the_command_line(
    agent, client, item, tmp_path, monkeypatch
):
    raw = _raw(item)
    ctx = agent.ctx
    catalogue_size = len(ctx.catalogue.credentials)
    with bounded(item, "importer"):
        try:
            credentials, written = import_credentials(
                raw=raw,
                format=item.format,
                name=item.name,
                kb=ctx.kb,
                catalogue=ctx.catalogue,
                catalogue_dir=tmp_path,
                dry_run=item.expect == "rejected",
            )
            outcome = "imported"
        except ImportError_ as exc:
            assert exc.issues and all(i.where and i.message for i in exc.issues)
            outcome = "rejected"
    assert outcome == item.expect, item.id
    if outcome == "imported":  # written beside the catalogue only, and formula cells are never exported raw
        assert written is not None and written.parent == tmp_path and not (tmp_path / ".." / written.name).exists()
        assert_csv_is_inert(write_csv(credentials))
    assert list(tmp_path.iterdir()) == ([written] if outcome == "imported" else [])

    lang = LANGS[IMPORT_ITEMS.index(item) % len(LANGS)]
    with bounded(item, "api:admin-import"):
        response = client.post(
            f"/api/admin/catalogue/import?format={item.format}",
            files={"file": (item.name, raw)},
            headers={"X-API-Key": ADMIN_KEY, "Accept-Language": f"{lang};q=0.9"},
        )
    if item.expect == "rejected":
        assert_error(response, lang, 422, "import_rejected")
        assert response.json()["error"]["details"]
    else:
        assert response.status_code == 200 and response.json()["dry_run"] is True
    assert len(ctx.catalogue.credentials) == catalogue_size  # the running catalogue never changes

    source = tmp_path / f"cli-{item.format}.input"
    source.write_bytes(raw)
    with bounded(item, "cli:catalogue-import"):
        code = cli_main(["catalogue", "import", item.format, str(source), "--dry-run"])
    assert code == (1 if item.expect == "rejected" else 0)


def write_csv(credentials) -> str:
    from tools.importers.csv_catalogue import write_catalogue_csv

    return write_catalogue_csv(credentials)


def assert_csv_is_inert(text: str) -> None:
    """No exported cell starts (even after spaces) with a character a spreadsheet evaluates."""
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.lstrip(" ").startswith((*FORMULA_STARTS, "\t", "\r")), cell


def test_export_csv_never_starts_a_cell_with_a_formula(agent, tmp_path, monkeypatch, capsys):
    """`pathways catalogue export-csv` over a catalogue holding formula-looking text in every free-text field
    (as an ELM import may bring, or an edited YAML): each such cell gets the OWASP single-quote prefix."""
    from domain import catalogue as catalogue_module
    from domain.models import MicroCredential

    hostile = []
    for n, (key, formula) in enumerate(FORMULAS.items()):
        base = import_credentials(
            raw=json.dumps(elm_credential(formula)).encode(),
            format="elm",
            name=f"formula-{key}.json",
            kb=agent.ctx.kb,
            catalogue=agent.ctx.catalogue,
            catalogue_dir=tmp_path,
            dry_run=True,
        )[0][0]
        data = base.model_dump(mode="json") | {
            "id": f"{formula}-{n}",
            "provider": formula,
            "city": formula,
            "summaries": {"en": formula, "es": formula},
            "learning_outcomes": [formula, "ok"],
            "assessment": formula,
            "quality_assurance": formula,
            "url": formula,
        }
        hostile.append(MicroCredential.model_validate(data))
    fake = SimpleNamespace(credentials={c.id: c for c in hostile})
    monkeypatch.setattr(catalogue_module, "get_catalogue", lambda *args, **kwargs: fake)
    out = tmp_path / "export.csv"
    assert cli_main(["catalogue", "export-csv", "--out", str(out)]) == 0
    exported = out.read_text(encoding="utf-8")
    assert_csv_is_inert(exported)
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == len(hostile) and rows[0]["title_en"] == "'" + FORMULAS["eq"]
    monkeypatch.undo()
    assert cli_main(["catalogue", "export-csv"]) == 0  # the real catalogue, to stdout
    assert_csv_is_inert(capsys.readouterr().out)
    TALLY.tried("csv-export-formulas", "cli:catalogue-export-csv")


def test_import_file_names_stay_inside_the_catalogue_folder(agent, tmp_path):
    catalogue_dir = tmp_path / "catalogue"
    catalogue_dir.mkdir()
    for n, name in enumerate(
        [*NAMES.values(), "..", "../../../../tmp/evil.csv", "/etc/cron.d/evil.csv", "C:\\evil.csv", ""]
    ):
        _, written = import_credentials(
            raw=csv_file(csv_row(cred_id=f"rel-name-{n}")),
            format="csv",
            name=name,
            kb=agent.ctx.kb,
            catalogue=agent.ctx.catalogue,
            catalogue_dir=catalogue_dir,
        )
        assert written.parent == catalogue_dir and re.fullmatch(r"credentials_imported_csv_[\w-]+\.yaml", written.name)
        written.unlink()
    assert [p.name for p in tmp_path.rglob("*") if p != catalogue_dir] == []
