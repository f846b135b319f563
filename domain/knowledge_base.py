"""The committed knowledge base: model, loader and integrity check."""

from __future__ import annotations

import gzip
import time
from collections import Counter
from functools import cached_property
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from domain.languages import LANGS, Lang
from domain.models import InterestArea, JobProfile, ProficiencyLevel, Skill, SkillGroup

KB_FORMAT = 1


class KnowledgeBaseError(ValueError):
    """The knowledge base file is missing, unreadable or inconsistent."""


class KnowledgeBase(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    format: int = KB_FORMAT
    esco_version: str
    built_from: str
    attribution: str
    skills: dict[str, Skill]
    skill_groups: dict[str, SkillGroup]
    job_profiles: dict[str, JobProfile]
    interest_areas: dict[str, InterestArea]
    proficiency_levels: tuple[ProficiencyLevel, ...] = Field(min_length=4, max_length=4)

    @cached_property
    def profiles_by_occupation(self) -> dict[str, JobProfile]:
        return {p.occupation_uri: p for p in self.job_profiles.values()}

    @cached_property
    def skill_usage(self) -> Counter:
        """How many job profiles require each skill."""
        return Counter(r.skill_uri for p in self.job_profiles.values() for r in p.requirements)

    @cached_property
    def requirements_by_skill(self) -> dict[str, tuple[tuple[str, int], ...]]:
        """Skill URI -> (job profile id, position in its requirements) of every requirement naming it."""
        postings: dict[str, list[tuple[str, int]]] = {}
        for profile in self.job_profiles.values():
            for position, requirement in enumerate(profile.requirements):
                postings.setdefault(requirement.skill_uri, []).append((profile.id, position))
        return {uri: tuple(found) for uri, found in postings.items()}

    @cached_property
    def requirement_counts(self) -> dict[str, tuple[int, int]]:
        """Job profile id -> (essential, optional) requirement counts."""
        return {pid: (len(p.essential), len(p.requirements) - len(p.essential)) for pid, p in self.job_profiles.items()}

    def skill_label(self, uri: str, lang: Lang) -> str:
        return self.skills[uri].label(lang)

    def integrity_errors(self) -> list[str]:
        """Every broken reference, each naming the record that holds it."""
        errors: list[str] = []
        for key, skill in self.skills.items():
            if key != skill.uri:
                errors.append(f"skill {key}: key differs from its uri {skill.uri}")
            errors += [f"skill {key}: unknown group {g}" for g in skill.groups if g not in self.skill_groups]
        for pid, profile in self.job_profiles.items():
            if pid != profile.id:
                errors.append(f"job profile {pid}: key differs from its id {profile.id}")
            errors += [
                f"job profile {pid}: unknown skill {r.skill_uri}"
                for r in profile.requirements
                if r.skill_uri not in self.skills
            ]
            errors += [
                f"job profile {pid}: unknown successor {s}" for s in profile.successors if s not in self.job_profiles
            ]
            if not profile.essential:
                errors.append(f"job profile {pid}: no essential skill")
        for aid, area in self.interest_areas.items():
            errors += [f"interest area {aid}: unknown skill {u}" for u in area.skill_uris if u not in self.skills]
            errors += [
                f"interest area {aid}: unknown skill group {u}"
                for u in area.skill_group_uris
                if u not in self.skill_groups
            ]
            errors += [
                f"interest area {aid}: unknown occupation {u}"
                for u in area.occupation_uris
                if u not in self.profiles_by_occupation
            ]
            errors += [f"interest area {aid}: no name in {lang}" for lang in LANGS if not area.names.get(lang)]
        return errors

    def stats(self) -> dict:
        profiles = self.job_profiles.values()
        return {
            "esco_version": self.esco_version,
            "job_profiles": len(self.job_profiles),
            "profiles_per_eqf": {str(k): v for k, v in sorted(Counter(p.eqf for p in profiles).items())},
            "profiles_per_sector": dict(Counter(s for p in profiles for s in p.sectors).most_common()),
            "profiles_with_successors": sum(1 for p in profiles if p.successors),
            "skills": len(self.skills),
            "skill_labels_per_language": {
                lang: sum(1 for s in self.skills.values() if s.has_label(lang)) for lang in LANGS
            },
            "job_titles_per_language": {lang: sum(1 for p in profiles if lang in p.titles) for lang in LANGS},
            "skill_groups": len(self.skill_groups),
            "interest_areas": len(self.interest_areas),
        }


def read_knowledge_base(path: Path) -> KnowledgeBase:
    """Load and validate; raise KnowledgeBaseError naming the bad record."""
    if not path.is_file():
        raise KnowledgeBaseError(f"knowledge base not found at {path} (run `pathways kb build`)")
    try:
        with gzip.open(path, "rb") as fh:
            raw = fh.read()
        kb = KnowledgeBase.model_validate_json(raw)
    except (OSError, EOFError) as exc:
        raise KnowledgeBaseError(f"cannot read knowledge base {path}: {exc}") from exc
    except ValueError as exc:  # pydantic.ValidationError names the failing record's location
        raise KnowledgeBaseError(f"invalid knowledge base {path}: {exc}") from exc
    if kb.format != KB_FORMAT:
        raise KnowledgeBaseError(f"knowledge base {path} has format {kb.format}, this code reads {KB_FORMAT}")
    errors = kb.integrity_errors()
    if errors:
        shown = "\n  ".join(errors[:20])
        raise KnowledgeBaseError(f"knowledge base {path} has {len(errors)} broken reference(s):\n  {shown}")
    return kb


class TimedLoad(BaseModel):
    kb: KnowledgeBase
    seconds: float


def load_timed(path: Path) -> TimedLoad:
    start = time.perf_counter()
    kb = read_knowledge_base(path)
    return TimedLoad(kb=kb, seconds=time.perf_counter() - start)


_cache: dict[Path, KnowledgeBase] = {}


def get_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """The process-wide knowledge base (loaded once)."""
    if path is None:
        from domain.settings import get_settings

        path = get_settings().kb_path
    if path not in _cache:
        _cache[path] = read_knowledge_base(path)
    return _cache[path]
