"""A session's confirmed profile and pathway as ELM JSON-LD and as a printable HTML report (skill matrix, pathway)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from agent.context import Context
from agent.state import JourneyState
from agent.steps.common import credential_title, level_name, profile_view, skill_label, step_effect
from agent.steps.jobs import learner
from domain.languages import LANGUAGE_NAMES
from domain.models import Pathway
from prompts.texts import text
from tools.exporters import export_learner_elm

LEVELS = (1, 2, 3, 4)


def confirmed_pathway(state: JourneyState) -> Pathway | None:
    stored = (state.get("profile") or {}).get("pathway")
    if not stored:
        return None
    return Pathway.model_validate({k: v for k, v in stored.items() if k in Pathway.model_fields})


def elm_export(ctx: Context, state: JourneyState, *, subject_id: str) -> dict:
    return export_learner_elm(
        kb=ctx.kb,
        catalogue=ctx.catalogue,
        profile=learner(state),
        pathway=confirmed_pathway(state),
        lang=state["language"],
        subject_id=subject_id,
    )


def html_report(ctx: Context, state: JourneyState) -> str:
    lang = state["language"]

    def t(key: str, **values: object) -> str:
        return escape(text(lang, f"report.{key}", **values))

    view = profile_view(ctx, state)
    parts = [
        f"<h1>{t('title')}</h1>",
        f"<p>{t('generated', date=datetime.now(UTC).date().isoformat())}</p>",
        f"<h2>{t('skills_heading')}</h2>",
        _skill_matrix(ctx, view["skills"], lang, t) if view["skills"] else f"<p>{t('no_skills')}</p>",
    ]
    if view["target_job"]:
        parts.append(f"<h2>{t('target_heading')}</h2><p>{escape(view['target_job']['label'])}</p>")
    parts.append(f"<h2>{t('pathway_heading')}</h2>")
    pathway = confirmed_pathway(state)
    parts.append(_pathway_table(ctx, pathway, lang, t) if pathway else f"<p>{t('no_pathway')}</p>")
    parts.append("<p><small>This service uses the ESCO classification of the European Commission.</small></p>")
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{t("title")}</title>'
        f"<style>{REPORT_CSS}</style></head><body>"
        f'<button onclick="window.print()" class="noprint">{t("print")}</button>{"".join(parts)}</body></html>'
    )


def _skill_matrix(ctx: Context, skills: list[dict], lang: str, t) -> str:
    head = "".join(f"<th scope='col'>{escape(level_name(ctx, lv, lang))}</th>" for lv in LEVELS)
    rows = []
    for skill in skills:
        level = skill["level"] or 0
        cells = "".join("<td class='on'>●</td>" if level >= lv else "<td class='off'></td>" for lv in LEVELS)
        source = text(lang, f"agent.source_{skill['source']}") if skill.get("source") else ""
        rows.append(f"<tr><th scope='row'>{escape(skill['label'])}</th>{cells}<td>{escape(source)}</td></tr>")
    return (
        f"<table><thead><tr><th scope='col'>{t('col_skill')}</th>{head}<th scope='col'>{t('col_source')}</th>"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _pathway_table(ctx: Context, pathway: Pathway, lang: str, t) -> str:
    rows = []
    numbers = {step.credential_id: n for n, step in enumerate(pathway.steps, start=1)}
    for n, step in enumerate(pathway.steps, start=1):
        cred = ctx.catalogue.credentials[step.credential_id]
        details = " · ".join(
            [
                f"EQF {cred.eqf}",
                f"{cred.ects:g} ECTS",
                f"{cred.workload_hours} h",
                text(lang, f"agent.mode_{cred.mode.value}"),
                "/".join(LANGUAGE_NAMES[x] for x in cred.languages if x in LANGUAGE_NAMES),
            ]
        )
        rows.append(
            f"<tr><td>{n}</td><td>{escape(credential_title(ctx, cred.id, lang))}</td>"
            f"<td>{escape(details)}</td><td>{escape(step_effect(ctx, lang, step, numbers))}</td></tr>"
        )
    table = (
        f"<p>{t('match_line', before=round(pathway.match_before), after=round(pathway.match_after))}</p>"
        f"<table><thead><tr><th scope='col'>#</th><th scope='col'>{t('col_credential')}</th>"
        f"<th scope='col'>{t('col_details')}</th><th scope='col'>{t('col_closes')}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    if pathway.uncovered:
        table += f"<p>{t('uncovered', skills=', '.join(skill_label(ctx, u, lang) for u in pathway.uncovered))}</p>"
    return table


REPORT_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; margin: 2rem; max-width: 60rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: .35rem .5rem; text-align: left; vertical-align: top; }
td.on { background: #1d5f8a; color: #fff; text-align: center; }
@media print { .noprint { display: none; } }
"""
