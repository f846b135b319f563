"""How a typed message is cleaned before anything reads it (agent/turns.py)."""

import pytest

from agent.turns import clean_text


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b[1;31mCNC\x1b[0m operator", "CNC operator"),  # colours pasted from a terminal: no "[31m" left behind
        ("welder\x1b]0;window title\x07 at Fiat", "welder at Fiat"),
        ("tab\tand\nline\x00\x7f", "tab\tand\nline"),
        ("e\u0301lectricien", "électricien"),
        ("plain [31m text", "plain [31m text"),  # brackets without an escape are the person's own
    ],
)
def test_clean_text_drops_escapes_and_controls(raw, clean):
    assert clean_text(raw) == clean
