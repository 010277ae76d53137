"""The ``openai`` backend against servers: one nobody here wrote, and several at once.

- ``python -m llama_cpp.server`` (llama-cpp-python's OpenAI-compatible server) with the packaged
  Gemma 3 270M, started here on 127.0.0.1: it refuses ``json_schema`` with an HTTP 500, and
  ``check-llm`` with the default settings must still pass by stepping down to
  ``json_object`` with the schema, which that server turns into a grammar.
- Three loopback servers (runner/testing/loopback.py) in ``base_url``: calls spread evenly, one
  of them killed mid-run leaves the other two to finish the very same run.
- One loopback server that answers a storm of 429s: the adaptive limit halves and grows back.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import morning_data, scenario_data, write_scenario
from engine_helpers import frames, morning_frames, rw_batch

from runner.batch import run_scenario, sim_status
from runner.config import Scenario
from runner.llm.base import Request
from runner.llm.openai_backend import OpenAIBackend
from runner.llm.retry import Retry, TransientError
from runner.llm.spread import Spread
from runner.prompts.kinds import KINDS
from runner.testing.loopback import OpenAIServer

STEPS = 1200  # the morning demo from 7:00: plans, actions, walks and a conversation
READY_S = 120.0  # the llama.cpp server must answer /v1/models within this
CLI_DEADLINE_S = 1500  # check-llm or 3 steps on the 270M model, on a busy 2-core machine


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
    data["llm"] = {
        "backend": "openai",
        "model": "gemma3-270m",
        "base_url": url,
        "temperature": 0.3,
        "timeout": 600,  # one answer at a time on 2 shared cores: a queued call waits long
    }
    return write_scenario(path, data)


def run_cli(*args: str, cwd: Path) -> tuple[int, str, str]:
    """``rw-batch ARGS`` in a process of its own, with a deadline."""
    proc = rw_batch(*args, cwd=cwd)
    try:
        out, err = proc.communicate(timeout=CLI_DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate(timeout=30)
        pytest.fail(f"rw-batch {args[0]} still running after {CLI_DEADLINE_S} s: {err[-2000:]}")
    return proc.returncode, out, err


# one kind of each answer shape: a number, a list, a boolean, a choice, lines, numbers per item
SHAPES = ("wake_up_hour", "daily_plan", "decide_to_talk", "action_arena", "conversation",
          "importances")  # fmt: skip


def test_check_llm_with_default_settings_on_llama_cpp_server(llama_server, tmp_path):
    """A kind of each answer shape through a server nobody here wrote (every kind against the
    same model in process: tests/test_llm_local.py)."""
    path = llama_scenario(tmp_path / "demo.yaml", llama_server)
    kinds = [arg for kind in SHAPES for arg in ("--kind", kind)]
    code, out, err = run_cli("check-llm", str(path), *kinds, cwd=tmp_path)
    print(out)
    lines = out.splitlines()
    parsed = [k for k in SHAPES if " parsed" in next(x for x in lines if x.startswith(k + " "))]
    assert len(parsed) >= len(SHAPES) - 1, out + err
    assert not any(x.startswith(k + " ") for k in KINDS if k not in SHAPES for x in lines)
    passed = int(next(x for x in lines if x.endswith("checks passed")).split()[0])
    assert passed >= len(SHAPES), out  # of len(SHAPES) + 1 with embeddings
    assert "refused structured output 'json_schema'" in err  # the 500, stepped down at once
    assert "structured output settled on json_object+schema" in out
    assert code == (0 if passed == len(SHAPES) + 1 else 1)


def test_demo_steps_on_llama_cpp_server(llama_server, tmp_path):
    """Three steps of the demo's first agent (planning its day) through the server."""
    agents = scenario_data()["agents"][:1]
    path = llama_scenario(tmp_path / "demo.yaml", llama_server, agents=agents, history=None)
    code, _, err = run_cli("run", str(path), "--steps", "3", "--quiet", cwd=tmp_path)
    assert code == 0, err
    sim_dir = tmp_path / "output" / "demo_llama"
    db = sqlite3.connect(sim_dir / "sim.sqlite")
    rows = db.execute("SELECT kind, outcome, completion_tokens FROM llm_calls").fetchall()
    stored = db.execute("SELECT step, action FROM frames ORDER BY step").fetchall()
    db.close()
    assert {"wake_up_hour", "daily_plan", "hourly_schedule"} <= {kind for kind, _, _ in rows}
    assert all(tokens > 0 for _, _, tokens in rows)  # every answer came from the model
    assert sum(outcome == "ok" for _, outcome, _ in rows) >= 0.9 * len(rows), rows
    assert [step for step, _ in stored] == [0, 1, 2] and all(action for _, action in stored)
    assert sim_status(sim_dir)["faults"] == {}  # the refusal was a step down, not a fault


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
    data = {**scenario_data(), "llm": {**llm, "structured": structured}}
    return OpenAIBackend(Scenario.model_validate(data))


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


def test_those_who_queued_behind_the_first_request_go_together_once_it_is_answered():
    """Eight agents ask at once before any request of the form was answered: one goes alone
    (a refused form costs one request), and once it is answered the seven that queued behind
    it go at once, not one by one (the town's first step took 25 answers' time so)."""
    first_seven = threading.Barrier(7, timeout=30)

    def together(n: int) -> None:
        if 2 <= n <= 8:
            first_seven.wait()  # one at a time: broken after 30 s, and the test fails below

    with OpenAIServer(latency=0.05, faults=together) as server:
        backend = backend_for(server)
        threads = [threading.Thread(target=backend.complete, args=(question(),)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        arrivals = list(server.arrivals)
    assert not first_seven.broken and server.chat_requests == 8
    assert arrivals[0] == 1 and max(arrivals) == 7  # the probe alone, then the seven at once


# --- several endpoints -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple]:
    return morning_frames(tmp_path_factory.mktemp("ref"), STEPS)


@pytest.fixture
def book(book, fast_retries):
    """The book of this process's prompts; and a run's retries waiting 0.01-0.05 s."""
    return book


def spread_scenario(tmp_path: Path, servers: list[OpenAIServer]) -> Path:
    data = morning_data()
    data["llm"] = {
        "backend": "openai",
        "model": "test-model",
        "base_url": [s.base_url for s in servers],
        "timeout": 2,
    }
    data["embedding"] = {"model": "test-embed"}
    return write_scenario(tmp_path / "morning.yaml", data)


def steps_stored(sim_dir: Path) -> list[tuple]:
    db = sqlite3.connect(f"file:{sim_dir / 'sim.sqlite'}?mode=ro", uri=True)
    try:
        return db.execute(
            "SELECT step, count(*) FROM frames GROUP BY step ORDER BY step"
        ).fetchall()
    finally:
        db.close()


def test_three_endpoints_share_the_calls_evenly(tmp_path, book, reference):
    servers = [OpenAIServer(book, seed=7, latency=0.005).start() for _ in range(3)]
    path = spread_scenario(tmp_path, servers)
    try:  # without the cache every question goes to a server
        result = run_scenario(path, steps=STEPS, out_root=tmp_path, use_cache=False)
    finally:
        for server in servers:
            server.stop()
    counts = [s.chat_requests + s.embed_requests for s in servers]
    mean = sum(counts) / 3
    print("requests per endpoint (chat + embeddings):", counts)
    assert mean > 40 and all(abs(c - mean) <= 0.1 * mean for c in counts), counts  # 128 in all
    assert frames(result.sim_dir) == reference


def test_one_endpoint_killed_mid_run_the_other_two_finish_the_same_run(
    tmp_path, book, reference, monkeypatch
):
    monkeypatch.setattr("runner.llm.spread.COOL_DOWN_S", 0.2)  # probes of the dead one, in a run
    doomed = OpenAIServer(book, seed=7, latency=0.005, die_at=15)
    servers = [OpenAIServer(book, seed=7, latency=0.005).start(), doomed.start()]
    servers.append(OpenAIServer(book, seed=7, latency=0.005).start())
    dead = doomed.base_url
    try:
        result = run_scenario(spread_scenario(tmp_path, servers), steps=STEPS, out_root=tmp_path)
    finally:
        for server in servers:
            server.stop()
    assert doomed.chat_requests == 15 and doomed.answered < 15  # it died at its 15th call
    assert result.steps_done == STEPS
    assert steps_stored(result.sim_dir) == [(step, 3) for step in range(STEPS)]
    assert frames(result.sim_dir) == reference
    db = sqlite3.connect(result.sim_dir / "sim.sqlite")
    faults = db.execute("SELECT endpoint, reason FROM llm_faults").fetchall()
    db.close()
    print("answered per endpoint:", [s.answered for s in servers], "faults:", len(faults))
    assert faults and all(f == (dead, "connection") for f in faults), faults
    # the call it held, then one refused probe after each pause (0.2 s, 0.4 s, 0.8 s …)
    assert 2 <= len(faults) <= 8, faults
    assert sum(s.answered for s in servers if s is not doomed) > 2 * doomed.answered


# --- the adaptive limit ------------------------------------------------------------------------


def test_the_limit_halves_on_429_and_grows_back():
    """16 threads keep calling one endpoint; requests 150-189 are answered with 429.

    The first 16 requests are held at the server until all 16 are there (a barrier with a
    deadline): that the limit lets 16 in at once is then shown whatever the machine's speed
    (on a slow one, threads that call one after another seldom had 12 in flight by chance).
    One request goes first alone: until a request of its form is answered, an endpoint takes
    one at a time (``endpoint_rules``: a refused field costs one request)."""
    first = threading.Barrier(16, timeout=30)

    def storm(n: int) -> str | None:
        if 2 <= n <= 17:
            first.wait()  # fewer at once ever: broken after 30 s, and the test fails below
        return "429" if 151 <= n < 191 else None

    trace: list[int] = []
    lock = threading.Lock()
    with OpenAIServer(latency=0.01, faults=storm) as server:
        spread = Spread([backend_for(server)], max_concurrency=16)
        retry = Retry(spread, base_s=0.001, max_s=0.01)
        assert retry.complete(question()).text  # the form proven: from now on, at once

        def work() -> None:
            for _ in range(50):
                assert retry.complete(question()).text
                with lock:
                    trace.append(spread.limits[0])

        threads = [threading.Thread(target=work) for _ in range(16)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads)
        arrivals = list(server.arrivals)
    assert len(trace) == 800 and server.injected["429"] == 40
    changes = [(n, limit) for n, limit in enumerate(trace) if n == 0 or trace[n - 1] != limit]
    print("limit (after call n: limit):", changes)
    assert trace[:100] == [16] * 100 and min(trace) <= 4  # halved, more than once
    assert trace[-1] == 16  # and grew back
    assert max(arrivals) <= 16 and arrivals[16] == 16  # what the server saw: before,
    assert not first.broken and server.injected.keys() == {"429"}
    assert max(arrivals[191:211]) <= 8  # … and just after the storm
