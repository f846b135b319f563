"""Derivation rules from ESCO/ISCO to the LCAMP job-profile schema. Each rule is documented in data/README.md."""

from __future__ import annotations

import re
from collections.abc import Iterable


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str]:
    """Match any keyword at a word start (a keyword may be a prefix: "weld" matches "welding")."""
    alternatives = "|".join(re.escape(k.lower()) for k in keywords)
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})")


# --- Which occupations become job profiles ------------------------------------------------------------

# ISCO-08 unit groups kept as advanced-manufacturing job profiles (4-digit codes, or 3-digit minor groups).
AM_ISCO_GROUPS: tuple[str, ...] = (
    "1321",  # manufacturing managers
    "2141",
    "2143",
    "2144",
    "2145",
    "2146",
    "2149",  # engineering professionals (not civil, 2142)
    "2151",
    "2152",  # electrical and electronics engineers
    "2163",  # product designers
    "3113",
    "3114",
    "3115",
    "3116",
    "3117",
    "3118",
    "3119",  # engineering technicians (not civil, 3112)
    "3122",  # manufacturing supervisors
    "3133",
    "3134",
    "3135",
    "3139",  # process control technicians
    "721",
    "722",
    "723",  # metal, machinery and related trades
    "7311",  # precision-instrument makers
    "741",
    "742",  # electrical and electronics trades
    "7522",
    "7523",  # woodworking machine setters, cabinet-makers
    "7543",  # product graders and testers
    "812",
    "813",
    "814",
    "815",
    "816",
    "817",
    "818",  # plant and machine operators (not mining 811)
    "821",  # assemblers
    "9329",  # manufacturing labourers
)
EXCLUDED_ISCO_GROUPS: tuple[str, ...] = ("8157",)  # laundry machine operators


def is_am_isco(code: str) -> bool:
    if any(code.startswith(x) for x in EXCLUDED_ISCO_GROUPS):
        return False
    return any(code.startswith(x) for x in AM_ISCO_GROUPS)


# --- EQF level ----------------------------------------------------------------------------------------

# ISCO-08 skill level of each major group, and the EQF level it maps to (ILO ISCO-08 vol. 1, table 1;
# EQF referencing reports place ISCO skill level 2 at EQF 3-4, level 3 at EQF 5, level 4 at EQF 6+).
BASE_EQF_BY_MAJOR_GROUP = {"1": 6, "2": 6, "3": 5, "7": 4, "8": 3, "9": 3}

_WORD = r"(?<![a-z]){}(?![a-z])"
_ENGINEER = re.compile(_WORD.format("engineers?"))
_SUPERVISOR = re.compile(_WORD.format(r"(supervisors?|foreman|forewoman|chief|head|master)"))
_TECHNICIAN = re.compile(_WORD.format(r"(technicians?|technologists?|inspectors?|programmers?|draughtsperson|drafter)"))
_OPERATOR = re.compile(
    _WORD.format(r"(operators?|operatives?|tenders?|assemblers?|workers?|attendants?|labourers?|feeders?)")
)
_ASSISTANT = re.compile(_WORD.format(r"(assistants?|helpers?|apprentices?)"))


def derive_eqf(isco_code: str, title: str) -> int:
    """EQF 3-6 from the ISCO skill level, refined by the role words of the English title.

    1. Start from the major group's skill level (BASE_EQF_BY_MAJOR_GROUP).
    2. Managers and engineers: 6. Supervisors, chiefs and masters: at least 5.
    3. In craft and operator groups (7, 8, 9): a technician/inspector/programmer title is 4;
       an operator/tender/assembler/worker title in a craft group (7) is 3.
    4. In technician groups (3): an assistant or operator title is 4.
    5. Clamp to 3-6, the range of LCAMP's AM profiles.
    """
    major = isco_code[:1]
    eqf = BASE_EQF_BY_MAJOR_GROUP.get(major, 3)
    text = title.lower()
    if _ENGINEER.search(text) and major in "123":
        eqf = 6
    elif _SUPERVISOR.search(text):
        eqf = max(eqf, 5)
    elif major in "789" and _TECHNICIAN.search(text):
        eqf = 4
    elif major == "7" and _OPERATOR.search(text):
        eqf = 3
    elif major == "3" and (_ASSISTANT.search(text) or _OPERATOR.search(text)):
        eqf = 4
    return min(6, max(3, eqf))


# --- Minimum proficiency of a required skill ----------------------------------------------------------

ESSENTIAL_LEVEL_BY_EQF = {3: 2, 4: 2, 5: 3, 6: 3}
SPECIFIC_REUSE_LEVELS = ("occupation-specific", "sector-specific")


def derive_min_level(*, eqf: int, essential: bool, reuse_level: str, transversal: bool) -> int:
    """Minimum proficiency 1-4 a profile requires of one skill.

    - Essential skills: EQF 3-4 -> 2 (Intermediate), EQF 5-6 -> 3 (Advanced);
      +1 for an occupation- or sector-specific skill at EQF 4 and 6 (the core of the trade or specialism).
    - Optional skills: one level below the essential level (at least 1).
    - Transversal skills: at most 2 up to EQF 4 and at most 3 above.
    """
    level = ESSENTIAL_LEVEL_BY_EQF[eqf]
    if eqf in (4, 6) and reuse_level in SPECIFIC_REUSE_LEVELS:
        level += 1
    if not essential:
        level -= 1
    if transversal:
        level = min(level, 2 if eqf <= 4 else 3)
    return max(1, min(4, level))


# --- Sectors ------------------------------------------------------------------------------------------

SECTOR_KEYWORDS: dict[str, tuple[str, ...]] = {
    "automotive": ("automotive", "motor vehicle", "vehicle", "car body", "car ", "cars ", "engines "),
    "aerospace": ("aircraft", "aerospace", "aviation", "avionic", "spacecraft", "airframe"),
    "machine-tools": (
        "machine tool",
        "cnc",
        "computer numerical",
        "lathe",
        "milling",
        "grinding",
        "drilling machine",
        "machining",
        "toolmak",
        "dies ",
        "stamping press",
        "press brake",
    ),
    "metalworking": ("metal", "weld", "steel", "forg", "sheet", "foundry", "casting", "solder", "brazing"),
    "electronics": ("electronic", "semiconductor", "circuit", "microelectron", "printed circuit", "sensor"),
    "electrical-equipment": ("electrical", "electric motor", "wiring", "switchgear", "transformer"),
    "additive-manufacturing": ("additive", "3d print", "3d-print", "rapid prototyp"),
    "robotics-automation": ("robot", "automation", "mechatronic", "automated", "plc", "programmable logic"),
    "process-industry": (
        "chemical",
        "plastic",
        "rubber",
        "glass",
        "ceramic",
        "paper",
        "pulp",
        "cement",
        "refin",
        "process control",
        "polymer",
        "petroleum",
        "pharmaceutical",
    ),
    "food-and-beverage": ("food", "beverage", "dairy", "bakery", "meat", "brew", "confection", "tobacco", "sugar"),
    "textiles-and-leather": (
        "textile",
        "fabric ",
        "fabrics",
        "garment",
        "leather",
        "fibre",
        "yarn",
        "weaving",
        "knitting",
        "footwear",
        "shoe",
        "spinning",
        "sewing",
    ),
    "wood-and-furniture": ("wood", "furniture", "cabinet", "timber", "veneer"),
    "energy": ("energy", "power plant", "turbine", "solar", "wind", "boiler", "photovoltaic"),
    "precision-instruments": ("precision", "instrument", "optical", "watch", "medical device"),
}
GENERAL_SECTOR = "general-manufacturing"
_SECTOR_PATTERNS = {sector: keyword_pattern(words) for sector, words in SECTOR_KEYWORDS.items()}


def derive_sectors(titles: Iterable[str], description: str) -> tuple[str, ...]:
    """Sector tags whose keywords occur in the English titles; the description only when the titles name none."""
    for texts in (titles, (description,)):
        blob = " ".join(t.lower() for t in texts) + " "
        sectors = tuple(s for s, pattern in _SECTOR_PATTERNS.items() if pattern.search(blob))
        if sectors:
            return sectors
    return (GENERAL_SECTOR,)


# --- Career paths (successor roles) -------------------------------------------------------------------

# ISCO sub-major groups a role at a given sub-major group usually progresses to (besides its own).
CAREER_FAMILIES: dict[str, tuple[str, ...]] = {
    "72": ("72", "31", "3122", "7543"),
    "73": ("73", "31", "3122"),
    "74": ("74", "31", "3122", "21"),
    "75": ("75", "31", "3122", "7543"),
    "81": ("81", "72", "31", "3122"),
    "82": ("82", "72", "74", "31", "3122", "7543"),
    "93": ("93", "81", "82", "72", "3122"),
    "31": ("31", "21", "1321"),
    "21": ("21", "1321"),
    "13": (),
}
MIN_SUCCESSOR_SIMILARITY = 0.15
SHARED_SECTOR_BONUS = 0.2
MAX_SUCCESSORS = 3


def in_career_family(from_isco: str, to_isco: str) -> bool:
    family = CAREER_FAMILIES.get(from_isco[:2], (from_isco[:2],))
    return any(to_isco.startswith(prefix) for prefix in family)


def successor_score(current: set[str], successor: set[str], shared_sectors: int) -> float:
    """Cosine similarity of the two roles' essential skill sets, plus a bonus per shared specific sector."""
    if not current or not successor:
        return 0.0
    return len(current & successor) / (len(current) * len(successor)) ** 0.5 + SHARED_SECTOR_BONUS * shared_sectors
