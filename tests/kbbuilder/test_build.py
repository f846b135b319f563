import gzip
import json

import pytest

from domain.knowledge_base import KnowledgeBaseError, read_knowledge_base
from domain.models import LabelSource
from kbbuilder.build import build_knowledge_base, write_knowledge_base
from tests.kbbuilder.esco_fixture import OCC, SKILL, write_curated, write_export


@pytest.fixture()
def built(tmp_path):
    return build_knowledge_base(esco_dir=write_export(tmp_path / "esco"), curated_dir=write_curated(tmp_path / "cur"))


def test_only_am_occupations_become_profiles(built):
    titles = {p.title("en") for p in built.job_profiles.values()}
    assert titles == {"robot assembler", "robotics maintenance technician", "robotics engineer", "welder"}
    assert SKILL + "orphan" in built.skills  # the whole skill pillar is kept, whoever needs it


def test_profiles_carry_derived_eqf_levels_and_requirements(built):
    tech = built.profiles_by_occupation[OCC + "technician"]
    assert tech.eqf == 5 and tech.isco_code == "3119"
    levels = {r.skill_uri: (r.essential, int(r.min_level)) for r in tech.requirements}
    assert levels[SKILL + "plc"] == (True, 3)
    assert levels[SKILL + "team"] == (False, 2)
    assert tech.responsibilities[0] == SKILL + "robot"  # occupation-specific competences first
    assert "robotics-automation" in tech.sectors


def test_successors_are_higher_eqf_roles_in_the_career_family(built):
    profiles = built.profiles_by_occupation
    assembler, tech, engineer = (profiles[OCC + k] for k in ("assembler", "technician", "engineer"))
    assert tech.id in assembler.successors
    assert engineer.id in tech.successors
    assert not engineer.successors
    for p in built.job_profiles.values():
        assert all(built.job_profiles[s].eqf > p.eqf for s in p.successors)


def test_collections_and_labels(built):
    assert SKILL + "green" in built.skills and built.skills[SKILL + "green"].collections == ("green",)
    plc = built.skills[SKILL + "plc"]
    assert plc.label("es") == "programar PLC" and plc.labels["es"].source == LabelSource.ESCO
    assert plc.label("it") == "programmare PLC" and plc.labels["it"].source == LabelSource.CURATED
    assert plc.alt_labels["en"] == ("configure PLC", "write PLC code")
    # curated alternatives: spaces tidied, empty ones and a repeat of the label dropped
    assert plc.alt_labels["it"] == ("programmazione PLC", "programmazione di automi")
    assert plc.groups == ("http://data.europa.eu/esco/skill/group-auto",)
    assert built.profiles_by_occupation[OCC + "welder"].title("sl") == "varilec"


def test_interest_areas_resolve_keywords_to_known_ids(built):
    area = built.interest_areas["robotics"]
    assert set(area.skill_uris) == {SKILL + "robot", SKILL + "plc"}
    assert set(area.occupation_uris) == {OCC + "assembler", OCC + "technician", OCC + "engineer"}


def test_area_matching_nothing_fails_the_build(tmp_path):
    curated = write_curated(tmp_path / "cur")
    text = (curated / "interest_areas.yaml").read_text().replace("robot", "zzz")
    (curated / "interest_areas.yaml").write_text(text)
    with pytest.raises(ValueError, match="match no skill"):
        build_knowledge_base(esco_dir=write_export(tmp_path / "esco"), curated_dir=curated)


def test_written_file_is_reproducible_and_loads(built, tmp_path):
    first = write_knowledge_base(built, tmp_path / "a" / "kb.json.gz")
    second = write_knowledge_base(built, tmp_path / "b" / "kb.json.gz")
    assert first == second
    assert (tmp_path / "a/kb.json.gz").read_bytes() == (tmp_path / "b/kb.json.gz").read_bytes()
    assert read_knowledge_base(tmp_path / "a/kb.json.gz") == built


def test_loader_names_the_broken_record(built, tmp_path):
    path = tmp_path / "kb.json.gz"
    write_knowledge_base(built, path)
    data = json.loads(gzip.decompress(path.read_bytes()))
    tech = next(p for p in data["job_profiles"].values() if p["isco_code"] == "3119")
    tech["successors"] = ["no-such-profile"]
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(KnowledgeBaseError, match=rf"job profile {tech['id']}: unknown successor no-such-profile"):
        read_knowledge_base(path)


def test_loader_rejects_missing_and_corrupt_files(tmp_path):
    with pytest.raises(KnowledgeBaseError, match="not found"):
        read_knowledge_base(tmp_path / "none.json.gz")
    (tmp_path / "bad.json.gz").write_bytes(b"not gzip")
    with pytest.raises(KnowledgeBaseError, match="cannot read"):
        read_knowledge_base(tmp_path / "bad.json.gz")
