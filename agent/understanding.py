"""Deterministic understanding of free replies in the six languages (no model needed).

It reads the small closed-class answers a guided dialogue needs: yes / all / none, next, back, help, level
words and numbers, "remove X" / "add Y", choices by number, and whether a message is a question.
Everything else is content (interests, experience) for the step to interpret.
"""

from __future__ import annotations

import re
from enum import StrEnum

from domain.text import fold, tokens
from vectorstore.lexical import STOPWORDS


class Intent(StrEnum):
    CONFIRM = "confirm"
    ALL = "all"
    REJECT = "reject"
    NEXT = "next"
    BACK = "back"
    HELP = "help"
    CONTENT = "content"


def _phrases(*groups: str) -> frozenset[str]:
    return frozenset(fold(p.strip()) for group in groups for p in group.split("|") if p.strip())


YES = _phrases(
    "yes|yeah|yep|ok|okay|sure|correct|right|confirm|confirmed|fine|good|great|perfect|that's right|looks good"
    "|sounds good|sounds great|that works|alright|all right|yes please",
    "sí|si|vale|claro|correcto|de acuerdo|perfecto|confirmo|bien|está bien|me parece bien|genial|venga|dale",
    "oui|d'accord|exact|parfait|correct|c'est ça|je confirme|très bien|bien|ça marche|ça me va|impeccable",
    "sì|va bene|va benissimo|certo|esatto|giusto|confermo|perfetto|bene|d'accordo|mi sta bene|ottimo|benissimo",
    "evet|tamam|tmm|tamamdır|olur|doğru|tabii|onaylıyorum|peki|iyi|harika|aynen",
    "da|ja|v redu|drži|seveda|potrjujem|prav|dobro|super|velja|okej|odlično|se strinjam",
)
ALL = _phrases(
    "all|all of them|everything|keep all|all of these|both",
    "todas|todos|todo|todas ellas|me quedo con todas|ambas|ambos",
    "tous|toutes|tout|je garde tout|les deux",
    "tutti|tutte|tutto|tienili tutti|entrambi|entrambe",
    "hepsi|tümü|hepsini|hepsi doğru|ikisi de",
    "vse|vsi|vsa|obe|oba",
)
NONE = _phrases(
    "none|none of these|none of them|no|nope|neither|nothing|not these|wrong",
    "ninguna|ninguno|ninguna de estas|ninguno de estos|no|nada|ninguna de ellas",
    "aucun|aucune|aucune de ces|non|rien|aucun de ceux-ci|aucune de celles-ci",
    "nessuno|nessuna|nessuna di queste|nessuno di questi|no|niente",
    "hiçbiri|hayır|yok|hiçbiri değil",
    "nobena|noben|nobeden|ne|nič|nobena od teh",
)
NEXT = _phrases(
    "next|continue|go on|go ahead|proceed|let's go|show me the jobs|move on|carry on|keep going",
    "siguiente|continuar|continúa|seguir|sigue|adelante|vamos|sigamos|pasemos",
    "suivant|continuer|continue|suite|allons-y|on continue|passons|on passe",
    "avanti|continua|continuare|prossimo|successivo|andiamo|procedi|vai avanti|andiamo avanti",
    "devam|devam et|devam edelim|ileri|sonraki|haydi",
    "naprej|nadaljuj|naslednji|gremo|dalje|gremo naprej",
)
BACK = _phrases(
    "back|go back|previous|previous step|step back|one step back",
    "atrás|volver|vuelve|anterior|paso anterior|volver atrás|vuelve atrás",
    "retour|revenir|précédent|étape précédente|revenir en arrière|retourne en arrière",
    "indietro|torna indietro|torniamo indietro|precedente|passo precedente",
    "geri|geri dön|geri git|önceki|önceki adım",
    "nazaj|pojdi nazaj|vrni se|prejšnji|prejšnji korak",
)
HELP = _phrases("help|help me|?", "ayuda|ayúdame", "aide|aidez-moi", "aiuto", "yardım|yardım et", "pomoč|pomagaj")
COURTESY = _phrases(
    "thanks|thank you|thx|please",
    "gracias|muchas gracias|por favor",
    "merci|merci beaucoup|s'il vous plaît|stp",
    "grazie|grazie mille|per favore",
    "teşekkürler|teşekkür ederim|sağol|sağ ol|lütfen",
    "hvala|hvala lepa|prosim",
)
_COURTESY = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(COURTESY, key=len, reverse=True))) + r")\b")
REMOVE_WORDS = _phrases(
    "remove|delete|drop|without|take out|not",
    "quitar|quita|quite|elimina|eliminar|sin|borra|borrar|saca",
    "enlever|enlève|enlevez|supprimer|supprime|supprimez|retirer|retire|retirez|sans",
    "togli|togliere|rimuovi|rimuovere|elimina|eliminare|senza",
    "çıkar|sil|kaldır|hariç",
    "odstrani|odstranite|izbriši|brez",
)
ADD_WORDS = _phrases(
    "add|also|plus|include",
    "añadir|añade|agrega|agregar|añada|también",
    "ajouter|ajoute|ajoutez|aussi",
    "aggiungi|aggiungere|anche",
    "ekle|ekleyin|ayrıca",
    "dodaj|dodajte|dodati|tudi",
)
LEVEL_WORDS: dict[int, frozenset[str]] = {
    1: _phrases(
        "beginner|basic|novice|principiante|básico|basico|débutant|débutante|novice|base|başlangıç|acemi|temel"
        "|začetnik|začetnica|osnovno"
    ),
    2: _phrases(
        "intermediate|medium|average|intermedio|intermedia|medio|intermédiaire|moyen|orta|srednje|srednji"
        "|srednje napreden"
    ),
    3: _phrases("advanced|avanzado|avanzada|avancé|avancée|avanzato|avanzata|ileri|napreden|napredna"),
    4: _phrases("expert|experto|experta|experte|esperto|esperta|uzman|strokovnjak|strokovnjakinja|ekspert"),
}
QUESTION_STARTS: dict[str, frozenset[str]] = {  # per language: Turkish "ne" (what) is Slovenian "ne" (no)
    "en": _phrases("what|how|why|which|who|where|when|can you|could you|does|do you|is|are|tell me"),
    "es": _phrases("qué|que es|cómo|cuál|cuáles|por qué|dónde|quién|puedes|me puedes|hay"),
    "fr": _phrases("qu'est-ce|que|quoi|comment|quel|quelle|quels|quelles|pourquoi|où|est-ce que|c'est quoi"),
    "it": _phrases("cosa|che cos|che cosa|come|quale|quali|perché|dove|chi|cos'è"),
    "tr": _phrases("ne|nedir|nasıl|hangi|neden|niçin|kim|nerede"),
    "sl": _phrases("kaj|kako|kateri|katera|zakaj|kje|kdo|ali"),
}
_NUMBER = re.compile(r"(?<!\d)([1-9]\d?)(?!\d)")
_LEVEL_DIGIT = re.compile(r"(?<![\d.])([1-4])(?![\d.])")


OPTION_STEM = 6  # letters of a word that stand for it when a reply names an option
_CLAUSE_END = re.compile(r"[,;.!]+")
STEP_REPLY_MAX_WORDS = 12  # longer messages are content even when a clause of theirs reads "next" or "back"


def intent_of(text: str, language: str) -> Intent:
    folded = " ".join(tokens(text)) if text.strip() != "?" else "?"
    folded = " ".join(_COURTESY.sub(" ", folded).split()) or folded  # "perfect, thanks" is "perfect"
    if not folded:
        return Intent.CONTENT
    for intent, phrases in (
        (Intent.BACK, BACK),
        (Intent.HELP, HELP),
        (Intent.NEXT, NEXT),
        (Intent.ALL, ALL),
        (Intent.REJECT, NONE),
        (Intent.CONFIRM, YES),
    ):
        if folded in phrases:
            return intent
    words = folded.split()
    clauses = [clause for clause in (" ".join(tokens(c)) for c in _CLAUSE_END.split(text)) if clause]
    if len(words) <= STEP_REPLY_MAX_WORDS and words[0] not in YES:  # "wait, go back, I forgot something"
        for intent, phrases in ((Intent.BACK, BACK), (Intent.NEXT, NEXT)):
            if set(clauses) & phrases:
                return intent
    short_reply = len(words) <= 6 and not {w for w in words} & (REMOVE_WORDS | ADD_WORDS)
    if short_reply and words[0] in YES | ALL and not is_question(text, language):
        return Intent.CONFIRM
    names_what_to_remove = len(clauses) > 1 and clauses[0] in NONE  # "no, welding"
    if len(words) <= 4:
        for intent, phrases in ((Intent.REJECT, NONE), (Intent.ALL, ALL), (Intent.CONFIRM, YES)):
            if intent == Intent.REJECT and names_what_to_remove:
                continue
            if any(" ".join(words[:n]) in phrases for n in (3, 2)) or (words[0] in phrases and len(words) <= 2):
                return intent
    return Intent.CONTENT


def is_question(text: str, language: str) -> bool:
    stripped = text.strip()
    if stripped.endswith("?") or stripped.startswith("¿"):
        return True
    words = tokens(stripped)
    starts = QUESTION_STARTS.get(language, frozenset())
    return bool(words) and (words[0] in starts or " ".join(words[:2]) in starts) and len(words) > 2


# A question within a message: a Spanish "¿...?" span, or the clause that a "?" ends (back to the last punctuation)
_QUESTION_CLAUSE = re.compile(r"¿[^?]*\?*|[^.!?;:,¿\n]*\?+")
STATEMENT_MIN_WORDS = 4  # fewer content words around a question are a greeting or a preamble ("Hi, I have a question.")


def statement_of(text: str, language: str) -> str:
    """What a message that asks something also states, without its questions ("I'm a CNC operator and I'd like
    to work in quality, can you guide me?" states the first part); empty when it only asks."""
    statement = " ".join(_QUESTION_CLAUSE.sub(" ", text).split())
    if len(set(tokens(statement)) - STOPWORDS) < STATEMENT_MIN_WORDS or is_question(statement, language):
        return ""
    return statement


def level_in(text: str) -> int | None:
    """A single proficiency level named in the text: a digit 1-4 or a level word."""
    digits = _LEVEL_DIGIT.findall(text)
    if len(set(digits)) == 1:
        return int(digits[0])
    folded = " ".join(tokens(text))
    found = {level for level, words in LEVEL_WORDS.items() for w in words if re.search(rf"\b{re.escape(w)}\b", folded)}
    return found.pop() if len(found) == 1 else None


def numbers_in(text: str) -> list[int]:
    return [int(n) for n in _NUMBER.findall(text)]


def edits_in(text: str, *, no_removes: bool = False) -> tuple[list[str], list[str]]:
    """'remove X, Y and add Z' -> (["X", "Y"], ["Z"]); names are returned as typed. With `no_removes` (replying
    to a list of proposals), 'no, X' -> (["X"], []), unless X adds ('no, I also weld')."""
    removes: list[str] = []
    adds: list[str] = []
    parts = [part for part in re.split(r"[,;.]|\s+(?:and|y|et|e|ve|in)\s+", text) if part.strip()]
    target = None
    if no_removes and len(parts) > 1 and " ".join(tokens(parts[0])) in NONE:
        parts = [part for part in parts[1:] if not set(tokens(part)) & ADD_WORDS]
        target = removes
    for part in parts:
        words = part.strip().split()
        head = fold(words[0])
        if head in REMOVE_WORDS:
            target, words = removes, words[1:]
        elif head in ADD_WORDS:
            target, words = adds, words[1:]
        if target is not None and words:
            target.append(" ".join(words))
    return removes, adds


def word_stems(text: str) -> set[str]:
    return {word[:OPTION_STEM] for word in tokens(text)}


def best_option(text: str, options: list[dict]) -> dict | None:
    """The option whose label (or id) best matches the text: all its words, or most of them (compared by their
    first letters, so that inflected forms match: "viličarja" / "viličar")."""
    wanted = word_stems(text)
    if not wanted:
        return None
    for option in options:
        if fold(text.strip()) == fold(str(option.get("id", ""))):
            return option
    scored = []
    for option in options:
        words = word_stems(option.get("label", ""))
        overlap = len(wanted & words)
        if overlap:
            scored.append((overlap / max(len(wanted), 1), overlap / max(len(words), 1), option))
    if not scored:
        return None
    scored.sort(key=lambda s: (-max(s[0], s[1]), -s[0]))
    return scored[0][2] if max(scored[0][0], scored[0][1]) >= 0.5 else None
