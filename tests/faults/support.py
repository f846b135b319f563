"""Helpers of the fault and privacy tests: what is on disk, what a person has confirmed, a short journey."""

from __future__ import annotations

from pathlib import Path

EXPERIENCE = "I repair industrial robots, troubleshoot faults and read engineering drawings."


def stored_bytes(path: Path) -> bytes:
    """Everything of an SQLite database on disk: the file and its -wal and -shm side files."""
    return b"".join(p.read_bytes() for p in sorted(path.parent.glob(path.name + "*")) if p.is_file())


def tree_bytes(root: Path):
    """(path, bytes) of every file under root."""
    for path in sorted(root.rglob("*")):
        if path.is_file():
            yield path, path.read_bytes()


def confirmed(turn: dict) -> dict:
    """What the person has confirmed, as a turn shows it: interests, skills with levels, target job, pathway."""
    profile = turn.get("profile") or {}
    return {
        "interests": sorted(i["id"] for i in profile.get("interests", [])),
        "skills": {s["uri"]: s["level"] for s in profile.get("skills", [])},
        "target_job": (profile.get("target_job") or {}).get("id"),
        "pathway": profile.get("pathway"),
    }


def keeps(later: dict, earlier: dict) -> bool:
    """Nothing confirmed earlier is missing later (levels may be refined by the quiz, skills only added)."""
    return (
        later["interests"] == earlier["interests"]
        and set(earlier["skills"]) <= set(later["skills"])
        and (earlier["target_job"] is None or later["target_job"] == earlier["target_job"])
    )
