"""`pathways load`: loopback only, bounded, and complete journeys with no error against a real server."""

from __future__ import annotations

import pytest

from api import cli
from evals import load


@pytest.mark.parametrize(
    "url", ["http://10.0.0.7:8000", "http://192.168.1.2", "https://example.org", "http://[::2]:80"]
)
def test_only_loopback_servers_are_loaded(url, capsys):
    with pytest.raises(ValueError, match="loopback"):
        load.require_loopback(url)
    assert cli.main(["load", "--url", url, "--concurrency", "1"]) == 2
    assert "loopback" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000/", "http://localhost:1", "http://127.9.9.9", "http://[::1]:9"])
def test_loopback_servers_are_accepted(url):
    assert load.require_loopback(url) == url.rstrip("/")


def test_journeys_at_once_complete_without_errors(live_server):
    result = load.run_level(live_server, concurrency=3, sessions=4, turns=12)
    assert (result.errors, result.first_error) == (0, None)
    assert result.sessions_completed == 4 and result.turns == 4 * 13  # the opening turn and 12 more
    assert 0 < result.turn_ms_p50 <= result.turn_ms_p95 <= result.turn_ms_p99 <= result.turn_ms_max


def test_a_journey_cut_short_or_lengthened(live_server):
    assert len(load.session_inputs("sl", 3)) == 3
    assert load.session_inputs("sl", 13)[-2:] == [load.QUESTION, load.QUESTION]
    assert load.run_level(live_server, concurrency=1, sessions=1, turns=3).turns == 4
