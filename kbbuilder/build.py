"""`pathways kb build`: ESCO export + curated files -> data/kb/knowledge_base.json.gz."""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import re
import unicodedata
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from domain.knowledge_base import KnowledgeBase
from domain.languages import CURATED_LANGS, ESCO_LANGS
from domain.models import (
    InterestArea,
    JobProfile,
    Label,
    LabelSource,
    Level,
    ProficiencyLevel,
    Requirement,
    Skill,
    SkillGroup,
    SkillType,
)
from kbbuilder import rules
from kbbuilder.curated import read_curated_labels, read_yaml, require_all_languages
from kbbuilder.esco import EscoConcept, EscoExport, read_export

log = logging.getLogger(__name__)

ATTRIBUTION = "This service uses the ESCO classification of the European Commission."
ESCO_VERSION = "1.1.1"
MAX_RESPONSIBILITIES = 8
MAX_AREA_SKILLS = 60


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _labels(concept: EscoConcept, curated: dict[str, dict], kind: str) -> dict[str, Label]:
    labels = {"en": Label(text=concept.label_en)}
    for lang in ESCO_LANGS[1:]:
        if concept.labels.get(lang):
            labels[lang] = Label(text=concept.labels[lang])
    for lang in CURATED_LANGS:
        entry = curated[lang].get(concept.uri)
        if entry is None:
            continue
        if entry.english != concept.label_en:
            log.warning(
                "stale curated %s label (%s) for %s: %r is now %r",
                kind,
                lang,
                concept.uri,
                entry.english,
                concept.label_en,
            )
        labels[lang] = Label(text=entry.label, source=LabelSource.CURATED)
    return labels


def _alt_labels(concept: EscoConcept, curated: dict[str, dict]) -> dict[str, tuple[str, ...]]:
    alts = {"en": tuple(a for a in concept.alt_en if a != concept.label_en)}
    alts.update({lang: a for lang, a in concept.alts.items() if a})
    alts.update({lang: curated[lang][concept.uri].alts for lang in CURATED_LANGS if concept.uri in curated[lang]})
    return {lang: a for lang, a in alts.items() if a}


def _requirements(export: EscoExport) -> dict[str, dict[str, bool]]:
    """occupation -> skill -> essential (essential wins over optional)."""
    out: dict[str, dict[str, bool]] = {}
    for occ, relation, skill in export.relations:
        if skill in export.skills:
            reqs = out.setdefault(occ, {})
            reqs[skill] = reqs.get(skill, False) or relation == "essential"
    return out


_REUSE_ORDER = {"occupation-specific": 0, "sector-specific": 1, "cross-sector": 2, "transversal": 3}


def _job_profiles(export: EscoExport, curated_dir: Path) -> list[JobProfile]:
    curated = read_curated_labels(curated_dir, "jobs")
    requirements = _requirements(export)
    transversal = export.collections["transversal"]
    chosen = [o for o in export.occupations.values() if rules.is_am_isco(o.kind) and requirements.get(o.uri)]
    ids: dict[str, str] = {}
    profiles = []
    for occ in tqdm(sorted(chosen, key=lambda o: o.uri), desc="job profiles", unit="profile"):
        pid = slugify(occ.label_en)
        if pid in ids.values():
            pid = f"{pid}-{occ.uri.rsplit('/', 1)[-1][:8]}"
        ids[occ.uri] = pid
        eqf = rules.derive_eqf(occ.kind, occ.label_en)
        reqs = tuple(
            Requirement(
                skill_uri=uri,
                essential=essential,
                min_level=Level(
                    rules.derive_min_level(
                        eqf=eqf,
                        essential=essential,
                        reuse_level=export.skills[uri].reuse_level,
                        transversal=uri in transversal,
                    )
                ),
            )
            for uri, essential in sorted(requirements[occ.uri].items(), key=lambda kv: (not kv[1], kv[0]))
        )
        competences = sorted(
            (r.skill_uri for r in reqs if r.essential and export.skills[r.skill_uri].kind == SkillType.SKILL),
            key=lambda u: (_REUSE_ORDER.get(export.skills[u].reuse_level, 4), export.skills[u].label_en),
        )
        profiles.append(
            JobProfile(
                id=pid,
                occupation_uri=occ.uri,
                isco_code=occ.kind,
                titles=_labels(occ, curated, "job"),
                alt_titles=_alt_labels(occ, curated),
                description=occ.description,
                eqf=eqf,
                sectors=rules.derive_sectors([occ.label_en, *occ.alt_en], occ.description),
                responsibilities=tuple(competences[:MAX_RESPONSIBILITIES]),
                requirements=reqs,
            )
        )
    return _with_successors(profiles, export)


def _with_successors(profiles: list[JobProfile], export: EscoExport) -> list[JobProfile]:
    by_uri = {p.occupation_uri: p for p in profiles}
    essential = {p.id: {r.skill_uri for r in p.essential} for p in profiles}
    specific = {p.id: set(p.sectors) - {rules.GENERAL_SECTOR} for p in profiles}
    out = []
    for p in tqdm(profiles, desc="career paths", unit="profile"):
        broader = {by_uri[b].id for b in export.occupation_broader.get(p.occupation_uri, []) if b in by_uri}
        scored = []
        for q in profiles:
            if not p.eqf < q.eqf <= p.eqf + 2:
                continue
            score = rules.successor_score(essential[p.id], essential[q.id], len(specific[p.id] & specific[q.id]))
            if q.id in broader or (
                rules.in_career_family(p.isco_code, q.isco_code) and score >= rules.MIN_SUCCESSOR_SIMILARITY
            ):
                scored.append((q.id not in broader, -score, q.eqf, q.id))
        successors = tuple(s[-1] for s in sorted(scored)[: rules.MAX_SUCCESSORS])
        out.append(p.model_copy(update={"successors": successors}))
    return out


def _skills(export: EscoExport, curated_dir: Path) -> dict[str, Skill]:
    curated = read_curated_labels(curated_dir, "skills")
    # The whole ESCO skill pillar: a person may name any skill, and extraction is scored against all of it.
    wanted = set(export.skills)
    member_of = {uri: tuple(sorted(n for n, m in export.collections.items() if uri in m)) for uri in wanted}
    skills = {}
    for uri in sorted(wanted):
        concept = export.skills[uri]
        skills[uri] = Skill(
            uri=uri,
            type=SkillType(concept.kind) if concept.kind in ("knowledge", "skill/competence") else SkillType.SKILL,
            reuse_level=concept.reuse_level,
            labels=_labels(concept, curated, "skill"),
            alt_labels=_alt_labels(concept, curated),
            description=concept.description,
            groups=tuple(sorted(g for g in export.skill_broader.get(uri, []) if g in export.skill_groups)),
            collections=member_of[uri],
        )
    return skills


def _skill_groups(export: EscoExport, skills: dict[str, Skill]) -> dict[str, SkillGroup]:
    used = {g for s in skills.values() for g in s.groups}
    groups = {}
    for uri in sorted(used):
        concept = export.skill_groups[uri]
        labels = {"en": Label(text=concept.label_en)}
        labels.update({lang: Label(text=t) for lang, t in concept.labels.items() if t})
        groups[uri] = SkillGroup(uri=uri, labels=labels)
    return groups


def _interest_areas(
    path: Path, skills: dict[str, Skill], groups: dict[str, SkillGroup], profiles: list[JobProfile]
) -> dict[str, InterestArea]:
    usage = Counter(r.skill_uri for p in profiles for r in p.requirements)
    areas = {}
    for record in read_yaml(path):
        where = f"{path.name}: area {record.get('id')!r}"
        skill_re = rules.keyword_pattern(record["skill_keywords"])
        occ_re = rules.keyword_pattern(record["occupation_keywords"])
        matched = [
            u
            for u, s in skills.items()
            if any(skill_re.search(t.lower()) for t in (s.label("en"), *s.alt_labels.get("en", ())))
        ]
        matched.sort(key=lambda u: (-usage[u], u))
        group_uris = tuple(sorted(u for u, g in groups.items() if skill_re.search(g.labels["en"].text.lower())))
        occupations = tuple(
            sorted(
                p.occupation_uri
                for p in profiles
                if any(occ_re.search(t.lower()) for t in (p.title("en"), *p.alt_titles.get("en", ())))
            )
        )
        if not matched or not occupations:
            raise ValueError(f"{where}: its keywords match no skill or no job profile")
        areas[record["id"]] = InterestArea(
            id=record["id"],
            names=require_all_languages(record, "names", where),
            descriptions=require_all_languages(record, "descriptions", where),
            examples={k: tuple(v) for k, v in require_all_languages(record, "examples", where).items()},
            skill_uris=tuple(matched[:MAX_AREA_SKILLS]),
            skill_group_uris=group_uris,
            occupation_uris=occupations,
        )
    return areas


def _proficiency_levels(path: Path) -> tuple[ProficiencyLevel, ...]:
    levels = []
    for record in read_yaml(path):
        where = f"{path.name}: level {record.get('level')}"
        levels.append(
            ProficiencyLevel(
                level=Level(record["level"]),
                names=require_all_languages(record, "names", where),
                descriptors=require_all_languages(record, "descriptors", where),
            )
        )
    return tuple(sorted(levels, key=lambda lv: lv.level))


def build_knowledge_base(*, esco_dir: Path, curated_dir: Path) -> KnowledgeBase:
    log.info("reading ESCO export from %s", esco_dir)
    export = read_export(esco_dir)
    profiles = _job_profiles(export, curated_dir)
    skills = _skills(export, curated_dir)
    groups = _skill_groups(export, skills)
    return KnowledgeBase(
        esco_version=ESCO_VERSION,
        built_from=f"ESCO v{ESCO_VERSION} CSV export + data/curated",
        attribution=ATTRIBUTION,
        skills=skills,
        skill_groups=groups,
        job_profiles={p.id: p for p in profiles},
        interest_areas=_interest_areas(curated_dir / "interest_areas.yaml", skills, groups, profiles),
        proficiency_levels=_proficiency_levels(curated_dir / "proficiency_levels.yaml"),
    )


def write_knowledge_base(kb: KnowledgeBase, path: Path) -> str:
    """Write reproducibly (sorted keys, gzip mtime 0); return the content hash."""
    errors = kb.integrity_errors()
    if errors:
        raise ValueError("refusing to write an inconsistent knowledge base:\n  " + "\n  ".join(errors[:20]))
    payload = json.dumps(kb.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, compresslevel=9) as fh:
        fh.write(payload)
    tmp.replace(path)
    return hashlib.sha256(payload).hexdigest()
