"""The LCAMP story of Luca: assembly operator (EQF 3) -> robotics maintenance technician (EQF 5)."""

from domain.models import LearnerProfile, SkillClaim
from tools.extraction import SkillExtractor
from tools.gaps import analyse_gaps
from tools.matching import rank_jobs
from tools.pathway import plan_pathway

LUCA = (
    "I have worked for eight years as an assembly operator on an automotive line. I assemble components with "
    "power tools, run quality checks with gauges, read assembly drawings, and do first-level maintenance of the "
    "machines and the line's robots when they stop."
)


def test_luca_from_experience_to_pathway(retrieval, kb, catalogue):
    extracted = SkillExtractor(retrieval).extract_text(LUCA, lang="en")
    labels = {s.label for s in extracted.skills}
    assert "read assembly drawings" in labels
    assert labels & {"perform machine maintenance", "maintain equipment", "maintain robotic equipment"}

    profile = LearnerProfile(
        interests=["robotics", "smart-maintenance"],
        skills=[SkillClaim(skill_uri=s.uri, level=2, confirmed=True) for s in extracted.skills],
    )
    top3 = rank_jobs(kb=kb, profile=profile, limit=3)
    robotics = [m for m in top3 if "robot" in kb.job_profiles[m.job_id].title("en")]
    assert robotics, [m.job_id for m in top3]
    job = kb.job_profiles[robotics[0].job_id]
    assert job.eqf == 5

    gaps = analyse_gaps(kb=kb, profile=profile, job=job)
    gap_labels = {kb.skills[g.skill_uri].label("en") for g in gaps.essential_gaps}
    assert gap_labels & {
        "automation technology",
        "maintain robotic equipment",
        "set up the controller of a machine",
        "monitor automated machines",
        "programmable logic controller",
    }

    plan = plan_pathway(kb=kb, catalogue=catalogue, profile=profile, job=job, gaps=gaps)
    eqfs = [catalogue.credentials[s.credential_id].eqf for s in plan.pathway.steps]
    assert len(eqfs) >= 2 and eqfs == sorted(eqfs)
    assert plan.pathway.match_after > plan.pathway.match_before
    # the worked example of specs/dialogue-scripts.md expects at least 80% of the essential gaps closed
    assert plan.essential_closed_share >= 0.8, (plan.essential_gaps_closed, plan.essential_gaps)
