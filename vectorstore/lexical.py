"""Lexical index (BM25 via bm25s) over labels, alternative labels and curated aliases.

It rescues what embeddings miss: acronyms, product names, exact technical terms. Tokens are case- and
accent-folded and stemmed with the Snowball stemmer of the entry's language (Slovenian has none: its
words are cut to their first 6 letters, a crude but language-neutral stem).
"""

from __future__ import annotations

import logging
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import snowballstemmer

from domain.languages import Lang
from domain.text import tokens
from vectorstore.documents import IndexDoc

logging.getLogger("bm25s").setLevel(logging.NOTSET)  # bm25s sets itself to DEBUG on import; follow our level

_SNOWBALL = {"en": "english", "es": "spanish", "fr": "french", "it": "italian", "tr": "turkish"}
_PREFIX_STEM = 6
# Slovenian has no Snowball stemmer: its common inflectional endings are cut first (longest first, keeping at
# least three letters), so short words match across cases too ("vitka"/"vitke", "okvar"/"okvare"); then the
# word's first letters stand for it, as for any language without a stemmer.
_SL_ENDINGS = sorted(
    [
        "ovati",
        "evati",
        "irati",
        "ujejo",
        "ajo",
        "ijo",
        "ega",
        "emu",
        "imi",
        "ima",
        "ami",
        "ovi",
        "ova",
        "ove",
        "ovo",
        "eva",
        "eve",
        "evo",
        "ila",
        "ilo",
        "ili",
        "ala",
        "alo",
        "ali",
        "ela",
        "elo",
        "eli",
        "iti",
        "ati",
        "eti",
        "ujem",
        "uje",
        "ih",
        "im",
        "om",
        "em",
        "ov",
        "ev",
        "ah",
        "il",
        "al",
        "el",
        "ti",
        "a",
        "e",
        "i",
        "o",
        "u",
    ],
    key=len,
    reverse=True,
)
_SL_MIN_STEM = 3
# Function words that carry no skill; kept short and per language on purpose.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "at",
        "by",
        "or",
        "as",
        "is",
        "are",
        "be",
        "i",
        "my",
        "we",
        "our",
        "you",
        "your",
        "it",
        "this",
        "that",
        "from",
    ]
    + ["y", "o", "de", "del", "la", "el", "los", "las", "en", "con", "para", "por", "un", "una", "que", "mi"]
    + [
        "et",
        "ou",
        "de",
        "du",
        "des",
        "le",
        "la",
        "les",
        "un",
        "une",
        "en",
        "avec",
        "pour",
        "par",
        "au",
        "aux",
        "je",
        "mon",
    ]
    + ["e", "o", "di", "del", "della", "il", "lo", "la", "i", "gli", "le", "un", "una", "in", "con", "per", "da", "ho"]
    + ["ve", "ile", "bir", "bu", "da", "de", "için", "gibi", "ben"]
    + ["in", "ali", "na", "v", "z", "s", "za", "od", "do", "pri", "je", "sem"]
)


@lru_cache(maxsize=8)
def _stemmer(lang: Lang):
    name = _SNOWBALL.get(lang)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=200_000)
def _stem(word: str, lang: Lang) -> str:
    stemmer = _stemmer(lang)
    if stemmer is None:
        if lang == "sl":
            ending = next((e for e in _SL_ENDINGS if word.endswith(e) and len(word) - len(e) >= _SL_MIN_STEM), "")
            word = word[: len(word) - len(ending)]
        return word[:_PREFIX_STEM]
    stem = stemmer.stemWord(word)
    return stem if len(stem) >= 2 else word


_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9]+)s\b")


# The same index entries and interest-area phrases are analysed at every search; ~10 MB at most.
ANALYZED_CACHE = 32_768
AGGLUTINATIVE_PREFIX = 5  # Turkish suffixes pile up ("robotik", "bakımına"): the word's start is indexed too


def analyze(text: str, lang: Lang) -> list[str]:
    return list(_analyzed(text, lang))


@lru_cache(maxsize=ANALYZED_CACHE)
def _analyzed(text: str, lang: Lang) -> tuple[str, ...]:
    words = [w for w in tokens(_ACRONYM_PLURAL.sub(r"\1", text)) if w not in STOPWORDS]
    stems = [_stem(w, lang) for w in words]
    if lang == "tr":
        stems += [w[:AGGLUTINATIVE_PREFIX] for w in words if len(w) > AGGLUTINATIVE_PREFIX]
    return tuple(stems)


class LexicalIndex:
    def __init__(self, docs: Sequence[IndexDoc]) -> None:
        self.docs = list(docs)
        self._retriever = bm25s.BM25()
        corpus = [analyze(d.text, d.lang) or ["∅"] for d in self.docs]
        frequency = Counter(t for doc in corpus for t in set(doc))
        self._vocab = set(frequency)
        # Inverse document frequency of each stem: a rare stem ("riveting") says more than a common one ("use").
        self.idf = {t: math.log(1 + len(corpus) / (1 + n)) for t, n in frequency.items()}
        self._retriever.index(corpus, show_progress=False)

    def search(self, text: str, lang: Lang, k: int = 50) -> list[tuple[IndexDoc, float]]:
        """Best entries first; stems are computed for the query's language and, as a fallback, English."""
        return self.search_many([text], lang, k)[0]

    def search_many(self, texts: Sequence[str], lang: Lang, k: int = 50) -> list[list[tuple[IndexDoc, float]]]:
        """`search` for several texts (only entries sharing a stem with the text, scoring above 0)."""
        return [self._best(self._query(text, lang), k) for text in texts]

    def _query(self, text: str, lang: Lang) -> list[str]:
        return [t for t in dict.fromkeys(analyze(text, lang) + analyze(text, "en")) if t in self._vocab]

    def _best(self, query: list[str], k: int) -> list[tuple[IndexDoc, float]]:
        if not query:
            return []
        scores = self._retriever.get_scores(query)
        # Few entries share a stem with a short text: ranking those alone is much cheaper than bm25s's top-k
        # selection over every entry.
        matching = np.flatnonzero(scores > 0)
        best = matching[np.argsort(-scores[matching], kind="stable")[:k]]
        return [(self.docs[int(d)], float(scores[d])) for d in best]

    @staticmethod
    def stems(text: str, lang: Lang) -> set[str]:
        """Stems of the text in its language and, for mixed-language text, in English."""
        return set(analyze(text, lang)) | (set(analyze(text, "en")) if lang != "en" else set())

    def coverage(self, text: str, lang: Lang, doc: IndexDoc) -> float:
        """Share of the entry's stems that occur in the text (1.0: the whole label is in the text)."""
        doc_terms = set(analyze(doc.text, doc.lang))
        if not doc_terms:
            return 0.0
        text_terms = set(analyze(text, lang)) | set(analyze(text, doc.lang))
        return len(doc_terms & text_terms) / len(doc_terms)


def normalise(scores: Sequence[float]) -> np.ndarray:
    arr = np.asarray(scores, dtype=np.float32)
    return arr / arr.max() if arr.size and arr.max() > 0 else arr
