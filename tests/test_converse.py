"""Conversations with depth: partners walk over and talk side by side; each side forms a view of
the other once per talk, keeps the summary, a planning thought and a memo; a changed plan
rewrites the rest of the schedule window (scripted answers)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import scenario_data, write_scenario
from engine_helpers import query

from runner import batch
from runner.agent.state import AgentState
from runner.llm import registry
from runner.policy.offline import OfflinePolicy
from runner.store import SimFolder
from runner.world.schedule import between, replace, splice, window_at


@pytest.fixture(scope="module")
def morning(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("talks")
    data = scenario_data(name="talks", start="2023-02-13 07:00:00")
    return batch.run_scenario(
        write_scenario(base / "t.yaml", data), steps=5400, out_root=base
    ).sim_dir


def test_partners_walk_over_and_are_within_one_tile_on_every_line(morning):
    tiles = {
        (s, a): (x, y) for s, a, x, y in query(morning, "SELECT step, agent, x, y FROM frames")
    }
    talks = query(morning, "SELECT step_start, step_end, agent_a, agent_b FROM conversations")
    assert talks
    lines = 0
    for start, end, a, b in talks:
        said = query(
            morning,
            "SELECT step FROM frames WHERE step >= ? AND step < ? AND agent IN (?, ?)"
            " AND chat IS NOT NULL",
            start,
            end,
            a,
            b,
        )
        for (step,) in said:
            (xa, ya), (xb, yb) = tiles[step, a], tiles[step, b]
            assert abs(xa - xb) + abs(ya - yb) <= 1, (step, a, b)
            lines += 1
    assert lines >= 2 * len(talks)
    apart = [
        (s, a, b)
        for s, _, a, b in talks
        if abs(tiles[s - 1, a][0] - tiles[s - 1, b][0])
        + abs(tiles[s - 1, a][1] - tiles[s - 1, b][1])
        > 1
    ]
    assert apart, "every pair already stood side by side: the approach was not tried"
    walking = query(morning, "SELECT count(*) FROM frames WHERE action LIKE '走向%'")[0][0]
    assert walking > 0


def test_a_view_of_the_other_is_asked_once_per_side_and_talk_not_per_line(morning):
    calls = dict(query(morning, "SELECT kind, count(*) FROM llm_calls GROUP BY kind"))
    talks = query(morning, "SELECT count(*) FROM conversations")[0][0]
    assert 0 < calls["relationship"] <= 2 * talks < calls["chat_turn"]


class Scripted(OfflinePolicy):
    """Fixed notes after every talk; the first agent changes its plan and revises the rest."""

    def _chat_summary(self, c):
        return {
            "summary": f"和{c['partner']}聊了论文",
            "planning": "明天去图书馆",
            "memo": "对方很用功",
            "reconsider": True,
        }

    def _after_chat(self, c):
        if c["name"] != "玛丽亚·洛佩兹":
            return {"change": False}
        return {"change": True, "task": "去小镇广场散散心", "minutes": 30}

    def _revise_schedule(self, c):
        return {"schedule": [{"task": "回宿舍收拾房间", "minutes": c["minutes"]}]}


def test_notes_after_a_talk_and_a_changed_plan_rewrites_the_window(monkeypatch, tmp_path):
    monkeypatch.setitem(registry.BACKENDS, "scripted", ("test_converse:Scripted", None))
    data = scenario_data(name="scripted", start="2023-02-13 07:00:00")
    path = write_scenario(tmp_path / "s.yaml", data)
    sim = batch.run_scenario(path, steps=3000, out_root=tmp_path, llm="scripted").sim_dir
    start, end, a, b = query(
        sim,
        "SELECT step_start, step_end, agent_a, agent_b FROM conversations"
        " WHERE 1 IN (agent_a, agent_b) ORDER BY step_start",
    )[0]
    for me in (a, b):
        rows = query(
            sim,
            "SELECT node, kind, predicate, description, evidence FROM memories"
            " WHERE agent = ? AND created_step = ? AND kind != 'event' ORDER BY node",
            me,
            start,
        )
        (chat, *_), *thoughts = rows
        assert [r[1:3] for r in rows] == [
            ("chat", "chat with"),
            ("thought", "plans"),
            ("thought", "remembers"),
        ]
        assert rows[0][3].endswith("聊了论文")
        assert rows[1][3].endswith("为今后的打算：明天去图书馆")
        assert rows[2][3].endswith("想记住的事：对方很用功")
        assert all(json.loads(t[4]) == [chat] for t in thoughts)  # both cite the chat
    store = SimFolder(sim).open(readonly=True)
    state = AgentState.from_bytes(store.state_from(1, end)).plan  # at the next snapshot
    store.close()
    names = [task for task, _ in state.schedule]
    at = names.index("去小镇广场散散心")
    assert names[at + 1] == "回宿舍收拾房间"  # the rest of the window, revised
    assert sum(m for _, m in state.schedule) == 24 * 60
    revised = query(sim, "SELECT count(*) FROM llm_calls WHERE kind = 'revise_schedule'")
    assert revised[0][0] >= 1
    actions = [
        r[0] for r in query(sim, "SELECT action FROM frames WHERE agent = 1 AND step >= ?", end)
    ]
    assert actions[0] == "去小镇广场散散心" and "回宿舍收拾房间" in actions


def test_schedule_windows_and_replacing_them():
    day = [["睡觉", 420], ["早饭", 60], ["上班", 300], ["午饭", 60], ["上班", 600]]
    assert window_at(day, 430) == (420, 780)  # a short task takes the next one along
    assert window_at(day, 600) == (480, 780)
    assert between(day, 450, 500) == [["早饭", 30], ["上班", 20]]
    new = replace(day, 500, 780, [["散步", 30], ["回去上班", 250]])
    assert new[2:] == [["上班", 20], ["散步", 30], ["回去上班", 250], ["午饭", 60], ["上班", 600]]
    assert splice(day, 500, 30, "散步") == replace(day, 500, 530, [["散步", 30]])
    assert sum(m for _, m in new) == 24 * 60
