"""Writes multilingual_am.jsonl (fitted on and cross-validated), multilingual_am_train.jsonl (fitted on only) and
multilingual_am_heldout.jsonl (never fitted on) in the format of specs/skill-eval.md from their hand-labelled YAML
sources.

Gold skills are written in the YAML as ESCO English preferred labels; here they become URIs.
Run: python -m evals.skills.build_jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from domain.knowledge_base import get_knowledge_base

FOLDER = Path(__file__).resolve().parent
SOURCES = ("multilingual_am", "multilingual_am_train", "multilingual_am_heldout")


def main() -> None:
    kb = get_knowledge_base()
    by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
    for name in SOURCES:
        _write(name, by_label)


def _write(name: str, by_label: dict[str, str]) -> None:
    items = yaml.safe_load((FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))
    lines = [
        json.dumps(
            {
                "id": it["id"],
                "text": it["text"],
                "lang": it["lang"],
                "gold": [by_label[g.casefold()] for g in it["gold"]],
            },
            ensure_ascii=False,
        )
        for it in items
    ]
    (FOLDER / f"{name}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
