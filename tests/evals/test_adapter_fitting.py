"""The adapter fit, on a synthetic problem where the texts' vectors are a permuted copy of their skill's label:
unadapted, the stated skill is no nearer than the others; a fitted map must learn to undo the permutation."""

import numpy as np

from evals.adapter_fitting import ADAPTER, AdapterText, fit_adapter
from tools.skill_adapter import best_cosines

DIM, SKILLS, CANDIDATES = 12, 40, 8


def texts(rng: np.random.Generator, labels: np.ndarray, count: int) -> list[AdapterText]:
    shift = np.roll(np.eye(DIM), 3, axis=0)  # the same permutation for every text
    out = []
    for _ in range(count):
        candidates = rng.choice(SKILLS, size=CANDIDATES, replace=False)
        pieces = shift @ labels[candidates[0]] + rng.normal(scale=0.05, size=(2, DIM))
        order = rng.permutation(CANDIDATES)  # the stated skill anywhere among the candidates
        stated = order == 0
        label_vectors = np.stack([labels[candidates[order]]] * 2, axis=1)  # English = own language here
        out.append(AdapterText((pieces / np.linalg.norm(pieces, axis=1, keepdims=True)), label_vectors, stated))
    return out


def top1(rank, data: list[AdapterText]) -> float:
    return float(np.mean([t.stated[int(np.argmax(rank(t)))] for t in data]))


def test_a_fitted_adapter_ranks_the_stated_skill_first_on_texts_it_has_not_seen():
    rng = np.random.default_rng(0)
    labels = rng.normal(size=(SKILLS, DIM))
    labels /= np.linalg.norm(labels, axis=1, keepdims=True)
    train, unseen = texts(rng, labels, 300), texts(rng, labels, 100)
    settings = ADAPTER | {"steps": 300, "learning_rate": 0.02}
    adapter = fit_adapter(train, **settings)
    unadapted = top1(lambda t: best_cosines(t.unit_vectors, t.label_vectors), unseen)
    adapted = top1(lambda t: adapter.best_cosines(t.unit_vectors, t.label_vectors), unseen)
    assert unadapted < 0.4 and adapted > 0.9, (unadapted, adapted)


def test_with_no_stated_skill_to_learn_from_the_map_stays_the_identity():
    rng = np.random.default_rng(1)
    labels = rng.normal(size=(SKILLS, DIM))
    none_stated = [AdapterText(t.unit_vectors, t.label_vectors, np.zeros_like(t.stated)) for t in texts(rng, labels, 5)]
    adapter = fit_adapter(none_stated, **ADAPTER)
    assert not np.asarray(adapter.residual).any()
