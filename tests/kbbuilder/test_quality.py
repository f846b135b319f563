"""The curated Italian, Slovenian and Turkish labels of the committed knowledge base pass the quality check."""

import pytest

from kbbuilder.quality import MIN_DETECTION_RATE, check_curated_labels, is_acronym_or_cognate


@pytest.fixture(scope="module")
def results(kb):
    return {r.lang: r for r in check_curated_labels(kb)}


@pytest.mark.parametrize("lang", ["it", "sl", "tr"])
def test_curated_labels_pass(results, lang):
    quality = results[lang]
    print(lang, quality.model_dump(exclude={"same_as_english_examples"}), f"{quality.detection_rate:.3f}")
    assert quality.curated_labels >= 1000 + 700
    assert quality.empty == 0 and quality.missing_top_skills == 0 and quality.missing_job_titles == 0
    assert quality.detection_rate >= MIN_DETECTION_RATE
    assert quality.passed


def test_only_acronyms_names_and_cognates_may_equal_english():
    assert is_acronym_or_cognate("CAD") and is_acronym_or_cognate("Visual Studio .NET")
    assert is_acronym_or_cognate("firmware")
    assert not is_acronym_or_cognate("read engineering drawings")
