"""`pathways eval dialogues PATH... [--url URL] [--repeat N] [--out report.json]` (specs/dialogue-scripts.md).

In process by default; with a URL, through the public HTTP API as the chat widget uses it.
"""

from __future__ import annotations

import base64
import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel

from domain.language_id import detect_language
from domain.text import fold

SCRIPT_KEYS = {"id", "language", "description", "turns", "final"}
ACTION_KEYS = {"say", "upload", "confirm", "reject", "rate", "answer_quiz", "choose_job", "next"}
EXPECT_KEYS = {
    "step",
    "pending",
    "language",
    "options_include_any",
    "skills_include",
    "skills_exclude",
    "jobs_top_k",
    "reply_contains_any",
    "reply_excludes",
    "profile_levels",
    "pathway_min_steps",
    "pathway_covers_essential_gaps",
}
PROFILE_ACTIONS = {"confirm", "rate", "answer_quiz", "choose_job"}


class ScriptError(ValueError):
    """The script itself is wrong (unknown key, unknown skill): a FAIL, never ignored."""


class Failure(Exception):
    pass


class ScriptResult(BaseModel):
    id: str
    passed: bool
    error: str = ""
    turns: int = 0


def load_scripts(paths: list[Path]) -> list[tuple[Path, dict]]:
    files = []
    for path in paths:
        files += sorted(path.rglob("*.yaml")) + sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    scripts = []
    for file in files:
        with file.open(encoding="utf-8") as fh:
            scripts.append((file, yaml.safe_load(fh)))
    return scripts


def _fold(value: Any) -> str:
    return fold(str(value))


class Runner:
    """Drives one agent (anything with start/send) through scripts and checks expectations and invariants."""

    def __init__(self, *, kb, start: Callable[[str], dict], send: Callable[[dict], dict]) -> None:
        self.kb = kb
        self._start = start
        self._send = send
        self.by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
        self.occupations = {p.occupation_uri for p in kb.job_profiles.values()}

    # -- resolving script names -----------------------------------------------------------------------------
    def skill_uri(self, name: str) -> str | None:
        return name if name in self.kb.skills else self.by_label.get(str(name).casefold())

    # -- actions --------------------------------------------------------------------------------------------
    def message(self, turn: dict, last: dict, folder: Path) -> tuple[str, dict]:
        keys = set(turn) - {"expect"}
        unknown = set(turn) - ACTION_KEYS - {"expect"}
        if unknown:
            raise ScriptError(f"unknown key(s) {sorted(unknown)}")
        if len(keys) > 1:
            raise ScriptError(f"one action per turn, got {sorted(keys)}")
        if not keys:
            return "expect", {}
        kind = keys.pop()
        value = turn[kind]
        if kind == "say":
            return kind, {"text": str(value)}
        if kind == "upload":
            data = (folder / value).read_bytes()
            return kind, {
                "action": {"type": "upload", "name": Path(value).name, "data_b64": base64.b64encode(data).decode()}
            }
        if kind == "confirm":
            if value == "all":
                return kind, {"action": {"type": "confirm"}}
            if not isinstance(value, dict) or set(value) - {"keep", "remove", "add"}:
                raise ScriptError(f"confirm takes 'all' or keep/remove/add, got {value!r}")
            return kind, {"action": {"type": "confirm", **{k: [str(x) for x in v] for k, v in value.items()}}}
        if kind == "reject":
            return kind, {"action": {"type": "reject"}}
        if kind == "next":
            return kind, {"action": {"type": "next"}}
        if kind == "rate":
            levels, default = {}, None
            profile_uris = {s["uri"] for s in last.get("profile", {}).get("skills", [])}
            for name, level in value.items():
                if name == "default":
                    default = int(level)
                    continue
                uri = self.skill_uri(name)
                if uri is None or uri not in profile_uris:
                    raise ScriptError(f"rate names {name!r}, which is not in the profile")
                levels[uri] = int(level)
            return kind, {"action": {"type": "rate", "default": default, "levels": levels}}
        if kind == "answer_quiz":
            if value in ("correct", "wrong"):
                return kind, {"action": {"type": "answer_quiz", "answers": value}}
            items = (last.get("pending") or {}).get("options", [])
            return kind, {"action": {"type": "answer_quiz", "answers": {i["id"]: int(x) for i, x in zip(items, value)}}}
        if kind == "choose_job":
            options = (last.get("pending") or {}).get("options", [])
            if "rank" in value:
                chosen = options[int(value["rank"]) - 1] if 0 < int(value["rank"]) <= len(options) else None
            elif "uri" in value:
                chosen = next((o for o in options if value["uri"] in (o.get("uri"), o.get("id"))), None)
            elif "title_contains" in value:
                wanted = _fold(value["title_contains"])
                chosen = next(
                    (o for o in options if wanted in _fold(o.get("label", "")) or wanted in _fold(o.get("id", ""))),
                    None,
                )
            else:
                raise ScriptError(f"choose_job takes rank, uri or title_contains, got {value!r}")
            if chosen is None:
                raise Failure(f"no proposed job matches {value!r}")
            return kind, {"action": {"type": "choose_job", "job_id": chosen["id"]}}
        raise ScriptError(f"unknown action {kind}")

    # -- expectations ---------------------------------------------------------------------------------------
    def _shown(self, out: dict) -> set[str]:
        pending = out.get("pending") or {}
        shown = {o.get("uri") or o.get("id") for o in pending.get("options", [])}
        return shown | {s["uri"] for s in out.get("profile", {}).get("skills", [])}

    def check(self, expect: dict, out: dict, language: str) -> None:
        unknown = set(expect) - EXPECT_KEYS
        if unknown:
            raise ScriptError(f"unknown expectation(s) {sorted(unknown)}")
        pending = out.get("pending") or {}
        options = pending.get("options", [])
        text = _fold(" ".join(out.get("messages", [])))
        if "step" in expect and out["step"] != expect["step"]:
            raise Failure(f"step is {out['step']}, expected {expect['step']}")
        if "pending" in expect and (pending.get("kind") if pending else None) != expect["pending"]:
            raise Failure(f"pending is {pending.get('kind') if pending else None}, expected {expect['pending']}")
        if "options_include_any" in expect:
            haystack = [_fold(o.get("id", "")) + " " + _fold(o.get("label", "")) for o in options]
            if not any(_fold(w) in h for w in expect["options_include_any"] for h in haystack):
                raise Failure(f"no option contains any of {expect['options_include_any']}")
        for key, present in (("skills_include", True), ("skills_exclude", False)):
            for name in expect.get(key, []):
                uri = self.skill_uri(name)
                if uri is None:
                    raise ScriptError(f"{key}: unknown skill {name!r}")
                if (uri in self._shown(out)) != present:
                    raise Failure(f"{name!r} is {'not ' if present else ''}proposed or confirmed")
        if "jobs_top_k" in expect:
            spec = expect["jobs_top_k"]
            top = options[: int(spec["k"])]
            hay = [
                _fold(o.get("id", "")) + " " + _fold(o.get("uri", "")) + " " + _fold(o.get("label", "")) for o in top
            ]
            if not any(_fold(w) in h for w in spec["include_any"] for h in hay):
                raise Failure(f"none of {spec['include_any']} in the top {spec['k']} jobs")
        if "reply_contains_any" in expect and not any(_fold(w) in text for w in expect["reply_contains_any"]):
            raise Failure(f"reply contains none of {expect['reply_contains_any']}")
        for word in expect.get("reply_excludes", []):
            if _fold(word) in text:
                raise Failure(f"reply contains {word!r}")
        levels = {s["uri"]: s.get("level") for s in out.get("profile", {}).get("skills", [])}
        for name, level in (expect.get("profile_levels") or {}).items():
            uri = self.skill_uri(name)
            if levels.get(uri) != int(level):
                raise Failure(f"{name!r} is at level {levels.get(uri)}, expected {level}")
        pathway = out.get("profile", {}).get("pathway") or {}
        if "pathway_min_steps" in expect and len(pathway.get("steps", [])) < int(expect["pathway_min_steps"]):
            raise Failure(
                f"pathway has {len(pathway.get('steps', []))} steps, expected >= {expect['pathway_min_steps']}"
            )
        if "pathway_covers_essential_gaps" in expect:
            total, closed = pathway.get("essential_gaps", 0), pathway.get("essential_gaps_closed", 0)
            share = closed / total if total else 1.0
            if share < float(expect["pathway_covers_essential_gaps"]):
                raise Failure(
                    f"pathway closes {share:.0%} of essential gaps, expected "
                    f"{float(expect['pathway_covers_essential_gaps']):.0%}"
                )

    def invariants(self, out: dict, before: dict, kind: str, language: str, history: list[list[str]]) -> None:
        if out.get("language") != language:
            raise Failure(f"reply language is {out.get('language')}, expected {language}")
        prose = " ".join(m for m in out.get("messages", []) if len(m.split()) >= 4)
        detected = detect_language(prose) if prose else language
        if detected and detected != language:
            raise Failure(f"reply reads as {detected}, expected {language}")
        if kind not in PROFILE_ACTIONS and kind != "say" and out.get("profile") != before.get("profile"):
            raise Failure(f"profile changed on a '{kind}' turn")
        if kind == "say" and _profile_core(out) != _profile_core(before) and not _is_confirmation(out, before):
            raise Failure("profile changed without a confirmation")
        for uri in shown_uris(out):
            if uri not in self.kb.skills and uri not in self.occupations:
                raise Failure(f"unknown ESCO URI shown: {uri}")
        if len(history) >= 3 and history[-1] == history[-2] == history[-3]:
            raise Failure("the same assistant message three turns in a row")

    # -- one script -----------------------------------------------------------------------------------------
    def run(self, path: Path, script: dict) -> ScriptResult:
        sid = str(script.get("id") or path.stem)
        try:
            unknown = set(script) - SCRIPT_KEYS
            if unknown:
                raise ScriptError(f"unknown key(s) {sorted(unknown)}")
            language = script["language"]
            last = self._start(language)
            history: list[list[str]] = []
            for n, turn in enumerate(script.get("turns", []), start=1):
                try:
                    expect = turn.get("expect", {})
                    language = expect.get("language", language)
                    kind, message = self.message(turn, last, path.parent)
                    if kind != "expect":
                        before = last
                        last = self._send(message)
                        history.append(last.get("messages", []))
                        self.invariants(last, before, kind, language, history)
                    self.check(expect, last, language)
                except (Failure, ScriptError, KeyError, OSError) as exc:
                    return ScriptResult(id=sid, passed=False, error=f"{exc}, turn {n}", turns=n)
            try:
                self.check(script.get("final") or {}, last, language)
            except (Failure, ScriptError) as exc:
                return ScriptResult(id=sid, passed=False, error=f"{exc}, final", turns=len(script["turns"]))
            return ScriptResult(id=sid, passed=True, turns=len(script.get("turns", [])))
        except (ScriptError, KeyError, TypeError) as exc:
            return ScriptResult(id=sid, passed=False, error=f"script error: {exc}, turn 0")
        except Failure as exc:
            return ScriptResult(id=sid, passed=False, error=f"{exc}, turn 0")


def _profile_core(out: dict) -> str:
    """What the person confirmed, without its presentation (labels follow the session language)."""
    return json.dumps(_without_labels(out.get("profile")), sort_keys=True)


def _without_labels(value):
    if isinstance(value, dict):
        return {k: _without_labels(v) for k, v in value.items() if k != "label"}
    if isinstance(value, list):
        return [_without_labels(v) for v in value]
    return value


def _is_confirmation(out: dict, before: dict) -> bool:
    """A free-text reply the agent read as a confirmation moves the journey on; a change on any other is a bug."""
    return out.get("step") != before.get("step") or before.get("pending") is not None


def shown_uris(value) -> list[str]:
    """Every string naming an ESCO concept in a turn, at any depth (options, profile, matches, gaps...); one that
    is not a bare known URI (http or https, or inside prose) then fails the check."""
    found = []
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str) and "data.europa.eu/esco/" in item:
            found.append(item)
    return found


def in_process_runner() -> tuple[Runner, Callable[[], None]]:
    from agent.service import Agent

    tmp = tempfile.TemporaryDirectory()
    agent = Agent(db_path=Path(tmp.name) / "sessions.sqlite")
    session: dict[str, str] = {}

    def start(language: str) -> dict:
        session["id"], turn = agent.start(language=language)
        return turn

    def send(message: dict) -> dict:
        return agent.send(session["id"], message)

    return Runner(kb=agent.ctx.kb, start=start, send=send), tmp.cleanup


def http_runner(url: str) -> tuple[Runner, Callable[[], None]]:
    from domain.knowledge_base import get_knowledge_base
    from evals.http_client import PathwaysClient

    client = PathwaysClient(url)
    return Runner(kb=get_knowledge_base(), start=client.start, send=client.send), client.close
