"""Maps in the original "matrix" layout: a hand-written small map and the real the_ville."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import interop_helpers as ih
import numpy as np
import pytest
import yaml

from runner.errors import RingWorldError
from runner.scenario import load_scenario
from runner.store import SimStore
from runner.world.loader import load_map
from runner.world.matrixmap import guess_kind, load_matrix_map

needs_the_ville = pytest.mark.skipif(
    not (ih.THE_VILLE / "matrix").is_dir(),
    reason=f"the real the_ville map is not at {ih.THE_VILLE} (copy of the original repo's"
    " environment/frontend_server/static_dirs/assets/the_ville)",
)


@pytest.fixture
def small_map(tmp_path):
    return ih.write_matrix_map(tmp_path / "matrix")


def test_small_map_addresses_collision_and_size(small_map):
    town = load_map(small_map, "en")
    assert (town.world, town.width, town.height, town.tile_size) == (
        ih.WORLD,
        ih.WIDTH,
        ih.HEIGHT,
        32,
    )
    assert np.array_equal(town.collision, ih.walls())
    for y in range(ih.HEIGHT):
        for x in range(ih.WIDTH):
            assert town.address_at((x, y)) == ih.expected_address((x, y)), (x, y)
    assert town.address_at(ih.STRAY_TILE) == ih.WORLD  # an id no blocks file names


def test_small_map_places_are_addressable(small_map):
    town = load_matrix_map(small_map, "zh")
    for (sector, arena), (_, (x0, y0, x1, y1)) in ih.ARENAS.items():
        tiles = set(town.tiles_of(f"{sector}:{arena}"))
        assert tiles == {(x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)}
    beds = {(x, y) for x, y in ih.OBJECTS["bed"][1]}
    assert set(town.tiles_of("Isabella Rodriguez's apartment:main room:bed")) == {(10, 2)}
    assert set(town.tiles_of("Dorm for Oak Hill College:Maria Lopez's room:bed")) == {(2, 7)}
    assert {t for t in beds if town.address_at(t).endswith(":bed")} == beds
    assert set(town.tree) == set(ih.SECTORS)
    assert town.tree["Isabella Rodriguez's apartment"] == {
        "main room": ["bed"],
        "bathroom": ["shower"],
    }
    assert town.labels == {}


def test_small_map_spawns_and_kinds(small_map):
    town = load_matrix_map(small_map, "en")
    first = {}
    for (sector, arena, _), (_, tile) in ih.SPAWNS.items():
        first.setdefault(f"{sector}:{arena}", tile)
    assert town.spawns == first  # sp-A wins over sp-B: the first in the blocks file
    assert town.kinds == {
        "Hobbs Cafe": "cafe",
        "Isabella Rodriguez's apartment": "home",
        "Dorm for Oak Hill College": "home",
    }


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("The Rose and Crown Pub", "bar"),
        ("Oak Hill College", "college"),
        ("Johnson Park", "park"),
        ("Harvey Oak Supply Store", "grocery"),
        ("The Willows Market and Pharmacy", "grocery"),
        ("Town Pharmacy", "pharmacy"),
        ("artist's co-living space", "home"),
        ("Barbara's barn", "other"),  # "bar" only as a whole word
    ],
)
def test_guess_kind(name, kind):
    assert guess_kind(name) == kind


def _edit_meta(folder, **changes):
    path = folder / "maze_meta_info.json"
    meta = json.loads(path.read_text())
    meta.update(changes)
    path.write_text(json.dumps(meta))


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        (lambda f: (f / "maze/arena_maze.csv").unlink(), "arena_maze.csv: cannot read"),
        (lambda f: (f / "special_blocks/sector_blocks.csv").unlink(), "sector_blocks.csv"),
        (lambda f: _edit_meta(f, maze_width="16"), "'maze_width' must be an integer"),
        (lambda f: _edit_meta(f, sq_tile_size=0), "'sq_tile_size' must be positive"),
        (lambda f: _edit_meta(f, maze_height=11), "sector_maze.csv: 160 cells, expected"),
        (
            lambda f: (f / "maze_meta_info.json").write_text('{"world_name": "x"'),
            "maze_meta_info.json: not valid JSON",
        ),
        (
            lambda f: (f / "maze/sector_maze.csv").write_text(
                (f / "maze/sector_maze.csv").read_text().replace("0", "O", 1)
            ),
            "sector_maze.csv: cell 0 (x=0, y=0) is 'O', expected an integer id",
        ),
        (
            lambda f: (f / "special_blocks/arena_blocks.csv").write_text("cafe, the Ville\n"),
            "arena_blocks.csv: line 1 must be",
        ),
        (
            lambda f: (f / "special_blocks/arena_blocks.csv").write_text("5, the Ville, a:b\n"),
            "arena_blocks.csv: line 1: name 'a:b'",
        ),
    ],
)
def test_broken_maps_give_one_clear_error(small_map, breakage, message):
    breakage(small_map)
    with pytest.raises(RingWorldError) as err:
        load_map(small_map)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_an_arena_outside_any_sector_is_an_error(small_map):
    path = small_map / "maze/arena_maze.csv"
    cells = path.read_text().split(", ")
    cells[5 * ih.WIDTH + 2] = "32200"  # the street at (2, 5) marked as the cafe's arena
    path.write_text(", ".join(cells))
    with pytest.raises(
        RingWorldError, match=r"arena_maze.csv: tile \(x=2, y=5\) has a named arena"
    ):
        load_map(small_map)


# ---- the real map --------------------------------------------------------------------------


def _blocks(name: str) -> list[list[str]]:
    path = ih.THE_VILLE / "matrix/special_blocks" / f"{name}_blocks.csv"
    with path.open(encoding="utf-8") as f:
        return [[c.strip() for c in row] for row in csv.reader(f) if row]


def _grid(name: str) -> np.ndarray:
    text = (ih.THE_VILLE / "matrix/maze" / f"{name}_maze.csv").read_text()
    return np.array([int(c) for c in text.split(",")]).reshape(100, 140)


@needs_the_ville
def test_the_ville_loads_with_every_place_addressable():
    town = load_map(ih.THE_VILLE / "matrix", "en")
    assert (town.world, town.width, town.height) == ("the Ville", 140, 100)
    assert np.array_equal(town.collision, _grid("collision") != 0)
    sectors = {int(r[0]): r[-1] for r in _blocks("sector")}
    arenas = {int(r[0]): r[-1] for r in _blocks("arena")}
    objects = {int(r[0]): r[-1] for r in _blocks("game_object")}
    sector, arena, obj = _grid("sector"), _grid("arena"), _grid("game_object")
    seen = set()
    for y, x in np.argwhere(arena > 0).tolist():
        place = f"{sectors[sector[y, x]]}:{arenas[arena[y, x]]}"
        if obj[y, x]:
            place += f":{objects[obj[y, x]]}"
        assert town.address_at((x, y)) == f"the Ville:{place}"
        seen.add(place)
    assert all(town.has(place) for place in seen)
    used_arenas = {arenas[i] for i in np.unique(arena).tolist() if i}
    used_objects = {objects[i] for i in np.unique(obj).tolist() if i}
    assert used_arenas == set(arenas.values())  # every arena of the blocks file is in the maze
    assert {p.split(":")[1] for p in seen} == used_arenas
    assert {p.split(":")[2] for p in seen if p.count(":") == 2} == used_objects
    assert town.kinds["Hobbs Cafe"] == "cafe"
    assert town.kinds["Dorm for Oak Hill College"] == "home"
    for key, tile in town.spawns.items():
        assert town.has(key) and town.walkable(tile), key


def _the_ville_scenario(tmp_path: Path, **changes) -> Path:
    """A copy of scenarios/the_ville.yaml pointed at the real map and history."""
    source = Path(__file__).resolve().parents[1] / "scenarios/the_ville.yaml"
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["map"] = str(ih.THE_VILLE / "matrix")
    data["history"] = str(ih.THE_VILLE / "agent_history_init_n3.csv")
    data.update(changes)
    copy = tmp_path / "the_ville.yaml"
    copy.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return copy


@needs_the_ville
def test_the_ville_scenario_points_at_the_real_map(tmp_path):
    """scenarios/the_ville.yaml, pointed at the real folder, is a valid scenario whose agents
    live where the_ville has a spawn point and whose history names the same three agents."""
    scenario = load_scenario(_the_ville_scenario(tmp_path))
    town = load_map(scenario.map, scenario.language)
    with open(scenario.history, encoding="utf-8") as f:
        history_names = {row["Name"] for row in csv.DictReader(f)}
    assert {a.name for a in scenario.agents} == history_names
    for agent in scenario.agents:
        assert agent.living_area in town.spawns, agent.living_area
    assert scenario.llm.backend == "offline" and scenario.steps == 8640


@needs_the_ville
def test_the_three_agents_run_in_the_ville(tmp_path):
    """The offline backend runs the seed's three agents on the real map: they wake at their
    spawn points, go out, and never stand on a wall or at an address the map lacks."""
    from runner.batch import run_scenario

    steps = 540  # 07:00 to 08:30, when the town wakes up
    path = _the_ville_scenario(tmp_path, start="2023-02-13 07:00:00")
    result = run_scenario(path, steps=steps, out_root=tmp_path / "out", llm="offline")
    assert result.steps_done == steps
    town = load_map(ih.THE_VILLE / "matrix", "en")
    store = SimStore(result.sim_dir / "sim.sqlite", readonly=True)
    frames, agents = store.frames(), store.agents()
    store.close()
    assert len(frames) == steps * 3
    tiles: dict[int, set] = {}
    for step, agent, x, y, _, _, address, *_ in frames:
        assert town.walkable((x, y)), (step, agent, x, y)
        assert address == town.world or town.has(address), address
        if step == 0:  # at its spawn point, or one move away from it
            sx, sy = town.spawns[agents[agent]["living_area"]]
            assert abs(x - sx) + abs(y - sy) <= 1, (agent, x, y)
        tiles.setdefault(agent, set()).add((x, y))
    assert any(len(seen) > 10 for seen in tiles.values())  # someone walked somewhere
