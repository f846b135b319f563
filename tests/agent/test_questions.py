"""Off-flow questions: answered about what the person asked, from the knowledge base, in their language."""

import pytest

from agent.steps.common import job_title
from agent.steps.questions import answer
from domain.languages import LANGS

ASK_JOB = {
    "en": "What does a {title} do?",
    "es": "¿Qué hace un {title}?",
    "fr": "Que fait un {title} ?",
    "it": "Cosa fa un {title}?",
    "tr": "{title} ne iş yapar?",
    "sl": "Kaj dela {title}?",
}
LISTED = [  # a job list an electrician who wants to move into automation is shown
    "agricultural-machinery-technician",
    "industrial-robot-controller",
    "automation-engineer",
    "robotics-engineer",
    "automation-engineering-technician",
]


@pytest.mark.parametrize("lang", LANGS)
def test_a_question_naming_a_listed_job_is_answered_about_that_job(agent, lang):
    ctx = agent.ctx
    options = [{"id": job, "label": job_title(ctx, job, lang)} for job in LISTED]
    state = {"language": lang, "step": "jobs", "pending": {"kind": "choose_job", "options": options}}
    for option in options:
        reply = answer(ctx, state, ASK_JOB[lang].format(title=option["label"]))
        eqf = ctx.kb.job_profiles[option["id"]].eqf
        assert reply[0].startswith(f"{option['label']} ("), (option["label"], reply[0])
        assert f" {eqf})" in reply[0].split(":")[0]
