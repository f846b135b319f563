"""The journey's state: everything a session holds, as plain JSON-able values (persisted by the checkpointer)."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict


class Step(StrEnum):
    INTERESTS = "interests"
    EXPERIENCE = "experience"
    SKILLS = "skills"
    PROFICIENCY = "proficiency"
    QUIZ = "quiz"
    REPORT = "report"
    JOBS = "jobs"
    GAPS = "gaps"
    PATHWAY = "pathway"
    DONE = "done"


STEPS: tuple[Step, ...] = tuple(Step)


class PendingKind(StrEnum):
    CONFIRM_INTERESTS = "confirm_interests"
    CONFIRM_SKILLS = "confirm_skills"
    RATE_PROFICIENCY = "rate_proficiency"
    ANSWER_QUIZ = "answer_quiz"
    CHOOSE_JOB = "choose_job"
    CONFIRM_GAPS = "confirm_gaps"
    CONFIRM_PATHWAY = "confirm_pathway"


class JourneyState(TypedDict, total=False):
    input: dict[str, Any]  # the person's last input: {"text": ...} or {"action": {...}}
    action: dict[str, Any]  # the input as the step reads it: {"type": ..., ...}
    output: dict[str, Any]  # the turn the person receives (dialogue spec: step, language, messages, pending...)
    language: str
    step: str
    profile: dict[str, Any]  # LearnerProfile (confirmed only) + "pathway"
    proposal: dict[str, Any]  # what the current step proposes, before confirmation
    pending: dict[str, Any] | None  # the dialogue spec's pending: kind + options
    messages: list[str]  # this turn's assistant messages
    recent: list[list[str]]  # the last turns' messages (loop guard)
    misunderstood: int  # consecutive replies the step could not read
    goal: str  # what the person said they want, in their words (ranks the jobs that answer it higher)
    quiz_seed: int
    turn: int
    llm_tokens: int  # tokens spent on the optional model in this session (prompt + replies, tiktoken)
