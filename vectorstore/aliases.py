"""Curated alias table (data/aliases.yaml): phrases ESCO lacks -> ESCO skill URIs.

An entry names its skills by English preferred label and lists its phrases under `aliases` (acronyms and
product names, the same in every language: stemmed as English) and/or per language (`en`, `es`, `fr`, `it`,
`tr`, `sl`: stemmed with that language's stemmer, so inflected forms match).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from domain.knowledge_base import KnowledgeBase
from domain.languages import LANGS, Lang
from vectorstore.lexical import analyze

NEUTRAL_KEY = "aliases"
NEUTRAL_LANG: Lang = "en"  # how language-neutral phrases are stemmed


def load_aliases(path: Path, kb: KnowledgeBase) -> dict[tuple[Lang, str], tuple[str, ...]]:
    """{(language, alias phrase): skill URIs}; raises ValueError naming any label that is not in the knowledge
    base, any unknown key and any entry without a phrase."""
    by_label = {s.label("en").casefold(): uri for uri, s in kb.skills.items()}
    with path.open(encoding="utf-8") as fh:
        entries = yaml.safe_load(fh) or []
    table: dict[tuple[Lang, str], tuple[str, ...]] = {}
    errors = []
    for n, entry in enumerate(entries, start=1):
        unknown = set(entry) - {"skills", NEUTRAL_KEY, *LANGS}
        if unknown:
            errors.append(f"{path.name} entry {n}: unknown keys {sorted(unknown)}")
        uris = []
        for label in entry.get("skills") or []:
            uri = by_label.get(label.casefold())
            if uri is None:
                errors.append(f"{path.name} entry {n}: no skill labelled {label!r}")
            else:
                uris.append(uri)
        phrases = [(NEUTRAL_LANG, str(p)) for p in entry.get(NEUTRAL_KEY) or []]
        phrases += [(lang, str(p)) for lang in LANGS for p in entry.get(lang) or []]
        if not phrases or not uris:
            errors.append(f"{path.name} entry {n}: needs at least one phrase and one skill")
        for key in phrases:
            table[key] = tuple(dict.fromkeys(table.get(key, ()) + tuple(uris)))
    if errors:
        raise ValueError("; ".join(errors))
    return table


class AliasMatcher:
    """Finds the alias phrases a text contains word for word: all of a phrase's stems, in any order. Every phrase
    is checked (no ranking cut-off), through an index on each phrase's first stem."""

    def __init__(self, table: dict[tuple[Lang, str], tuple[str, ...]]) -> None:
        self._phrases: list[tuple[frozenset[str], tuple[str, ...]]] = []
        self._by_stem: dict[Lang, dict[str, list[int]]] = {}
        for (lang, phrase), uris in sorted(table.items()):
            stems = frozenset(analyze(phrase, lang))
            if stems:
                self._by_stem.setdefault(lang, {}).setdefault(min(stems), []).append(len(self._phrases))
                self._phrases.append((stems, uris))

    def find(self, text: str) -> dict[str, int]:
        """{skill URI: its best place among the skills of a phrase found in the text (0: first, the most
        specific)}. The text is stemmed in each phrase language, so a Spanish phrase also matches in a text taken
        for Italian."""
        found: dict[str, int] = {}
        for lang, by_stem in self._by_stem.items():
            stems = set(analyze(text, lang))
            for stem in stems & by_stem.keys():
                for n in by_stem[stem]:
                    phrase, uris = self._phrases[n]
                    if phrase <= stems:
                        for place, uri in enumerate(uris):
                            found[uri] = min(found.get(uri, place), place)
        return found
