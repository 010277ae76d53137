"""Rooms and objects on the bundled town: perception stays inside a room, objects in use carry
an event (in the frames, and in what others perceive), a taken object makes the next agent wait
or use another, and an agent goes only where it knows (its spatial memory grows as it walks)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import scenario_data, write_scenario

from runner import batch
from runner.llm import registry
from runner.policy.offline import OfflinePolicy
from sitegen.simread import read_sim

CAFE = (2, 22)  # the top-left tile of Hobbs Cafe on ringtown.yaml
REGISTER = (CAFE[0] + 10, CAFE[1] + 3)  # the cash register, at the counter
SINK = (CAFE[0] + 12, CAFE[1] + 1)  # the restroom's sink, behind the wall at x = 13
COFFEE = (CAFE[0] + 7, CAFE[1] + 1)  # the coffee machine, at the counter
ISABELLA, MARIA, KLAUS = "伊莎贝拉·罗德里格斯", "玛丽亚·洛佩兹", "克劳斯·穆勒"


def query(sim: Path, sql: str, *args) -> list[tuple]:
    db = sqlite3.connect(f"file:{sim / 'sim.sqlite'}?mode=ro", uri=True)
    rows = db.execute(sql, args).fetchall()
    db.close()
    return rows


class Placed(OfflinePolicy):
    """The offline policy, but every agent spends the day at the place ``PLACES`` names."""

    PLACES = {
        ISABELLA: ("霍布斯咖啡馆", "柜台", "收银台"),
        MARIA: ("霍布斯咖啡馆", "洗手间", "洗手池"),
        KLAUS: ("霍布斯咖啡馆", "柜台", "咖啡机"),
    }
    TASK = "在店里忙"

    def _hourly_schedule(self, c):
        return {"schedule": [{"task": self.TASK, "minutes": 1440}]}

    def _pick(self, c, level):
        return {"choice": self.PLACES[c["name"]][level]}

    def _action_sector(self, c):
        return self._pick(c, 0)

    def _action_arena(self, c):
        return self._pick(c, 1)

    def _action_details(self, c):
        obj = self.PLACES[c["name"]][2]
        return super()._action_details({**c, "options": [obj], "default": obj})

    def _decide_to_talk(self, c):
        return {"talk": False, "reason": "busy"}


def placed_run(monkeypatch, tmp_path, policy: type, tiles: dict, steps: int = 200) -> Path:
    """Long enough for what is seen to be stored (noted events wait up to 30 minutes)."""
    monkeypatch.setitem(registry.BACKENDS, "placed", (f"test_world:{policy.__name__}", None))
    data = scenario_data(name="placed", start="2023-02-13 10:00:00", history=None)
    for agent in data["agents"]:
        agent["start_tile"] = list(tiles[agent["name"]])
    path = write_scenario(tmp_path / "placed.yaml", data)
    return batch.run_scenario(path, steps=steps, out_root=tmp_path, llm="placed").sim_dir


def memories_of(sim: Path, agent: int) -> list[str]:
    return [d for (d,) in query(sim, "SELECT description FROM memories WHERE agent = ?", agent)]


def test_a_wall_hides_people_and_an_object_in_use_is_seen_and_framed(monkeypatch, tmp_path):
    tiles = {ISABELLA: REGISTER, MARIA: SINK, KLAUS: COFFEE}
    sim = placed_run(monkeypatch, tmp_path, Placed, tiles)
    # Isabella at the register and Maria at the sink: two tiles apart, a wall between
    assert not any(MARIA in m for m in memories_of(sim, 0))
    assert not any(ISABELLA in m for m in memories_of(sim, 1))
    # Klaus, in the counter room with Isabella, sees her and the register she uses
    seen = memories_of(sim, 2)
    assert any(m.startswith(ISABELLA) for m in seen)
    assert "收银台在结账" in seen
    events = dict(query(sim, "SELECT agent, object_event FROM frames WHERE step = 100"))
    assert events == {0: "收银台在结账", 1: "洗手池流着水", 2: "咖啡机正在煮咖啡"}
    replay = read_sim(sim).text["object_event"]  # what the replay site reads
    assert list(replay[100]) == [events[0], events[1], events[2]]


class OneSink(Placed):
    """Maria and Klaus both spend the day at the restroom's one sink."""

    PLACES = {**Placed.PLACES, KLAUS: Placed.PLACES[MARIA]}


class OneShower(Placed):
    """Both go to the dorm's one sink; the one who finds it taken uses the showers instead."""

    DORM = ("环界学院宿舍", "公共浴室", "洗手池")
    PLACES = {**Placed.PLACES, MARIA: DORM, KLAUS: DORM}
    TASK = "洗漱"

    def _decide_to_wait(self, c):
        return {"choice": c["options"][-1]}


def test_a_taken_object_makes_the_next_agent_wait_and_both_sides_show(monkeypatch, tmp_path):
    near = (SINK[0] + 1, SINK[1] + 1)
    sim = placed_run(monkeypatch, tmp_path, OneSink, {ISABELLA: REGISTER, MARIA: SINK, KLAUS: near})
    rows = query(sim, "SELECT agent, action, emoji, object_event FROM frames WHERE step = 100")
    frame = {agent: rest for agent, *rest in rows}
    assert frame[1][2] == "洗手池流着水"  # Maria got there first and uses it
    assert frame[2] == [f"等{MARIA}用完洗手池", "⌛", None]  # Klaus waits, using nothing
    # the restroom has nothing else to use: no question was needed to decide to wait
    assert query(sim, "SELECT count(*) FROM llm_calls WHERE kind = 'decide_to_wait'") == [(0,)]


def test_a_taken_object_can_be_swapped_for_a_free_one(monkeypatch, tmp_path):
    dorm_sink = (85, 60)
    tiles = {ISABELLA: REGISTER, MARIA: dorm_sink, KLAUS: (dorm_sink[0] + 1, dorm_sink[1])}
    sim = placed_run(monkeypatch, tmp_path, OneShower, tiles)
    asked = query(sim, "SELECT agent FROM llm_calls WHERE kind = 'decide_to_wait'")
    assert asked and set(asked) == {(2,)}  # by the one who finds the sink taken (each action)
    end = query(sim, "SELECT agent, address, object_event FROM frames WHERE step = 119")
    places = {agent: (address, event) for agent, address, event in end}
    assert places[1] == ("环界小镇:环界学院宿舍:公共浴室:洗手池", "洗手池流着水")
    # the other object carries the state described for the action (no new question for it)
    assert places[2] == ("环界小镇:环界学院宿舍:公共浴室:淋浴间", "淋浴间流着水")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_object_events_read_as_sentences(lang):
    from runner.agent.objects import object_event

    zh = {
        "煮咖啡": "咖啡机正在煮咖啡",
        "正在煮咖啡": "咖啡机正在煮咖啡",
        "被人睡着": "咖啡机被人睡着",
    }
    en = {"brewing coffee": "coffee machine is brewing coffee", "is on": "coffee machine is on"}
    obj = "咖啡机" if lang == "zh" else "coffee machine"
    for state, text in (zh if lang == "zh" else en).items():
        assert object_event(obj, state, lang)[0] == text


def test_a_perceived_triple_is_new_unless_among_the_latest_event_memories():
    import numpy as np

    from runner.agent.memory import MemoryStream, Node
    from runner.agent.perceive import recent_triples

    stream = MemoryStream(dim=2)

    def event(step: int, what: str) -> tuple:
        triple = ("克劳斯·穆勒", "正在", what)
        stream.add(Node("event", step, what, 3, triple), np.ones(2, dtype=np.float32))
        return triple

    reading = event(0, "看书")
    for n in range(4):
        event(10 + n, f"事{n}")
    stream.add(Node("thought", 20, "想", 5), np.ones(2, dtype=np.float32))  # not an event
    assert reading in recent_triples(stream, 5, since=None)  # among the latest 5 events
    assert reading not in recent_triples(stream, 5, since=5)  # but stored before the window
    event(30, "写论文")
    assert reading not in recent_triples(stream, 5, since=None)  # six events on: new again


def test_a_key_added_later_keeps_the_run_identity_at_its_default(tmp_path):
    from runner.config import Scenario, run_key

    data = scenario_data()
    sc = Scenario.model_validate(data)
    data["mind"] = {"retention": 5}
    assert run_key(Scenario.model_validate(data)) == run_key(sc)
    data["mind"] = {"retention": 2}
    assert run_key(Scenario.model_validate(data)) != run_key(sc)
