"""Language identification restricted to the six product languages (lingua, offline)."""

from __future__ import annotations

from functools import lru_cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from domain.languages import Lang

_LINGUA: dict[Lang, Language] = {
    "en": Language.ENGLISH,
    "es": Language.SPANISH,
    "fr": Language.FRENCH,
    "it": Language.ITALIAN,
    "tr": Language.TURKISH,
    "sl": Language.SLOVENE,
}
_CODES = {v: k for k, v in _LINGUA.items()}


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values()).build()


def detect_language(text: str) -> Lang | None:
    """The most likely of the six languages, or None when the text gives no evidence."""
    found = _detector().detect_language_of(text)
    return _CODES.get(found) if found else None


def language_confidences(text: str) -> dict[Lang, float]:
    return {_CODES[c.language]: c.value for c in _detector().compute_language_confidence_values(text)}
