"""Text normalisation shared by search and matching: Unicode case folding and accent folding."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"[\w+#]+", re.UNICODE)
# Letters NFKD does not decompose; folded by hand so "ı" (Turkish dotless i) and "ł" match plain letters.
_EXTRA = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe"})


def fold(text: str) -> str:
    """Case- and accent-insensitive form: `Robótica` -> `robotica`, `İmalat` -> `imalat`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_EXTRA))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).translate(_EXTRA)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))
