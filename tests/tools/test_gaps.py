from domain.models import LearnerProfile, SkillClaim
from tools.gaps import analyse_gaps


def test_gaps_are_required_minus_current_and_sorted_by_importance(kb):
    job = kb.job_profiles["robotics-engineering-technician"]
    held = job.essential[0]
    profile = LearnerProfile(skills=[SkillClaim(skill_uri=held.skill_uri, level=1, confirmed=True)])
    report = analyse_gaps(kb=kb, profile=profile, job=job)
    assert report.target_eqf == 5
    by_uri = {g.skill_uri: g for g in report.gaps}
    if held.min_level > 1:
        assert by_uri[held.skill_uri].delta == held.min_level - 1
    assert len(report.gaps) + len(report.satisfied) == len(job.requirements)
    essentials = [g.essential for g in report.gaps]
    assert essentials == sorted(essentials, reverse=True)  # essential gaps first
    ess = [g for g in report.gaps if g.essential]
    assert [g.delta for g in ess] == sorted((g.delta for g in ess), reverse=True)


def test_no_gap_when_everything_is_at_level(kb):
    job = kb.job_profiles["welder"]
    profile = LearnerProfile(
        skills=[SkillClaim(skill_uri=r.skill_uri, level=4, confirmed=True) for r in job.requirements]
    )
    report = analyse_gaps(kb=kb, profile=profile, job=job)
    assert report.gaps == [] and len(report.satisfied) == len(job.requirements)
