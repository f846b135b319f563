"""Step 7: job profiles ranked by fit, with % match and satisfied / below-level / missing skills."""

from __future__ import annotations

from agent.context import Context
from agent.goal import wanted_part
from agent.state import JourneyState, PendingKind, Step
from agent.steps.common import Update, job_title, say
from agent.understanding import best_option, numbers_in
from domain.language_id import detect_language
from domain.models import LearnerProfile, SkillClaim
from tools.matching import Preferences, SkillStatus, rank_jobs
from vectorstore.retrieval import Result

SHOWN = 5
GOAL_JOBS = 10
UNGROUNDED = 0.5
# A wish names a job when it holds a third of the words of one of the titles found ("programmatore CNC" of the CNC
# machine operator's three, "inspector de calidad" of product quality inspector); less is a coincidence of one word
# ("dönüştürmek", to turn into, in a title of four: starch converting operator). Over the 33 wishes of the project's
# and the probe dialogues, those naming a job held a third or more, those naming none a quarter or less.
GOAL_COVERAGE = 0.33


def learner(state: JourneyState) -> LearnerProfile:
    profile = state.get("profile") or {}
    return LearnerProfile(
        interests=profile.get("interests", []),
        skills=[
            SkillClaim(
                skill_uri=c["skill_uri"], level=c.get("level"), source=c.get("source", "extracted"), confirmed=True
            )
            for c in profile.get("skills", [])
        ],
        completed_credentials=profile.get("completed_credentials", []),
    )


def goal_affinity(ctx: Context, state: JourneyState) -> dict[str, float]:
    """The job profiles nearest to what the stated goal wants (`wanted_part`), 1 for the nearest falling linearly
    to 0 at GOAL_JOBS; a job that is not `_grounded` counts half. When what the person wants names no job (grounds
    none, or holds less than GOAL_COVERAGE of every title found: "I'm trying to figure out my first job", "I want
    to make this my profession"), the whole message is searched instead."""
    goal = state.get("goal", "")
    if not goal:
        return {}
    lang = detect_language(goal) or state["language"]
    for text in dict.fromkeys((wanted_part(goal, lang), goal)):
        hits = ctx.retrieval.search_jobs(text, lang, k=GOAL_JOBS)
        if any(_grounded(hit) for hit in hits) and max(hit.coverage for hit in hits) >= GOAL_COVERAGE:
            break
    return {hit.id: (1 - n / GOAL_JOBS) * (1.0 if _grounded(hit) else UNGROUNDED) for n, hit in enumerate(hits)}


def _grounded(hit: Result) -> bool:
    """Found by both halves of the search, or the text names the job (holds every word of one of its titles)."""
    return (hit.vector > 0 and hit.lexical > 0) or hit.coverage >= 1.0


def enter(ctx: Context, state: JourneyState) -> Update:
    lang = state["language"]
    preferences = Preferences(goal_affinity=goal_affinity(ctx, state))
    matches = rank_jobs(kb=ctx.kb, profile=learner(state), preferences=preferences, limit=SHOWN)
    options, lines = [], []
    for rank, match in enumerate(matches, start=1):
        counts = {s: match.count(s) for s in SkillStatus}
        title = job_title(ctx, match.job_id, lang)
        options.append(
            {
                "id": match.job_id,
                "uri": match.occupation_uri,
                "label": title,
                "eqf": match.eqf,
                "match": match.match_percent,
                "skills": {
                    s.value: [r.skill_uri for r in match.requirements if r.status == s and r.essential]
                    for s in SkillStatus
                },
            }
        )
        lines.append(
            say(
                state,
                "job_line",
                rank=rank,
                title=title,
                eqf=match.eqf,
                match=round(match.match_percent),
                satisfied=counts[SkillStatus.SATISFIED],
                below=counts[SkillStatus.BELOW],
                missing=counts[SkillStatus.MISSING],
            )
        )
    return {
        "step": Step.JOBS.value,
        "proposal": {"jobs": [m.job_id for m in matches]},
        "pending": {"kind": PendingKind.CHOOSE_JOB.value, "options": options},
        "messages": [say(state, "propose_jobs"), *lines, say(state, "ask_choose_job")],
    }


def handle(ctx: Context, state: JourneyState, action: dict) -> Update | None:
    shown = (state.get("proposal") or {}).get("jobs", [])
    job_id = None
    if action["type"] == "choose_job":
        job_id = action.get("job_id")
    elif action["type"] == "text":
        numbers = numbers_in(action["text"])
        if len(numbers) == 1 and 1 <= numbers[0] <= len(shown):
            job_id = shown[numbers[0] - 1]
        else:
            options = [{"id": j, "label": job_title(ctx, j, state["language"])} for j in shown]
            match = best_option(action["text"], options)
            job_id = match["id"] if match else None
    if job_id not in ctx.kb.job_profiles:
        return None
    profile = dict(state.get("profile") or {}) | {"target_job": job_id, "pathway": None}
    from agent.steps import gaps

    entered = gaps.enter(ctx, state | {"profile": profile})
    return entered | {
        "profile": profile,
        "messages": [say(state, "job_chosen", title=job_title(ctx, job_id, state["language"])), *entered["messages"]],
    }
