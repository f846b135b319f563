"""Quality of the committed question bank (data/quiz), checked as the issue asks."""

from collections import Counter

import pytest

from domain.settings import PROJECT_ROOT
from tools.quiz import load_bank
from tools.quiz_quality import MAX_LONGEST_CORRECT_SHARE, MAX_POSITION_SHARE, MIN_DETECTION_RATE, check_bank


@pytest.fixture(scope="module")
def bank():
    return load_bank(PROJECT_ROOT / "data" / "quiz")


def test_bank_quality(bank, kb):
    quality = check_bank(bank, kb)
    print(quality.model_dump())
    assert quality.questions >= 80
    assert not quality.unknown_uris
    assert max(quality.correct_position_share.values()) <= MAX_POSITION_SHARE
    assert quality.longest_is_correct_share <= MAX_LONGEST_CORRECT_SHARE
    assert all(rate >= MIN_DETECTION_RATE for rate in quality.detection_rate.values()), quality.detection_rate


def test_every_bank_skill_has_two_questions_per_level(bank):
    per_level = Counter((q.skill_uri, q.level) for q in bank.questions.values())
    for skill in bank.skills:
        assert all(per_level[(skill, level)] >= 2 for level in (1, 2, 3, 4)), skill


def test_the_bank_covers_the_most_essential_skills_and_only_frequent_ones(bank, kb):
    essential = Counter(r.skill_uri for p in kb.job_profiles.values() for r in p.essential)
    top_essential = {u for u, _ in sorted(essential.items(), key=lambda kv: (-kv[1], kv[0]))[:50]}
    top_required = {u for u, _ in kb.skill_usage.most_common(100)}
    assert top_essential <= bank.skills
    assert bank.skills <= top_essential | top_required
