"""`pathways chat`: the agent in a terminal (language from the first message; /upload PATH, /back, /profile, /quit)."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from pathlib import Path

from agent.service import Agent

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
            path = Path(line[len("/upload ") :].strip()).expanduser()
            try:
                data = path.read_bytes()
            except OSError as exc:
                write(f"{path}: {exc.strerror}")
                continue
            message = {"action": {"type": "upload", "name": path.name, "data_b64": base64.b64encode(data).decode()}}
        else:
            message = {"text": line}
        turn = agent.send(session_id, message)
        _print_turn(turn, write)
