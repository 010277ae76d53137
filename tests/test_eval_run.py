"""``rw-batch eval`` on a two-day, 25-agent offline run of ``scenarios/town25_eval.yaml``:
what it prints and writes, checked against the sim's own frames and memories, and that the sim
is left as it was."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner
from conftest import SCENARIOS

from runner.batch import run_scenario
from runner.cli import main
from runner.eval.measures import in_place, mentions, person_words
from runner.eval.results import EvalResults, KnowsAnswer
from runner.eval.run import EvalOptions, evaluate
from runner.store import SimFolder

DAY = 8640
ISABELLA, SAM = "伊莎贝拉·罗德里格斯", "山姆·摩尔"


def state_digest(sim) -> str:
    """A hash of what the run computed: every frame, every memory, the steps stored."""
    store = SimFolder(sim).open(readonly=True)
    h = hashlib.sha256(str(store.steps_done()).encode())
    for row in [*store.frames(), *store.memory_texts()]:
        h.update(json.dumps(list(row), ensure_ascii=False).encode("utf-8"))
    store.close()
    return h.hexdigest()


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    """The two-day run (about 20 s here), evaluated by the CLI as a user would."""
    root = tmp_path_factory.mktemp("town25_eval")
    result = run_scenario(SCENARIOS / "town25_eval.yaml", out_root=root)
    sim = result.sim_dir
    before = state_digest(sim)
    cli = CliRunner().invoke(main, ["eval", str(sim), "--quiet"])
    return sim, before, cli


def test_eval_prints_the_measures_and_leaves_the_run_alone(town):
    sim, before, cli = town
    assert cli.exit_code == 0, cli.output
    lines = cli.output.splitlines()
    for measure in (
        "diffusion party",
        "diffusion candidacy",
        "network density",
        "mutual density",
        "attendance party",
        "hallucination",
    ):
        assert sum(line.startswith(measure + " ") for line in lines) == 1, measure
    assert "asked " in cli.output and " questions " in cli.output and " s; wrote " in cli.output
    assert "not an LLM" in cli.output  # offline figures say what they are
    assert state_digest(sim) == before
    assert not any(p.name.startswith("rw-eval") for p in sim.parent.iterdir())


def test_eval_json_and_the_store_hold_the_same_results(town):
    sim, _, _ = town
    results = EvalResults.read(sim / "eval.json")
    store = SimFolder(sim).open(readonly=True)
    stored = store.evaluation()
    store.close()
    assert EvalResults.model_validate_json(stored) == results
    assert [s.step for s in results.steps] == [0, DAY - 1, 2 * DAY - 1]
    assert results.backend == "offline" and len(results.agents) == 25
    json_out = CliRunner().invoke(main, ["eval", str(sim), "--json", "--quiet"]).output
    assert EvalResults.model_validate_json(json_out) == EvalResults.read(sim / "eval.json")


def test_at_step_0_only_the_knowers_of_the_scenario_know(town):
    sim, _, _ = town
    start = EvalResults.read(sim / "eval.json").steps[0]
    knowers = {d.fact: d.knowers for d in start.diffusion}
    assert knowers == {"party": [ISABELLA], "candidacy": [SAM]}
    assert start.interviews == []  # the battery is asked at the steps asked for
    assert 0 < start.network.density < 0.5


def test_answers_cite_memories_the_agent_had_at_that_step(town):
    sim, _, _ = town
    results = EvalResults.read(sim / "eval.json")
    store = SimFolder(sim).open(readonly=True)
    names = [a.name for a in results.agents]
    last = results.steps[-1]
    assert len(last.interviews) == 25 * 25
    knowing = [a for a in last.diffusion[0].answers if a.knows]
    assert knowing  # the party's news has spread beyond Isabella by the end of the run
    for answer in last.interviews[::50] + knowing:
        rows = store.memory_rows(names.index(answer.agent), last.step + 1)
        texts = {r.node: r.description for r in rows}
        assert answer.cited and set(answer.cited) <= set(texts)
        if isinstance(answer, KnowsAnswer) and answer.counted:  # offline: the detail quotes it
            assert texts[answer.cited[0]] in answer.text
    store.close()


def test_attendance_is_what_the_frames_say(town):
    sim, _, _ = town
    results = EvalResults.read(sim / "eval.json")
    event = results.events[0]
    assert (event.start_step, event.end_step) == (DAY + 17 * 360, DAY + 19 * 360)
    store = SimFolder(sim).open(readonly=True)
    frames = store.frames(event.start_step, event.end_step)
    store.close()
    names = [a.name for a in results.agents]
    there = {names[f.agent] for f in frames if in_place(f.address, event.place)}
    seen = results.steps[-1].attendance[0]
    assert set(seen.present) == there and seen.window == (event.start_step, event.end_step)
    assert set(seen.invited_present) == set(seen.invited) & there
    assert results.steps[1].attendance[0].present == []  # day 1 ends before the party


def test_the_network_holds_the_pairs_the_memories_name(town):
    sim, _, _ = town
    results = EvalResults.read(sim / "eval.json")
    store = SimFolder(sim).open(readonly=True)
    start = results.steps[0]
    names = [a.name for a in results.agents]
    for a, b in start.network.edges:  # offline knows B when a memory names B
        words = person_words(results.agents[names.index(b)], results.agents)
        texts = [r.description for r in store.memory_rows(names.index(a), 1)]
        assert any(mentions(t, words) for t in texts), (a, b)
    store.close()
    densities = [s.network.density for s in results.steps]
    assert densities == sorted(densities)  # nobody forgets whom they have met


def test_a_fork_before_the_evaluation_drops_it(town, tmp_path):
    sim, _, _ = town
    fork = tmp_path / "early"
    forked = CliRunner().invoke(
        main, ["fork", str(sim), "early", "--at-step", "100", "--sims", str(tmp_path)]
    )
    assert forked.exit_code == 0, forked.output
    assert SimFolder(fork).open(readonly=True).evaluation() is None


def test_fewer_questions_at_one_step(town):
    sim, _, _ = town
    options = EvalOptions(steps=[DAY - 1], categories=["plans"], interviewees=3)
    run = evaluate(sim, options)
    steps = run.results.steps
    assert [s.step for s in steps] == [0, DAY - 1]
    assert {(a.agent, a.category) for a in steps[1].interviews} == {
        (a.name, "plans") for a in run.results.agents[:3]
    }
    # asked: each fact of every agent, 15 interviews, and the pairs the memory stream did
    # not make certain; checked for hallucination: the knows answers that say something (no
    # plans question names another agent)
    facts = sum(len(d.answers) for s in steps for d in s.diffusion)
    pairs = run.questions - facts - 3 * 5
    assert facts == 2 * 2 * 25 and 0 < pairs < 2 * 25 * 24
    checked = sum(s.hallucination.checked for s in steps)
    assert 0 < checked <= facts + pairs
