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
# Languages a person here may well write in that the product does not speak and that the six-language detector
# takes for one of the six (German and Polish sentences read as English: 1 in 5 of each surely enough to switch;
# Dutch and Romanian never did, so their models, 28 MB each, are not loaded). Close relatives of the six
# (Portuguese, Catalan, Croatian, Czech) would claim short Spanish or Slovenian messages; other scripts never
# read as the six.
_UNSPOKEN = (Language.GERMAN, Language.POLISH)


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values()).build()


@lru_cache(maxsize=1)
def _wider_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*_LINGUA.values(), *_UNSPOKEN).build()


def detect_language(text: str) -> Lang | None:
    """The most likely of the six languages, or None when the text gives no evidence."""
    found = _detector().detect_language_of(text)
    return _CODES.get(found) if found else None


def language_confidences(text: str) -> dict[Lang, float]:
    return {_CODES[c.language]: c.value for c in _detector().compute_language_confidence_values(text)}


def in_unspoken_language(text: str, *, confidence: float) -> bool:
    """Whether the text reads, at least this surely, as German or Polish (_UNSPOKEN)."""
    values = _wider_detector().compute_language_confidence_values(text)
    return bool(values) and values[0].language not in _CODES and values[0].value >= confidence
