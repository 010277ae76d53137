"""Thinking models and OpenAI's reasoning models, over real HTTP with the real ``openai`` client.

The loopback server (``runner/testing/loopback.py``) answers each prompt as the offline policy
would, thinking first as each server family documents it (``runner/testing/behaviours.py``): a
run through each must store the frames of the offline run.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import morning_data, write_scenario
from engine_helpers import frames, morning_frames, query

from runner.batch import run_scenario, sim_status
from runner.cli import main
from runner.config import run_key
from runner.llm.thinking import split_thinking
from runner.scenario import load_scenario
from runner.testing.behaviours import Behaviour
from runner.testing.loopback import OpenAIServer

STEPS = 200
pytestmark = pytest.mark.usefixtures("fast_retries")


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple]:
    """Frames of the offline run of the morning demo."""
    return morning_frames(tmp_path_factory.mktemp("ref"), STEPS)


def llm_scenario(tmp_path: Path, server: OpenAIServer, **llm) -> Path:
    data = morning_data()
    data["llm"] = {
        "backend": "openai",
        "model": "test-model",
        "base_url": server.base_url,
        "timeout": 5,
        **llm,
    }
    return write_scenario(tmp_path / "morning.yaml", data)


@pytest.mark.parametrize(
    "text, answer, thinking, unfinished",
    [
        ('{"a": 1}', '{"a": 1}', "", False),
        ('<think>\nhmm {"b": 2}\n</think>\n\n{"a": 1}', '{"a": 1}', 'hmm {"b": 2}', False),
        ('  <think>still going {"b": 2}', "", 'still going {"b": 2}', True),
        (
            'R1 thinks with no opening tag</think>{"a": 1}',
            '{"a": 1}',
            "R1 thinks with no opening tag",
            False,
        ),
        ("<think></think>{}", "{}", "", False),
    ],
)
def test_the_answer_is_what_follows_the_thinking(text, answer, thinking, unfinished):
    split = split_thinking(text)
    assert (split.answer, split.thinking, split.unfinished) == (answer, thinking, unfinished)


BEHAVIOURS = {
    "think in content, switch honoured": dict(
        thinking="content", honours=("chat_template_kwargs",)
    ),
    "R1 distill: only </think>, no switch": dict(thinking="content", open_tag=False),
    "reasoning_content, switch honoured": dict(
        thinking="reasoning_content", honours=("chat_template_kwargs",)
    ),
    "reasoning, no switch": dict(thinking="reasoning"),
    "OpenAI reasoning model": dict(
        thinking="hidden", honours=("reasoning_effort",), openai_rules=True
    ),
}


@pytest.mark.parametrize("name", list(BEHAVIOURS))
def test_a_run_through_each_thinking_server_stores_the_offline_frames(
    name, tmp_path, book, reference
):
    behaviour = Behaviour(**BEHAVIOURS[name])
    with OpenAIServer(book, seed=7, behaviour=behaviour) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=STEPS, out_root=tmp_path)
    assert result.steps_done == STEPS
    assert frames(result.sim_dir) == reference
    info = sim_status(result.sim_dir)
    assert info["failsafes"] == 0 and server.unknown_prompts == 0
    reasoning = query(result.sim_dir, "SELECT sum(reasoning_tokens) FROM llm_calls")[0][0]
    if behaviour.honours:  # switched off: no call thinks, as the server counts
        assert behaviour.thinking_calls == 0 and reasoning == 0
    else:  # thinks all the same: stripped, and counted
        assert behaviour.thinking_calls > 0 and reasoning > 0
    assert all(count == 1 for count in behaviour.refused.values())  # one refusal per field


def test_openai_rules_learned_once_per_field(tmp_path, book, capfd):
    behaviour = Behaviour("hidden", honours=("reasoning_effort",), openai_rules=True)
    with OpenAIServer(book, seed=7, behaviour=behaviour) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=20, out_root=tmp_path)
    assert result.steps_done == 20 and sim_status(result.sim_dir)["failsafes"] == 0
    assert behaviour.refused == {
        "max_tokens": 1,
        "temperature": 1,
        "chat_template_kwargs": 1,
        "enable_thinking": 1,
        "reasoning_effort": 1,
    }
    assert server.chat_requests == server.answered + sum(behaviour.refused.values())
    assert "max_tokens" not in behaviour.last and "temperature" not in behaviour.last
    assert behaviour.last["reasoning_effort"] == "minimal"
    assert query(result.sim_dir, "SELECT count(*) FROM llm_faults")[0][0] == 0  # no retries
    err = capfd.readouterr().err
    assert err.count("refused max_tokens") == 1 and "max_completion_tokens from now on" in err


def test_thinking_cut_off_is_asked_again_once_and_counted_as_truncation(tmp_path, book):
    behaviour = Behaviour("reasoning_content", thinking_tokens=700)  # more than most budgets
    with OpenAIServer(book, seed=7, behaviour=behaviour) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=5, out_root=tmp_path)
    info = sim_status(result.sim_dir)
    assert info["failsafes"] == 0 and info["faults"].get("truncated", 0) >= 1
    assert info["retries"] == 0  # a truncation is not a malformed answer
    assert server.chat_requests == server.answered


def test_thinking_high_parses_and_its_tokens_are_shown_and_costed(tmp_path, book, monkeypatch):
    behaviour = Behaviour("reasoning_content")
    with OpenAIServer(book, seed=7, behaviour=behaviour) as server:
        path = llm_scenario(
            tmp_path, server, thinking="high", price_per_1k={"prompt": 0, "completion": 1.0}
        )
        result = run_scenario(path, steps=5, out_root=tmp_path)
    assert behaviour.last["reasoning_effort"] == "high"
    assert behaviour.last["max_tokens"] > 16384  # the answer budget and the thinking budget
    info = sim_status(result.sim_dir)
    assert info["failsafes"] == 0 and behaviour.thinking_calls == server.answered
    sent = query(
        result.sim_dir,
        "SELECT sum(completion_tokens), sum(reasoning_tokens) FROM llm_calls WHERE cache_hit = 0",
    )[0]
    assert sent[1] == 400 * server.answered and sent[0] > sent[1]
    assert info["cost"] == pytest.approx(sent[0] / 1000)  # reasoning tokens are paid for
    monkeypatch.chdir(tmp_path)
    lines = CliRunner().invoke(main, ["status", "morning", "--by-kind"]).output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("kind"))
    assert lines[at].split()[8] == "reasoning"  # kind calls sent cached prompt tok compl tok
    assert sum(int(row.split()[6]) for row in lines[at + 1 :] if row.strip()) == sent[1]


def test_extra_body_is_sent_as_is_and_is_part_of_the_run(tmp_path, book):
    with OpenAIServer(book, seed=7, behaviour=Behaviour()) as server:
        path = llm_scenario(tmp_path, server, extra_body={"top_k": 20, "min_p": 0.05})
        run_scenario(path, steps=3, out_root=tmp_path)
        with_body = load_scenario(path)
        plain = load_scenario(llm_scenario(tmp_path, server))
    assert server.behaviour.last["top_k"] == 20 and server.behaviour.last["min_p"] == 0.05
    assert server.behaviour.fields["top_k"] == server.answered
    assert run_key(with_body) != run_key(plain)
    thinking = plain.model_copy(update={"llm": plain.llm.model_copy(update={"thinking": "low"})})
    assert run_key(thinking) != run_key(plain)


def test_a_store_of_schema_6_opens_and_gains_the_reasoning_column(tmp_path, book):
    with OpenAIServer(book, seed=7) as server:
        sim = run_scenario(llm_scenario(tmp_path, server), steps=3, out_root=tmp_path).sim_dir
    db = sqlite3.connect(sim / "sim.sqlite")
    with db:  # as schema 6 wrote it
        db.execute("ALTER TABLE llm_calls DROP COLUMN reasoning_tokens")
        db.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
    db.close()
    before = sim_status(sim)  # read as it is
    assert before["calls"] > 0
    assert "reasoning" in CliRunner().invoke(main, ["status", str(sim), "--by-kind"]).output
    from runner.store import SimStore

    store = SimStore(sim / "sim.sqlite")
    assert store.schema_version == 7 and store.spent().reasoning_tokens == 0
    store.close()
    assert sim_status(sim)["calls"] == before["calls"]


@pytest.mark.parametrize(
    "behaviour, said",
    [
        ("think in content, switch honoured", "thinking: off via chat_template_kwargs"),
        ("reasoning, no switch", "thinking: cannot be switched off on this server"),
        (
            "OpenAI reasoning model",
            "parameters: max_completion_tokens instead of max_tokens; left out: temperature",
        ),
    ],
)
def test_check_llm_says_what_it_settled_on(behaviour, said, tmp_path, book):
    with OpenAIServer(book, seed=7, behaviour=Behaviour(**BEHAVIOURS[behaviour])) as server:
        result = CliRunner().invoke(main, ["check-llm", str(llm_scenario(tmp_path, server))])
    assert result.exit_code == 0, result.output
    assert said in result.output
