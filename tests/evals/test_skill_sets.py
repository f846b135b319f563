"""The project's labelled skill sets: the committed JSONL files are their YAML sources, and no set echoes a set it
must not flatter (the held-out set the fitted ones, the training-only set the scored ones)."""

import json
import re

import numpy as np
import pytest
import yaml

from domain.languages import LANGS
from evals.skills import build_jsonl
from tools.extraction import default_scorer


def _items(name: str) -> list[dict]:
    return yaml.safe_load((build_jsonl.FOLDER / f"{name}.yaml").read_text(encoding="utf-8"))


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if len(w) > 3}


def _jaccard(a: str, b: str) -> float:
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / max(1, len(wa | wb))


@pytest.mark.parametrize("name", build_jsonl.SOURCES)
def test_each_jsonl_file_is_its_yaml_source_with_gold_labels_as_esco_uris(kb, name):
    items = _items(name)
    rows = [
        json.loads(line) for line in (build_jsonl.FOLDER / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(r["id"], r["text"], r["lang"]) for r in rows] == [(i["id"], i["text"], i["lang"]) for i in items]
    for row, item in zip(rows, items, strict=True):
        assert all(uri in kb.skills for uri in row["gold"])
        assert [kb.skills[uri].label("en") for uri in row["gold"]] == item["gold"]
    per_language = {lang: sum(r["lang"] == lang for r in rows) for lang in LANGS}
    assert min(per_language.values()) >= 20, per_language
    assert len({r["id"] for r in rows}) == len(rows)


def test_the_shipped_scorer_was_fitted_on_our_sets_and_never_on_the_held_out_set():
    trained_on = default_scorer().trained_on
    assert any(source.startswith("multilingual_am.jsonl") for source in trained_on)
    assert any(source.startswith("multilingual_am_train.jsonl") for source in trained_on)
    assert not any("heldout" in source for source in trained_on)


# The embedding engine's cosines move by up to ~1e-3 between machines and batch compositions (seen: a drill-press
# text and a heat-treatment text at .9019 against .9013 within the held-out set on one machine, below it on another):
# a tie at that precision is not an echo, and an echo (a paraphrase) sits far above the within-set maximum.
NUMERIC_NOISE = 0.005


@pytest.mark.parametrize(
    ("name", "reference"),
    [
        ("multilingual_am_heldout", "multilingual_am"),
        ("multilingual_am_train", "multilingual_am"),
        ("multilingual_am_train", "multilingual_am_heldout"),
    ],
)
def test_no_text_is_nearer_to_a_scored_set_than_that_sets_texts_are_to_each_other(retrieval, name, reference):
    """Decontamination: held-out figures would flatter the scorer if its texts echoed the fitted ones, and so would
    cross-validated or held-out figures if the training-only texts echoed the scored ones."""
    texts, scored = _items(name), _items(reference)
    embed = retrieval.embedder.queries
    for lang in LANGS:
        ref = [i["text"] for i in scored if i["lang"] == lang]
        new = [i["text"] for i in texts if i["lang"] == lang]
        ref_vectors, new_vectors = embed(ref), embed(new)
        within = ref_vectors @ ref_vectors.T
        np.fill_diagonal(within, -1.0)
        assert (new_vectors @ ref_vectors.T).max() <= within.max() + NUMERIC_NOISE, lang
        within_words = max(_jaccard(a, b) for n, a in enumerate(ref) for b in ref[n + 1 :])
        assert max(_jaccard(a, b) for a in new for b in ref) <= within_words, lang
