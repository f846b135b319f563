"""Every skill entry vector of the skills collection, held in memory for exact per-field search.

Extraction compares each piece of text with every skill's labels, alternative labels and description
(about 81k vectors). One matrix product per text is faster than one approximate query per piece, and it
gives each candidate its cosine per field, which the extraction scorer weighs separately.

Reading them from Chroma takes seconds, so the first read is also saved in the state dir (float16, named by
the collection's content hash) and later starts load that file.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from chromadb.api.models.Collection import Collection

from domain.languages import Lang

log = logging.getLogger(__name__)

FIELDS = ("label", "alt", "description")
FORMAT = 2  # of the saved copy: bumped when its layout changes
_PAGE = 10_000


@dataclass(frozen=True)
class FieldMatrix:
    """The vectors of one field: alternative labels and descriptions sorted by skill, labels by language and
    then skill (so each language is one block)."""

    vectors: np.ndarray  # rows x dim, float32
    skills: np.ndarray  # row -> skill index
    langs: np.ndarray  # row -> language code


@dataclass(frozen=True)
class UnitCosines:
    """Per unit of text, the best cosine to each skill's label: in English, and in the text's language (-1 where
    a skill has none)."""

    label_en: np.ndarray  # units x skills
    label_lang: np.ndarray  # units x skills: labels in the text's language (= label_en for English)

    @property
    def label(self) -> np.ndarray:
        return np.maximum(self.label_en, self.label_lang)


class SkillVectors:
    def __init__(self, keys: list[str], rows: dict[str, FieldMatrix]) -> None:
        self.keys = keys
        self.index = {key: i for i, key in enumerate(keys)}
        self.rows = rows
        langs = rows["label"].langs
        self._blocks = {  # each language's rows in the label matrix (one label per skill and language)
            str(lang): (int(np.searchsorted(langs, lang, "left")), int(np.searchsorted(langs, lang, "right")))
            for lang in np.unique(langs)
        }

    @classmethod
    def load(cls, collection: Collection, *, cache_dir: Path) -> SkillVectors:
        """From the saved copy of this collection's content, else from Chroma (and then saved)."""
        digest = str((collection.metadata or {}).get("content_hash", "unknown"))[:16]
        path = cache_dir / f"skill-vectors-v{FORMAT}-{digest}.npz"
        if path.is_file():
            try:
                return cls._read(path)
            except (OSError, ValueError, KeyError) as exc:
                log.warning("skill vectors in %s unreadable (%s): reading them from the index again", path, exc)
        vectors = cls.from_collection(collection)
        vectors._write(path)
        return vectors

    def _write(self, path: Path) -> None:
        arrays = {"keys": np.array(self.keys)}
        for field, rows in self.rows.items():
            arrays |= {
                f"{field}.vectors": rows.vectors.astype(np.float16),
                f"{field}.skills": rows.skills,
                f"{field}.langs": rows.langs,
            }
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in path.parent.glob("skill-vectors-*.npz"):
            old.unlink(missing_ok=True)
        tmp = path.with_name(path.name + ".tmp.npz")
        np.savez(tmp, **arrays)
        tmp.replace(path)

    @classmethod
    def _read(cls, path: Path) -> SkillVectors:
        with np.load(path) as data:
            keys = data["keys"].tolist()
            rows = {
                field: FieldMatrix(
                    data[f"{field}.vectors"].astype(np.float32), data[f"{field}.skills"], data[f"{field}.langs"]
                )
                for field in FIELDS
            }
        return cls(keys, rows)

    @classmethod
    def from_collection(cls, collection: Collection) -> SkillVectors:
        vectors, metas = [], []
        total = collection.count()
        for offset in range(0, total, _PAGE):
            page = collection.get(include=["embeddings", "metadatas"], limit=_PAGE, offset=offset)
            vectors.append(np.asarray(page["embeddings"], dtype=np.float32))
            metas += page["metadatas"]
        matrix = np.vstack(vectors) if vectors else np.zeros((0, 0), np.float32)
        keys = sorted({m["key"] for m in metas})
        index = {key: i for i, key in enumerate(keys)}
        rows = {}
        for field in FIELDS:
            # labels by language, then skill: each language's labels are one contiguous block
            picked = sorted(
                (m["lang"] if field == "label" else "", index[m["key"]], m["lang"], row)
                for row, m in enumerate(metas)
                if m["field"] == field
            )
            rows[field] = FieldMatrix(
                np.ascontiguousarray(matrix[[p[3] for p in picked]]),
                np.array([p[1] for p in picked], dtype=np.int32),
                np.array([p[2] for p in picked]),
            )
        return cls(keys, rows)

    def cosines(self, units: np.ndarray, lang: Lang) -> UnitCosines:
        """Exact best cosine of each unit vector to each skill's English label and label in `lang` (alternative
        labels and descriptions are compared for the candidates only: `field_cosines`)."""
        label_en = self._labels(units, "en")
        return UnitCosines(label_en=label_en, label_lang=label_en if lang == "en" else self._labels(units, lang))

    def field_cosines(
        self, units: np.ndarray, field: str, skills: np.ndarray, langs: tuple[str, ...] | None = None
    ) -> np.ndarray:
        """units x len(skills): the best cosine to each listed skill's entries of `field`, only those in `langs`
        if given (-1: it has none)."""
        matrix = self.rows[field]
        out = np.full((units.shape[0], len(skills)), -1.0, dtype=np.float32)
        first = np.searchsorted(matrix.skills, skills, side="left")
        last = np.searchsorted(matrix.skills, skills, side="right")
        present = np.flatnonzero(last > first)
        if not len(present):
            return out
        rows = np.concatenate([np.arange(first[i], last[i]) for i in present])
        starts = np.cumsum(np.r_[0, (last - first)[present][:-1]])
        cosines = units @ matrix.vectors[rows].T
        if langs is not None:
            cosines[:, ~np.isin(matrix.langs[rows], langs)] = -1.0
        out[:, present] = np.maximum.reduceat(cosines, starts, axis=1)
        return out

    def label_vectors(self, skills: np.ndarray, lang: Lang) -> np.ndarray:
        """len(skills) x 2 x dim: each listed skill's label vector in English and in `lang` (English again where
        it has no label in `lang`)."""
        english = self._label_rows(skills, "en")
        return np.stack([english, self._label_rows(skills, lang, fallback=english)], axis=1)

    def _label_rows(self, skills: np.ndarray, lang: str, fallback: np.ndarray | None = None) -> np.ndarray:
        labels = self.rows["label"]
        out = np.zeros((len(skills), labels.vectors.shape[1]), np.float32) if fallback is None else fallback.copy()
        start, stop = self._blocks.get(lang, (0, 0))
        block = labels.skills[start:stop]  # sorted: one label per skill in a language
        at = np.minimum(np.searchsorted(block, skills), max(len(block) - 1, 0))
        found = np.flatnonzero(block[at] == skills) if len(block) else np.zeros(0, dtype=np.int64)
        out[found] = labels.vectors[start + at[found]]
        return out

    def _labels(self, units: np.ndarray, lang: str) -> np.ndarray:
        labels = self.rows["label"]
        block = self._blocks.get(lang)
        out = np.full((units.shape[0], len(self.keys)), -1.0, dtype=np.float32)
        if block is not None:
            start, stop = block
            out[:, labels.skills[start:stop]] = units @ labels.vectors[start:stop].T
        return out


@dataclass(frozen=True)
class JobTitleVectors:
    """The title and alternative-title vectors of every job profile (the jobs collection), for telling which jobs a
    text describes: about 7,000 vectors, read once."""

    keys: list[str]  # job profile ids
    vectors: np.ndarray  # rows x dim, float32
    jobs: np.ndarray  # row -> index in keys
    langs: np.ndarray  # row -> language code

    @classmethod
    def from_collection(cls, collection: Collection) -> JobTitleVectors:
        page = collection.get(where={"field": {"$in": ["title", "alt"]}}, include=["embeddings", "metadatas"])
        metas = page["metadatas"]
        keys = sorted({m["key"] for m in metas})
        index = {key: i for i, key in enumerate(keys)}
        order = sorted(range(len(metas)), key=lambda row: index[metas[row]["key"]])  # each job's rows together
        vectors = np.asarray(page["embeddings"], dtype=np.float32).reshape(len(metas), -1)
        return cls(
            keys=keys,
            vectors=np.ascontiguousarray(vectors[order]),
            jobs=np.array([index[metas[row]["key"]] for row in order], dtype=np.int32),
            langs=np.array([metas[row]["lang"] for row in order]),
        )

    def nearness(self, units: np.ndarray, lang: Lang) -> np.ndarray:
        """Per job, the best cosine of any unit vector to its titles in English or `lang` (-1: none)."""
        rows = np.flatnonzero((self.langs == "en") | (self.langs == lang))
        out = np.full(len(self.keys), -1.0, dtype=np.float32)
        if not len(rows) or not len(units):
            return out
        jobs = self.jobs[rows]
        starts = np.flatnonzero(np.r_[True, jobs[1:] != jobs[:-1]])
        out[jobs[starts]] = np.maximum.reduceat((units @ self.vectors[rows].T).max(axis=0), starts)
        return out
