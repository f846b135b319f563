"""`pathways chat`: the agent in a terminal (language from the first message; /upload PATH, /back, /profile, /quit)."""

from __future__ import annotations

import base64
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path

from agent.service import Agent
from domain.settings import get_settings
from prompts.texts import text

PROMPT = "> "


def _print_turn(turn: dict, write: Callable[[str], None]) -> None:
    progress = turn.get("progress") or {}
    write(f"[{progress.get('current')}/{progress.get('total')} {progress.get('name', '')}]")
    for message in turn.get("messages", []):
        write(message)
    pending = turn.get("pending") or {}
    for n, option in enumerate(pending.get("options", []), start=1):
        label = option.get("label") or option.get("question", "")
        write(f"  {n}. {label}")
        for i, choice in enumerate(option.get("options", []) if pending.get("kind") == "answer_quiz" else []):
            write(f"     {chr(65 + i)}) {choice}")


def _printable(text: str) -> str:
    """The text with control and other unprintable characters escaped (a path must not steer the terminal)."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def _reason(exc: Exception) -> str:
    """Why a path cannot be read, as the operating system words it (EINVAL for a path no file can have)."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return os.strerror(errno.EINVAL if isinstance(exc, ValueError) else errno.ENOENT)


def run_chat(
    *,
    language: str | None = None,
    read: Callable[[str], str] = input,
    write: Callable[[str], None] = print,
    agent: Agent | None = None,
) -> int:
    agent = agent or Agent()
    session_id, turn = agent.start(language=language)
    _print_turn(turn, write)
    while True:
        try:
            line = read(PROMPT).strip()
        except (EOFError, KeyboardInterrupt):
            return 0
        if line in ("/quit", "/exit"):
            return 0
        if line == "/profile":
            write(json.dumps(turn.get("profile"), ensure_ascii=False, indent=1))
            continue
        if line == "/back":
            message = {"action": {"type": "back"}}
        elif line.startswith("/upload "):
            given = line[len("/upload ") :].strip()
            try:
                path = Path(given).expanduser()
                data = path.read_bytes()
            except (OSError, ValueError, RuntimeError) as exc:
                # OSError: missing, a directory, no permission, a name too long; ValueError: a NUL byte in the
                # path; RuntimeError: "~user" with no such user. All mean the same to the person: not readable.
                lang = turn.get("language") or get_settings().default_language
                write(text(lang, "agent.upload_error_unreadable", name=_printable(given), reason=_reason(exc)))
                continue
            message = {"action": {"type": "upload", "name": path.name, "data_b64": base64.b64encode(data).decode()}}
        else:
            message = {"text": line}
        turn = agent.send(session_id, message)
        _print_turn(turn, write)
