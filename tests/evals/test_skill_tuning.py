"""The skill evaluation and the scorer fitting, on a small labelled file the test writes."""

import json

import numpy as np
import pytest

from evals import skill_eval, skill_tuning
from tools.extraction import SkillExtractor
from tools.skill_scoring import FEATURES, load_scorer
from vectorstore.embeddings import DIM

TEXTS = [  # (language, text, English labels of the skills it states)
    ("en", "I drive a forklift in the warehouse every day.", ["operate forklift"]),
    ("en", "I weld steel frames with MIG welding equipment.", ["operate welding equipment"]),
    ("es", "Conduzco la carretilla elevadora en el almacén.", ["operate forklift"]),
    ("es", "Sueldo estructuras de acero con equipos de soldadura.", ["operate welding equipment"]),
    ("fr", "Je conduis un chariot élévateur dans l'entrepôt.", ["operate forklift"]),
    ("it", "Guido il muletto in magazzino.", ["operate forklift"]),
    ("en", "I program industrial robots and PLCs on the assembly line.", ["programmable logic controller"]),
    ("sl", "Upravljam viličar v skladišču.", ["operate forklift"]),
    ("tr", "Depoda forklift kullanıyorum.", ["operate forklift"]),
    ("en", "Our company is a leading global supplier.", []),
]


@pytest.fixture(scope="module")
def labelled(tmp_path_factory, kb):
    by_label = {s.label("en"): uri for uri, s in kb.skills.items()}
    path = tmp_path_factory.mktemp("eval") / "small.jsonl"
    rows = [
        {"id": f"t{i}", "text": text, "lang": lang, "gold": [by_label[label] for label in labels]}
        for i, (lang, text, labels) in enumerate(TEXTS)
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_eval_scores_ranked_and_kept_skills_as_the_spec_says(retrieval, labelled):
    report = skill_eval.run(extractor=SkillExtractor(retrieval), path=labelled, k=5)
    m = report.metrics
    assert m.n == len(TEXTS) and m.k == 5
    hits = [r for r in report.items if r["gold"] and r["gold"][0] in [c["uri"] for c in r["ranked"][:5]]]
    assert m.rp_at_k == pytest.approx(len(hits) / sum(1 for _, _, g in TEXTS if g))
    assert m.rp_at_k >= 0.6  # obvious single-skill sentences in six languages
    assert 0 <= m.precision <= 1 and 0 <= m.recall <= 1 and report.ms_per_1000_chars > 0
    # the ceiling of any re-ranking: gold skills anywhere in the returned ranked list
    in_ranked = [
        len(set(r["gold"]) & {c["uri"] for c in r["ranked"]}) / len(r["gold"]) for r in report.items if r["gold"]
    ]
    assert m.ranked_recall == pytest.approx(sum(in_ranked) / len(in_ranked)) and m.ranked_recall >= m.rp_at_k
    # per language, the same metrics over that language's texts only
    assert set(report.per_language) == {"en", "es", "fr", "it", "sl", "tr"}
    assert report.per_language["en"].n == sum(1 for lang, _, _ in TEXTS if lang == "en")
    en_hits = [r for r in hits if r["lang"] == "en"]
    en_gold = sum(1 for lang, _, g in TEXTS if lang == "en" and g)
    assert report.per_language["en"].rp_at_k == pytest.approx(len(en_hits) / en_gold)


def test_tuning_reports_cross_validated_figures_and_writes_a_loadable_scorer(retrieval, labelled, tmp_path, skill_uri):
    report = skill_tuning.tune(extractor=SkillExtractor(retrieval), paths=[labelled], folds=2, repeats=2)
    model = report.model
    assert tuple(model.features) == FEATURES and len(model.coef) == len(FEATURES)
    assert model.adapter is not None and len(model.adapter.residual) == DIM
    forklift = skill_uri("operate forklift")
    stating = sum(1 for _, _, labels in TEXTS if "operate forklift" in labels)
    assert model.stated.texts == len(TEXTS) and model.stated.stated[forklift] == stating  # a candidate each time
    assert model.threshold in skill_tuning.THRESHOLDS and model.per_unit in skill_tuning.PER_UNIT
    assert set(report.per_language) == {f"small.jsonl {lang}" for lang in ("en", "es", "fr", "it", "sl", "tr")}
    assert report.per_language["small.jsonl en"].n == sum(1 for lang, _, _ in TEXTS if lang == "en")
    assert report.per_file["small.jsonl"].n == len(TEXTS)
    low, high = report.rp_at_k_range["small.jsonl"]
    assert low <= report.per_file["small.jsonl"].rp_at_k <= high  # the mean of the repeated splits
    assert model.cross_validation["small.jsonl"]["repeats"] == 2
    out = tmp_path / "scorer.json"
    skill_tuning.write_model(report, out)
    loaded = load_scorer(out)
    assert loaded == model
    # the fitted scorer, used by the extractor, still finds the forklift in a sentence it was not fitted on
    found = SkillExtractor(retrieval, scorer=loaded).extract_text("At the depot I operate a forklift.", lang="en")
    assert forklift in [c.uri for c in found.candidates[:5]]


def test_a_text_learns_its_stated_skill_features_from_counts_without_it(retrieval, labelled, skill_uri):
    """Its own gold must not raise its skills' rates: the models would learn to trust the rates more than they
    deserve on new text."""
    examples = skill_tuning._read_examples(labelled, extractor=SkillExtractor(retrieval))
    column = FEATURES.index("stated_texts")
    plc = next(e for e in examples if "PLC" in e.item.text)  # the only text stating its skill
    (gold,) = plc.item.gold
    assert gold in plc.table.uris
    features = skill_tuning._stacked_features(examples, seed=0)
    assert features[examples.index(plc)][plc.table.uris.index(gold), column] == 0
    # while a skill stated by six texts (more than one fold holds) counts in each of them from the others
    forklift = skill_uri("operate forklift")
    stating = [i for i, e in enumerate(examples) if forklift in e.item.gold and forklift in e.table.uris]
    assert len(stating) > len(examples) // skill_tuning.INNER_FOLDS + 1
    assert all(features[i][examples[i].table.uris.index(forklift), column] > 0 for i in stating)


@pytest.mark.parametrize(("folds", "repeats"), [(1, 3), (5, 0)])
def test_tuning_refuses_a_cross_validation_that_cannot_run(retrieval, labelled, folds, repeats):
    with pytest.raises(ValueError, match="at least 2 folds and 1 repeat"):
        skill_tuning.tune(extractor=SkillExtractor(retrieval), paths=[labelled], folds=folds, repeats=repeats)


def test_tuning_refuses_files_with_nothing_to_learn(retrieval, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_text(json.dumps({"id": "x", "text": "Our company is a leading global supplier.", "gold": []}) + "\n")
    with pytest.raises(ValueError, match="nothing to learn"):
        skill_tuning.tune(extractor=SkillExtractor(retrieval), paths=[path], folds=2)


def test_exported_trees_and_forest_give_the_fitted_models_probabilities():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(600, len(FEATURES))).astype(np.float32)
    labels = features[:, 0] * features[:, 1] + rng.normal(scale=0.5, size=600) > 0.5  # an interaction
    fitted = skill_tuning._Fitted(features, labels, adapter=None, stated=None)
    for exported, member in ((fitted.export_trees(), fitted.trees), (fitted.export_forest(), fitted.forest)):
        assert np.allclose(exported.probability(features), member.predict_proba(features)[:, 1], atol=1e-6)
    model = fitted.scorer(threshold=0.5)
    assert np.allclose(model.probabilities(features), fitted.probabilities(features), atol=1e-6)
