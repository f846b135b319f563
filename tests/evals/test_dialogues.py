"""Every committed dialogue script passes, with the spec's invariants checked on every turn."""

from pathlib import Path

import pytest

from domain.settings import PROJECT_ROOT
from evals.dialogue_runner import Runner, load_scripts

SCRIPTS = load_scripts([PROJECT_ROOT / "evals" / "dialogues"])


@pytest.fixture(scope="module")
def runner(agent, kb):
    session = {}

    def start(language):
        session["id"], turn = agent.start(language=language)
        return turn

    def send(message):
        return agent.send(session["id"], message)

    return Runner(kb=kb, start=start, send=send)


@pytest.mark.parametrize(("path", "script"), SCRIPTS, ids=[p.stem for p, _ in SCRIPTS])
def test_dialogue_script_passes(runner, path: Path, script):
    result = runner.run(path, script)
    assert result.passed, result.error


def test_unknown_keys_are_errors(runner, tmp_path):
    result = runner.run(tmp_path / "x.yaml", {"id": "x", "language": "en", "turns": [{"shout": "hi"}]})
    assert not result.passed and "unknown key" in result.error
