import pytest

from evals.metrics import TextOutcome, average, score


def test_scores_follow_the_spec_on_a_worked_example():
    outcomes = [
        # gold a, b: ranked b third and a sixth -> RP@5 = 1/2, reciprocal rank 1/3; predicted b (tp) and x (fp)
        TextOutcome(ranked=["x", "y", "b", "z", "w", "a"], predicted=["x", "b"], gold=["a", "b"]),
        # gold c ranked first -> RP@5 1, reciprocal rank 1; predicted c (tp)
        TextOutcome(ranked=["c", "d"], predicted=["c"], gold=["c"]),
        # no gold: leaves RP@5 and MRR alone, its prediction is a false positive
        TextOutcome(ranked=["e"], predicted=["e"], gold=[]),
    ]
    m = score(outcomes, k=5)
    assert m.rp_at_k == pytest.approx((0.5 + 1) / 2)
    assert m.mrr == pytest.approx((1 / 3 + 1) / 2)
    assert m.precision == pytest.approx(2 / 4) and m.recall == pytest.approx(2 / 3)
    assert m.f1 == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3))
    assert (m.n, m.k) == (3, 5)


def test_average_takes_the_mean_of_each_rate_and_keeps_the_counts():
    good = score([TextOutcome(ranked=["a"], predicted=["a"], gold=["a"])])
    bad = score([TextOutcome(ranked=["b"], predicted=["b"], gold=["a"])])
    mean = average([good, bad])
    assert mean.rp_at_k == pytest.approx(0.5) and mean.mrr == pytest.approx(0.5)
    assert mean.precision == pytest.approx(0.5) and mean.f1 == pytest.approx(0.5)
    assert (mean.n, mean.k) == (1, 5)


def test_ranked_recall_is_the_share_of_gold_anywhere_in_the_ranked_list():
    outcomes = [
        TextOutcome(ranked=["x", "y", "z", "w", "v", "a"], predicted=[], gold=["a", "b"]),  # a ranked sixth: 1/2
        TextOutcome(ranked=[], predicted=[], gold=["c"]),  # no candidates: 0
        TextOutcome(ranked=["e"], predicted=["e"], gold=[]),  # no gold: not counted
    ]
    m = score(outcomes, k=5)
    assert m.ranked_recall == pytest.approx(0.25)
    assert m.rp_at_k == 0.0  # a is outside the top 5, yet a re-ranking could bring it in
