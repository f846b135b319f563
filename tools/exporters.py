"""A learner's confirmed profile and pathway as ELM-shaped JSON-LD (readable by Europass-compatible tools).

The person is an ELM `Person`; each confirmed skill is a `relatedESCOSkill` of a self-declared learning
outcome with its proficiency level; completed credentials are `LearningAchievement` claims; each pathway
step is a `LearningOpportunity` specified by a `LearningAchievementSpecification` (EQF level, ECTS credit
points, learning outcomes with their ESCO skills), in pathway order.
"""

from __future__ import annotations

from datetime import UTC, datetime

from domain.catalogue import Catalogue
from domain.knowledge_base import KnowledgeBase
from domain.languages import Lang
from domain.models import LearnerProfile, MicroCredential, Pathway

CONTEXT = ["https://www.w3.org/2018/credentials/v1", "http://data.europa.eu/snb/model/context/edc-ap"]
ECTS = "http://data.europa.eu/snb/education-credit/6fcec5c5af"


def _skill_ref(kb: KnowledgeBase, uri: str, lang: Lang) -> dict:
    return {
        "id": uri,
        "type": "Concept",
        "prefLabel": {"en": kb.skills[uri].label("en"), lang: kb.skills[uri].label(lang)},
    }


def _outcomes(kb: KnowledgeBase, cred: MicroCredential, lang: Lang) -> list[dict]:
    """One outcome per stated text; the first carries every ESCO skill the credential teaches."""
    texts = list(cred.learning_outcomes) or [cred.titles.get("en", cred.id)]
    outcomes = [
        {"id": f"urn:lcamp:outcome:{cred.id}:{i}", "type": "LearningOutcome", "title": {"en": text}}
        for i, text in enumerate(texts)
    ]
    outcomes[0]["relatedESCOSkill"] = [_skill_ref(kb, o.skill_uri, lang) for o in cred.skills]
    return outcomes


def _specification(kb: KnowledgeBase, cred: MicroCredential, lang: Lang) -> dict:
    return {
        "id": f"urn:lcamp:spec:{cred.id}",
        "type": "LearningAchievementSpecification",
        "title": {"en": cred.titles.get("en", ""), lang: cred.titles.get(lang) or cred.titles.get("en", "")},
        "eqfLevel": {"id": f"http://data.europa.eu/snb/eqf/{cred.eqf}", "type": "Concept"},
        "creditPoint": [
            {
                "id": f"urn:lcamp:credit:{cred.id}",
                "type": "CreditPoint",
                "framework": {"id": ECTS, "type": "Concept"},
                "point": str(cred.ects),
            }
        ],
        "volumeOfLearning": f"PT{cred.workload_hours}H",
        "language": [
            {"id": f"http://publications.europa.eu/resource/authority/language/{code}", "type": "Concept"}
            for code in (_ISO3[x] for x in cred.languages)
        ],
        "learningOutcome": _outcomes(kb, cred, lang),
        "additionalNote": [{"type": "Note", "noteLiteral": {"en": "Illustrative catalogue entry"}}]
        if cred.illustrative
        else [],
    }


_ISO3 = {"en": "ENG", "es": "SPA", "fr": "FRA", "it": "ITA", "tr": "TUR", "sl": "SLV"}


def export_learner_elm(
    *,
    kb: KnowledgeBase,
    catalogue: Catalogue,
    profile: LearnerProfile,
    pathway: Pathway | None,
    lang: Lang,
    subject_id: str,
) -> dict:
    confirmed = [c for c in profile.skills if c.confirmed]
    document = {
        "@context": CONTEXT,
        "id": f"urn:lcamp:export:{subject_id}",
        "type": ["LearnerProfileExport"],
        "issued": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "attribution": "This service uses the ESCO classification of the European Commission.",
        "credentialSubject": {
            "id": f"urn:lcamp:person:{subject_id}",
            "type": "Person",
            "hasClaim": [
                {
                    "id": f"urn:lcamp:achievement:{cid}",
                    "type": "LearningAchievement",
                    "title": {"en": catalogue.credentials[cid].titles.get("en", cid)},
                    "specifiedBy": _specification(kb, catalogue.credentials[cid], lang),
                }
                for cid in profile.completed_credentials
                if cid in catalogue.credentials
            ],
            "skillProfile": [
                {
                    "type": "LearningOutcome",
                    "relatedESCOSkill": [_skill_ref(kb, c.skill_uri, lang)],
                    "proficiencyLevel": int(c.level or 1),
                    "source": c.source.value,
                }
                for c in confirmed
                if c.skill_uri in kb.skills
            ],
        },
    }
    if pathway is not None:
        job = kb.job_profiles[pathway.job_id]
        document["targetOccupation"] = {
            "id": job.occupation_uri,
            "type": "Concept",
            "prefLabel": {"en": job.title("en"), lang: job.title(lang)},
        }
        document["learningPathway"] = {
            "type": "LearningPathway",
            "matchBefore": pathway.match_before,
            "matchAfter": pathway.match_after,
            "learningOpportunity": [
                {
                    "id": f"urn:lcamp:opportunity:{step.credential_id}",
                    "type": "LearningOpportunity",
                    "order": n,
                    "specifiedBy": _specification(kb, catalogue.credentials[step.credential_id], lang),
                }
                for n, step in enumerate(pathway.steps, start=1)
            ],
        }
    return document
