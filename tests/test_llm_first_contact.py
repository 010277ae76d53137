"""First contact with an LLM endpoint: a scenario key a backend needs, a base_url where nothing
listens, and messages printed above the progress bar."""

from __future__ import annotations

import socket
import time

import pytest
from click.testing import CliRunner
from conftest import morning_data, write_scenario
from engine_helpers import rw_batch

from runner.batch import run_scenario
from runner.cli import main
from runner.llm.base import Request, Response
from runner.llm.retry import FatalLLMError, LLMStopped, Retry, TransientError
from runner.prompts.kinds import KINDS
from runner.testing.loopback import OpenAIServer
from runner.testing.promptbook import PromptBook


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_missing_model_names_the_scenario_file(tmp_path):
    path = write_scenario(tmp_path / "town.yaml", morning_data())
    result = CliRunner().invoke(main, ["run", str(path), "--llm", "openai", "--quiet"])
    assert result.exit_code == 1
    assert f"{path}: key 'llm.model': the openai backend needs a model name" in result.output
    check = CliRunner().invoke(main, ["check-llm", str(path), "--llm", "openai"])
    assert f"{path}: key 'llm.model':" in check.output


def test_a_base_url_where_nothing_listens_stops_the_run_with_one_line(tmp_path):
    url = f"http://127.0.0.1:{closed_port()}/v1"
    data = morning_data()
    data["llm"] = {"backend": "openai", "model": "m", "base_url": url, "timeout": 2}
    path = write_scenario(tmp_path / "typo.yaml", data)
    began = time.monotonic()
    proc = rw_batch("run", str(path), "--steps", "5", cwd=tmp_path)
    out, err = proc.communicate(timeout=60)  # today: a 0% bar for as long as one waits
    assert proc.returncode == 1
    assert time.monotonic() - began < 30
    last = err.strip().splitlines()[-1].split("\r")[-1]
    assert last.startswith("error: llm: nothing answers at " + url), err
    assert "check llm.base_url" in last
    began = time.monotonic()
    check = rw_batch("check-llm", str(path), cwd=tmp_path)
    out, err = check.communicate(timeout=60)
    assert check.returncode == 1 and "nothing answers at " + url in out + err
    assert time.monotonic() - began < 40  # today: gives up after 60 s of retries


class Flaky:
    """Answers, then is unreachable."""

    name, model, is_llm, serial, embed_model = "flaky", "m", True, False, None

    def __init__(self, answers: int):
        self.answers = answers

    def complete(self, request: Request) -> Response:
        if self.answers:
            self.answers -= 1
            return Response('{"choice": "厨房"}', extra={"endpoint": "e1"})
        raise TransientError("connection", "refused", "e1", unreachable=True)


def request() -> Request:
    context = {"name": "甲", "lang": "zh"}
    return Request("action_arena", "zh", context, KINDS["action_arena"].schema, "甲")


def test_an_endpoint_that_answered_before_gets_the_patient_retry():
    never = Retry(Flaky(0), base_s=0.01, max_s=0.02, never_answered_s=0.2)
    with pytest.raises(FatalLLMError, match="nothing answers at e1"):
        never.complete(request())
    answered = Retry(Flaky(1), base_s=0.01, max_s=0.02, never_answered_s=0.2)
    assert answered.complete(request()).text
    deadline = time.monotonic() + 1.0  # five times the never-answered limit
    answered.should_stop = lambda: time.monotonic() > deadline
    with pytest.raises(LLMStopped):
        answered.complete(request())


def test_messages_during_a_run_are_not_torn_by_the_progress_bar(tmp_path, monkeypatch, capfd):
    book = PromptBook().install(monkeypatch)
    with OpenAIServer(book, seed=7, refuse_formats=("json_schema",)) as server:
        data = morning_data()
        data["llm"] = {"backend": "openai", "model": "m", "base_url": server.base_url}
        path = write_scenario(tmp_path / "morning.yaml", data)
        run_scenario(path, steps=3, out_root=tmp_path, progress=True)
    err = capfd.readouterr().err
    said = [line for line in err.split("\n") if "refused structured output" in line]
    assert len(said) == 1
    assert said[0].split("\r")[-1].startswith("llm: "), repr(said[0])  # not after a bar
