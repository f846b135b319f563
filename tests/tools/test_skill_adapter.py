import numpy as np
import pytest

from tools.skill_adapter import LabelAdapter, best_cosines
from tools.skill_scoring import ADAPTED_FEATURES, adapted_features


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


RNG = np.random.default_rng(5)
UNITS = unit(RNG.normal(size=(3, 6))).astype(np.float32)  # pieces of text
LABELS = unit(RNG.normal(size=(4, 2, 6))).astype(np.float32)  # candidates x (English, own language)


def test_best_cosine_is_over_every_piece_and_both_labels():
    expected = [max(float(u @ label) for u in UNITS for label in LABELS[c]) for c in range(len(LABELS))]
    assert np.allclose(best_cosines(UNITS, LABELS), expected, atol=1e-6)
    assert best_cosines(UNITS, LABELS[:0]).shape == (0,)


def test_a_zero_residual_changes_nothing_and_a_map_moves_the_text_toward_a_label():
    assert np.allclose(
        LabelAdapter.from_array(np.zeros((6, 6))).best_cosines(UNITS, LABELS), best_cosines(UNITS, LABELS)
    )
    # a map sending every piece onto candidate 2's English label makes that label the nearest, at cosine 1
    target = LABELS[2, 0].astype(np.float64)
    towards = np.outer(target, np.linalg.pinv(UNITS.astype(np.float64)).sum(axis=1)) - np.eye(6)
    moved = LabelAdapter.from_array(towards).best_cosines(UNITS[:1], LABELS)
    assert moved.argmax() == 2 and moved[2] == pytest.approx(1.0, abs=1e-4)


def test_adapted_features_are_the_best_cosine_and_its_margin_to_the_texts_best():
    features = adapted_features(None, UNITS, LABELS)
    assert features.shape == (len(LABELS), len(ADAPTED_FEATURES))
    assert np.allclose(features[:, 0], best_cosines(UNITS, LABELS), atol=1e-6)
    assert features[:, 1].max() == 0 and (features[:, 1] <= 0).all()
    assert adapted_features(None, UNITS, LABELS[:0]).shape == (0, len(ADAPTED_FEATURES))


def test_a_residual_that_is_not_square_is_refused():
    with pytest.raises(ValueError, match="square"):
        LabelAdapter(residual=[[0.0, 0.0], [0.0]])


def test_an_adapter_that_has_built_its_map_equals_one_that_has_not():
    used, fresh = (LabelAdapter.from_array(np.full((6, 6), 0.1)) for _ in range(2))
    used.best_cosines(UNITS, LABELS)
    assert used == fresh
