"""`pathways eval dialogues --url` drives a real server over HTTP (streamed turns), as the widget does."""

from __future__ import annotations

import subprocess
import sys

from domain.settings import PROJECT_ROOT


def test_eval_dialogues_over_http_passes_every_script(live_server):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "eval",
            "dialogues",
            str(PROJECT_ROOT / "evals" / "dialogues"),
            "--url",
            live_server,
        ],
        capture_output=True,
        text=True,
        timeout=1200,
        cwd=PROJECT_ROOT,
    )
    lines = result.stdout.strip().splitlines()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert lines[-1].endswith(" passed, 0 failed") and int(lines[-1].split()[0]) >= 23


def test_a_failing_script_fails_over_http_too(live_server, tmp_path):
    script = tmp_path / "bad.yaml"
    script.write_text("id: bad\nlanguage: en\nturns:\n  - say: hello\n    expect: {step: done}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "eval", "dialogues", str(script), "--url", live_server],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1 and "FAIL bad" in result.stdout
