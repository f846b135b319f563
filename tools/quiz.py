"""Proficiency verification quiz: scenario questions from the curated bank, level statements otherwise.

Assembly: every skill to verify gets one item at its claimed level — a bank question when the bank has one
for that skill and level, otherwise a level-statement item (four statements built from the level
descriptors and the skill's label; the person picks the one that fits). Then, up to `max_items` in all,
extra bank questions for the skills that weigh most (interest relevance x claimed level). No item is
repeated; questions and option order are drawn from `seed`, so a new seed gives a different quiz.

Scoring rule: a skill's claimed level is verified when at least half (rounded up) of its scenario
questions are answered correctly and its statement (if any) is at or above the claim; otherwise the level
steps down one (or to the chosen statement's level, if lower) and the skill is marked adjusted. Wrong
answers come back with the question's explanation.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.knowledge_base import KnowledgeBase
from domain.languages import LANGS, Lang
from prompts.texts import text

DEFAULT_MAX_ITEMS = 8


class QuestionText(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: str = Field(min_length=5)
    options: tuple[str, str, str, str]
    explanation: str = Field(min_length=3)

    @field_validator("options")
    @classmethod
    def _distinct(cls, options: tuple[str, ...]) -> tuple[str, ...]:
        if len({o.strip().casefold() for o in options}) != 4 or any(not o.strip() for o in options):
            raise ValueError("four distinct, non-empty options are required")
        return options


class BankQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    skill_uri: str
    level: int = Field(ge=1, le=4)
    correct: int = Field(ge=0, le=3)
    texts: dict[Lang, QuestionText]

    @field_validator("texts")
    @classmethod
    def _six_languages(cls, texts: dict[Lang, QuestionText]) -> dict[Lang, QuestionText]:
        missing = [lang for lang in LANGS if lang not in texts]
        if missing:
            raise ValueError(f"missing languages: {', '.join(missing)}")
        return texts


class QuestionBank(BaseModel):
    questions: dict[str, BankQuestion]

    def for_skill(self, uri: str, level: int | None = None) -> list[BankQuestion]:
        return [q for q in self.questions.values() if q.skill_uri == uri and (level is None or q.level == level)]

    @property
    def skills(self) -> set[str]:
        return {q.skill_uri for q in self.questions.values()}


def load_bank(folder: Path) -> QuestionBank:
    questions: dict[str, BankQuestion] = {}
    for path in sorted(folder.glob("bank_*.yaml")):
        with path.open(encoding="utf-8") as fh:
            for n, record in enumerate(yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or [], 1):
                try:
                    question = BankQuestion.model_validate(record)
                except ValueError as exc:
                    raise ValueError(f"{path.name} item {n}: {exc}") from exc
                if question.id in questions:
                    raise ValueError(f"{path.name} item {n}: duplicate id {question.id}")
                questions[question.id] = question
    return QuestionBank(questions=questions)


class ItemKind(StrEnum):
    SCENARIO = "scenario"
    STATEMENT = "statement"


class QuizItem(BaseModel):
    id: str
    skill_uri: str
    level: int  # the level the item tests (statements: the claimed level)
    kind: ItemKind
    question: str
    options: list[str]
    correct: int | None = None  # scenario only; never sent to the person before they answer
    option_levels: list[int] = []  # statement only: the level each option stands for
    explanation: str = ""


class Quiz(BaseModel):
    seed: int
    language: Lang
    items: list[QuizItem]


class Claim(BaseModel):
    skill_uri: str
    level: int = Field(ge=1, le=4)
    weight: float = 1.0  # relevance to the person's interests


class SkillVerdict(BaseModel):
    skill_uri: str
    claimed: int
    level: int
    verified: bool
    correct: int
    asked: int


class WrongAnswer(BaseModel):
    item_id: str
    explanation: str


class QuizResult(BaseModel):
    verdicts: list[SkillVerdict]
    wrong: list[WrongAnswer]


def _scenario(question: BankQuestion, lang: Lang, rng: random.Random) -> QuizItem:
    body = question.texts[lang]
    order = list(range(4))
    rng.shuffle(order)
    return QuizItem(
        id=question.id,
        skill_uri=question.skill_uri,
        level=question.level,
        kind=ItemKind.SCENARIO,
        question=body.question,
        options=[body.options[i] for i in order],
        correct=order.index(question.correct),
        explanation=body.explanation,
    )


def _statement(kb: KnowledgeBase, claim: Claim, lang: Lang) -> QuizItem:
    label = kb.skills[claim.skill_uri].label(lang)
    return QuizItem(
        id=f"statement:{claim.skill_uri.rsplit('/', 1)[-1]}",
        skill_uri=claim.skill_uri,
        level=claim.level,
        kind=ItemKind.STATEMENT,
        question=text(lang, "quiz.statement_question", skill=label),
        options=[text(lang, f"quiz.statement_{lv}", skill=label) for lv in (1, 2, 3, 4)],
        option_levels=[1, 2, 3, 4],
    )


def generate_quiz(
    *,
    kb: KnowledgeBase,
    bank: QuestionBank,
    claims: Sequence[Claim],
    language: Lang,
    seed: int,
    max_items: int = DEFAULT_MAX_ITEMS,
) -> Quiz:
    rng = random.Random(seed)
    items: list[QuizItem] = []
    used: set[str] = set()
    for claim in claims:
        pool = [q for q in bank.for_skill(claim.skill_uri, claim.level) if q.id not in used]
        if pool:
            question = rng.choice(sorted(pool, key=lambda q: q.id))
            items.append(_scenario(question, language, rng))
            used.add(question.id)
        else:
            items.append(_statement(kb, claim, language))
    ranked = sorted(claims, key=lambda c: (-c.weight * c.level, c.skill_uri))
    while len(items) < max_items:
        added = False
        for claim in ranked:
            pool = sorted(
                (q for q in bank.for_skill(claim.skill_uri, claim.level) if q.id not in used), key=lambda q: q.id
            )
            if pool and len(items) < max_items:
                question = rng.choice(pool)
                items.append(_scenario(question, language, rng))
                used.add(question.id)
                added = True
        if not added:
            break
    return Quiz(seed=seed, language=language, items=items)


def score_quiz(*, quiz: Quiz, claims: Sequence[Claim], answers: dict[str, int]) -> QuizResult:
    """answers: item id -> chosen option index. An unanswered item counts as wrong."""
    verdicts, wrong = [], []
    for claim in claims:
        items = [i for i in quiz.items if i.skill_uri == claim.skill_uri]
        scenarios = [i for i in items if i.kind == ItemKind.SCENARIO]
        right = 0
        for item in scenarios:
            if answers.get(item.id) == item.correct:
                right += 1
            else:
                wrong.append(WrongAnswer(item_id=item.id, explanation=item.explanation))
        level = claim.level
        passed = right >= math.ceil(len(scenarios) / 2) if scenarios else True
        if not passed:
            level = max(1, claim.level - 1)
        for item in items:
            if item.kind == ItemKind.STATEMENT:
                choice = answers.get(item.id)
                stated = item.option_levels[choice] if choice is not None and 0 <= choice < 4 else 1
                level = min(level, stated)
        verdicts.append(
            SkillVerdict(
                skill_uri=claim.skill_uri,
                claimed=claim.level,
                level=level,
                verified=level >= claim.level,
                correct=right,
                asked=len(scenarios),
            )
        )
    return QuizResult(verdicts=verdicts, wrong=wrong)
