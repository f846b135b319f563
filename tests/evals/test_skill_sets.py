"""The project's labelled skill sets: the committed JSONL files are their YAML sources, and the held-out set is
independent of the set the scorer is fitted on."""

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


def test_the_shipped_scorer_was_never_fitted_on_the_held_out_set():
    trained_on = default_scorer().trained_on
    assert any(source.startswith("multilingual_am.jsonl") for source in trained_on)
    assert not any("heldout" in source for source in trained_on)


def test_held_out_texts_are_no_nearer_to_the_fitted_set_than_its_texts_are_to_each_other(retrieval):
    """Decontamination: figures on the held-out set would flatter the scorer if its texts echoed the fitted ones."""
    fitted, held_out = _items("multilingual_am"), _items("multilingual_am_heldout")
    embed = retrieval.embedder.queries
    for lang in LANGS:
        own = [i["text"] for i in fitted if i["lang"] == lang]
        new = [i["text"] for i in held_out if i["lang"] == lang]
        own_vectors, new_vectors = embed(own), embed(new)
        within = own_vectors @ own_vectors.T
        np.fill_diagonal(within, -1.0)
        assert (new_vectors @ own_vectors.T).max() <= within.max(), lang
        within_words = max(_jaccard(a, b) for n, a in enumerate(own) for b in own[n + 1 :])
        assert max(_jaccard(a, b) for a in new for b in own) <= within_words, lang
