"""Skill-extraction metrics of specs/skill-eval.md: RP@k, MRR and micro P/R/F1."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel


class TextOutcome(BaseModel):
    ranked: list[str]
    predicted: list[str]
    gold: list[str]


class SkillMetrics(BaseModel):
    rp_at_k: float
    mrr: float
    precision: float
    recall: float
    f1: float
    # share of the gold skills found anywhere in the ranked list: the most a re-ranking step, which may only
    # reorder or drop candidates, could reach
    ranked_recall: float
    n: int
    k: int


def r_precision_at_k(ranked: Sequence[str], gold: set[str], k: int) -> float:
    return len(set(ranked[:k]) & gold) / min(k, len(gold))


def reciprocal_rank(ranked: Sequence[str], gold: set[str]) -> float:
    return next((1.0 / rank for rank, uri in enumerate(ranked, 1) if uri in gold), 0.0)


def share_ranked(ranked: Sequence[str], gold: set[str]) -> float:
    return len(set(ranked) & gold) / len(gold)


def score(outcomes: Sequence[TextOutcome], k: int = 5) -> SkillMetrics:
    with_gold = [o for o in outcomes if o.gold]

    def mean_over_gold(per_text: Callable[[TextOutcome], float]) -> float:
        return sum(per_text(o) for o in with_gold) / len(with_gold) if with_gold else 0.0

    rp = mean_over_gold(lambda o: r_precision_at_k(o.ranked, set(o.gold), k))
    mrr = mean_over_gold(lambda o: reciprocal_rank(o.ranked, set(o.gold)))
    ranked_recall = mean_over_gold(lambda o: share_ranked(o.ranked, set(o.gold)))
    tp = sum(len(set(o.predicted) & set(o.gold)) for o in outcomes)
    fp = sum(len(set(o.predicted) - set(o.gold)) for o in outcomes)
    fn = sum(len(set(o.gold) - set(o.predicted)) for o in with_gold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return SkillMetrics(
        rp_at_k=rp,
        mrr=mrr,
        precision=precision,
        recall=recall,
        f1=f1,
        ranked_recall=ranked_recall,
        n=len(outcomes),
        k=k,
    )


def average(runs: Sequence[SkillMetrics]) -> SkillMetrics:
    """The mean of each rate over runs on the same texts (e.g. repeated cross-validation)."""
    rates = ("rp_at_k", "mrr", "precision", "recall", "f1", "ranked_recall")
    return runs[0].model_copy(update={r: sum(getattr(m, r) for m in runs) / len(runs) for r in rates})
