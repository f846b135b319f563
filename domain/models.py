"""Pydantic models shared by every layer.

Ids are language-neutral (ESCO URIs, ISCO codes, EQF levels); labels are kept per language.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from domain.languages import Lang

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
ESCO_OCCUPATION_PREFIX = "http://data.europa.eu/esco/occupation/"


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LabelSource(StrEnum):
    ESCO = "esco"
    CURATED = "curated"


class Label(Frozen):
    text: str = Field(min_length=1)
    source: LabelSource = LabelSource.ESCO


class SkillType(StrEnum):
    SKILL = "skill/competence"
    KNOWLEDGE = "knowledge"


class Skill(Frozen):
    uri: str
    type: SkillType
    reuse_level: str = ""
    labels: dict[Lang, Label]
    alt_labels: dict[Lang, tuple[str, ...]] = {}
    description: str = ""
    groups: tuple[str, ...] = ()
    collections: tuple[str, ...] = ()

    @field_validator("uri")
    @classmethod
    def _esco_uri(cls, uri: str) -> str:
        if not uri.startswith(ESCO_SKILL_PREFIX):
            raise ValueError(f"not an ESCO skill URI: {uri!r}")
        return uri

    @field_validator("labels")
    @classmethod
    def _english_required(cls, labels: dict[Lang, Label]) -> dict[Lang, Label]:
        if "en" not in labels:
            raise ValueError("a skill needs an English preferred label")
        return labels

    def label(self, lang: Lang) -> str:
        return self.labels.get(lang, self.labels["en"]).text

    def has_label(self, lang: Lang) -> bool:
        return lang in self.labels


class SkillGroup(Frozen):
    uri: str
    labels: dict[Lang, Label]


class Level(IntEnum):
    BEGINNER = 1
    INTERMEDIATE = 2
    ADVANCED = 3
    EXPERT = 4


class ProficiencyLevel(Frozen):
    level: Level
    names: dict[Lang, str]
    descriptors: dict[Lang, str]


class ClaimSource(StrEnum):
    SELF_ASSESSED = "self-assessed"
    EXTRACTED = "extracted"
    QUIZ_VERIFIED = "quiz-verified"
    QUIZ_ADJUSTED = "quiz-adjusted"
    CREDENTIAL = "credential"


class Evidence(Frozen):
    text: str
    origin: str = "message"  # message | file name | credential id


class SkillClaim(BaseModel):
    model_config = ConfigDict(extra="forbid")

    skill_uri: str
    level: Level | None = None
    source: ClaimSource = ClaimSource.EXTRACTED
    evidence: list[Evidence] = []
    confirmed: bool = False


class Requirement(Frozen):
    skill_uri: str
    essential: bool
    min_level: Level


class Occupation(Frozen):
    uri: str
    isco_code: str
    labels: dict[Lang, Label]
    alt_labels: dict[Lang, tuple[str, ...]] = {}
    description: str = ""


class JobProfile(Frozen):
    """An LCAMP job profile derived from one ESCO occupation (see data/README.md for the rules)."""

    id: str
    occupation_uri: str
    isco_code: str
    titles: dict[Lang, Label]
    alt_titles: dict[Lang, tuple[str, ...]] = {}
    description: str
    eqf: int = Field(ge=3, le=6)
    sectors: tuple[str, ...]
    responsibilities: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    successors: tuple[str, ...] = ()

    def title(self, lang: Lang) -> str:
        return self.titles.get(lang, self.titles["en"]).text

    @property
    def essential(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.essential)


class InterestArea(Frozen):
    id: str
    names: dict[Lang, str]
    descriptions: dict[Lang, str]
    examples: dict[Lang, tuple[str, ...]]
    skill_uris: tuple[str, ...]
    skill_group_uris: tuple[str, ...] = ()
    occupation_uris: tuple[str, ...]


class Mode(StrEnum):
    ONLINE = "online"
    HYBRID = "hybrid"
    IN_PERSON = "in-person"


class SkillOutcome(Frozen):
    skill_uri: str
    level: Level


class Stackability(Frozen):
    qualification: str
    eqf: int = Field(ge=1, le=8)


class MicroCredential(Frozen):
    """European Learning Model fields of a micro-credential (catalogue in data/catalogue)."""

    id: str
    titles: dict[Lang, str]
    summaries: dict[Lang, str] = {}
    provider: str
    country: str = Field(min_length=2, max_length=2)
    city: str = ""
    languages: tuple[Lang, ...]
    mode: Mode
    eqf: int = Field(ge=1, le=8)
    ects: float = Field(ge=0, le=60)
    workload_hours: int = Field(ge=0)
    duration_weeks: int = Field(ge=0, default=0)
    learning_outcomes: tuple[str, ...] = ()
    skills: tuple[SkillOutcome, ...]
    prerequisites: tuple[SkillOutcome, ...] = ()
    assessment: str = ""
    quality_assurance: str = ""
    stackable_toward: Stackability | None = None
    price_eur: float | None = Field(default=None, ge=0)
    url: str = ""
    illustrative: bool = True


class LearnerProfile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    interests: list[str] = []
    skills: list[SkillClaim] = []
    target_job: str | None = None
    eqf: int | None = Field(default=None, ge=1, le=8)
    completed_credentials: list[str] = []

    def level_of(self, skill_uri: str) -> Level | None:
        for claim in self.skills:
            if claim.skill_uri == skill_uri and claim.confirmed:
                return claim.level
        return None


class Gap(Frozen):
    skill_uri: str
    essential: bool
    required_level: Level
    current_level: Level | None
    current_source: ClaimSource | None = None

    @property
    def delta(self) -> int:
        return self.required_level - (self.current_level or 0)


class PathwayStep(Frozen):
    credential_id: str
    closes: tuple[str, ...]  # the gaps it closes (reaches the required level)
    prepares: tuple[str, ...] = ()  # the later steps (credential ids) whose prerequisites it teaches
    raises: tuple[str, ...] = ()  # the gaps it narrows without closing
    cumulative_ects: float
    cumulative_hours: int
    alternatives: tuple[str, ...] = ()


class Pathway(Frozen):
    job_id: str
    steps: tuple[PathwayStep, ...]
    uncovered: tuple[str, ...] = ()
    match_before: float = Field(ge=0, le=100)
    match_after: float = Field(ge=0, le=100)
