"""Writes multilingual_am.jsonl (the format of specs/skill-eval.md) from the hand-labelled YAML source.

Gold skills are written in the YAML as ESCO English preferred labels; here they become URIs.
Run: python -m evals.skills.build_jsonl
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from domain.knowledge_base import get_knowledge_base

FOLDER = Path(__file__).resolve().parent


def main() -> None:
    kb = get_knowledge_base()
    by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
    items = yaml.safe_load((FOLDER / "multilingual_am.yaml").read_text(encoding="utf-8"))
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
    (FOLDER / "multilingual_am.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
