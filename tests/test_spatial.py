"""The spatial memory: an agent starts knowing its home and the places its persona names, is
offered only those when it chooses where to go, and learns a place when it passes it or hears
of it; what it knows is part of its state (kept by a resume)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SCENARIOS, scenario_data, write_scenario

from runner import batch
from runner.agent.spatial import SpatialMemory, SpatialState
from runner.agent.state import AgentState
from runner.llm import registry
from runner.policy.offline import OfflinePolicy
from runner.world.loader import load_map
from runner.world.placeindex import PlaceIndex

KLAUS = "克劳斯·穆勒"
BAR = "老钟酒吧"
BY_THE_BAR = (48, 19)  # outdoors, three tiles from the bar's door
OFFERED: list[tuple[str, int, tuple[str, ...]]] = []  # (agent, step, sectors offered)


class Recorder(OfflinePolicy):
    """The offline policy, noting the sectors every action_sector question offers."""

    def _action_sector(self, c):
        OFFERED.append((c["name"], c["options"]))
        return super()._action_sector(c)


def offered(monkeypatch, tmp_path, steps: int, **changes) -> list[tuple[str, ...]]:
    """The sector options Klaus was offered in a run of the demo from 07:00."""
    monkeypatch.setitem(registry.BACKENDS, "recorder", ("test_spatial:Recorder", None))
    OFFERED.clear()
    data = scenario_data(name="spatial", start="2023-02-13 07:00:00", **changes)
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = write_scenario(tmp_path / "spatial.yaml", data)
    batch.run_scenario(path, steps=steps, out_root=tmp_path, llm="recorder")
    return [tuple(options) for name, options in OFFERED if name == KLAUS]


def test_an_agent_is_offered_only_the_places_it_knows(monkeypatch, tmp_path):
    options = offered(monkeypatch, tmp_path, 8640 - 7 * 360)
    assert options, "Klaus chose no place all day"
    first = set(options[0])
    # his home and the places his persona names (the college, the café), nothing else yet
    assert first == {"环界学院宿舍", "环界学院", "霍布斯咖啡馆"}
    everything = set().union(*options)
    assert BAR not in everything and "仁心药房" not in everything  # never seen nor heard of
    assert len(everything) > len(first)  # he learned places on his ways through town


def test_a_place_passed_by_is_learned(monkeypatch, tmp_path):
    data = scenario_data()
    assert BAR not in offered(monkeypatch, tmp_path / "home", 30)[0]  # from home: unknown
    for agent in data["agents"]:
        if agent["name"] == KLAUS:
            agent["start_tile"] = list(BY_THE_BAR)
    assert BAR in offered(monkeypatch, tmp_path / "bar", 30, agents=data["agents"])[0]


def test_a_place_heard_of_is_learned(monkeypatch, tmp_path):
    history = tmp_path / "heard.csv"
    history.write_text(f"Name,Whisper\n{KLAUS},听说{BAR}周五晚上有民谣之夜\n", encoding="utf-8")
    assert BAR not in offered(monkeypatch, tmp_path / "none", 30, history=None)[0]
    assert BAR in offered(monkeypatch, tmp_path / "heard", 30, history=str(history))[0]


@pytest.fixture(scope="module")
def town():
    tile_map = load_map(SCENARIOS / "maps" / "ringtown.yaml", "zh")
    return tile_map, PlaceIndex.of(tile_map)


def test_the_spatial_memory_lives_in_the_state(town):
    tile_map, index = town
    persona = {"name": "x", "learned": "常去霍布斯咖啡馆", "currently": ""}
    state = AgentState.at((0, 0))
    memory = SpatialMemory(tile_map, index, state.spatial, persona, "林家住宅")
    assert memory.sectors() == ["林家住宅", "霍布斯咖啡馆"]
    assert memory.knows("林家住宅:客厅:电视") and memory.knows("霍布斯咖啡馆:柜台:咖啡机")
    assert not memory.learn_places_from_text("又去了霍布斯咖啡馆")  # nothing new
    assert memory.learn_places_from_text("听说图书馆来了新书")  # a room named in one place only
    assert memory.knows("环界学院") and memory.knows("环界学院:图书馆")
    assert not memory.knows("环界学院:教室")  # known by name: all its rooms are offered
    assert memory.known_among("环界学院", ["教室", "图书馆"]) == ["图书馆"]
    assert memory.learn_around(BY_THE_BAR, 4) and memory.knows(BAR)
    again_state = AgentState.from_bytes(state.to_bytes()).spatial
    again = SpatialMemory(tile_map, index, again_state, persona, "")
    assert again.sectors() == memory.sectors()
    assert (again.known == memory.known).all()


def test_rooms_split_at_walls_and_open_plan_arenas_are_one_room(town):
    _, index = town
    cafe = (2, 22)
    register, sink = (cafe[0] + 10, cafe[1] + 3), (cafe[0] + 12, cafe[1] + 3)
    dining, kitchen = (cafe[0] + 5, cafe[1] + 6), (cafe[0] + 2, cafe[1] + 2)
    assert index.arena_at(register) != index.arena_at(sink)  # a wall between
    assert index.arena_at(register) == index.arena_at(dining)  # the counter opens onto it
    assert index.arena_at(register) != index.arena_at(kitchen)  # through a door only


def test_the_bundled_personas_name_places_they_start_knowing(town):
    tile_map, index = town
    agents = batch.load_scenario(SCENARIOS / "town25.yaml").personas()
    knows_more = 0
    for agent in agents:
        home = agent["living_area"].split(":")[0]
        sectors = SpatialMemory(tile_map, index, SpatialState(), agent, home).sectors()
        text = " ".join(str(v) for v in agent.values())
        assert home in sectors and all(s == home or s in text for s in sectors), agent["name"]
        knows_more += len(sectors) > 1
    assert knows_more >= 20  # a homebody (the animator who works in her room) knows only home


def test_an_unreadable_old_state_still_loads(tmp_path: Path):
    import msgpack

    blob = AgentState.at((1, 2)).to_bytes()
    data = msgpack.unpackb(blob, raw=False)
    data.pop("places")
    data["seen"] = {"x|y|0": 3}  # what 0.1.0 kept for retention
    state = AgentState.from_bytes(msgpack.packb(data))
    assert state.position.origin == (1, 2) and state.spatial.places == b""
