import pytest

from kbbuilder import rules


@pytest.mark.parametrize(
    ("isco", "title", "expected"),
    [
        ("7223", "computer numerical control machine operator", 3),
        ("7223", "metal working lathe setter", 4),
        ("7212", "welder", 4),
        ("7543", "welding inspector", 4),
        ("8211", "motor vehicle assembler", 3),
        ("3119", "robotics engineering technician", 5),
        ("3122", "production supervisor", 5),
        ("3139", "automated assembly line operator", 4),
        ("2144", "mechatronics engineer", 6),
        ("2149", "robotics engineer", 6),
        ("1321", "manufacturing manager", 6),
        ("9329", "manufacturing labourer", 3),
        ("8131", "chemical plant supervisor", 5),
    ],
)
def test_eqf_from_isco_skill_level_and_role_words(isco, title, expected):
    assert rules.derive_eqf(isco, title) == expected


def test_eqf_always_within_lcamp_range():
    for major in "0123456789":
        for title in ("helper", "engineer", "operator", "chief engineer", "technician"):
            assert 3 <= rules.derive_eqf(f"{major}111", title) <= 6


@pytest.mark.parametrize(
    ("eqf", "essential", "reuse", "transversal", "expected"),
    [
        (3, True, "cross-sector", False, 2),
        (3, False, "cross-sector", False, 1),
        (4, True, "occupation-specific", False, 3),
        (4, True, "cross-sector", False, 2),
        (5, True, "sector-specific", False, 3),
        (5, False, "sector-specific", False, 2),
        (6, True, "occupation-specific", False, 4),
        (6, True, "transversal", True, 3),
        (4, True, "occupation-specific", True, 2),
    ],
)
def test_minimum_proficiency(eqf, essential, reuse, transversal, expected):
    assert rules.derive_min_level(eqf=eqf, essential=essential, reuse_level=reuse, transversal=transversal) == expected


def test_minimum_proficiency_grows_with_eqf_and_essentiality():
    for reuse in ("cross-sector", "occupation-specific"):
        levels = [
            rules.derive_min_level(eqf=e, essential=True, reuse_level=reuse, transversal=False) for e in (3, 4, 5, 6)
        ]
        assert levels == sorted(levels)
        for eqf in (3, 4, 5, 6):
            ess = rules.derive_min_level(eqf=eqf, essential=True, reuse_level=reuse, transversal=False)
            opt = rules.derive_min_level(eqf=eqf, essential=False, reuse_level=reuse, transversal=False)
            assert opt < ess


def test_sectors_from_titles_before_description():
    assert rules.derive_sectors(["robot welding operator"], "food plant") == ("metalworking", "robotics-automation")
    assert rules.derive_sectors(["line worker"], "Works in a dairy plant.") == ("food-and-beverage",)
    assert rules.derive_sectors(["line worker"], "") == (rules.GENERAL_SECTOR,)


def test_keywords_match_whole_word_starts_only():
    pattern = rules.keyword_pattern(["weld", "car "])
    assert pattern.search("arc welding")
    assert not pattern.search("bewelded")
    assert not pattern.search("carpenter ")
    assert pattern.search("car body")


def test_career_family_goes_up_the_isco_structure():
    assert rules.in_career_family("8211", "3122")
    assert rules.in_career_family("3115", "2144")
    assert not rules.in_career_family("2144", "8211")
    assert not rules.in_career_family("7223", "2144")


def test_successor_score_prefers_shared_skills_and_sectors():
    current = {"a", "b", "c", "d"}
    assert rules.successor_score(current, {"a", "b", "c", "x"}, 0) > rules.successor_score(current, {"a", "x", "y"}, 0)
    assert rules.successor_score(current, {"a", "x"}, 1) > rules.successor_score(current, {"a", "x"}, 0)
    assert rules.successor_score(set(), {"a"}, 0) == 0.0
