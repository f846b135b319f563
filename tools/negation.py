"""Statements that deny an experience ("I have never done ultrasonic testing") state no skill.

The cues are the first-person experiential negations of each language, not every "not": "parts must not leave
the cell unchecked" still states an inspection skill. Turkish negates inside the verb (yapmadım, bilmiyorum),
so its cues include those verb endings.
"""

from __future__ import annotations

import re

from domain.languages import Lang

_CUES: dict[Lang, str] = {
    "en": r"^\s*never\b|\b(?:I|I've|we|we've|have|had)\s+never\b|\b(?:have|has|had|did|do)n[’']t\b"
    r"|\b(?:have|has|had|did) not\b|\bno (?:experience|knowledge|training)\b"
    r"|\bnot (?:familiar|trained|certified|qualified|experienced)\b",
    "es": r"^\s*(?:nunca|jamás)\b|\b(?:nunca|jamás) (?:he|había|hice|trabajé|usé|tuve|manejé)\b"
    r"|\bno (?:he|había|tengo|sé|conozco|domino|manejo|hice|trabajé)\b|\b(?:sin|ninguna) experiencia\b",
    "fr": r"^\s*jamais\b|\bn['’](?:ai|avais)\b|\bne (?:sais|connais|maîtrise|fais)\b|\bpas d['’]expérience\b"
    r"|\baucune (?:expérience|connaissance|formation)\b",
    "it": r"^\s*mai\b|\bnon (?:ho|so|conosco|uso|faccio|avevo)\b|\bnessuna (?:esperienza|conoscenza|formazione)\b",
    "tr": r"\bhiç\b|\bhiçbir\b|\b(?:deneyimim|tecrübem|bilgim) yok\b|\w+(?:m[ae]d[ıi][mk]|m[ıiuü]yorum)\b",
    "sl": r"^\s*nikoli\b|\bnisem\b|\bnimam (?:izkušenj|znanja|certifikata|tečaja)\b"
    r"|\bne (?:znam|poznam|uporabljam|delam|obvladam)\b|\bbrez izkušenj\b",
}
_NEGATION = {lang: re.compile(cues, re.IGNORECASE) for lang, cues in _CUES.items()}
# where a denial ends: "I weld MIG, but I have never done TIG" denies only TIG
_CLAUSE_BREAK = re.compile(
    r"\s*[,;:()]\s*|\s+(?:but|however|whereas|pero|aunque|sino|mais|cependant|ma|però|tuttavia|ama|fakat|ancak"
    r"|ampak|vendar|toda)\s+",
    re.IGNORECASE,
)


def denies(text: str, lang: Lang) -> bool:
    return bool(_NEGATION[lang].search(text))


def affirmed_parts(text: str, lang: Lang) -> list[str]:
    """The text's clauses that deny nothing; the whole text when it denies nothing."""
    if not denies(text, lang):
        return [text]
    return [part for part in (p.strip() for p in _CLAUSE_BREAK.split(text)) if part and not denies(part, lang)]
