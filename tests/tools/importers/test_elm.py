import json

import pytest

from tools.importers import ImportError_
from tools.importers.elm import parse_elm

SKILL = "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40"


def _credential(**spec_overrides) -> dict:
    spec = {
        "id": "urn:epass:qualification:1",
        "type": "Qualification",
        "title": {"en": "Robot cell troubleshooting"},
        "eqfLevel": {"id": "http://data.europa.eu/snb/eqf/5", "type": "Concept"},
        "creditPoint": {"id": "urn:cp:1", "type": "CreditPoint", "point": "3"},
        "learningOutcome": [
            {
                "id": "urn:lo:1",
                "type": "LearningOutcome",
                "title": {"en": "Diagnose cell faults"},
                "relatedESCOSkill": [{"id": SKILL, "type": "Concept"}],
            }
        ],
    } | spec_overrides
    return {
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "issuer": {
            "type": "Organisation",
            "legalName": {"en": "Test Academy (fictional)"},
            "location": {
                "address": {"countryCode": {"id": "http://publications.europa.eu/resource/authority/country/SVN"}}
            },
        },
        "credentialSubject": {
            "type": "Person",
            "fullName": {"en": "Ana Test"},
            "hasClaim": {"type": "LearningAchievement", "title": {"en": "Claim"}, "specifiedBy": spec},
        },
    }


def test_maps_title_eqf_credits_outcomes_and_skills(kb):
    [cred] = parse_elm(json.dumps(_credential()).encode(), kb=kb)
    assert cred.titles["en"] == "Robot cell troubleshooting"
    assert (cred.eqf, cred.ects, cred.country) == (5, 3.0, "SI")
    assert cred.learning_outcomes == ("Diagnose cell faults",)
    assert [s.skill_uri for s in cred.skills] == [SKILL]
    assert cred.provider == "Test Academy (fictional)"


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"eqfLevel": {"id": "http://data.europa.eu/snb/eqf/9"}}, "eqfLevel"),
        ({"creditPoint": {"point": "-2"}}, "creditPoint.point"),
        ({"creditPoint": {"point": "many"}}, "creditPoint.point"),
        (
            {
                "learningOutcome": [
                    {"title": {"en": "x"}, "relatedESCOSkill": [{"id": "http://data.europa.eu/esco/skill/x"}]}
                ]
            },
            "relatedESCOSkill[0]",
        ),
    ],
)
def test_invalid_fields_are_named_by_json_path(kb, overrides, where):
    with pytest.raises(ImportError_) as caught:
        parse_elm(json.dumps(_credential(**overrides)).encode(), kb=kb)
    assert any(i.where.endswith(where) for i in caught.value.issues), caught.value.issues


@pytest.mark.parametrize(
    "raw", [b"{not json", b"[" * 100_000 + b"]" * 100_000, b'{"a": "' + b"x" * (21 * 2**20) + b'"}']
)
def test_malformed_deep_or_huge_json_is_rejected(kb, raw):
    with pytest.raises(ImportError_):
        parse_elm(raw, kb=kb)
