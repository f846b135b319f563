"""A learned linear map of text vectors toward the labels of the skills they state (a query-side adapter).

multilingual-e5 places a sentence near the labels that share its words, which is not always the skill it
states ("I keep the line running" vs "perform machine maintenance"). The adapter moves each piece of text's
vector by a matrix fitted on labelled texts (`pathways eval tune-skills`), so that among a text's candidates
the stated skills' labels come nearest. Only the text side moves: the skills' vectors stay as indexed.
The best adapted cosine is a feature of the extraction scorer (tools/skill_scoring.py), next to the raw ones.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, PrivateAttr, model_validator

from tools.derived import Derived


class LabelAdapter(BaseModel):
    """Text vector q becomes q + residual @ q (then unit length); residual is dim x dim, all zeros = no change."""

    residual: list[list[float]]
    _cache: Derived = PrivateAttr(default_factory=Derived)  # the transposed map, made once

    @model_validator(mode="after")
    def _square(self) -> LabelAdapter:
        if any(len(row) != len(self.residual) for row in self.residual):
            raise ValueError("the adapter's residual must be a square matrix")
        return self

    @classmethod
    def from_array(cls, residual: np.ndarray) -> LabelAdapter:
        # float32 precision (7 digits) keeps the scorer file small and changes no decision
        return cls(residual=[[float(f"{v:.7g}") for v in row] for row in residual.tolist()])

    def transposed_map(self) -> np.ndarray:
        if self._cache.value is None:
            residual = np.asarray(self.residual, dtype=np.float32)
            self._cache.value = (np.eye(len(residual), dtype=np.float32) + residual).T
        return self._cache.value

    def best_cosines(self, unit_vectors: np.ndarray, label_vectors: np.ndarray) -> np.ndarray:
        """Per candidate, the best cosine of an adapted piece of text to one of its labels.

        unit_vectors: pieces x dim; label_vectors: candidates x labels x dim (unit length)."""
        return best_cosines(adapt(unit_vectors, self.transposed_map()), label_vectors)


def adapt(unit_vectors: np.ndarray, transposed_map: np.ndarray) -> np.ndarray:
    moved = unit_vectors @ transposed_map
    return moved / np.maximum(np.linalg.norm(moved, axis=1, keepdims=True), 1e-6)


def best_cosines(unit_vectors: np.ndarray, label_vectors: np.ndarray) -> np.ndarray:
    """Per candidate, the best cosine of a piece of text to one of its labels (see LabelAdapter.best_cosines)."""
    if not len(label_vectors):
        return np.zeros(0, dtype=np.float32)
    return np.einsum("ud,ckd->uck", unit_vectors, label_vectors).max(axis=(0, 2))
