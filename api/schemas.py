"""Request and response bodies of the HTTP API (what the OpenAPI schema documents)."""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from agent.actions import BUTTON_ACTIONS

Lang = Literal["en", "es", "fr", "it", "tr", "sl"]
T = TypeVar("T")
# What an action names (an option id, an ESCO URI or an English label) and the numbers it carries are bounded:
# the action is stored with the session, and a number past 64 bits cannot be.
Name = Annotated[str, Field(min_length=1, max_length=300)]
Level = Annotated[int, Field(ge=1, le=4)]
Choice = Annotated[int, Field(ge=0, le=25)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Turn(BaseModel):
    """One turn of the dialogue (../shared/specs/dialogue-scripts.md) plus the progress indicator."""

    step: str
    language: Lang
    messages: list[str]
    pending: dict[str, Any] | None
    profile: dict[str, Any]
    progress: dict[str, Any]


class NewSession(Strict):
    language: Lang | None = None


class SessionCreated(BaseModel):
    session_id: str
    token: str = Field(description="Send as `Authorization: Bearer <token>` on every call about this session.")
    turn: Turn


class SessionView(BaseModel):
    session_id: str
    turn: Turn


class TurnReply(BaseModel):
    turn: Turn


class Message(Strict):
    text: str = Field(min_length=1, max_length=20_000)


class Action(Strict):
    """What the widget's buttons send; the fields a type does not use are ignored."""

    type: Literal[BUTTON_ACTIONS]
    keep: list[Name] | None = Field(None, max_length=200)
    remove: list[Name] | None = Field(None, max_length=200)
    add: list[Name] | None = Field(None, max_length=50)
    default: Level | None = None
    levels: dict[Name, Level] | None = Field(None, max_length=200)
    answers: Annotated[dict[Name, Choice], Field(max_length=50)] | Literal["correct", "wrong"] | None = Field(
        None,
        description="Option index per question id; `correct`/`wrong` answer every question so as to confirm or "
        "fail the claimed levels (dialogue scripts; refused when PATHWAYS_SCRIPTED_QUIZ_ANSWERS=false).",
    )
    job_id: Name | None = None
    credential_id: Name | None = None


class ActionRequest(Strict):
    action: Action
    language: Lang | None = Field(None, description="Switch the session to this language (with `restate`).")


class SkillHit(BaseModel):
    uri: str
    label: str
    score: float


class JobHit(BaseModel):
    id: str
    uri: str
    label: str
    eqf: int
    score: float


class CredentialHit(BaseModel):
    id: str
    label: str
    eqf: int
    ects: float
    hours: int
    mode: str
    country: str
    languages: list[str]
    illustrative: bool
    score: float


class Results(BaseModel, Generic[T]):
    results: list[T]


class RequiredSkill(BaseModel):
    uri: str
    label: str
    essential: bool
    level: int


class JobDetail(BaseModel):
    id: str
    uri: str
    label: str
    description: str
    description_language: Lang = Field(
        description="The language of `description`: the knowledge base holds ESCO's English descriptions only, so a "
        "client showing the job in another language can say so or leave it out."
    )
    eqf: int
    sectors: list[str]
    skills: list[RequiredSkill]
    career_path: list[JobHit] = Field(description="The job profiles this one leads to (score 1).")


class Health(BaseModel):
    status: str
