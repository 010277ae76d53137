"""The openai backend against the loopback server in strict mode, which refuses (HTTP 400, as
OpenAI does) any strict ``json_schema`` that breaks OpenAI's Structured Outputs rules: the demo
from 10:00, conversation and ``after_chat`` included, goes through with no step-down; the
schema ``after_chat`` had before the answer models is refused."""

from __future__ import annotations

import json

import openai
import pytest
from conftest import scenario_data, write_scenario
from engine_helpers import frames
from test_llm_openai import KEY, STEPS, llm_scenario
from test_strict_schema import OLD_AFTER_CHAT

from runner.batch import run_scenario, sim_status
from runner.prompts.answers import AfterChat
from runner.testing.loopback import OpenAIServer

pytestmark = pytest.mark.usefixtures("fast_retries")
START = "2023-02-13 10:00:00"  # the demo from 10:00: two conversations, one with after_chat


@pytest.fixture(autouse=True)
def _key(monkeypatch) -> None:
    monkeypatch.setenv("RW_TEST_KEY", KEY)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple]:
    """Frames of the offline run of the demo from 10:00."""
    base = tmp_path_factory.mktemp("ref")
    path = write_scenario(base / "morning.yaml", scenario_data(name="morning", start=START))
    return frames(run_scenario(path, steps=STEPS, out_root=base / "output").sim_dir)


def test_a_whole_demo_morning_has_no_step_down(tmp_path, book, reference, capfd):
    with OpenAIServer(book, seed=7, strict_schemas=True) as server:
        result = run_scenario(
            llm_scenario(tmp_path, server, start=START), steps=STEPS, out_root=tmp_path
        )
    assert result.steps_done == STEPS
    assert server.kinds["after_chat"] >= 2 and server.kinds["chat_turn"] > 0  # a conversation
    assert server.schema_refusals == 0
    assert server.response_formats["json_schema"] == server.chat_requests > 50
    assert "refused structured output" not in capfd.readouterr().err
    info = sim_status(result.sim_dir)
    assert info["failsafes"] == 0 and info["retries"] == 0
    assert frames(result.sim_dir) == reference  # answers with nulls filled in read the same


def test_the_old_after_chat_schema_steps_the_run_down(tmp_path, book, monkeypatch, capfd):
    monkeypatch.setattr(AfterChat, "strict_schema", classmethod(lambda cls: OLD_AFTER_CHAT))
    with OpenAIServer(book, seed=7, strict_schemas=True) as server:
        result = run_scenario(
            llm_scenario(tmp_path, server, start=START), steps=STEPS, out_root=tmp_path
        )
    assert result.steps_done == STEPS
    assert 1 <= server.schema_refusals <= 2  # the first after_chat (both sides ask at once)
    assert server.response_formats["json_object+schema"] > 0
    err = capfd.readouterr().err
    assert "refused structured output" in err and "response_format 'after_chat'" in err


def test_the_refusal_is_shaped_like_openais():
    with OpenAIServer(strict_schemas=True) as server:
        client = openai.OpenAI(api_key="none", base_url=server.base_url, max_retries=0)
        fmt = {"type": "json_schema", "json_schema": {"name": "after_chat", "strict": True}}
        fmt["json_schema"]["schema"] = OLD_AFTER_CHAT
        with pytest.raises(openai.BadRequestError) as refused:
            client.chat.completions.create(
                model="m", messages=[{"role": "user", "content": "?"}], response_format=fmt
            )
        assert refused.value.status_code == 400
        assert refused.value.body == {
            "message": "Invalid schema for response_format 'after_chat': In context=(), "
            "'required' is required to be supplied and to be an array including every key in "
            "properties. Missing 'task'.",
            "type": "invalid_request_error",
            "param": "response_format",
            "code": "invalid_json_schema",
        }
        fmt["json_schema"]["schema"] = AfterChat.strict_schema()
        reply = client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "?"}], response_format=fmt
        )
        assert set(json.loads(reply.choices[0].message.content)) == {"change", "task", "minutes"}
        assert server.schema_refusals == 1
