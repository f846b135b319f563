"""Step 5: a short verification quiz; levels are marked verified or adjusted."""

from __future__ import annotations

import re

from agent.context import Context
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, say, skill_label
from domain.models import ClaimSource
from tools.quiz import Claim, Quiz, generate_quiz, score_quiz


def _claims(ctx: Context, state: JourneyState) -> list[Claim]:
    profile = state.get("profile") or {}
    area_skills = {u for a in profile.get("interests", []) for u in ctx.kb.interest_areas[a].skill_uris}
    return [
        Claim(skill_uri=c["skill_uri"], level=int(c["level"]), weight=2.0 if c["skill_uri"] in area_skills else 1.0)
        for c in profile.get("skills", [])
        if c.get("level")
    ]


def public_items(quiz: Quiz) -> list[dict]:
    """What the person sees: never the correct option."""
    return [
        {
            "id": i.id,
            "skill_uri": i.skill_uri,
            "kind": i.kind.value,
            "question": i.question,
            "options": i.options,
            **({"option_levels": i.option_levels} if i.option_levels else {}),
        }
        for i in quiz.items
    ]


def enter(ctx: Context, state: JourneyState) -> Update:
    seed = int(state.get("quiz_seed", 0)) + 1
    quiz = generate_quiz(kb=ctx.kb, bank=ctx.bank, claims=_claims(ctx, state), language=state["language"], seed=seed)
    return {
        "step": Step.QUIZ.value,
        "quiz_seed": seed,
        "proposal": {"quiz": quiz.model_dump(mode="json")},
        "pending": {"kind": PendingKind.ANSWER_QUIZ.value, "options": public_items(quiz)},
        "messages": [say(state, "ask_quiz", count=len(quiz.items))],
    }


def scripted_answers(quiz: Quiz, claims: list[Claim], *, right: bool) -> dict[str, int]:
    """Evaluators' shortcut (dialogue scripts' `answer_quiz: correct | wrong`): answers that confirm the claimed
    levels, or fail them. It only ever lets a person rate themselves, which they can do anyway."""
    claimed = {c.skill_uri: c.level for c in claims}
    answers = {}
    for item in quiz.items:
        if item.correct is not None:
            answers[item.id] = item.correct if right else (item.correct + 1) % len(item.options)
        else:
            answers[item.id] = claimed.get(item.skill_uri, 1) - 1 if right else 0
    return answers


def _answers_from_text(text: str, quiz: Quiz) -> dict[str, int]:
    """'A C B' or '1 3 2': one answer per question, in order."""
    picks = re.findall(r"\b([A-Da-d]|[1-4])\b", text)
    if len(picks) != len(quiz.items):
        return {}
    return {item.id: ("abcd".index(p.lower()) if p.isalpha() else int(p) - 1) for item, p in zip(quiz.items, picks)}


def _unanswered(quiz: Quiz, answers: dict[str, int]) -> list[int]:
    """The numbers (from 1) of the questions without an answer among their options."""
    return [n for n, item in enumerate(quiz.items, 1) if not 0 <= answers.get(item.id, -1) < len(item.options)]


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    quiz = Quiz.model_validate((state.get("proposal") or {}).get("quiz"))
    scripted = action["type"] == "answer_quiz" and action.get("answers") in ("correct", "wrong")
    if scripted:  # refused where turned off: then nothing is answered
        right = action["answers"] == "correct"
        answers = scripted_answers(quiz, _claims(ctx, state), right=right) if ctx.settings.scripted_quiz_answers else {}
    elif action["type"] == "answer_quiz":
        answers = {k: int(v) for k, v in (action.get("answers") or {}).items()}
    elif action["type"] == "text":
        answers = _answers_from_text(action["text"], quiz)
        if not answers:
            return None
    else:
        return None
    unanswered = _unanswered(quiz, answers)
    if unanswered:  # a partial or out-of-range submission is not a failed quiz: ask for the rest, keep the quiz
        return {"messages": [say(state, "quiz_unanswered", questions=", ".join(map(str, unanswered)))]}
    claims = _claims(ctx, state)
    result = score_quiz(quiz=quiz, claims=claims, answers=answers)
    lang = state["language"]
    verdicts = {v.skill_uri: v for v in result.verdicts}
    profile = dict(state.get("profile") or {})
    skills, lines = [], []
    for claim in profile.get("skills", []):
        verdict = verdicts.get(claim["skill_uri"])
        if verdict is None:
            skills.append(claim)
            continue
        source = ClaimSource.QUIZ_VERIFIED if verdict.verified else ClaimSource.QUIZ_ADJUSTED
        skills.append(claim | {"level": verdict.level, "source": source.value})
        label = skill_label(ctx, claim["skill_uri"], lang)
        lines.append(
            say(state, "quiz_result_verified", skill=label, level=verdict.level)
            if verdict.verified
            else say(state, "quiz_result_adjusted", skill=label, level=verdict.level, claimed=verdict.claimed)
        )
    items = {i.id: i for i in quiz.items}
    explanations = [
        say(state, "quiz_explanation", question=items[w.item_id].question, explanation=w.explanation)
        for w in result.wrong
        if w.explanation
    ]
    profile["skills"] = skills
    from agent.steps import report

    entered = report.enter(ctx, state | {"profile": profile})
    return entered | {"profile": profile, "proposal": {}, "messages": lines + explanations + entered["messages"]}
