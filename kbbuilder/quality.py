"""Quality check of the curated it/sl/tr labels in the knowledge base (`pathways kb check`)."""

from __future__ import annotations

import re

from pydantic import BaseModel

from domain.knowledge_base import KnowledgeBase
from domain.language_id import detect_language
from domain.languages import CURATED_LANGS, Lang
from domain.models import Label, LabelSource

TOP_SKILLS = 1000
MIN_DETECTION_RATE = 0.90
MIN_WORDS_FOR_DETECTION = 3
MAX_UNTRANSLATED_SHARE = 0.005  # multi-word loan phrases used as-is (e.g. "business intelligence"), listed
_ACRONYM = re.compile(r"^[A-Z0-9][A-Z0-9/+.\- ]*$")


class LanguageQuality(BaseModel):
    lang: Lang
    curated_labels: int
    empty: int
    checked_for_language: int
    detected_right: int
    same_as_english: int
    same_as_english_examples: list[str]
    untranslated: list[str]
    missing_top_skills: int
    missing_job_titles: int

    @property
    def detection_rate(self) -> float:
        return self.detected_right / self.checked_for_language if self.checked_for_language else 1.0

    @property
    def passed(self) -> bool:
        return (
            self.empty == 0
            and self.missing_top_skills == 0
            and self.missing_job_titles == 0
            and len(self.untranslated) <= MAX_UNTRANSLATED_SHARE * self.curated_labels
            and self.detection_rate >= MIN_DETECTION_RATE
        )


def most_used_skills(kb: KnowledgeBase, n: int = TOP_SKILLS) -> list[str]:
    usage = kb.skill_usage
    return sorted(usage, key=lambda u: (-usage[u], u))[:n]


def is_acronym_or_cognate(label: str) -> bool:
    """Labels that may stay as in English: acronyms, product names (CAD, Visual Studio .NET), one-word cognates."""
    return bool(_ACRONYM.match(label)) or len(label.split()) == 1 or any(ch.isupper() for ch in label)


def check_language(kb: KnowledgeBase, lang: Lang) -> LanguageQuality:
    pairs: list[tuple[Label, str]] = [
        (s.labels[lang], s.label("en")) for s in kb.skills.values() if lang in s.labels
    ] + [(p.titles[lang], p.title("en")) for p in kb.job_profiles.values() if lang in p.titles]
    curated = [(label, en) for label, en in pairs if label.source == LabelSource.CURATED]
    long_labels = [label.text for label, _ in curated if len(label.text.split()) >= MIN_WORDS_FOR_DETECTION]
    same = [label.text for label, en in curated if label.text.casefold() == en.casefold()]
    return LanguageQuality(
        lang=lang,
        curated_labels=len(curated),
        empty=sum(1 for label, _ in curated if not label.text.strip()),
        checked_for_language=len(long_labels),
        detected_right=sum(1 for text in long_labels if detect_language(text) == lang),
        same_as_english=len(same),
        same_as_english_examples=same[:10],
        untranslated=[text for text in same if not is_acronym_or_cognate(text)],
        missing_top_skills=sum(1 for u in most_used_skills(kb) if lang not in kb.skills[u].labels),
        missing_job_titles=sum(1 for p in kb.job_profiles.values() if lang not in p.titles),
    )


def check_curated_labels(kb: KnowledgeBase) -> list[LanguageQuality]:
    return [check_language(kb, lang) for lang in CURATED_LANGS]
