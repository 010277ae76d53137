"""The ``openai`` backend against a real OpenAI-compatible HTTP server on 127.0.0.1.

The sim runs in this process and the server (runner/testing/loopback.py) answers each prompt as
the offline policy would, so a run over HTTP must give the very frames of an offline run:
through injected 500s, 429s, timeouts, dropped connections and malformed answers, with the
cache, with a budget stop and resume, and on a fork.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import morning_data, write_scenario
from engine_helpers import frames, morning_frames, query, rw_batch

from runner.batch import resume_sim, run_scenario, sim_status
from runner.cli import main
from runner.levers import fork
from runner.testing.loopback import OpenAIServer, every

STEPS = 1200  # 3 h 20 min from 7:00: plans, actions, walks and one conversation
KEY = "sk-rw-test-0f1e2d3c4b5a69788796a5b4"


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> list[tuple]:
    """Frames of the offline run of the morning demo."""
    return morning_frames(tmp_path_factory.mktemp("ref"), STEPS)


@pytest.fixture(autouse=True)
def _fast_retries_and_key(fast_retries, monkeypatch):
    monkeypatch.setenv("RW_TEST_KEY", KEY)


def llm_scenario(
    tmp_path: Path, server: OpenAIServer, name: str = "morning", start: str | None = None, **llm
) -> Path:
    """The morning demo on the openai backend at ``server``; ``llm`` keys override."""
    data = morning_data()
    data["name"] = name
    if start:
        data["start"] = start
    data["llm"] = {
        "backend": "openai",
        "model": "test-model",
        "base_url": server.base_url,
        "api_key_env": "RW_TEST_KEY",
        "timeout": 0.5,
        **llm,
    }
    data["embedding"] = {"model": "test-embed"}
    return write_scenario(tmp_path / f"{name}.yaml", data)


def test_demo_over_http_survives_every_fault_and_matches_offline(tmp_path, book, reference):
    faults = every(**{"500": 7, "429": 11, "malformed": 13, "drop": 19, "invalid": 23})
    faults_and_timeouts = lambda n: "timeout" if n in (5, 50) else faults(n)  # noqa: E731
    with OpenAIServer(book, seed=7, faults=faults_and_timeouts, api_key=KEY) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=STEPS, out_root=tmp_path)
    assert result.steps_done == STEPS and not result.stopped
    assert frames(result.sim_dir) == reference  # the same run, faults and all
    assert server.unknown_prompts == 0 and server.bad_keys == 0
    assert set(server.injected) == {"500", "429", "malformed", "drop", "invalid", "timeout"}
    assert server.response_formats["json_schema"] == server.chat_requests
    assert server.embed_requests > 0
    stored = dict(query(result.sim_dir, "SELECT reason, count(*) FROM llm_faults GROUP BY reason"))
    assert stored["5xx"] == server.injected["500"]
    assert stored["429"] == server.injected["429"]
    assert stored["timeout"] == server.injected["timeout"]
    assert stored["connection"] == server.injected["drop"]
    info = sim_status(result.sim_dir)
    assert info["retries"] >= server.injected["malformed"] + server.injected["invalid"]
    assert info["failsafes"] == 0
    assert info["faults"] == stored
    assert info["sent"] >= server.answered + server.embed_requests
    assert info["tokens"] > 0


def test_every_answer_malformed_the_run_still_completes(tmp_path, book):
    with OpenAIServer(book, seed=7, faults=lambda n: "malformed", retry_faults=True) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=20, out_root=tmp_path)
    assert result.steps_done == 20
    rows = query(result.sim_dir, "SELECT outcome, attempts FROM llm_calls WHERE kind != 'embed'")
    assert rows and all(row == ("failsafe", 3) for row in rows)
    assert len(frames(result.sim_dir)) == 20 * 3


def test_budget_stops_after_the_step_and_resume_with_a_higher_budget(tmp_path, book, reference):
    with OpenAIServer(book, seed=7) as server:
        path = llm_scenario(tmp_path, server, max_calls=25, price_per_1k={"prompt": 0.5})
        out = tmp_path / "output"
        cli = CliRunner()
        first = cli.invoke(main, ["run", str(path), "--steps", str(STEPS), "--out", str(out)])
        assert first.exit_code == 0, first.output
        assert "budget reached: llm.max_calls is 25" in first.output
        assert "resume with a higher budget" in first.output and "--max-calls N" in first.output
        sim_dir = out / "morning"
        info = sim_status(sim_dir)
        assert 0 < info["steps_done"] < STEPS
        assert info["sent"] >= 25 and info["cost"] > 0
        # the stop came right after the step that reached the budget
        last = query(sim_dir, "SELECT max(step) FROM llm_calls")[0][0]
        assert last == info["steps_done"] - 1
        again = resume_sim(sim_dir)  # the budget still holds: not one step more
        assert again.stopped and again.steps_done == info["steps_done"]
        more = resume_sim(sim_dir, budget={"max_calls": 100_000})
    assert more.steps_done == STEPS and not more.stopped
    assert frames(sim_dir) == reference
    assert "max_calls: 100000" in (sim_dir / "scenario.yaml").read_text(encoding="utf-8")


def test_a_fork_rerun_makes_zero_new_calls_and_no_cache_asks_again(tmp_path, book):
    with OpenAIServer(book, seed=7) as server:
        first = run_scenario(llm_scenario(tmp_path, server), steps=STEPS, out_root=tmp_path)
        asked = (server.chat_requests, server.embed_requests)
        assert asked[0] > 50  # a morning of questions (fewer since importance is asked per step)
        branch = fork(first.sim_dir, tmp_path / "branch", at_step=60)
        rerun = resume_sim(branch, steps=STEPS)
        assert (server.chat_requests, server.embed_requests) == asked  # zero new calls
        assert frames(branch) == frames(first.sim_dir)
        hits = query(branch, "SELECT count(*), sum(cache_hit) FROM llm_calls WHERE step >= 60")
        assert hits[0][0] > 0 and hits[0][0] == hits[0][1]
        assert rerun.steps_done == STEPS
        fresh = fork(first.sim_dir, tmp_path / "fresh", at_step=1000)
        resume_sim(fresh, steps=STEPS, use_cache=False)
        assert server.chat_requests > asked[0]


def test_calls_spread_over_endpoints_with_bounded_concurrency(tmp_path, book):
    with (
        OpenAIServer(book, seed=7, latency=0.02) as one,
        OpenAIServer(book, seed=7, latency=0.02) as two,
    ):
        urls = [one.base_url, two.base_url]
        path = llm_scenario(
            tmp_path, one, start="2023-02-13 06:00:00", base_url=urls, max_concurrency=2
        )
        result = run_scenario(path, steps=3, out_root=tmp_path)
    assert result.steps_done == 3
    assert one.chat_requests > 5 and two.chat_requests > 5
    assert max(one.max_in_flight, two.max_in_flight) == 2  # concurrent, and never more than 2


def test_structured_output_steps_down_when_refused(tmp_path, book, capfd):
    refused = ("json_schema", "json_object+schema")
    with OpenAIServer(book, seed=7, refuse_formats=refused) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=5, out_root=tmp_path)
    assert result.steps_done == 5
    assert server.response_formats["json_object"] > 0
    assert sim_status(result.sim_dir)["failsafes"] == 0
    err = capfd.readouterr().err
    assert "using 'json_object+schema' from now on" in err
    assert "using 'json_object' from now on" in err


def test_check_llm_reports_every_kind_parsed(tmp_path, book):
    with OpenAIServer(book, seed=7) as server:
        path = llm_scenario(tmp_path, server)
        result = CliRunner().invoke(main, ["check-llm", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    from runner.prompts.kinds import KINDS

    for kind in KINDS:
        line = next(line for line in lines if line.startswith(kind + " "))
        assert " parsed " in line, line
    assert f"{len(KINDS) + 1} of {len(KINDS) + 1} checks passed" in result.output
    assert server.chat_requests == len(KINDS)


def test_a_wrong_key_is_one_clear_line_without_the_key(tmp_path, book, monkeypatch):
    with OpenAIServer(book, seed=7, api_key="sk-the-right-one-000000") as server:
        path = llm_scenario(tmp_path, server)
        result = CliRunner().invoke(main, ["run", str(path), "--steps", "3", "--quiet"])
    assert result.exit_code == 1
    assert "refused the API key (HTTP 401)" in result.output
    assert KEY not in result.output


def test_no_key_in_the_sim_folder_logs_or_scenario(tmp_path, monkeypatch):
    """A real CLI process against the server (schema-built answers): the key goes out in the
    Authorization header and nowhere else."""
    monkeypatch.setenv("RINGWORLD_RETRY_BASE_S", "0.01")
    with OpenAIServer(api_key=KEY, faults=every(**{"500": 9})) as server:
        path = llm_scenario(tmp_path, server)
        proc = rw_batch("run", str(path), "--steps", "30", cwd=tmp_path)
        out, err = proc.communicate(timeout=120)
        status = rw_batch("status", "morning", "--by-kind", cwd=tmp_path)
        status_out, status_err = status.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert server.bad_keys == 0 and server.answered > 0 and server.injected["500"] > 0
    assert "api_key_env: RW_TEST_KEY" in (tmp_path / "output/morning/scenario.yaml").read_text(
        encoding="utf-8"
    )
    for text in (out, err, status_out, status_err):
        assert KEY not in text
    files = [p for p in (tmp_path / "output").rglob("*") if p.is_file()]
    assert any(p.name == "sim.sqlite" for p in files)
    for file in files:
        assert KEY.encode() not in file.read_bytes(), file
    assert "faults: 0" not in status_out and "5xx" in status_out


def test_an_outage_pauses_the_run_and_it_goes_on_when_the_server_is_back(tmp_path, book):
    down = lambda n: "drop" if n <= 40 else None  # noqa: E731  the first 40 requests fail
    with OpenAIServer(book, seed=7, faults=down) as server:
        result = run_scenario(llm_scenario(tmp_path, server), steps=5, out_root=tmp_path)
    assert result.steps_done == 5 and server.injected["drop"] == 40
    faults = query(result.sim_dir, "SELECT count(*) FROM llm_faults WHERE reason = 'connection'")
    assert faults[0][0] == 40
    assert sim_status(result.sim_dir)["failsafes"] == 0
