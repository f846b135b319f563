import pytest

from tools.importers import ImportError_
from tools.importers.csv_catalogue import read_catalogue_csv, write_catalogue_csv

SKILL = "http://data.europa.eu/esco/skill/334e3e49-fb02-4051-809a-f06adfdc1c40"
HEADER = "id,title_en,provider,country,languages,mode,eqf,ects,workload_hours,skills\n"


def test_round_trip_of_the_whole_catalogue_is_identical(kb, catalogue):
    first = write_catalogue_csv(list(catalogue.credentials.values()))
    imported = read_catalogue_csv(first.encode(), kb=kb)
    assert [c.id for c in imported] == list(catalogue.credentials)
    assert write_catalogue_csv(imported) == first
    assert {c.id: c.model_dump(exclude={"illustrative"}) for c in imported} == {
        c.id: c.model_dump(exclude={"illustrative"}) for c in catalogue.credentials.values()
    }


def test_a_bad_file_imports_nothing_and_names_every_problem(kb):
    rows = (
        HEADER
        + f"a,Good course,Acme (fictional),IT,it,online,4,3,75,{SKILL}=2\n"
        + "b,Bad EQF,Acme (fictional),IT,it,online,9,3,75,http://data.europa.eu/esco/skill/nope=2\n"
        + f'c,=HYPERLINK("x"),Acme (fictional),IT,it,online,4,-1,75,{SKILL}=2\n'
    )
    with pytest.raises(ImportError_) as caught:
        read_catalogue_csv(rows.encode(), kb=kb)
    where = [i.where for i in caught.value.issues]
    assert "line 3, column eqf" in where
    assert "line 3, column skills" in where
    assert "line 4, column title_en" in where  # formula injection
    assert "line 4, column ects" in where


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe\x00garbage", b"id,title_en\n1,x\n", b"x" * (21 * 2**20)])
def test_unusable_files_are_rejected(kb, raw):
    with pytest.raises(ImportError_):
        read_catalogue_csv(raw, kb=kb)


def test_export_neutralises_formula_cells(catalogue):
    cred = next(iter(catalogue.credentials.values()))
    hostile = cred.model_copy(update={"provider": "=cmd|' /C calc'!A0"})
    assert ",'=cmd" in write_catalogue_csv([hostile])
