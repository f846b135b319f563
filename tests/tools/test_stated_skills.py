"""Counts of the skills labelled texts state, and the features made from them."""

import math

import numpy as np
import pytest

from tools.stated_skills import PER_TEXTS, SMOOTHING, StatedCounts

TEXTS = [  # (candidate URIs, gold URIs)
    (["a", "b", "c"], ["a"]),
    (["a", "b"], ["a", "b"]),
    (["a", "c", "c"], ["a", "z"]),  # a repeated candidate counts once; a gold skill never proposed is not counted
    (["b", "c"], []),
]


def test_counts_per_skill_how_many_texts_proposed_it_and_how_many_of_those_stated_it():
    counts = StatedCounts.count(TEXTS)
    assert counts.texts == 4
    assert counts.candidate == {"a": 3, "b": 3, "c": 3}
    assert counts.stated == {"a": 3, "b": 1}
    assert counts.base_rate == pytest.approx(4 / 9)


def test_a_skill_often_stated_rates_above_one_rarely_stated_and_an_unseen_one_gets_the_base_rate():
    counts = StatedCounts.count(TEXTS)
    rate = counts.features(["a", "b", "c", "unseen"])[:, 0]
    assert rate[0] > rate[1] > rate[2]
    assert rate[3] == pytest.approx(counts.base_rate)
    assert rate[0] == pytest.approx((3 + SMOOTHING * 4 / 9) / (3 + SMOOTHING))


def test_the_count_feature_is_per_texts_so_a_fold_and_the_whole_set_agree():
    whole = StatedCounts.count(TEXTS * 3)
    part = StatedCounts.count(TEXTS)
    assert np.allclose(whole.features(["a", "b"])[:, 1], part.features(["a", "b"])[:, 1])
    assert part.features(["a"])[0, 1] == pytest.approx(math.log1p(3 * PER_TEXTS / 4))
    assert part.features([]).shape == (0, 2)


def test_counts_round_trip_through_json():
    counts = StatedCounts.count(TEXTS)
    assert StatedCounts.model_validate_json(counts.model_dump_json()) == counts
