"""Fitting the label adapter of skill extraction (tools/skill_adapter.py) on labelled texts.

Each text's candidate skills compete: the loss is the cross-entropy of the stated skills under a softmax of
the candidates' best adapted cosines (sharpened by a temperature), averaged over texts, plus weight decay
that keeps the map near the identity. Plain numpy with Adam and the gradient written out (the best cosine
is a max over pieces and labels, so the gradient flows through the one pair that gave it): fitting needs no
deep-learning framework.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tools.skill_adapter import LabelAdapter, best_cosines

# Chosen by 5-fold cross-validation on the labelled training files (house, tech, ours, the train set), by the
# RP@5 of the adapted cosine alone among each text's candidates (unadapted: .222): weight decay 0.01 gives .407,
# 0.1 only .338. Competing with the 150 nearest rivals costs little against all candidates (.411) and fits three
# times faster; with 60 rivals, .389.
ADAPTER = {"steps": 150, "learning_rate": 0.005, "weight_decay": 0.01, "temperature": 0.05, "rivals": 150}
_BATCH = 48  # texts of similar size padded together
_BETAS = (0.9, 0.999)
_EPSILON = 1e-8


@dataclass(frozen=True)
class AdapterText:
    unit_vectors: np.ndarray  # pieces x dim
    label_vectors: np.ndarray  # candidates x labels x dim
    stated: np.ndarray  # candidates, bool


@dataclass(frozen=True)
class _Batch:
    units: np.ndarray  # texts x pieces x dim (zero rows pad)
    unit_mask: np.ndarray  # texts x pieces
    labels: np.ndarray  # texts x candidates x labels x dim
    candidate_mask: np.ndarray  # texts x candidates
    target: np.ndarray  # texts x candidates: 1 / (stated skills) for a stated skill, else 0


def fit_adapter(
    texts: list[AdapterText],
    *,
    steps: int,
    learning_rate: float,
    weight_decay: float,
    temperature: float,
    rivals: int,
) -> LabelAdapter:
    """`rivals`: each text's stated skills compete with its that many nearest other candidates (by unadapted
    cosine); farther ones weigh next to nothing in the softmax and would only slow the fit."""
    usable = sorted(
        (_nearest(t, rivals) for t in texts if len(t.unit_vectors) and t.stated.any()),
        key=lambda t: (len(t.unit_vectors), len(t.stated)),
    )
    dim = texts[0].unit_vectors.shape[1]
    if not usable:  # nothing to learn from: the map stays the identity
        return LabelAdapter.from_array(np.zeros((dim, dim)))
    batches = [_padded(usable[i : i + _BATCH]) for i in range(0, len(usable), _BATCH)]
    residual = np.zeros((dim, dim), dtype=np.float64)
    first, second = np.zeros_like(residual), np.zeros_like(residual)
    for step in range(1, steps + 1):
        gradient = sum(_gradient(b, residual, temperature) for b in batches) / len(usable)
        gradient += 2 * weight_decay * residual
        first = _BETAS[0] * first + (1 - _BETAS[0]) * gradient
        second = _BETAS[1] * second + (1 - _BETAS[1]) * gradient**2
        corrected = first / (1 - _BETAS[0] ** step), second / (1 - _BETAS[1] ** step)
        residual -= learning_rate * corrected[0] / (np.sqrt(corrected[1]) + _EPSILON)
    return LabelAdapter.from_array(residual)


def _nearest(text: AdapterText, rivals: int) -> AdapterText:
    raw = best_cosines(text.unit_vectors, text.label_vectors)
    others = np.flatnonzero(~text.stated)
    keep = np.sort(np.r_[np.flatnonzero(text.stated), others[np.argsort(-raw[others], kind="stable")[:rivals]]])
    return AdapterText(text.unit_vectors, text.label_vectors[keep], text.stated[keep])


def _padded(texts: list[AdapterText]) -> _Batch:
    pieces = max(len(t.unit_vectors) for t in texts)
    candidates = max(len(t.stated) for t in texts)
    labels, dim = texts[0].label_vectors.shape[1:]
    batch = _Batch(
        units=np.zeros((len(texts), pieces, dim), dtype=np.float32),
        unit_mask=np.zeros((len(texts), pieces), dtype=bool),
        labels=np.zeros((len(texts), candidates, labels, dim), dtype=np.float32),
        candidate_mask=np.zeros((len(texts), candidates), dtype=bool),
        target=np.zeros((len(texts), candidates)),
    )
    for i, t in enumerate(texts):
        batch.units[i, : len(t.unit_vectors)] = t.unit_vectors
        batch.unit_mask[i, : len(t.unit_vectors)] = True
        batch.labels[i, : len(t.stated)] = t.label_vectors
        batch.candidate_mask[i, : len(t.stated)] = True
        batch.target[i, : len(t.stated)] = t.stated / t.stated.sum()
    return batch


def _gradient(batch: _Batch, residual: np.ndarray, temperature: float) -> np.ndarray:
    """The gradient of the batch's summed loss with respect to the residual."""
    texts, pieces, dim = batch.units.shape
    candidates, labels = batch.labels.shape[1:3]
    moved = batch.units @ (np.eye(dim) + residual).T.astype(np.float32)
    norms = np.maximum(np.linalg.norm(moved, axis=2, keepdims=True), 1e-6)
    adapted = moved / norms
    # texts x pieces x (candidates x labels), as one batched matrix product
    cosines = adapted @ batch.labels.reshape(texts, candidates * labels, dim).transpose(0, 2, 1)
    cosines[~batch.unit_mask] = -2.0
    flat = cosines.reshape(texts, pieces, candidates, labels).transpose(0, 2, 1, 3).reshape(texts, candidates, -1)
    best = flat.argmax(axis=2)
    piece, label = np.divmod(best, labels)
    score = np.take_along_axis(flat, best[..., None], axis=2)[..., 0] / temperature
    score = np.where(batch.candidate_mask, score, -np.inf)
    softmax = np.exp(score - score.max(axis=1, keepdims=True))
    softmax /= softmax.sum(axis=1, keepdims=True)
    d_score = (softmax - batch.target) / temperature  # texts x candidates (0 for padding)
    rows = np.arange(texts)[:, None]
    chosen_labels = batch.labels[rows, np.arange(candidates)[None, :], label]  # texts x candidates x dim
    weights = np.zeros((texts, pieces, candidates), dtype=np.float32)  # each candidate's d_score at its piece
    weights[np.broadcast_to(rows, piece.shape), piece, np.arange(candidates)[None, :]] = d_score
    d_adapted = weights @ chosen_labels
    d_moved = (d_adapted - adapted * (adapted * d_adapted).sum(axis=2, keepdims=True)) / norms
    return d_moved.reshape(-1, dim).T @ batch.units.reshape(-1, dim)
