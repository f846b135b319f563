"""The second stage of skill extraction: features of each candidate skill, and the model that weighs them.

The first stage proposes candidates (the nearest skills of each piece of text, plus lexical matches). Each
candidate then gets the features below, computed over the whole text, and three models turn them into the
probability that the text states that skill (two of the features come from a learned map of the text's vectors,
tools/skill_adapter.py, and two from how often the labelled texts stated each skill, tools/stated_skills.py, both
stored with the models): a logistic model, boosted decision trees (which catch
interactions, e.g. a word match weighs differently for knowledge than for a skill) and a forest of randomised
trees (extra trees), averaged. Their weights, trees and decision threshold are data
(`data/extraction/scorer.json`), fitted by `pathways eval tune-skills` with cross-validation on the labelled
sets; nothing here names a skill or a sentence.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
from pydantic import BaseModel, PrivateAttr, model_validator

from tools.derived import Derived
from tools.skill_adapter import LabelAdapter, best_cosines
from tools.stated_skills import StatedCounts

CANDIDATE_FEATURES = (  # computed with the candidates (tools.extraction.SkillExtractor.candidates)
    "cos_label",  # best cosine of any piece of the text to the skill's label, in English or the text's language
    "cos_label_en",
    "cos_label_lang",  # to its label in the text's language
    "cos_alt",  # to its alternative labels
    "cos_description",
    "cos_best",  # the best of the above
    "unit_rank",  # 1 / (1 + how many skills' labels are nearer) in the piece where it scores best
    "unit_margin",  # its best cosine minus that piece's best cosine to any label (0 at most)
    "units_top5",  # how many pieces have its label among their five nearest
    "exact_words",  # words of one of its labels all found in a piece (0, 1 or 2 for two or more)
    "exact_alt_words",  # the same for one of its alternative labels
    "lexical_score",  # best BM25 score of one of its labels in a piece, over that piece's best entry's score
    "word_share",  # the largest share of one of its labels' words found in a piece
    "word_share_idf",  # the same, each word weighted by its rarity among all labels
    "alias",  # a curated alias (acronym, product name, jargon) found in a piece, naming it first
    "alias_secondary",  # found only as a further skill of an alias (less specific than the first)
    "log_usage",  # log(1 + number of job profiles requiring it)
    "knowledge",  # 1 for knowledge, 0 for skill/competence
    "reuse_transversal",
    "reuse_cross_sector",
    "reuse_sector_specific",
    "reuse_occupation_specific",
    "label_words",  # words in its English label
    "job_nearest",  # 1 if one of the job profiles whose titles are nearest the text requires it
    "job_essential_margin",  # best nearness to the text of a job that requires it as essential, minus the best job's
)
ADAPTED_FEATURES = (  # computed with the scorer's label adapter (tools/skill_adapter.py), which is fitted with it
    "cos_adapted",  # best cosine of an adapted piece of text to its label in English or the text's language
    "adapted_margin",  # that minus the best of all the text's candidates (0 at most)
)
STATED_FEATURES = (  # from the scorer's counts of stated skills (tools/stated_skills.py), fitted with it
    "stated_rate",  # the smoothed share of the labelled texts it was a candidate of that stated it
    "stated_texts",  # log(1 + labelled texts that stated it, per 1,000 texts)
)
# Six of the candidate features also taken relative to the text's other candidates (minus the text's best, and the
# share of candidates above) were left out: cross-validated RP@5 stayed level (ours 0.632 -> 0.631, house 0.580 ->
# 0.577, tech 0.753 -> 0.754; one split), as `adapted_margin` and `unit_margin` already place a candidate in its text.
FEATURES = CANDIDATE_FEATURES + ADAPTED_FEATURES + STATED_FEATURES
REUSE_LEVELS = ("transversal", "cross-sector", "sector-specific", "occupation-specific")


# What the tree walk uses, derived from a model's lists: the flat feature, threshold, left, right and value arrays
# (TreeArrays._flat_arrays) and the depth of the deepest tree.
FlatTrees = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]


class TreeArrays(BaseModel):
    """Decision trees over FEATURES, as arrays (trees x nodes; a leaf has left = -1): a candidate goes left when
    its feature <= the node's threshold, and each tree gives the value of the leaf it reaches."""

    feature: list[list[int]]
    threshold: list[list[float]]
    left: list[list[int]]
    right: list[list[int]]
    value: list[list[float]]
    _cache: Derived = PrivateAttr(default_factory=Derived)

    def leaf_values(self, table: np.ndarray) -> np.ndarray:
        """Candidates x trees: the value of the leaf each candidate reaches in each tree."""
        if self._cache.value is None:  # made once: a forest's lists take tens of milliseconds to convert
            self._cache.value = self._flat_arrays()
        flat: FlatTrees = self._cache.value
        feature, threshold, left, right, value, depth = flat
        width = len(self.feature[0])
        table = np.ascontiguousarray(table, dtype=np.float64)
        row_start = (np.arange(len(table)) * table.shape[1])[:, None]
        node = np.broadcast_to(np.arange(len(self.feature)) * width, (len(table), len(self.feature)))
        for _ in range(depth):  # a leaf leads to itself, so every candidate may take every step
            goes_left = table.ravel()[row_start + feature[node]] <= threshold[node]
            node = np.where(goes_left, left[node], right[node])
        return value[node]

    def _flat_arrays(self) -> FlatTrees:
        """All trees' nodes in one row (node n of tree t at t x width + n), children as such positions and leaves
        as nodes that lead to themselves; and the depth of the deepest tree."""
        feature, threshold, left, right, value = (
            np.asarray(a) for a in (self.feature, self.threshold, self.left, self.right, self.value)
        )
        offset = (np.arange(feature.shape[0]) * feature.shape[1])[:, None]
        own = offset + np.arange(feature.shape[1])[None, :]
        leaf = left < 0
        depth, level = 0, np.zeros(feature.shape, dtype=bool)
        level[:, 0] = True
        while (level & ~leaf).any():  # walk down level by level to find the deepest leaf
            depth += 1
            below = np.zeros_like(level)
            trees, nodes = np.nonzero(level & ~leaf)
            below[trees, left[trees, nodes]] = below[trees, right[trees, nodes]] = True
            level = below
        return (
            np.where(leaf, 0, feature).ravel(),
            np.where(leaf, np.inf, threshold).ravel(),
            np.where(leaf, own, offset + left).ravel(),
            np.where(leaf, own, offset + right).ravel(),
            value.ravel(),
            depth,
        )


class BoostedTrees(TreeArrays):
    """Gradient-boosted regression trees: log-odds = init + learning_rate x the sum of the leaves reached."""

    init: float
    learning_rate: float

    def probability(self, table: np.ndarray) -> np.ndarray:
        return _sigmoid(self.init + self.learning_rate * self.leaf_values(table).sum(axis=1))


class TreeForest(TreeArrays):
    """Randomised trees (extra trees) whose leaves hold the share of stated skills: the probability is their mean."""

    def probability(self, table: np.ndarray) -> np.ndarray:
        return self.leaf_values(table).mean(axis=1)


class ScorerModel(BaseModel):
    """A standardised logistic model over FEATURES and, optionally, boosted trees and a forest of randomised trees,
    whose probabilities are averaged; and the probability above which a skill is kept."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float
    trees: BoostedTrees | None = None
    forest: TreeForest | None = None
    adapter: LabelAdapter | None = None  # None: the pieces of text as embedded
    stated: StatedCounts | None = None  # None: no skill is known to be stated more often than another
    threshold: float
    per_unit: int = 0  # at most this many kept skills have their best score in one piece of text (0: no cap)
    trained_on: list[str] = []
    cross_validation: dict[str, dict[str, float]] = {}

    @model_validator(mode="after")
    def _matches_code(self) -> ScorerModel:
        if tuple(self.features) != FEATURES:
            raise ValueError(
                "scorer features differ from tools.skill_scoring.FEATURES: re-run `pathways eval tune-skills`"
            )
        if not len(self.mean) == len(self.scale) == len(self.coef) == len(FEATURES):
            raise ValueError("scorer vectors must have one value per feature")
        return self

    def probabilities(self, table: np.ndarray) -> np.ndarray:
        if not len(table):
            return np.zeros(0, dtype=np.float64)
        z = (table - np.asarray(self.mean)) / np.asarray(self.scale)
        members = [_sigmoid(z @ np.asarray(self.coef) + self.intercept)]
        members += [m.probability(table) for m in (self.trees, self.forest) if m is not None]
        return np.mean(members, axis=0)

    def kept(self, probabilities: np.ndarray, homes: list[int], *, tentative: bool = False) -> list[int]:
        """Indices of the kept candidates, most probable first; `tentative`: of those reaching half the
        threshold (guesses to check when none is kept)."""
        threshold = self.threshold / 2 if tentative else self.threshold
        return decide(probabilities, homes, threshold=threshold, per_unit=self.per_unit)


def decide(probabilities: np.ndarray, homes: list[int], *, threshold: float, per_unit: int) -> list[int]:
    """Candidates at or above the threshold, at most `per_unit` per piece of text (0: any number)."""
    taken: dict[int, int] = {}
    kept = []
    for i in sorted(range(len(homes)), key=lambda i: -probabilities[i]):
        if probabilities[i] < threshold:
            break
        if per_unit and taken.get(homes[i], 0) >= per_unit:
            continue
        taken[homes[i]] = taken.get(homes[i], 0) + 1
        kept.append(i)
    return kept


def adapted_features(adapter: LabelAdapter | None, unit_vectors: np.ndarray, label_vectors: np.ndarray) -> np.ndarray:
    """Candidates x ADAPTED_FEATURES. unit_vectors: pieces x dim; label_vectors: candidates x labels x dim."""
    if adapter is None:
        cosines = best_cosines(unit_vectors, label_vectors)
    else:
        cosines = adapter.best_cosines(unit_vectors, label_vectors)
    if not len(cosines):
        return np.zeros((0, len(ADAPTED_FEATURES)), dtype=np.float32)
    return np.stack([cosines, cosines - cosines.max()], axis=1).astype(np.float32)


def stated_features(stated: StatedCounts | None, uris: list[str]) -> np.ndarray:
    """Candidates x STATED_FEATURES (zeros without counts)."""
    if stated is None:
        return np.zeros((len(uris), len(STATED_FEATURES)), dtype=np.float32)
    return stated.features(uris)


def load_scorer(path: Path) -> ScorerModel:
    return ScorerModel.model_validate(json.loads(path.read_text(encoding="utf-8")))


def skill_prior(*, usage: int, knowledge: bool, reuse_level: str, label: str) -> list[float]:
    """The features that depend on the skill alone (in FEATURES order, from `log_usage`)."""
    return [
        math.log1p(usage),
        float(knowledge),
        *(float(reuse_level == level) for level in REUSE_LEVELS),
        float(len(label.split())),
    ]


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))
