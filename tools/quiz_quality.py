"""Quality figures of the quiz bank (`pathways quiz check`), asserted by the tests."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from domain.knowledge_base import KnowledgeBase
from domain.language_id import detect_language
from domain.languages import LANGS, Lang
from tools.quiz import QuestionBank

MAX_POSITION_SHARE = 0.35
MAX_LONGEST_CORRECT_SHARE = 0.40
MIN_DETECTION_RATE = 0.95


class BankQuality(BaseModel):
    questions: int
    skills: int
    items_per_language: dict[Lang, int]
    skill_levels_with_two_questions: int
    correct_position_share: dict[int, float]
    longest_is_correct_share: float
    detection_rate: dict[Lang, float]
    unknown_uris: list[str]

    @property
    def passed(self) -> bool:
        return (
            not self.unknown_uris
            and max(self.correct_position_share.values(), default=0) <= MAX_POSITION_SHARE
            and self.longest_is_correct_share <= MAX_LONGEST_CORRECT_SHARE
            and all(rate >= MIN_DETECTION_RATE for rate in self.detection_rate.values())
        )


def check_bank(bank: QuestionBank, kb: KnowledgeBase) -> BankQuality:
    questions = list(bank.questions.values())
    n = len(questions) or 1
    positions = Counter(q.correct for q in questions)
    longest = sum(1 for q in questions if max(range(4), key=lambda i: len(q.texts["en"].options[i])) == q.correct)
    detected = {
        lang: sum(
            1
            for q in questions
            if detect_language(" ".join([q.texts[lang].question, *q.texts[lang].options, q.texts[lang].explanation]))
            == lang
        )
        / n
        for lang in LANGS
    }
    per_level = Counter((q.skill_uri, q.level) for q in questions)
    return BankQuality(
        questions=len(questions),
        skills=len(bank.skills),
        items_per_language={lang: sum(1 for q in questions if lang in q.texts) for lang in LANGS},
        skill_levels_with_two_questions=sum(1 for v in per_level.values() if v >= 2),
        correct_position_share={i: round(positions[i] / n, 3) for i in range(4)},
        longest_is_correct_share=round(longest / n, 3),
        detection_rate={k: round(v, 3) for k, v in detected.items()},
        unknown_uris=sorted({q.skill_uri for q in questions if q.skill_uri not in kb.skills}),
    )
