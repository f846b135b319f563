import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from vectorstore.skill_vectors import JobTitleVectors, SkillVectors

ENTRIES = [  # (skill, language, field)
    ("s1", "en", "label"),
    ("s1", "es", "label"),
    ("s1", "en", "alt"),
    ("s1", "en", "description"),
    ("s2", "en", "label"),
    ("s2", "en", "description"),
    ("s3", "en", "label"),
    ("s3", "sl", "label"),
    ("s3", "en", "alt"),
    ("s3", "sl", "alt"),
    ("s2", "it", "alt"),
]


def collection(tmp_path, name="skills", entries=ENTRIES, seed=7):
    """A collection of random unit vectors, one per (key, language, field) entry, and those vectors."""
    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )
    vectors = np.random.default_rng(seed).normal(size=(len(entries), 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    found = client.create_collection(name, embedding_function=None, metadata={"content_hash": "abc123"})
    found.add(
        ids=[f"{key}:{lang}:{field}" for key, lang, field in entries],
        embeddings=vectors,
        metadatas=[{"key": key, "lang": lang, "field": field} for key, lang, field in entries],
    )
    return found, vectors


def brute_force(units, vectors, keep):
    out = {}
    for skill in ("s1", "s2", "s3"):
        rows = [i for i, entry in enumerate(ENTRIES) if entry[0] == skill and keep(entry)]
        out[skill] = (units @ vectors[rows].T).max(axis=1) if rows else np.full(len(units), -1.0)
    return out


def test_cosines_per_field_match_a_brute_force_search(tmp_path):
    chroma, vectors = collection(tmp_path)
    skill_vectors = SkillVectors.load(chroma, cache_dir=tmp_path)
    units = np.random.default_rng(3).normal(size=(4, 8)).astype(np.float32)
    units /= np.linalg.norm(units, axis=1, keepdims=True)  # unit vectors, as the embedder gives
    cos = skill_vectors.cosines(units, "sl")
    skills = np.array(sorted(skill_vectors.index.values()))
    checks = {
        "label_en": (cos.label_en, lambda e: e[2] == "label" and e[1] == "en"),
        "label_lang": (cos.label_lang, lambda e: e[2] == "label" and e[1] == "sl"),
        "label": (cos.label, lambda e: e[2] == "label" and e[1] in ("en", "sl")),  # s1's Spanish label is not asked
        "alt": (skill_vectors.field_cosines(units, "alt", skills), lambda e: e[2] == "alt"),
        "alt_en_sl": (
            skill_vectors.field_cosines(units, "alt", skills, langs=("en", "sl")),
            lambda e: e[2] == "alt" and e[1] in ("en", "sl"),  # s2 has an Italian alternative only: -1
        ),
        "description": (skill_vectors.field_cosines(units, "description", skills), lambda e: e[2] == "description"),
    }
    for field, (found, keep) in checks.items():
        expected = brute_force(units, vectors, keep)
        for skill, column in skill_vectors.index.items():
            assert np.allclose(found[:, column], expected[skill], atol=1e-5), (field, skill)
    some = np.array([skill_vectors.index["s3"]])  # a subset, in the caller's order
    assert np.allclose(skill_vectors.field_cosines(units, "alt", some)[:, 0], checks["alt"][0][:, some[0]])
    assert (skill_vectors.cosines(units, "en").label_lang == cos.label_en).all()


def test_label_vectors_are_english_and_the_language_with_english_where_it_has_none(tmp_path):
    chroma, vectors = collection(tmp_path)
    skill_vectors = SkillVectors.load(chroma, cache_dir=tmp_path)
    row = {entry: i for i, entry in enumerate(ENTRIES)}
    asked = np.array([skill_vectors.index[k] for k in ("s3", "s1", "s2")])  # the caller's order
    for lang, second in (("sl", ("sl", "en", "en")), ("es", ("en", "es", "en")), ("tr", ("en", "en", "en"))):
        found = skill_vectors.label_vectors(asked, lang)
        assert found.shape == (3, 2, 8)
        for n, (key, own) in enumerate(zip(("s3", "s1", "s2"), second)):
            assert np.allclose(found[n, 0], vectors[row[(key, "en", "label")]], atol=1e-3)
            assert np.allclose(found[n, 1], vectors[row[(key, own, "label")]], atol=1e-3)


def test_vectors_are_saved_once_and_reloaded_the_same(tmp_path):
    chroma, _ = collection(tmp_path)
    first = SkillVectors.load(chroma, cache_dir=tmp_path)
    saved = list(tmp_path.glob("skill-vectors-*.npz"))
    assert len(saved) == 1 and "abc123" in saved[0].name
    second = SkillVectors.load(chroma, cache_dir=tmp_path)
    assert second.keys == first.keys
    for field, rows in first.rows.items():
        assert np.allclose(second.rows[field].vectors, rows.vectors, atol=1e-3)  # float16 on disk
        assert (second.rows[field].skills == rows.skills).all()
    saved[0].write_bytes(b"not a numpy file")  # a damaged copy is read from the index again
    third = SkillVectors.load(chroma, cache_dir=tmp_path)
    assert third.keys == first.keys


JOB_ENTRIES = [  # (job, language, field)
    ("j2", "en", "title"),
    ("j1", "en", "title"),
    ("j1", "fr", "alt"),
    ("j2", "en", "description"),
    ("j1", "it", "title"),
    ("j3", "es", "title"),
]


def test_job_nearness_is_the_best_cosine_to_titles_in_english_or_the_text_language(tmp_path):
    jobs, vectors = collection(tmp_path, "jobs", JOB_ENTRIES, seed=5)
    titles = JobTitleVectors.from_collection(jobs)
    units = np.random.default_rng(2).normal(size=(3, 8)).astype(np.float32)
    for lang in ("fr", "it", "es"):
        found = dict(zip(titles.keys, titles.nearness(units, lang)))
        for job in ("j1", "j2", "j3"):
            rows = [
                i
                for i, (j, entry_lang, field) in enumerate(JOB_ENTRIES)
                if j == job and field in ("title", "alt") and entry_lang in ("en", lang)
            ]
            expected = (units @ vectors[rows].T).max() if rows else -1.0
            assert np.isclose(found[job], expected, atol=1e-5), (lang, job)
