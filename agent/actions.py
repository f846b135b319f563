"""The action types a turn can carry: the widget's buttons (the API's `Action.type`) and the in-process ones."""

from __future__ import annotations

# What the widget's buttons send (api.schemas.Action.type is built from this tuple, so the OpenAPI enum follows it).
BUTTON_ACTIONS = (
    "confirm",
    "reject",
    "rate",
    "answer_quiz",
    "choose_job",
    "next",
    "back",
    "help",
    "restate",
    "complete_credential",
)
# Every action type a turn accepts: the buttons, plus text (a message), edit (read from a reply) and upload (a file).
ACTIONS = frozenset({"text", "edit", "upload", *BUTTON_ACTIONS})
