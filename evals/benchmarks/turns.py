"""`pathways bench turns`: time per deterministic turn over complete journeys in the six languages.

Each journey starts with no query vector cached (a text embedded twice within the journey is served from the
cache the second time, as in a real session). The CPU time of the process per turn is reported too: unlike
the latencies, it hardly depends on what else the machine is running."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from pydantic import BaseModel

from evals.benchmarks.stats import forget_query_vectors, percentile

JOURNEY_TEXT = {
    "en": ("I like robots and automation", "I assemble parts on a line, check quality and read drawings."),
    "es": ("Me interesan los robots", "Monto piezas en una línea, controlo la calidad y leo planos."),
    "fr": ("Les robots m'intéressent", "J'assemble des pièces et je contrôle la qualité."),
    "it": ("Mi interessano i robot", "Assemblo componenti e controllo la qualità dei pezzi."),
    "tr": ("Robotlar ilgimi çekiyor", "Montaj hattında parça monte ediyor, kaliteyi kontrol ediyorum."),
    "sl": ("Zanimajo me roboti", "Sestavljam dele na liniji in preverjam kakovost izdelkov."),
}


def journey(lang: str) -> list:
    """A whole journey's inputs; a callable step builds its input from the previous turn."""
    interest, experience = JOURNEY_TEXT[lang]
    return [
        {"text": interest},
        {"action": {"type": "confirm"}},
        {"text": experience},
        {"action": {"type": "confirm"}},
        {"action": {"type": "rate", "default": 2}},
        {"action": {"type": "answer_quiz", "answers": "correct"}},
        {"action": {"type": "next"}},
        lambda turn: {"action": {"type": "choose_job", "job_id": turn["pending"]["options"][0]["id"]}},
        {"action": {"type": "confirm"}},
        {"action": {"type": "confirm"}},
        {"text": "What is EQF 5?"},
    ]


class TurnBench(BaseModel):
    journeys: int
    turns: int
    turn_ms_p50: float
    turn_ms_p95: float
    turn_ms_max: float
    extraction_turn_ms_p50: float
    cpu_ms_per_turn: float  # CPU time of this process (every thread) per turn, mean


def run(*, rounds: int = 1) -> TurnBench:
    from agent.service import Agent

    with tempfile.TemporaryDirectory() as tmp:
        agent = Agent(db_path=Path(tmp) / "sessions.sqlite")
        plain, extraction = [], []
        journeys = 0
        cpu = 0.0
        for _ in range(rounds):
            for lang in JOURNEY_TEXT:
                forget_query_vectors(agent.ctx.retrieval)
                sid, turn = agent.start(language=lang)
                for step in journey(lang):
                    message = step(turn) if callable(step) else step
                    start, cpu_start = time.perf_counter(), time.process_time()
                    turn = agent.send(sid, message)
                    elapsed = (time.perf_counter() - start) * 1000
                    cpu += time.process_time() - cpu_start
                    (extraction if message.get("text") == JOURNEY_TEXT[lang][1] else plain).append(elapsed)
                journeys += 1
        return TurnBench(
            journeys=journeys,
            turns=len(plain) + len(extraction),
            turn_ms_p50=round(percentile(plain, 50), 1),
            turn_ms_p95=round(percentile(plain, 95), 1),
            turn_ms_max=round(max(plain), 1),
            extraction_turn_ms_p50=round(percentile(extraction, 50), 1),
            cpu_ms_per_turn=round(cpu * 1000 / max(1, len(plain) + len(extraction)), 1),
        )
