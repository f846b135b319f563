"""Curated alias table (data/aliases.yaml): phrases ESCO lacks -> ESCO skill URIs."""

from __future__ import annotations

from pathlib import Path

import yaml

from domain.knowledge_base import KnowledgeBase


def load_aliases(path: Path, kb: KnowledgeBase) -> dict[str, tuple[str, ...]]:
    """{alias phrase: skill URIs}; raises ValueError naming any label that is not in the knowledge base."""
    by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
    with path.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or []
    table: dict[str, tuple[str, ...]] = {}
    errors = []
    for n, entry in enumerate(entries, start=1):
        uris = []
        for label in entry["skills"]:
            uri = by_label.get(label.casefold())
            if uri is None:
                errors.append(f"{path.name} entry {n}: no skill labelled {label!r}")
            else:
                uris.append(uri)
        for alias in entry["aliases"]:
            table[str(alias)] = tuple(dict.fromkeys(table.get(str(alias), ()) + tuple(uris)))
    if errors:
        raise ValueError("; ".join(errors))
    return table
