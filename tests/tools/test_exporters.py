import json

from domain.models import LearnerProfile, SkillClaim
from tools.exporters import export_learner_elm
from tools.gaps import analyse_gaps
from tools.importers.elm import parse_elm
from tools.pathway import plan_pathway


def test_pathway_export_is_elm_shaped_and_reads_back(kb, catalogue):
    job = kb.job_profiles["robotics-engineering-technician"]
    held = job.essential[0]
    profile = LearnerProfile(
        skills=[
            SkillClaim(skill_uri=held.skill_uri, level=2, confirmed=True),
            SkillClaim(skill_uri=job.essential[1].skill_uri, level=4, confirmed=False),
        ]
    )
    plan = plan_pathway(
        kb=kb, catalogue=catalogue, profile=profile, job=job, gaps=analyse_gaps(kb=kb, profile=profile, job=job)
    )
    document = export_learner_elm(
        kb=kb, catalogue=catalogue, profile=profile, pathway=plan.pathway, lang="es", subject_id="abc"
    )
    assert document["targetOccupation"]["id"] == job.occupation_uri
    assert [s["relatedESCOSkill"][0]["id"] for s in document["credentialSubject"]["skillProfile"]] == [held.skill_uri]
    steps = document["learningPathway"]["learningOpportunity"]
    assert [s["order"] for s in steps] == list(range(1, len(plan.pathway.steps) + 1))
    back = parse_elm(json.dumps(document).encode(), kb=kb)
    originals = [catalogue.credentials[s.credential_id] for s in plan.pathway.steps]
    assert [(c.titles["en"], c.eqf, c.ects, c.learning_outcomes) for c in back] == [
        (c.titles["en"], c.eqf, c.ects, c.learning_outcomes) for c in originals
    ]
    assert [{s.skill_uri for s in c.skills} for c in back] == [{s.skill_uri for s in c.skills} for c in originals]
