"""A new day changes the agent: two game days of the demo, offline, every question recorded.

Day 2 starts with each agent revising its `currently` from what it retrieves about today's plan
and its recent life; the plan of every day is a thought in its memory stream; the replay reads
the days; news heard on day 1 is in day 2's plan. Also: decide-to-talk sees the last talk, and
reflections retrieve 30 memories per focal point and give each insight its own triple.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import scenario_data, write_scenario
from engine_helpers import query
from mind_helpers import recorded_run

from runner.prompts.render import render_prompt

DAY = 8640
ISABELLA = 0


@pytest.fixture(scope="module")
def two_days(tmp_path_factory):
    base = tmp_path_factory.mktemp("days")
    path = write_scenario(base / "demo.yaml", scenario_data(name="two_days"))
    return recorded_run(path, 2 * DAY, base)


def days_of(sim: Path) -> dict[tuple[int, str], tuple[str, list[str]]]:
    rows = query(sim, "SELECT agent, date, currently, plan FROM days")
    return {(a, d): (now, json.loads(plan)) for a, d, now, plan in rows}


def test_day_two_revises_currently_and_the_prompts_use_it(two_days):
    sim, requests = two_days
    days = days_of(sim)
    assert sorted(days) == [(a, d) for a in range(3) for d in ("2023-02-13", "2023-02-14")]
    first, second = days[ISABELLA, "2023-02-13"][0], days[ISABELLA, "2023-02-14"][0]
    assert first == scenario_data()["agents"][0]["currently"]
    assert second != first
    revised = [r for r in requests if r.kind == "revise_identity"]
    assert len(revised) == 3  # once per agent, on day 2 only
    assert all(r.context["statements"] for r in revised)  # from what each one retrieved
    later = [
        r
        for r in requests
        if r.agent == "伊莎贝拉·罗德里格斯"
        and "persona" in r.context
        and r.kind != "revise_identity"
    ]
    starts = [i for i, r in enumerate(later) if r.kind == "wake_up_hour"]
    assert len(starts) == 2
    day_two = later[starts[1] :]
    assert day_two and all(r.context["persona"]["currently"] == second for r in day_two)
    assert second in render_prompt("daily_plan", "zh", day_two[1].context)


def test_invitations_heard_on_day_one_are_in_day_two_plans(two_days):
    sim, _ = two_days
    heard = {
        agent
        for (agent,) in query(
            sim,
            "SELECT DISTINCT agent FROM memories WHERE kind = 'chat' AND created_step < ?"
            " AND description LIKE '%派对%' AND agent != ?",
            DAY,
            ISABELLA,
        )
    }
    assert heard, "nobody heard of the party on day 1"
    days = days_of(sim)
    for agent in heard:
        plan = days[agent, "2023-02-14"][1]
        assert any("派对" in item for item in plan), (agent, plan)
        assert not any("派对" in item for item in days[agent, "2023-02-13"][1])


def test_each_days_plan_is_a_thought_in_the_memory_stream(two_days):
    sim, _ = two_days
    for (agent, date), (_, plan) in days_of(sim).items():
        rows = query(
            sim,
            "SELECT description, importance FROM memories WHERE agent = ? AND kind = 'thought'"
            " AND predicate = 'plan' AND object = ?",
            agent,
            date,
        )
        assert len(rows) == 1, (agent, date)
        text, importance = rows[0]
        assert all(item in text for item in plan) and importance == 5


def test_decide_to_talk_sees_when_and_what_they_last_talked_about(two_days):
    sim, requests = two_days
    again = [r for r in requests if r.kind == "decide_to_talk" and r.context["last_chat"]]
    assert again, "no pair met again after a talk"
    for r in again:
        other = r.context["other"]["names"][0]
        chats = {
            d
            for (d,) in query(
                sim,
                "SELECT description FROM memories AS m JOIN agents AS a ON a.id = m.agent"
                " WHERE a.name = ? AND kind = 'chat' AND object = ?",
                r.agent,
                other,
            )
        }
        assert r.context["last_chat"]["about"] in chats
        assert r.context["last_chat"]["about"] in render_prompt("decide_to_talk", "zh", r.context)
    first = [r for r in requests if r.kind == "decide_to_talk" and not r.context["last_chat"]]
    assert first  # before any talk there is none


def test_reflection_retrieves_30_per_focal_point_and_insights_have_triples(two_days):
    sim, requests = two_days
    sizes = {len(r.context["statements"]) for r in requests if r.kind == "insights"}
    assert max(sizes) == 30
    triples = query(
        sim,
        "SELECT subject, predicate, object FROM memories WHERE kind = 'thought'"
        " AND evidence != '[]' AND predicate NOT IN ('plans', 'remembers')",
    )
    assert triples and all(s and p not in ("", "thinks") for s, p, _ in triples)
