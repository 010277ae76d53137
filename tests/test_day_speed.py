"""The critical path of benchmarks/day_speed.py on hand-made runs: agents far apart run ahead
of each other, neighbours wait for each other, a talking pair is one chain."""

from __future__ import annotations

import numpy as np

from benchmarks.critical_path import Timeline, critical_paths
from runner.world.rooms import Rooms, walk_to_rooms

OPEN = np.zeros((1, 40), dtype=np.int32)  # one row of 40 tiles, one room, nothing in it


def timeline(chains: list[list[float]], xs: list[int], pairs=None) -> Timeline:
    """Agents standing still on row 0 at ``xs``; ``chains[s][a]``: seconds at step s."""
    steps = len(chains)
    tiles = np.zeros((steps + 1, len(xs), 2), dtype=np.int64)
    tiles[:, :, 0] = xs
    rooms = np.zeros((steps + 1, len(xs)), dtype=np.int64)
    return Timeline(np.asarray(chains, dtype=float), tiles, rooms, 4, pairs or {})


def open_rooms() -> Rooms:
    return walk_to_rooms(OPEN, np.ones_like(OPEN, dtype=bool), np.array([False]))


def test_two_agents_far_apart_take_the_longer_chain():
    t = timeline([[3, 1], [1, 3], [3, 1]], xs=[0, 30])  # 26 tiles beyond the radius
    paths = critical_paths(t, open_rooms())
    assert paths["perception"] == 7  # agent 0: 3 + 1 + 3
    assert paths["lockstep"] == 9  # 3 + 3 + 3
    # the engine knows they are 26 tiles apart: 3 steps cannot close the gap
    assert paths["engine"] == 7


def test_two_neighbours_wait_for_each_other():
    t = timeline([[3, 1], [1, 3], [3, 1]], xs=[5, 6])
    paths = critical_paths(t, open_rooms())
    assert paths["perception"] == paths["lockstep"] == paths["engine"] == paths["reads"] == 9


def test_a_walker_far_enough_away_is_no_dependency_of_the_engine_for_a_while():
    # 10 tiles apart, radius 4: the engine may let agent 0 run until the gap could close
    chains = [[1, 0]] * 4 + [[0, 5]]
    t = timeline(chains, xs=[0, 10])
    assert critical_paths(t, open_rooms())["engine"] == 5
    t = timeline([[0, 10]] + [[1, 0]] * 8, xs=[0, 10])
    # agent 1 at its spawn could reach agent 0's sight by step s - 1 once 10 - 4 <= s: steps 1-5
    # of agent 0 run ahead (5 s), step 6 waits for agent 1's step 0 (10 s), then 6, 7, 8
    paths = critical_paths(t, open_rooms())
    assert paths["engine"] == 13 and paths["perception"] == 10


def test_a_talking_pair_is_one_chain():
    t = timeline([[2, 3, 1]], xs=[0, 1, 30], pairs={0: [(0, 1)]})
    paths = critical_paths(t, open_rooms())
    assert paths["perception"] == paths["lockstep"] == 5


def test_another_room_is_no_dependency_and_a_room_with_objects_is_one_dependency():
    # two rows, room 0 left of x = 20, room 1 from it; walls at (19, 1) and (20, 0): the agents
    # at (19, 0) and (20, 1) are neighbours (issue 19 waits) with no walk between their rooms
    grid = np.array([[0] * 20 + [1] * 20] * 2, dtype=np.int32)
    floor = np.ones_like(grid, dtype=bool)
    floor[1, 19] = floor[0, 20] = False
    t = timeline([[3, 1], [1, 3]], xs=[19, 20])
    t.tiles[:, 1, 1] = 1
    t.rooms[:] = [0, 1]
    rooms = walk_to_rooms(grid, floor, np.array([False, False]))
    assert rooms.distance[0, 0, 18] == 0 and rooms.distance[0, 1, 20] > 1000
    assert rooms.distance[0, 0, 20] == 1  # on a wall: the Manhattan distance
    paths = critical_paths(t, rooms)
    assert paths["perception"] == paths["lockstep"] == 6
    assert paths["reads"] == paths["engine"] == 4
    far = timeline([[3, 1], [1, 3]], xs=[0, 15])  # one room, 15 tiles apart
    assert critical_paths(far, open_rooms())["reads"] == 4
    assert critical_paths(far, open_rooms())["engine"] == 4
    # in a room with game objects an agent reads the objects' users anywhere in the room
    paths = critical_paths(far, walk_to_rooms(OPEN, OPEN == 0, np.array([True])))
    assert paths["reads"] == paths["engine"] == 6 and paths["perception"] == 4
