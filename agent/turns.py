"""Reading a turn's input (language, intents, bad input) and writing its output (loop guard, progress)."""

from __future__ import annotations

import re
import unicodedata

from agent.actions import ACTIONS
from agent.assist import read_reply, turn_usage, word_messages
from agent.context import Context
from agent.state import STEPS, JourneyState, PendingKind, Step
from agent.steps import (
    done,
    experience,
    gaps,
    interests,
    jobs,
    pathway,
    proficiency,
    questions,
    quiz,
    report,
    skills,
)
from agent.steps.common import Update, localised_pending, profile_view, say, step_index
from agent.understanding import Intent, edits_in, intent_of, is_question, statement_of
from domain.language_id import in_unspoken_language, language_confidences
from domain.languages import LANGS
from domain.text import fold

MAX_MESSAGE_CHARS = 5_000
UNSAFE_NAME = re.compile(r"[^\w.\- ]+")  # a file name is only ever echoed: no separators, controls or bidi marks
# Messages that re-instruct the assistant or ask for other people's data (prompt injection), in the six languages,
# on folded text. Where text is content (interests, experience, skills) such a message is only read for skills, as
# a proposal; at every other step it is answered with `instruction_refused` and reaches neither a step nor the model.
CONTENT_STEPS = {Step.INTERESTS, Step.EXPERIENCE, Step.SKILLS}
STATED_STEPS = {Step.INTERESTS, Step.EXPERIENCE}  # where a message that also asks something is read for what it states
_VERBS = "ignore|disregard|forget|override|bypass|ignora|olvida|omite|oublie|contourne|dimentica|prezri|pozabi"
_QUALIFIERS = (
    "all|the|your|any|my|these|those|previous|prior|above|earlier|preceding|system|todas|las|los|tus|anteriores"
    "|previas|del|sistema|toutes|tous|les|tes|vos|precedentes|du|systeme|des|tutte|le|tue|precedenti|vsa|vse"
    "|prejsnja|prejsnje|svoja|sistemska"
)
_NOUNS = (
    "instructions?|prompts?|directives?|guidelines?|rules|instrucciones|reglas|indicaciones|directrices|consignes"
    "|regles|istruzioni|regole|indicazioni|direttive|navodil\\w*|pravil\\w*|ukaz\\w*"
)
_DATA = "profil|data|dato|donnee|dati|podatk|session|sesion|sej|oturum|conversa|pogovor|cv|record|detail|token|veri"
_PEOPLE = "user|people|person|learner|candidat|usuari|utilisat|utent|uporabnik|oseb|ljudi|kullanici|kisi|aday"
_OTHER = "other|another|all the|someone else|otr[oa]s|demas|d'autres|autres|altri|altre|altro|diger|baska"
INSTRUCTIONS = [
    re.compile(pattern)
    for pattern in (
        rf"\b(?:{_VERBS})\w*(?:\s+(?:{_QUALIFIERS}))*\s+(?:{_NOUNS})\b",
        r"\b(?:onceki|yukaridaki|tum|butun|sistem)\s+(?:talimat|kural|yonerge|komut)\w*\s+"
        r"(?:yok say|unut|gormezden gel|dikkate alma|atla)",
        r"\bsystem ?prompt|\byou are now\b|\b(?:developer|god|admin) mode\b|\bjailbreak",
        rf"\b(?:{_OTHER})(?:'s)?\s+(?:{_PEOPLE})\w*(?:'s|s')?\s+(?:{_DATA})",  # other users' profiles
        rf"\ball\s+(?:{_PEOPLE})\w*(?:'s|')\s+(?:{_DATA})",
        rf"\b(?:{_DATA})\w*\s+(?:of|de|d'|des|di|degli|delle)\s*(?:los |las |un |une )?(?:{_OTHER})\s+(?:{_PEOPLE})",
        rf"\b(?:{_DATA})\w*\s+(?:drugih|ostalih|vseh)\s+(?:{_PEOPLE})",
    )
]
_OPAQUE = re.compile(r"(?<![\w/.-])[A-Za-z0-9_-]{32,}(?![\w/.-])")  # a session id or token, not part of a URI
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
# Terminal escape sequences (colours, cursor moves, titles) pasted with a text: dropped whole, not just their ESC
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
SWITCH_CONFIDENCE = 0.75
SWITCH_MIN_WORDS = 3

MODULES = {
    Step.INTERESTS: interests,
    Step.EXPERIENCE: experience,
    Step.SKILLS: skills,
    Step.PROFICIENCY: proficiency,
    Step.QUIZ: quiz,
    Step.REPORT: report,
    Step.JOBS: jobs,
    Step.GAPS: gaps,
    Step.PATHWAY: pathway,
    Step.DONE: done,
}
ASK = {
    Step.INTERESTS: "ask_interests",
    Step.EXPERIENCE: "ask_experience",
    Step.SKILLS: "propose_skills",
    Step.PROFICIENCY: "ask_proficiency",
    Step.QUIZ: "ask_quiz",
    Step.REPORT: "report_next",
    Step.JOBS: "ask_choose_job",
    Step.GAPS: "ask_confirm_gaps",
    Step.PATHWAY: "ask_confirm_pathway",
    Step.DONE: "done",
}


def clean_text(text: str) -> str:
    """Drop terminal escape sequences and control characters (keep line breaks and tabs); normalise Unicode."""
    text = unicodedata.normalize("NFC", _ANSI.sub("", text))
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()


def instructs_assistant(text: str) -> bool:
    """Whether a message tries to re-instruct the assistant or reach other people's data."""
    folded = fold(text.replace("\u2019", "'"))
    if any(pattern.search(folded) for pattern in INSTRUCTIONS):
        return True
    return any(  # a word has no digits, dashes or inner capitals; an identifier does
        re.search(r"[\d_-]|.[A-Z]", m.group()) and not _UUID.fullmatch(m.group()) for m in _OPAQUE.finditer(text)
    )


def detect_switch(text: str, current: str) -> str | None:
    if len(text.split()) < SWITCH_MIN_WORDS:
        return None
    confidences = language_confidences(text)
    best = max(confidences, key=confidences.get, default=None)
    if best and best != current and confidences[best] >= SWITCH_CONFIDENCE:
        # German read as English must not switch a Spanish session to English: the session keeps its language
        return None if in_unspoken_language(text, confidence=SWITCH_CONFIDENCE) else best
    return None


def read_input(ctx: Context, state: JourneyState) -> Update:
    """Normalise the input into an action; handle language, bad input and the journey-wide intents."""
    raw = state.get("input") or {}
    update: Update = {"messages": [], "turn": int(state.get("turn", 0)) + 1}
    language = state.get("language") or ctx.settings.default_language
    if raw.get("start"):
        language = raw.get("language") if raw.get("language") in LANGS else language
        update |= {
            "language": language,
            "step": Step.INTERESTS.value,
            "profile": {},
            "proposal": {},
            "misunderstood": 0,
        }
        return update | {"action": {"type": "start"}}
    if isinstance(raw.get("action"), dict):
        action = dict(raw["action"])
        if action.get("type") not in ACTIONS:
            action = {"type": "invalid"}
        if action["type"] == "upload":  # every entry point (API, terminal, in process) names files the same way
            action["name"] = UNSAFE_NAME.sub("_", str(action.get("name") or ""))[:120] or "file"
        if raw.get("language") in LANGS:
            update["language"] = raw["language"]
        return update | {"action": action}
    text = str(raw.get("text") or "")
    if len(text) > 4 * MAX_MESSAGE_CHARS:  # far over the limit whatever it holds: not worth cleaning (20 MB)
        return update | {"action": {"type": "invalid", "reason": "message_too_long"}}
    text = clean_text(text)
    if not text:
        return update | {"action": {"type": "invalid", "reason": "message_empty"}}
    if len(text) > MAX_MESSAGE_CHARS:
        return update | {"action": {"type": "invalid", "reason": "message_too_long"}}
    step = Step(state.get("step", Step.INTERESTS.value))
    if instructs_assistant(text):
        if step in CONTENT_STEPS:  # never read as a reply, a question or an edit (by rules or model): only extracted
            return update | {"action": {"type": "text", "text": text, "untrusted": True}}
        return update | {"action": {"type": "invalid", "reason": "instruction_refused"}}
    switched = detect_switch(text, language)
    if switched:
        update["language"] = switched
        if int(state.get("turn", 0)) > 1:
            update["messages"] = [say({"language": switched}, "language_switched")]
    language = update.get("language", language)
    intent = intent_of(text, language)
    if intent in (Intent.CONFIRM, Intent.ALL):
        action = {"type": "confirm"}
    elif intent == Intent.REJECT:
        action = {"type": "reject"}
    elif intent in (Intent.NEXT, Intent.BACK, Intent.HELP):
        action = {"type": intent.value}
    elif is_question(text, language):
        # where a step reads content, what the message states goes to the step (its question is answered only
        # when the step cannot read the statement): "I run a CNC lathe and want to work in quality, any advice?"
        statement = statement_of(text, language) if step in STATED_STEPS else ""
        action = (
            {"type": "text", "text": text, "statement": statement} if statement else {"type": "question", "text": text}
        )
    else:
        removes, adds = edits_in(text, no_removes=step == Step.SKILLS)
        action = (
            {"type": "edit", "remove": removes, "add": adds}
            if (removes or adds) and step in (Step.INTERESTS, Step.SKILLS)
            else {"type": "text", "text": text}
        )
        if action["type"] == "edit" and step == Step.INTERESTS:
            action["type"] = "confirm"
    return update | {"action": action}


def restate(ctx: Context, state: JourneyState) -> list[str]:
    step = Step(state["step"])
    if step == Step.QUIZ:
        return [say(state, "ask_quiz", count=len((state.get("pending") or {}).get("options", [])))]
    if step == Step.INTERESTS and not state.get("pending"):
        return [say(state, "ask_interests")]
    return [say(state, ASK[step])]


def previous_step(ctx: Context, state: JourneyState) -> Update:
    step = Step(state["step"])
    if step == Step.INTERESTS:
        return {"messages": [say(state, "cannot_go_back"), *restate(ctx, state)]}
    target = STEPS[STEPS.index(step) - 1]
    if target == Step.SKILLS:
        confirmed = [c["skill_uri"] for c in (state.get("profile") or {}).get("skills", [])]
        state = state | {"proposal": {"skills": confirmed}}
    if target == Step.INTERESTS:
        state = state | {"proposal": {"interests": (state.get("profile") or {}).get("interests", [])}}
    entered = MODULES[target].enter(ctx, state)
    return (
        {"proposal": state.get("proposal", {})}
        | entered
        | {"messages": [say(state, "went_back"), *entered["messages"]]}
    )


def journey_wide(ctx: Context, state: JourneyState) -> Update:
    """Actions every step accepts the same way (JOURNEY_WIDE)."""
    action = state["action"]
    kind = action["type"]
    if kind == "start":
        return interests.propose(ctx, state, [], everything=True) | {
            "messages": [say(state, "welcome"), say(state, "ask_interests")]
        }
    if kind == "invalid":
        reason = action.get("reason", "not_understood")
        values = {"limit": MAX_MESSAGE_CHARS} if reason == "message_too_long" else {}
        return {"messages": [say(state, reason, **values), *restate(ctx, state)]}
    if kind == "help":
        return {"messages": [say(state, "help"), *restate(ctx, state)]}
    if kind == "restate":
        return {"messages": restate(ctx, state)}
    if kind == "back":
        return previous_step(ctx, state)
    if kind == "question":
        return {
            "messages": [
                *questions.answer(ctx, state, action["text"]),
                say(state, "back_to_step"),
                *restate(ctx, state),
            ]
        }
    if kind == "upload":
        return experience.from_upload(ctx, state, action)
    return done.complete_credential(ctx, state, str(action.get("credential_id", "")))


JOURNEY_WIDE = {"start", "invalid", "help", "restate", "back", "question", "upload", "complete_credential"}


def route(state: JourneyState) -> str:
    """The node that reads this action: the journey-wide handler, or the current step."""
    return "journey" if state["action"]["type"] in JOURNEY_WIDE else state["step"]


def run_journey_wide(ctx: Context, state: JourneyState) -> Update:
    with turn_usage() as usage:
        handled = journey_wide(ctx, state)
    return (
        handled
        | _spent(state, usage)
        | {"misunderstood": 0, "messages": [*state.get("messages", []), *handled.get("messages", [])]}
    )


def run_step(ctx: Context, state: JourneyState, step: Step) -> Update:
    with turn_usage() as usage:
        handled = MODULES[step].handle(ctx, state, state["action"])
        if handled is None and state["action"]["type"] == "text" and not state["action"].get("untrusted"):
            handled = _read_with_model(ctx, state, step)
        if handled is None and state["action"].get("statement"):
            handled = journey_wide(ctx, state | {"action": {"type": "question", "text": state["action"]["text"]}})
    if handled is not None:
        handled = handled | _spent(state, usage)
    if handled is None:
        misunderstood = int(state.get("misunderstood", 0)) + 1
        messages = [say(state, "not_understood"), *restate(ctx, state)]
        if misunderstood >= 2:
            messages.append(say(state, "offer_choices", choices=_choices(state)))
        return {"misunderstood": misunderstood, "messages": [*state.get("messages", []), *messages]}
    return handled | {"misunderstood": 0, "messages": [*state.get("messages", []), *handled.get("messages", [])]}


def _read_with_model(ctx: Context, state: JourneyState, step: Step) -> Update | None:
    """A reply the rules could not read, read by the model when there is one (its action is then handled as
    if the person had pressed that button)."""
    action = read_reply(ctx, state, state["action"]["text"])
    if action is None:
        return None
    state = state | {"action": action}
    return journey_wide(ctx, state) if action["type"] in JOURNEY_WIDE else MODULES[step].handle(ctx, state, action)


def _spent(state: JourneyState, usage) -> Update:
    return {"llm_tokens": int(state.get("llm_tokens", 0)) + usage.tokens} if usage.calls else {}


# The replies a step reads besides its options' labels (a quiz's options are questions: none of them listed).
_REPLIES = {
    PendingKind.RATE_PROFICIENCY.value: ("choice_levels", "choice_back", "choice_help"),
    PendingKind.ANSWER_QUIZ.value: ("choice_quiz", "choice_back", "choice_help"),
}
_DEFAULT_REPLIES = ("choice_confirm", "choice_reject", "choice_back", "choice_help")


def _choices(state: JourneyState) -> str:
    pending = state.get("pending") or {}
    kind = pending.get("kind")
    listed = [] if kind == PendingKind.ANSWER_QUIZ.value else pending.get("options", [])
    options = [o.get("label", o.get("id")) for o in listed][:6]
    options += [say(state, key) for key in _REPLIES.get(kind, _DEFAULT_REPLIES)]
    return " · ".join(str(o) for o in options)


def write_output(ctx: Context, state: JourneyState) -> Update:
    """The dialogue-spec turn, after the loop guard: never the same messages three turns in a row."""
    messages = list(state.get("messages") or [])
    recent = list(state.get("recent") or [])[-2:]
    with turn_usage() as usage:
        messages = word_messages(ctx, state, messages)
    if len(recent) == 2 and recent[0] == recent[1] == messages:
        messages.append(say(state, "offer_choices", choices=_choices(state)))
    step = Step(state["step"])
    output = {
        "step": step.value,
        "language": state["language"],
        "messages": messages,
        "pending": localised_pending(ctx, state),
        "profile": profile_view(ctx, state),
        "progress": {"current": step_index(step), "total": len(STEPS), "name": say(state, f"step_{step.value}")},
    }
    return {"output": output, "messages": messages, "recent": [*recent, messages][-3:]} | _spent(state, usage)
