"""How often each skill was stated by the labelled texts it was a candidate of: a prior over skills.

Texts about manufacturing work state some skills far more often than others ("use hand tools" against
"use hand tools for forestry work"), and which of a few near-synonymous labels people mean is a habit of the field
the encoder cannot know. The scorer learns that from the texts it is fitted on (`pathways eval tune-skills`):
per skill, in how many of them it was a candidate and in how many of those the text stated it. Two features of
the extraction scorer (tools/skill_scoring.py) come from these counts; they are stored with the models.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Iterable, Sequence

import numpy as np
from pydantic import BaseModel, Field, PrivateAttr

from tools.derived import Derived

# How many texts' worth of the base rate (about 1 in 110 candidates in the shipped counts) a skill's own rate is
# drawn toward: stated by 1 of the 2 texts it was a candidate of, it rates about .15, not .5. 5 and 30 did alike
# in cross-validation (RP@5 within .015 per language and file, 2 splits, without the adapter).
SMOOTHING = 5.0
PER_TEXTS = 1000  # the count feature is per this many texts: the same for counts over all texts or a fold of them


class StatedCounts(BaseModel):
    texts: int = Field(ge=1)  # the labelled texts counted
    candidate: dict[str, int]  # per skill URI: how many texts it was a candidate of
    stated: dict[str, int]  # of those, how many stated it (gold); skills never stated are left out
    smoothing: float = SMOOTHING
    _cache: Derived = PrivateAttr(default_factory=Derived)  # the base rate, summed once (it is read per text)

    @classmethod
    def count(cls, texts: Iterable[tuple[Sequence[str], Collection[str]]]) -> StatedCounts:
        """texts: each text's candidate URIs and gold URIs (gold skills that were no candidate are not counted)."""
        candidate: Counter[str] = Counter()
        stated: Counter[str] = Counter()
        n = 0
        for uris, gold in texts:
            n += 1
            unique = set(uris)
            candidate.update(unique)
            stated.update(unique & set(gold))
        return cls(texts=max(n, 1), candidate=dict(sorted(candidate.items())), stated=dict(sorted(stated.items())))

    @property
    def base_rate(self) -> float:
        if self._cache.value is None:
            self._cache.value = sum(self.stated.values()) / max(1, sum(self.candidate.values()))
        return self._cache.value

    def features(self, uris: Sequence[str]) -> np.ndarray:
        """Candidates x 2: the smoothed share of the texts it was a candidate of that stated it, and
        log(1 + texts that stated it per PER_TEXTS texts)."""
        if not len(uris):
            return np.zeros((0, 2), dtype=np.float32)
        prior = self.smoothing * self.base_rate
        scale = PER_TEXTS / self.texts
        return np.array(
            [
                [
                    (self.stated.get(uri, 0) + prior) / (self.candidate.get(uri, 0) + self.smoothing),
                    math.log1p(self.stated.get(uri, 0) * scale),
                ]
                for uri in uris
            ],
            dtype=np.float32,
        )
