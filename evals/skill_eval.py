"""`pathways eval skills --data FILE.jsonl [--k 5] [--out report.json]` (specs/skill-eval.md)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from pydantic import BaseModel, ValidationError
from tqdm import tqdm

from domain.languages import Lang
from evals.metrics import SkillMetrics, TextOutcome, score
from tools.extraction import SkillExtractor


class EvalItem(BaseModel):
    id: str
    text: str
    lang: Lang | None = None
    gold: list[str] = []


class EvalReport(BaseModel):
    data: str
    metrics: SkillMetrics
    per_language: dict[str, SkillMetrics]  # by the language each text was read in, when the file has several
    ms_per_1000_chars: float
    items: list[dict]


def read_items(path: Path) -> list[EvalItem]:
    items, seen = [], set()
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = EvalItem.model_validate_json(line)
        except ValidationError as exc:
            raise ValueError(f"{path}:{line_no}: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
        if item.id in seen:
            raise ValueError(f"{path}:{line_no}: duplicate id {item.id}")
        seen.add(item.id)
        items.append(item)
    return items


def run(*, extractor: SkillExtractor, path: Path, k: int = 5) -> EvalReport:
    items = read_items(path)
    outcomes, rows = [], []
    by_language: dict[str, list[TextOutcome]] = {}
    chars = 0
    elapsed = 0.0
    for item in tqdm(items, desc=f"eval {path.name}", unit="text"):
        start = time.perf_counter()
        result = extractor.extract_text(item.text, lang=item.lang)
        elapsed += time.perf_counter() - start
        chars += len(item.text)
        outcome = TextOutcome(
            ranked=[c.uri for c in result.candidates], predicted=[s.uri for s in result.skills], gold=item.gold
        )
        outcomes.append(outcome)
        by_language.setdefault(result.language, []).append(outcome)
        rows.append(
            {
                "id": item.id,
                "lang": result.language,
                "gold": item.gold,
                "predicted": outcome.predicted,
                "ranked": [{"uri": c.uri, "score": c.score} for c in result.candidates],
            }
        )
    return EvalReport(
        data=str(path),
        metrics=score(outcomes, k=k),
        per_language={lang: score(o, k=k) for lang, o in sorted(by_language.items())} if len(by_language) > 1 else {},
        ms_per_1000_chars=round(1000 * elapsed / max(chars, 1) * 1000, 1),
        items=rows,
    )


def print_report(report: EvalReport) -> None:
    """The spec's lines on stdout; the figures per language (a multilingual file) and the share of gold skills
    among the ranked candidates on stderr, so stdout stays as specs/skill-eval.md says."""
    for lang, metrics in report.per_language.items():
        print(f"{lang}: {_summary(metrics)} in-ranked={metrics.ranked_recall:.3f}", file=sys.stderr)
    m = report.metrics
    print(
        f"gold skills among the ranked candidates (the most re-ranking could reach): {m.ranked_recall:.3f}",
        file=sys.stderr,
    )
    print(f"RP@{m.k}: {m.rp_at_k:.3f}")
    print(f"MRR: {m.mrr:.3f}")
    print(f"P: {m.precision:.3f}")
    print(f"R: {m.recall:.3f}")
    print(f"F1: {m.f1:.3f}")
    print(f"ms per 1,000 characters: {report.ms_per_1000_chars}")
    print(_summary(m))


def _summary(m: SkillMetrics) -> str:
    return f"RP@{m.k}={m.rp_at_k:.3f} MRR={m.mrr:.3f} P={m.precision:.3f} R={m.recall:.3f} F1={m.f1:.3f} n={m.n}"


def write_report(report: EvalReport, out: Path) -> None:
    out.write_text(json.dumps(report.model_dump(), ensure_ascii=False, indent=1), encoding="utf-8")
