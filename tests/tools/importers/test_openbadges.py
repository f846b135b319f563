import json

import pytest

from tools.importers import ImportError_
from tools.importers.openbadges import parse_open_badge

SKILL = "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40"


def _badge(**overrides) -> dict:
    achievement = {
        "id": "https://badges.example/achievements/1",
        "type": ["Achievement"],
        "name": "Cobot safety basics",
        "description": "Safe work next to collaborative robots.",
        "creditsAvailable": 1.5,
        "criteria": {"narrative": "- Assess cobot risks\n- Apply stop categories"},
        "creator": {"type": ["Profile"], "name": "Badge Lab (fictional)"},
        "inLanguage": "it-IT",
        "alignment": [
            {"type": ["Alignment"], "targetUrl": SKILL, "targetName": "troubleshoot"},
            {"type": ["Alignment"], "targetUrl": "http://data.europa.eu/snb/eqf/4"},
        ],
    } | overrides
    return {"type": ["VerifiableCredential", "OpenBadgeCredential"], "credentialSubject": {"achievement": achievement}}


def test_achievement_in_a_credential_is_mapped(kb):
    [cred] = parse_open_badge(json.dumps(_badge()).encode(), kb=kb)
    assert (cred.titles["en"], cred.eqf, cred.ects, cred.languages) == ("Cobot safety basics", 4, 1.5, ("it",))
    assert cred.learning_outcomes == ("Assess cobot risks", "Apply stop categories")
    assert [s.skill_uri for s in cred.skills] == [SKILL]


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": ""},
        {"creditsAvailable": -1},
        {"alignment": []},
        {"alignment": [{"targetUrl": "http://data.europa.eu/esco/skill/zzz"}]},
    ],
)
def test_bad_badges_are_rejected(kb, overrides):
    with pytest.raises(ImportError_):
        parse_open_badge(json.dumps(_badge(**overrides)).encode(), kb=kb)


def test_not_a_badge(kb):
    with pytest.raises(ImportError_, match="not an Open Badges"):
        parse_open_badge(b'{"type": "Thing"}', kb=kb)
