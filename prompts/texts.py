"""User-facing texts by key, in the six languages. Every key exists in every language (tested)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from domain.languages import LANGS, Lang

PROMPTS_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=len(LANGS))
def texts(lang: Lang) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted((PROMPTS_DIR / lang).glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for key, value in (yaml.safe_load(fh) or {}).items():
                merged[f"{path.stem}.{key}"] = value
    return merged


def text(lang: Lang, key: str, **values: object) -> str:
    return texts(lang)[key].format(**values)
