"""Terminal browser of the knowledge base: find job profiles, open one, follow its career path."""

from __future__ import annotations

from collections.abc import Callable

from domain.knowledge_base import KnowledgeBase, get_knowledge_base
from domain.languages import Lang
from domain.models import JobProfile
from domain.settings import get_settings
from domain.text import fold, tokens
from prompts.texts import text

MAX_RESULTS = 8
MAX_SKILLS_SHOWN = 12


def find_profiles(kb: KnowledgeBase, query: str, lang: Lang, limit: int = MAX_RESULTS) -> list[JobProfile]:
    """Profiles whose titles (session language, English, alternatives) contain the query's words."""
    words = tokens(query)
    if not words:
        return []
    scored = []
    for profile in kb.job_profiles.values():
        titles = [
            profile.title(lang),
            profile.title("en"),
            *profile.alt_titles.get(lang, ()),
            *profile.alt_titles.get("en", ()),
        ]
        folded = [fold(t) for t in titles]
        hits = sum(1 for w in words if any(w in t for t in folded))
        if hits:
            exact = any(fold(query).strip() == t for t in folded[:2])
            scored.append((-hits, not exact, profile.eqf, profile.title(lang), profile))
    return [s[-1] for s in sorted(scored, key=lambda s: s[:4])[:limit]]


def localized_title(profile: JobProfile, lang: Lang) -> str:
    if lang in profile.titles:
        return profile.title(lang)
    return f"{profile.title('en')} {text(lang, 'browser.english_fallback')}"


def _numbered(profiles: list[JobProfile], lang: Lang) -> str:
    return "\n".join(f"  {i}. {localized_title(p, lang)} (EQF {p.eqf})" for i, p in enumerate(profiles, 1))


def describe_profile(kb: KnowledgeBase, profile: JobProfile, lang: Lang) -> list[str]:
    level_names = {lv.level: lv.names[lang] for lv in kb.proficiency_levels}
    fallback = text(lang, "browser.english_fallback")

    def skill_label(uri: str) -> str:
        skill = kb.skills[uri]
        return skill.label(lang) if skill.has_label(lang) else f"{skill.label('en')} {fallback}"

    lines = [
        text(
            lang,
            "browser.profile_header",
            title=localized_title(profile, lang),
            eqf=profile.eqf,
            isco=profile.isco_code,
        ),
        text(lang, "browser.sectors", sectors=", ".join(profile.sectors)),
        text(lang, "browser.essential"),
    ]
    lines += [
        f"  - {skill_label(r.skill_uri)} ({level_names[r.min_level]})" for r in profile.essential[:MAX_SKILLS_SHOWN]
    ]
    successors = [localized_title(kb.job_profiles[s], lang) for s in profile.successors]
    lines.append(
        text(lang, "browser.career_path", titles="; ".join(successors))
        if successors
        else text(lang, "browser.no_career_path")
    )
    return lines


def run_browser(
    *, lang: Lang | None = None, read: Callable[[str], str] = input, write: Callable[[str], None] = print
) -> int:
    kb = get_knowledge_base()
    lang = lang or get_settings().default_language
    write(text(lang, "browser.welcome", profiles=len(kb.job_profiles)))
    shown: list[JobProfile] = []
    while True:
        try:
            query = read(text(lang, "browser.prompt")).strip()
        except EOFError:
            query = "q"
        if query.lower() in {"q", "quit", "exit"}:
            write(text(lang, "browser.bye"))
            write(text(lang, "browser.attribution"))
            return 0
        if query.isdigit():
            number = int(query)
            if 1 <= number <= len(shown):
                profile = shown[number - 1]
                write("\n".join(describe_profile(kb, profile, lang)))
                shown = [kb.job_profiles[s] for s in profile.successors]
                write(_numbered(shown, lang))
            else:
                write(text(lang, "browser.invalid_choice", number=number))
            continue
        shown = find_profiles(kb, query, lang)
        if not shown:
            write(text(lang, "browser.no_match", query=query))
            continue
        write(text(lang, "browser.results", query=query))
        write(_numbered(shown, lang))
