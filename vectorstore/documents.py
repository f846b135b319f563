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


def _concept_documents(
    *,
    key: str,
    short: str,
    labels: dict[str, str],
    alts: dict[str, tuple[str, ...]],
    description: str,
    label_field: str,
    meta: dict,
) -> list[IndexDoc]:
    """One entry per language for the preferred label/title and for the alternative ones; the description once."""
    docs = [
        IndexDoc(id=f"{short}:{lang}:{label_field}", key=key, lang=lang, field=label_field, text=text, meta=meta)
        for lang, text in labels.items()
    ]
    docs += [
        IndexDoc(
            id=f"{short}:{lang}:alt",
            key=key,
            lang=lang,
            field="alt",
            text="; ".join(values[:MAX_ALT_LABELS]),
            meta=meta,
        )
        for lang, values in alts.items()
        if values
    ]
    if description:
        docs.append(
            IndexDoc(
                id=f"{short}:en:description",
                key=key,
                lang="en",
                field="description",
                text=first_sentence(description),
                meta=meta,
            )
        )
    return docs


def skill_documents(kb: KnowledgeBase) -> list[IndexDoc]:
    return [
        doc
        for uri, skill in kb.skills.items()
        for doc in _concept_documents(
            key=uri,
            short=uri.rsplit("/", 1)[-1],
            labels={lang: lb.text for lang, lb in skill.labels.items()},
            alts=skill.alt_labels,
            description=skill.description,
            label_field="label",
            meta={"type": skill.type.value, "reuse": skill.reuse_level},
        )
    ]


def alias_documents(aliases: dict[tuple[Lang, str], tuple[str, ...]]) -> list[IndexDoc]:
    """Curated alias phrases (acronyms, AM jargon) -> skill URIs; lexical only."""
    return [
        IndexDoc(id=f"alias:{i}:{n}", key=uri, lang=lang, field="alias", text=phrase)
        for i, ((lang, phrase), uris) in enumerate(sorted(aliases.items()))
        for n, uri in enumerate(uris)
    ]


def job_documents(kb: KnowledgeBase) -> list[IndexDoc]:
    return [
        doc
        for pid, profile in kb.job_profiles.items()
        for doc in _concept_documents(
            key=pid,
            short=pid,
            labels={lang: t.text for lang, t in profile.titles.items()},
            alts=profile.alt_titles,
            description=profile.description,
            label_field="title",
            meta={"eqf": profile.eqf, "sector": ",".join(profile.sectors), "isco": profile.isco_code},
        )
    ]


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
