import pytest

from domain.languages import LANGS
from tools.quiz import BankQuestion, Claim, ItemKind, QuestionBank, generate_quiz, score_quiz

SKILL_A = "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40"  # troubleshoot
SKILL_B = "http://data.europa.eu/esco/skill/8d4271ca-c9fd-40b3-875f-15f78332a49e"  # quality standards


def _question(skill: str, level: int, n: int, correct: int) -> BankQuestion:
    texts = {
        lang: {
            "question": f"Question {n} level {level} ({lang})?",
            "options": [f"option {i} {lang} {n}" for i in range(4)],
            "explanation": f"because {n}",
        }
        for lang in LANGS
    }
    return BankQuestion(id=f"q-{skill[-4:]}-l{level}-{n}", skill_uri=skill, level=level, correct=correct, texts=texts)


@pytest.fixture()
def bank():
    questions = [_question(SKILL_A, level, n, (level + n) % 4) for level in (1, 2, 3, 4) for n in (1, 2, 3)]
    return QuestionBank(questions={q.id: q for q in questions})


def test_same_seed_same_quiz_other_seed_other_quiz(kb, bank):
    claims = [Claim(skill_uri=SKILL_A, level=3)]
    first = generate_quiz(kb=kb, bank=bank, claims=claims, language="es", seed=1, max_items=2)
    again = generate_quiz(kb=kb, bank=bank, claims=claims, language="es", seed=1, max_items=2)
    assert first == again
    quizzes = {
        tuple(
            (i.id, tuple(i.options))
            for i in generate_quiz(kb=kb, bank=bank, claims=claims, language="es", seed=s, max_items=2).items
        )
        for s in range(10)
    }
    assert len(quizzes) > 1


def test_no_repeated_item_and_items_test_the_claimed_level(kb, bank):
    claims = [Claim(skill_uri=SKILL_A, level=2)]
    quiz = generate_quiz(kb=kb, bank=bank, claims=claims, language="en", seed=3, max_items=8)
    ids = [i.id for i in quiz.items]
    assert len(ids) == len(set(ids)) == 3  # the bank has three level-2 questions
    assert all(i.level == 2 and i.kind == ItemKind.SCENARIO for i in quiz.items)


def test_a_profile_with_no_bank_skill_gets_statements_in_its_language(kb, bank):
    claims = [Claim(skill_uri=SKILL_B, level=3)]
    quiz = generate_quiz(kb=kb, bank=bank, claims=claims, language="tr", seed=0)
    assert [i.kind for i in quiz.items] == [ItemKind.STATEMENT]
    label = kb.skills[SKILL_B].label("tr")
    assert label in quiz.items[0].question and all(label in o for o in quiz.items[0].options)


def _answers(quiz, right: dict[str, bool]):
    return {i.id: (i.correct if right[i.id] else (i.correct + 1) % 4) for i in quiz.items}


def test_scoring_rule_on_hand_made_answer_sets(kb, bank):
    claims = [Claim(skill_uri=SKILL_A, level=3)]
    quiz = generate_quiz(kb=kb, bank=bank, claims=claims, language="en", seed=5, max_items=3)
    ids = [i.id for i in quiz.items]
    assert len(ids) == 3
    two_of_three = score_quiz(quiz=quiz, claims=claims, answers=_answers(quiz, dict(zip(ids, [True, True, False]))))
    assert two_of_three.verdicts[0].verified and two_of_three.verdicts[0].level == 3
    assert [w.item_id for w in two_of_three.wrong] == [ids[2]]
    one_of_three = score_quiz(quiz=quiz, claims=claims, answers=_answers(quiz, dict(zip(ids, [True, False, False]))))
    assert not one_of_three.verdicts[0].verified and one_of_three.verdicts[0].level == 2
    assert score_quiz(quiz=quiz, claims=claims, answers={}).verdicts[0].level == 2  # unanswered = wrong


def test_statement_below_the_claim_adjusts_to_it(kb, bank):
    claims = [Claim(skill_uri=SKILL_B, level=4)]
    quiz = generate_quiz(kb=kb, bank=bank, claims=claims, language="en", seed=0)
    item = quiz.items[0]
    lower = score_quiz(quiz=quiz, claims=claims, answers={item.id: 1})
    assert lower.verdicts[0].level == 2 and not lower.verdicts[0].verified
    same = score_quiz(quiz=quiz, claims=claims, answers={item.id: 3})
    assert same.verdicts[0].verified and same.verdicts[0].level == 4


def test_bank_rejects_bad_questions():
    with pytest.raises(ValueError):
        BankQuestion(
            id="x",
            skill_uri=SKILL_A,
            level=1,
            correct=0,
            texts={
                lang: {"question": "Question?", "options": ["a", "a", "b", "c"], "explanation": "because"}
                for lang in LANGS
            },
        )
    with pytest.raises(ValueError, match="missing languages"):
        BankQuestion(
            id="x",
            skill_uri=SKILL_A,
            level=1,
            correct=0,
            texts={"en": {"question": "Question?", "options": ["a", "b", "c", "d"], "explanation": "x y"}},
        )
