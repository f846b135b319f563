"""The part of a stated goal that names where the person wants to go.

"I'm a maintenance electrician and I want to get into industrial automation" names two jobs: the one the person
has and the one they want. Job suggestions follow the second; the first is experience, which their skills carry.
A sentence that says what the person wants is kept from the clause that says so to its end (the rest of the
sentence often names the goal: "I want to get into automation, PLCs and so on"); in Turkish the wish ends its
clause ("robot bakımına geçmek istiyorum"), which is kept the same way. Without such a sentence the whole text is
the goal.
"""

from __future__ import annotations

import re

from domain.languages import Lang

_WISH: dict[Lang, str] = {
    "en": r"\b(?:want|wanna|would like|['’]d like|wish|hope|plan|aim|trying|looking)\s+to\b|\binterested in\b"
    r"|\b(?:become|get into|move (?:in)?to|switch to|transition to|retrain|train as)\b|\bmy (?:goal|dream)\b",
    "es": r"\b(?:quiero|quisiera|querría|me gustaría|deseo|espero|aspiro|me interesa|mi (?:objetivo|meta|sueño))\b"
    r"|\b(?:llegar a ser|convertirme en|pasar(?:me)? a|cambiar(?:me)? a|meterme en|dedicarme a|formarme)\b",
    "fr": r"\b(?:je veux|je voudrais|j['’]aimerais|je souhaite|j['’]espère|je cherche à|j['’]envisage|je compte"
    r"|m['’]intéresse|mon (?:objectif|but|rêve))\b|\b(?:devenir|passer (?:à|au|dans|en)|me reconvertir|me former)\b",
    "it": r"\b(?:voglio|vorrei|desidero|mi piacerebbe|spero|punto a|cerco di|mi interessa|il mio (?:obiettivo|sogno))\b"
    r"|\b(?:diventare|passare (?:a|al|alla|in|nel|nella)|riqualificarmi|formarmi)\b",
    "tr": r"\b\w*(?:istiyorum|isterim|istiyordum|niyetindeyim|planlıyorum)\b|\b\w*(?:olmak|geçmek)\b|\bilgileniyorum\b"
    r"|\b(?:hedefim|amacım|hayalim)\b",
    "sl": r"\b(?:(?:rad|rada|hotel|hotela|želel|želela) bi|bi(?: pa| res| zelo)? (?:rad|rada|hotel|hotela|želel|želela)"
    r"|želim|upam|nameravam|zanima me|moj (?:cilj|sen))\b|\b(?:postati|preiti|prešel|prešla|preusmeriti|delati kot)\b",
}
_WISHES = {lang: re.compile(cues, re.IGNORECASE) for lang, cues in _WISH.items()}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# where a clause starts: after a comma or semicolon, or at "and" / "but" between two clauses
_CLAUSE_START = re.compile(
    r"[,;:]\s*|\s(?:and|but|so|y|pero|así que|et|mais|donc|e|ma|quindi|ve|ama|fakat|ancak|bu yüzden|in|ampak"
    r"|vendar|zato)\s",
    re.IGNORECASE,
)


def wanted_part(text: str, lang: Lang) -> str:
    """The sentences' parts that say what the person wants (see the module doc); the text when none does."""
    wish = _WISHES[lang]
    parts = []
    for sentence in _SENTENCE.findall(text):
        found = wish.search(sentence)
        if found:
            starts = [0, *(m.end() for m in _CLAUSE_START.finditer(sentence, 0, found.start()))]
            parts.append(sentence[max(starts) :].strip())
    return " ".join(parts) or text
