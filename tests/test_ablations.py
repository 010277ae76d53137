"""The paper's ablations as run modes: ``mind.reflect``, ``mind.plan`` and ``mind.observe``
off, each doing what it says, and each part of the run identity."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import scenario_data, write_scenario
from engine_helpers import query

from runner import batch
from runner.config import Scenario, run_key

HOURS = 14
STEPS = HOURS * 360  # from 07:00 to 21:00


def run_with(tmp_path: Path, **mind) -> Path:
    data = scenario_data(name="ablation", start="2023-02-13 07:00:00", mind=mind)
    path = write_scenario(tmp_path / "ablation.yaml", data)
    return batch.run_scenario(path, steps=STEPS, out_root=tmp_path).sim_dir


def kinds(sim: Path) -> dict[str, int]:
    return dict(query(sim, "SELECT kind, count(*) FROM llm_calls GROUP BY kind"))


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> Path:
    return run_with(tmp_path_factory.mktemp("full"))


def test_the_full_mind_reflects_plans_and_observes(full):
    asked = kinds(full)
    assert asked["insights"] > 0 and asked["hourly_schedule"] == 3 and "next_hour" not in asked
    assert query(full, "SELECT count(*) FROM memories WHERE kind = 'event'")[0][0] > 0
    later = query(full, "SELECT DISTINCT predicate FROM memories WHERE kind = 'thought'")
    assert {"plans", "remembers", "plan"} < {p for (p,) in later}


def test_without_reflection_no_insights_or_thoughts_on_talks(tmp_path, full):
    sim = run_with(tmp_path, reflect=False)
    asked = kinds(sim)
    assert "focal_points" not in asked and "insights" not in asked
    assert asked["chat_summary"] > 0  # talks are still remembered, as chats
    thoughts = query(
        sim,
        "SELECT DISTINCT predicate FROM memories WHERE kind = 'thought' AND created_step > 0",
    )
    assert thoughts == []  # (the day's plan, at step 0, is a plan rather than a reflection)


def test_without_a_plan_the_agent_decides_each_hour(tmp_path):
    sim = run_with(tmp_path, plan=False)
    asked = kinds(sim)
    for planning in ("wake_up_hour", "daily_plan", "hourly_schedule", "task_decomp"):
        assert planning not in asked
    assert asked["next_hour"] == 3 * HOURS  # one question per agent per game hour
    actions = {a for (a,) in query(sim, "SELECT DISTINCT action FROM frames")}
    assert len(actions) > 6  # still a day of different things
    plans = query(sim, "SELECT count(*) FROM memories WHERE predicate = 'plan'")[0][0]
    assert plans == 0


def test_without_observation_nothing_perceived_is_remembered(tmp_path):
    sim = run_with(tmp_path, observe=False)
    assert query(sim, "SELECT count(*) FROM memories WHERE kind = 'event'")[0][0] == 0
    asked = kinds(sim)
    assert asked["decide_to_talk"] > 0  # the others are still seen, and talked to
    assert query(sim, "SELECT count(*) FROM memories WHERE kind = 'chat'")[0][0] > 0


def test_each_ablation_is_its_own_run():
    base = Scenario.model_validate(scenario_data())
    keys = {run_key(base)}
    for flag in ("reflect", "plan", "observe"):
        changed = base.model_copy(update={"mind": base.mind.model_copy(update={flag: False})})
        keys.add(run_key(changed))
    assert len(keys) == 4
    explicit = scenario_data(mind={"reflect": True, "plan": True, "observe": True})
    assert run_key(Scenario.model_validate(explicit)) == run_key(base)
