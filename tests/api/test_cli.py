import json

from api.cli import main


def test_kb_stats_json_has_the_documented_keys(capsys):
    assert main(["kb", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    for key in (
        "job_profiles",
        "profiles_per_eqf",
        "skills",
        "skill_labels_per_language",
        "interest_areas",
        "profiles_with_successors",
        "load_seconds",
    ):
        assert key in stats
    assert set(stats["skill_labels_per_language"]) == {"en", "es", "fr", "it", "tr", "sl"}


def test_catalogue_stats_json(capsys):
    assert main(["catalogue", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["credentials"] >= 250
    assert stats["essential_pair_coverage"] >= 0.6
    assert 0 < stats["profiles_fully_coverable"] <= stats["profiles"]


def test_kb_check_passes(capsys):
    assert main(["kb", "check"]) == 0
    assert capsys.readouterr().out.count("PASS") == 3
