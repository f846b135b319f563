"""The tally of the reliability suite (inputs tried, entry points, sessions checked), shown at the end of the run
and written to test-artifacts/reliability/counts.json for the closing note."""

from __future__ import annotations

import json
from pathlib import Path

from tests.reliability.corpus import TALLY

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability" / "counts.json"


def pytest_terminal_summary(terminalreporter) -> None:
    if not TALLY.inputs:
        return
    summary = TALLY.summary()
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(json.dumps(summary, indent=1, ensure_ascii=False), encoding="utf-8")
    terminalreporter.write_line(
        f"reliability: {summary['inputs_tried']} inputs tried ({summary['corpus_items']} distinct), "
        f"{len(summary['entry_points'])} entry points ({', '.join(summary['entry_points'])}), "
        f"{summary['sessions_checked']} sessions checked in {len(summary['languages'])} languages; "
        f"slowest {summary['slowest_s']} s ({summary['slowest']}), "
        f"largest memory growth {summary['largest_growth_mb']} MB ({summary['largest_growth']}); "
        f"details in {ARTIFACT.relative_to(ARTIFACT.parents[2])}"
    )
