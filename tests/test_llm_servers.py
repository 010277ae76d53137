"""The ``openai`` backend against servers: one nobody here wrote, and refusals of each kind.

- ``python -m llama_cpp.server`` (llama-cpp-python's OpenAI-compatible server) with the packaged
  Gemma 3 270M, started here on 127.0.0.1: it refuses ``json_schema`` with an HTTP 500, and
  ``check-llm`` with the default settings must still pass by stepping down to
  ``json_object`` with the schema, which that server turns into a grammar.
- The loopback server (runner/testing/loopback.py) refusing the structured form with each status.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import scenario_data, write_scenario

from runner.batch import run_scenario, sim_status
from runner.cli import main
from runner.llm.base import Request
from runner.llm.openai_backend import OpenAIBackend
from runner.llm.retry import TransientError
from runner.prompts.kinds import KINDS
from runner.testing.loopback import OpenAIServer

STEPS = 1200  # the morning demo from 7:00: plans, actions, walks and a conversation
READY_S = 120.0  # the llama.cpp server must answer /v1/models within this


# --- llama-cpp-python's server ----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(proc: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"llama_cpp.server exited ({proc.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        try:
            proc.wait(timeout=0.5)  # a pause that also sees the process end
        except subprocess.TimeoutExpired:
            continue
    pytest.fail(f"llama_cpp.server not ready after {READY_S:.0f} s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """``python -m llama_cpp.server`` with the packaged model on a free port; its base URL."""
    missing = [m for m in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette") if not _has(m)]
    if missing:
        pytest.skip(f"llama-cpp-python[server] is not installed ({', '.join(missing)})")
    from runner.llm.local import packaged_model

    port = _free_port()
    log = tmp_path_factory.mktemp("llama") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(packaged_model()),
        "--model_alias", "gemma3-270m", "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "2048", "--n_threads", "2", "--verbose", "False",
    ]  # fmt: skip
    env = {**os.environ, "OMP_WAIT_POLICY": "PASSIVE"}
    with open(log, "wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_ready(proc, url, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=20)


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def llama_scenario(path: Path, url: str, **changes) -> Path:
    data = scenario_data(name="demo_llama", **changes)
    data["llm"] = {"backend": "openai", "model": "gemma3-270m", "base_url": url, "temperature": 0.3}
    return write_scenario(path, data)


def test_check_llm_with_default_settings_on_llama_cpp_server(llama_server, tmp_path):
    path = llama_scenario(tmp_path / "demo.yaml", llama_server)
    result = CliRunner().invoke(main, ["check-llm", str(path)])
    print(result.output)
    lines = result.output.splitlines()
    parsed = [k for k in KINDS if " parsed" in next(x for x in lines if x.startswith(k + " "))]
    assert len(parsed) >= len(KINDS) - 1, result.output
    passed = int(next(x for x in lines if x.endswith("checks passed")).split()[0])
    assert passed >= len(KINDS), result.output  # of len(KINDS) + 1 with embeddings
    assert "refused structured output 'json_schema'" in result.output  # the 500, at once
    assert "structured output settled on json_object+schema" in result.output


def test_demo_steps_on_llama_cpp_server(llama_server, tmp_path):
    """Three steps of the demo's first agent (planning its day) through the server."""
    agents = scenario_data()["agents"][:1]
    path = llama_scenario(tmp_path / "demo.yaml", llama_server, agents=agents, history=None)
    result = run_scenario(path, steps=3, out_root=tmp_path / "output")
    assert result.steps_done == 3
    db = sqlite3.connect(result.sim_dir / "sim.sqlite")
    rows = db.execute("SELECT kind, outcome, completion_tokens FROM llm_calls").fetchall()
    stored = db.execute("SELECT step, action FROM frames ORDER BY step").fetchall()
    db.close()
    assert {"wake_up_hour", "daily_plan", "hourly_schedule"} <= {kind for kind, _, _ in rows}
    assert all(tokens > 0 for _, _, tokens in rows)  # every answer came from the model
    assert sum(outcome == "ok" for _, outcome, _ in rows) >= 0.9 * len(rows), rows
    assert [step for step, _ in stored] == [0, 1, 2] and all(action for _, action in stored)
    assert sim_status(result.sim_dir)["faults"] == {}  # the refusal was a step down, not a fault


# --- refusals of the structured form ----------------------------------------------------------


@dataclass(frozen=True)
class Plain(Request):
    """A question whose prompt is given as it is (no template)."""

    @property
    def prompt(self) -> str:
        return self.context["text"]


def question(text: str = "Pick a room.") -> Plain:
    schema = {
        "type": "object",
        "properties": {"choice": {"type": "string"}},
        "required": ["choice"],
        "additionalProperties": False,
    }
    return Plain("action_arena", "en", {"text": text}, schema, "A")


def backend_for(server: OpenAIServer, structured: str = "json_schema") -> OpenAIBackend:
    llm = {"model": "m", "base_url": server.base_url, "temperature": 0.0, "timeout": 5}
    return OpenAIBackend({"llm": {**llm, "structured": structured}})


@pytest.mark.parametrize("status", [400, 422, 500])
def test_a_refusal_of_the_form_steps_down_at_once_whatever_its_status(status, capfd):
    with OpenAIServer(refuse_formats=("json_schema",), refuse_status=status) as server:
        backend = backend_for(server)
        response = backend.complete(question())
        assert response.text and backend.structured_mode == "json_object+schema"
        assert server.chat_requests == 2  # the refusal, then the answer: no retry of the 500
        assert dict(server.response_formats) == {"json_object+schema": 1}  # answered
    assert "using 'json_object+schema' from now on" in capfd.readouterr().err


def test_a_500_that_names_no_format_is_a_server_fault_not_a_refusal():
    with OpenAIServer(faults=lambda n: "500") as server:
        backend = backend_for(server)
        with pytest.raises(TransientError) as caught:
            backend.complete(question())
    assert caught.value.reason == "5xx" and backend.structured_mode == "json_schema"


def test_json_object_sends_the_schema_and_steps_down_to_bare_json_mode():
    with OpenAIServer(refuse_formats=("json_object+schema",)) as server:
        backend = backend_for(server, structured="json_object")
        assert backend.structured_mode == "json_object+schema"
        assert backend.complete(question()).text
    assert backend.structured_mode == "json_object"
    assert server.chat_requests == 2 and dict(server.response_formats) == {"json_object": 1}
