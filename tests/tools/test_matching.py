from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.models import LearnerProfile, SkillClaim
from tools.matching import Preferences, SkillStatus, match_percent, rank_jobs, skill_levels


def _profile(levels: dict[str, int], interests=()) -> LearnerProfile:
    return LearnerProfile(
        interests=list(interests),
        skills=[SkillClaim(skill_uri=u, level=lv, confirmed=True) for u, lv in levels.items()],
    )


def test_a_person_with_every_required_skill_at_level_matches_100(kb):
    job = kb.job_profiles["mechatronics-engineering-technician"]
    levels = {r.skill_uri: int(r.min_level) for r in job.requirements}
    top = rank_jobs(kb=kb, profile=_profile(levels), limit=1)[0]
    assert top.job_id == job.id and top.match_percent == 100.0
    assert all(r.status == SkillStatus.SATISFIED for r in top.requirements)


def test_statuses_and_breakdown(kb):
    job = kb.job_profiles["welder"]
    first, second = job.essential[:2]
    profile = _profile({first.skill_uri: int(first.min_level), second.skill_uri: 1})
    match = next(m for m in rank_jobs(kb=kb, profile=profile, limit=None) if m.job_id == "welder")
    status = {r.skill_uri: r.status for r in match.requirements}
    assert status[first.skill_uri] == SkillStatus.SATISFIED
    assert status[second.skill_uri] == (SkillStatus.BELOW if second.min_level > 1 else SkillStatus.SATISFIED)
    assert match.breakdown.essential_coverage == round(2 / len(job.essential), 4)
    assert 0 < match.match_percent < 100


def test_unconfirmed_skills_do_not_count(kb):
    job = kb.job_profiles["welder"]
    profile = LearnerProfile(
        skills=[SkillClaim(skill_uri=r.skill_uri, level=4, confirmed=False) for r in job.requirements]
    )
    assert skill_levels(profile) == {}


def test_interests_and_preferences_move_the_ranking(kb):
    plain = rank_jobs(kb=kb, profile=_profile({}), limit=5)
    robots = rank_jobs(kb=kb, profile=_profile({}, interests=["robotics"]), limit=5)
    assert [m.job_id for m in plain] != [m.job_id for m in robots]
    area = kb.interest_areas["robotics"]
    assert all(m.occupation_uri in area.occupation_uris for m in robots)
    eqf6 = rank_jobs(kb=kb, profile=_profile({}, interests=["robotics"]), preferences=Preferences(eqf=6), limit=3)
    assert all(m.eqf == 6 for m in eqf6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_adding_a_skill_or_a_level_never_lowers_a_match(kb, data):
    job_ids = sorted(kb.job_profiles)
    job = kb.job_profiles[data.draw(st.sampled_from(job_ids))]
    uris = [r.skill_uri for r in job.requirements]
    levels = data.draw(st.dictionaries(st.sampled_from(uris), st.integers(1, 4), max_size=len(uris)))
    before = match_percent(job, levels)
    extra = data.draw(st.sampled_from(uris))
    raised = dict(levels) | {extra: min(4, levels.get(extra, 0) + data.draw(st.integers(1, 4)))}
    assert match_percent(job, raised) >= before


def test_a_shortened_list_keeps_a_place_for_the_stated_goal(kb):
    welder = kb.job_profiles["welder"]
    profile = _profile({r.skill_uri: int(r.min_level) for r in welder.requirements})
    unrelated = rank_jobs(kb=kb, profile=profile, limit=None)[-1].job_id
    top5 = rank_jobs(kb=kb, profile=profile, preferences=Preferences(goal_affinity={unrelated: 1.0}), limit=5)
    assert [m.job_id for m in top5][:4] == [m.job_id for m in rank_jobs(kb=kb, profile=profile, limit=4)]
    assert top5[-1].job_id == unrelated
    loose = rank_jobs(kb=kb, profile=profile, preferences=Preferences(goal_affinity={unrelated: 0.5}), limit=5)
    assert unrelated not in [m.job_id for m in loose]


def test_a_shortened_list_keeps_two_places_for_the_stated_goal(kb):
    """One of the goal's jobs already shown (a wrong reading of the goal can be one) leaves a place for another."""
    welder = kb.job_profiles["welder"]
    profile = _profile({r.skill_uri: int(r.min_level) for r in welder.requirements})
    ranked = [m.job_id for m in rank_jobs(kb=kb, profile=profile, limit=None)]
    shown, far, farther = ranked[1], ranked[-1], ranked[-2]
    goal = Preferences(goal_affinity={shown: 1.0, far: 0.9, farther: 0.8})
    top5 = [m.job_id for m in rank_jobs(kb=kb, profile=profile, preferences=goal, limit=5)]
    assert shown in top5[:4] and top5[-1] in (far, farther) and len(set(top5)) == 5
    assert [j for j in top5 if j not in goal.goal_affinity] == [j for j in ranked if j != shown][:3]
    both_far = Preferences(goal_affinity={far: 1.0, farther: 0.9})
    top5 = [m.job_id for m in rank_jobs(kb=kb, profile=profile, preferences=both_far, limit=5)]
    assert sorted(top5[-2:]) == sorted([far, farther]) and top5[:3] == ranked[:3]


def test_without_skills_the_jobs_most_about_the_chosen_area_come_first(kb):
    """All jobs of an area rank equal for a profile without skills; the order is not alphabetical."""
    top = [m.job_id for m in rank_jobs(kb=kb, profile=_profile({}, interests=["robotics"]), limit=5)]
    assert all(any(word in job_id for word in ("robot", "automat", "mechatron")) for job_id in top), top
    welding = [m.job_id for m in rank_jobs(kb=kb, profile=_profile({}, interests=["welding-joining"]), limit=5)]
    assert all(any(word in job_id for word in ("weld", "braz", "solder")) for job_id in welding), welding
