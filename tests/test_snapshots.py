"""Agent states at hourly snapshots, frames as changes (schema 6): a fork or a resume re-runs
the steps since the last snapshot, asking the server nothing, and repeats the original."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import morning_data, write_scenario
from engine_helpers import frames, query

from runner.batch import resume_sim, run_scenario
from runner.errors import RingWorldError
from runner.levers import fork, whisper
from runner.store import SimFolder
from runner.testing.loopback import OpenAIServer
from runner.testing.promptbook import PromptBook

STEPS = 1200  # from 7:00, 10 s a step: snapshots after steps 0, 359, 719, 1079 and the last
SNAPSHOTS = [0, 359, 719, 1079, 1199]
KEY = "sk-rw-test-5a4b3c2d1e0f"


@pytest.fixture(scope="module")
def original(tmp_path_factory) -> Path:
    """The morning demo run offline for ``STEPS`` steps."""
    base = tmp_path_factory.mktemp("orig")
    path = write_scenario(base / "morning.yaml", morning_data())
    return run_scenario(path, steps=STEPS, out_root=base / "output").sim_dir


def snapshots(sim: Path) -> list[int]:
    return [s for (s,) in query(sim, "SELECT step FROM steps WHERE snapshot = 1 ORDER BY step")]


def test_states_are_stored_at_snapshots_and_frames_as_changes(original):
    assert snapshots(original) == SNAPSHOTS
    state_steps = {s for (s,) in query(original, "SELECT DISTINCT step FROM agent_state")}
    assert state_steps <= set(SNAPSHOTS) and 0 in state_steps
    moves = query(original, "SELECT count(*) FROM frame_moves")[0][0]
    texts = query(original, "SELECT count(*) FROM frame_texts")[0][0]
    assert 3 <= texts < moves < STEPS * 3 / 2  # one row per change, not per agent and step
    store = SimFolder(original).open(readonly=True)
    whole = store.frames()
    assert store.frames(700, 720) == whole[700 * 3 : 720 * 3]
    store.close()
    assert len(whole) == STEPS * 3 and frames(original) == whole  # the view shows them whole


@pytest.mark.parametrize("at", [1, 359, 360, 361, 900, 1199])
def test_a_fork_at_any_step_runs_on_as_the_original(original, tmp_path, at):
    branch = fork(original, tmp_path / "branch", at_step=at)
    assert resume_sim(branch, steps=STEPS).steps_done == STEPS
    assert frames(branch) == frames(original)
    assert query(branch, "SELECT count(*) FROM memories") == query(
        original, "SELECT count(*) FROM memories"
    )
    assert at in snapshots(branch)  # the first step the fork runs is one


def test_a_fork_between_two_snapshots_asks_the_server_nothing(tmp_path, monkeypatch):
    book = PromptBook().install(monkeypatch)
    monkeypatch.setenv("RW_TEST_KEY", KEY)
    with OpenAIServer(book, seed=7, api_key=KEY) as server:
        data = morning_data()
        data["llm"] = {
            "backend": "openai",
            "model": "test-model",
            "base_url": server.base_url,
            "api_key_env": "RW_TEST_KEY",
        }
        data["embedding"] = {"model": "test-embed"}
        path = write_scenario(tmp_path / "morning.yaml", data)
        first = run_scenario(path, steps=STEPS, out_root=tmp_path).sim_dir
        asked = (server.chat_requests, server.embed_requests)
        assert asked[0] > 50 and snapshots(first) == SNAPSHOTS
        branch = fork(first, tmp_path / "branch", at_step=900)  # 720..899 are re-run
        assert resume_sim(branch, steps=STEPS).steps_done == STEPS
        # no question: what reached the server is only what copies sent thinking ahead on a
        # wrong guess (runner/thinkahead.py), each kept as an ``ahead`` row
        sent_ahead = "SELECT count(*) FROM llm_calls WHERE step >= 900 AND outcome = 'ahead'"
        ahead = query(branch, sent_ahead)[0][0]
        assert (server.chat_requests - ahead, server.embed_requests) == asked
    assert frames(branch) == frames(first)
    hits = query(
        branch,
        "SELECT count(*), sum(cache_hit) FROM llm_calls WHERE step >= 900 AND outcome != 'ahead'",
    )
    assert hits[0][0] > 0 and hits[0][0] == hits[0][1]
    asked_again = "SELECT count(*) FROM llm_calls WHERE step >= 720 AND step < 900"
    asked_again += " AND outcome != 'ahead'"  # the questions, not what copies sent
    assert query(branch, asked_again) == query(first, asked_again)


def test_a_thought_planted_after_the_last_snapshot_is_kept(original, tmp_path):
    """A fork at 900 re-runs 720..899, then takes the whisper planted at 900: as a run that
    stopped at 900 and was whispered to."""
    path = write_scenario(tmp_path / "morning.yaml", morning_data())
    stopped = run_scenario(path, steps=900, out_root=tmp_path / "ref").sim_dir
    branch = fork(original, tmp_path / "branch", at_step=900)
    for sim in (stopped, branch):
        whisper(sim, "克劳斯·穆勒", "我要去咖啡馆问伊莎贝拉情人节派对的事")
        resume_sim(sim, steps=STEPS)
    assert frames(branch) == frames(stopped)
    texts = "SELECT agent, node, created_step, description FROM memories ORDER BY agent, node"
    assert query(branch, texts) == query(stopped, texts)
    assert any("情人节派对的事" in row[3] for row in query(branch, texts))


def test_a_re_run_that_comes_out_differently_stops_the_resume(original, tmp_path):
    branch = fork(original, tmp_path / "branch", at_step=900)
    db = sqlite3.connect(branch / "sim.sqlite")
    with db:
        db.execute("UPDATE frame_moves SET x = x + 1 WHERE step > 720 AND step < 900")
    db.close()
    with pytest.raises(RingWorldError, match="step 7[2-9][0-9] came out differently"):
        resume_sim(branch, steps=STEPS)
    assert query(branch, "SELECT value FROM meta WHERE key = 'steps_done'") == [("900",)]
