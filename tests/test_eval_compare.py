"""``rw-batch eval --compare`` (and ``--judge``): sims of one scenario side by side, and a judge
model over HTTP (the loopback OpenAI server) ranking their interview answers blind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from conftest import morning_data, write_scenario

from runner.batch import run_scenario
from runner.cli import main
from runner.eval import judge
from runner.eval.rating import rate
from runner.eval.results import EvalResults
from runner.testing.loopback import OpenAIServer
from runner.testing.promptbook import PromptBook

STEPS = 240  # 40 game minutes from 7:00: plans made, a few actions, a few memories
KEY = "sk-rw-test-eval-0123456789abcdef"
PARTY = {
    "id": "party",
    "question": "你知道情人节派对的事吗？",
    "words": ["情人节派对", "派对"],
    "known_at_start": ["伊莎贝拉·罗德里格斯"],
}
SMALL = ["--at-step", str(STEPS - 1), "--interviewees", "1", "--category", "self_knowledge"]


def sims(tmp_path, llm: dict | None = None, seeds=(1, 2)) -> list[str]:
    """The morning demo with an eval block, run once per seed as its own sim."""
    out = []
    for seed in seeds:
        data = {**morning_data(), "name": f"seed{seed}", "seed": seed, "eval": {"facts": [PARTY]}}
        if llm:
            data["llm"] = llm
            data["embedding"] = {"model": "test-embed"}
        path = write_scenario(tmp_path / f"seed{seed}.yaml", data)
        out.append(str(run_scenario(path, steps=STEPS, out_root=tmp_path / "output").sim_dir))
    return out


def cli(*args: str):
    return CliRunner().invoke(main, ["eval", *args, "--quiet"])


def test_compare_prints_one_table_with_a_column_per_sim(tmp_path):
    a, b = sims(tmp_path)
    result = cli(a, b, "--compare", *SMALL)
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[0].split()
    assert header == ["measure", "seed1", "(full)", "seed2", "(full)"]
    row = next(line for line in result.output.splitlines() if line.startswith("diffusion party"))
    assert row.count("1/3 33% → ") == 2  # Isabella knows at step 0 in both
    assert all(r.ratings == [] for r in read(tmp_path).values())
    alone = cli(a, b, *SMALL)
    assert alone.exit_code == 1 and "add --compare" in alone.output


def test_the_offline_policy_is_no_judge(tmp_path):
    a, b = sims(tmp_path, seeds=(1, 2))
    result = cli(a, b, "--compare", "--judge", *SMALL)
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: --judge: the offline backend is a rule-based policy, not an LLM: it cannot "
        "judge which answer is the more believable; give an LLM backend (--llm, or llm.backend "
        "in the scenario)"
    ]
    assert not (tmp_path / "output" / "seed1" / "eval.json").exists()  # refused before asking
    assert "ranks sims against each other" in cli(a, "--judge").output


@pytest.fixture
def _key(monkeypatch):
    monkeypatch.setattr("runner.llm.retry.BASE_S", 0.01)
    monkeypatch.setenv("RW_TEST_KEY", KEY)


def read(tmp_path) -> dict[str, EvalResults]:
    return {n: EvalResults.read(tmp_path / "output" / n / "eval.json") for n in ("seed1", "seed2")}


def test_judge_over_http_ranks_the_sims_blind(tmp_path, monkeypatch, _key):
    book = PromptBook().install(monkeypatch)
    with OpenAIServer(book, seed=7, api_key=KEY) as server:
        llm = {
            "backend": "openai",
            "model": "test-model",
            "base_url": server.base_url,
            "api_key_env": "RW_TEST_KEY",
        }
        a, b = sims(tmp_path, llm)
        book.requests.clear()
        result = cli(a, b, "--compare", "--judge", *SMALL)
        assert result.exit_code == 0, result.output
        asked = [r for r in book.requests.values() if r.kind == "judge"]
        assert server.kinds["judge"] == len(asked) == 5  # five questions, one pair each
        blind = read(tmp_path)
        # now a model that answers from the schema alone: its verdict is the example's
        server.book = None
        again = cli(a, b, "--compare", "--judge", "--no-cache", *SMALL)
        assert again.exit_code == 0, again.output
    for request in asked:  # the judge sees the question and two answers, nothing else
        assert set(request.context) == {"question", "first", "second", "lang"}
        assert not any(word in request.prompt for word in ("seed1", "seed2", "full"))
    planned = judge.plan(blind, 0).matchups  # --seed 0, the default
    assert {m.first_label for m in planned} == {"seed1", "seed2"}  # the order is drawn
    shown = sorted(tuple(r.context[k] for k in ("question", "first", "second")) for r in asked)
    assert shown == sorted((m.question, m.first, m.second) for m in planned)
    assert all(r.mu == pytest.approx(25) for r in blind["seed1"].ratings)  # offline: draws
    results = read(tmp_path)
    ratings = results["seed1"].ratings
    assert ratings == results["seed2"].ratings and len(ratings) == 2
    assert [r.comparisons for r in ratings] == [5, 5]
    assert all(r.sigma < 25 / 3 for r in ratings)
    # every verdict was the example's, "second": the ratings are those of that many wins
    wins = [m.judgement("second") for m in judge.plan(results, 0).matchups]
    expected = rate(wins, ["seed1", "seed2"], 0)
    assert {r.sim: (r.mu, r.sigma) for r in ratings} == {
        sim: (pytest.approx(skill.mu), pytest.approx(skill.sigma))
        for sim, skill in expected.items()
    }
    assert ratings[0].mu > ratings[1].mu
    assert "judge: 5 of 5 comparisons gave a verdict" in again.output
