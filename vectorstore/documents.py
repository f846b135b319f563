"""What goes into the indexes: one entry per concept x language x field."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel

from domain.knowledge_base import KnowledgeBase
from domain.languages import Lang
from domain.models import MicroCredential

MAX_ALT_LABELS = 12
_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s")


class IndexDoc(BaseModel):
    id: str
    key: str  # skill URI, job profile id or credential id
    lang: Lang
    field: str  # label | alt | description | alias | title | summary
    text: str
    meta: dict[str, str | int | float | bool] = {}


def first_sentence(text: str) -> str:
    return _FIRST_SENTENCE.split(text.strip(), maxsplit=1)[0]


def skill_documents(kb: KnowledgeBase) -> list[IndexDoc]:
    docs = []
    for uri, skill in kb.skills.items():
        short = uri.rsplit("/", 1)[-1]
        meta = {"type": skill.type.value, "reuse": skill.reuse_level}
        for lang, label in skill.labels.items():
            docs.append(
                IndexDoc(id=f"{short}:{lang}:label", key=uri, lang=lang, field="label", text=label.text, meta=meta)
            )
        for lang, alts in skill.alt_labels.items():
            if alts:
                docs.append(
                    IndexDoc(
                        id=f"{short}:{lang}:alt",
                        key=uri,
                        lang=lang,
                        field="alt",
                        text="; ".join(alts[:MAX_ALT_LABELS]),
                        meta=meta,
                    )
                )
        if skill.description:
            docs.append(
                IndexDoc(
                    id=f"{short}:en:description",
                    key=uri,
                    lang="en",
                    field="description",
                    text=first_sentence(skill.description),
                    meta=meta,
                )
            )
    return docs


def alias_documents(aliases: dict[str, tuple[str, ...]]) -> list[IndexDoc]:
    """Curated alias phrases (acronyms, AM jargon) -> skill URIs; lexical only."""
    return [
        IndexDoc(id=f"alias:{i}:{n}", key=uri, lang="en", field="alias", text=phrase)
        for i, (phrase, uris) in enumerate(sorted(aliases.items()))
        for n, uri in enumerate(uris)
    ]


def job_documents(kb: KnowledgeBase) -> list[IndexDoc]:
    docs = []
    for pid, profile in kb.job_profiles.items():
        meta = {"eqf": profile.eqf, "sector": ",".join(profile.sectors), "isco": profile.isco_code}
        for lang, title in profile.titles.items():
            docs.append(
                IndexDoc(id=f"{pid}:{lang}:title", key=pid, lang=lang, field="title", text=title.text, meta=meta)
            )
        for lang, alts in profile.alt_titles.items():
            if alts:
                docs.append(
                    IndexDoc(
                        id=f"{pid}:{lang}:alt",
                        key=pid,
                        lang=lang,
                        field="alt",
                        text="; ".join(alts[:MAX_ALT_LABELS]),
                        meta=meta,
                    )
                )
        docs.append(
            IndexDoc(
                id=f"{pid}:en:description",
                key=pid,
                lang="en",
                field="description",
                text=first_sentence(profile.description),
                meta=meta,
            )
        )
    return docs


def credential_documents(credentials: Iterable[MicroCredential]) -> list[IndexDoc]:
    docs = []
    for cred in credentials:
        meta = {
            "eqf": cred.eqf,
            "mode": cred.mode.value,
            "country": cred.country,
            "languages": ",".join(cred.languages),
        }
        for lang, title in cred.titles.items():
            docs.append(
                IndexDoc(id=f"{cred.id}:{lang}:title", key=cred.id, lang=lang, field="title", text=title, meta=meta)
            )
        for lang, summary in cred.summaries.items():
            docs.append(
                IndexDoc(
                    id=f"{cred.id}:{lang}:summary", key=cred.id, lang=lang, field="summary", text=summary, meta=meta
                )
            )
    return docs
