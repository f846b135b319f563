import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.skill_scoring import FEATURES, ScorerModel, decide


def model(**changes) -> ScorerModel:
    n = len(FEATURES)
    values = {
        "features": list(FEATURES),
        "mean": [0.0] * n,
        "scale": [1.0] * n,
        "coef": [1.0] + [0.0] * (n - 1),
        "intercept": 0.0,
        "threshold": 0.5,
        "per_unit": 1,
    }
    return ScorerModel.model_validate(values | changes)


def test_a_model_fitted_for_other_features_is_refused():
    with pytest.raises(ValueError, match="tune-skills"):
        model(features=list(FEATURES[:-1]) + ["something_else"])
    with pytest.raises(ValueError, match="one value per feature"):
        model(coef=[1.0])


def test_probability_rises_with_a_positively_weighted_feature():
    table = np.zeros((3, len(FEATURES)))
    table[:, 0] = [-1.0, 0.0, 2.0]
    p = model().probabilities(table)
    assert p[0] < p[1] < p[2] and p[1] == pytest.approx(0.5)
    assert model().probabilities(np.zeros((0, len(FEATURES)))).shape == (0,)


@given(
    st.lists(st.tuples(st.floats(0, 1), st.integers(0, 4)), max_size=30),
    st.floats(0, 1),
    st.integers(0, 3),
)
def test_decision_keeps_only_probable_candidates_and_caps_each_piece(candidates, threshold, per_unit):
    probabilities = np.array([p for p, _ in candidates])
    homes = [h for _, h in candidates]
    kept = decide(probabilities, homes, threshold=threshold, per_unit=per_unit)
    assert all(probabilities[i] >= threshold for i in kept)
    assert [probabilities[i] for i in kept] == sorted((probabilities[i] for i in kept), reverse=True)
    if per_unit:
        assert all(sum(homes[i] == h for i in kept) <= per_unit for h in set(homes))
        # a dropped candidate above the threshold lost to more probable ones from its own piece
        for i in set(range(len(homes))) - set(kept):
            if probabilities[i] >= threshold:
                assert sum(homes[j] == homes[i] and probabilities[j] >= probabilities[i] for j in kept) == per_unit
    else:
        assert len(kept) == int((probabilities >= threshold).sum())
