"""The critical path of a stored run: the least wall time any scheduler of its calls could reach.

From what the run did — the model calls each agent sent at each step (a :class:`Timeline`'s
``chains``: their seconds, one call after another), where everyone stood, who talked with whom —
each agent's step starts once its own previous step is done and the previous step of every agent
it depends on; a talking pair is one chain (both sides' calls in a row, started when both may
start). The figures (docs/engine.md):

- ``perception``: the dependency of issue 19 — every agent within the vision radius in the
  same room, or on a neighbouring tile, before the step;
- ``reads``: what the agent code reads of others (docs/engine.md), known in hindsight — every
  agent in the same room, within the vision radius unless the room holds game objects;
- ``engine``: the run-ahead rule of docs/engine.md, as the engine can decide it without the
  positions it does not know yet: agent j holds agent i's step s back until j's last done step
  t proves that j cannot be, at step s - 1, in i's room (walking one tile a step) or — in a room
  without game objects — within the vision radius of i; and a step is done for everyone who
  could be paired in a conversation at once (the pairing waits for every candidate's wish);
- ``plan`` (when the timeline has ``sure``): the engine rule with a plan-aware bound — j
  follows its stored path up to the step before it may leave it (``Timeline.sure``), and walks
  from there; benchmarks/day_speed.py estimates ``sure`` from the frames in hindsight (an
  optimistic estimate of what an engine could prove: docs/engine.md);
- ``lockstep``: every step waits for its slowest chain (``--lockstep``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from runner.world.rooms import Rooms


@dataclass
class Timeline:
    """A run's steps: ``chains[s, a]`` the seconds of agent a's calls at step s; ``tiles[s + 1,
    a]`` its (x, y) after step s (row 0: where it spawned); ``rooms`` the room of each of those
    tiles; ``pairs[s]`` the conversations held at step s."""

    chains: np.ndarray  # (steps, agents) seconds
    tiles: np.ndarray  # (steps + 1, agents, 2)
    rooms: np.ndarray  # (steps + 1, agents)
    radius: int
    pairs: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    # sure[t + 1, a]: the first step after t at which agent a may leave its stored path (a new
    # action, a chat's end, a talk or a wait begun: docs/engine.md); None: at any step
    sure: np.ndarray | None = None


def own_chains(t: Timeline, s: int, start: np.ndarray) -> np.ndarray:
    """When each agent's step ``s`` ends, from when it may start: its calls in a row; a talking
    pair's calls one chain, begun when both may begin."""
    end = start + t.chains[s]
    for a, b in t.pairs.get(s, ()):
        both = max(start[a], start[b]) + t.chains[s, a] + t.chains[s, b]
        end[a] = end[b] = both
    return end


def _cheb(t: Timeline, row: int) -> np.ndarray:
    tiles = t.tiles[row]
    return np.abs(tiles[:, None, :] - tiles[None, :, :]).max(axis=2)


def perceives(t: Timeline, s: int) -> np.ndarray:
    """(agents, agents): i's step s waits for j's step s - 1 (issue 19's rule)."""
    cheb = _cheb(t, s)
    same = t.rooms[s][:, None] == t.rooms[s][None, :]
    return (same & (cheb <= t.radius)) | (cheb <= 1)


def reads(t: Timeline, rooms: Rooms, s: int) -> np.ndarray:
    """(agents, agents): i's step s reads j's step s - 1 (docs/engine.md): j in i's room, and
    within the vision radius unless the room holds game objects."""
    same = t.rooms[s][:, None] == t.rooms[s][None, :]
    return same & (rooms.objects[t.rooms[s]][:, None] | (_cheb(t, s) <= t.radius))


def hindsight_path(t: Timeline, depends) -> float:
    """The critical path when i's step s waits for j's step s - 1 where ``depends(s)[i, j]``,
    known in hindsight (the positions after s - 1 as they were)."""
    done = np.zeros(t.chains.shape[1])
    for s in range(len(t.chains)):
        start = np.where(depends(s), done[None, :], 0.0).max(axis=1)
        done = own_chains(t, s, np.maximum(start, done))
    return float(done.max(initial=0.0))


def lockstep_path(t: Timeline) -> float:
    """Every step waits for its slowest chain."""
    zero = np.zeros(t.chains.shape[1])
    return float(sum(own_chains(t, s, zero).max(initial=0.0) for s in range(len(t.chains))))


def engine_path(t: Timeline, rooms: Rooms, plan: bool = False) -> float:
    """The critical path under the run-ahead rule (module doc; docs/engine.md); ``plan``: with
    the plan-aware bound (``t.sure``) instead of the plain walking bound."""
    steps, n = t.chains.shape
    done = np.zeros((steps + 1, n))  # row t + 1: when each agent's step t is done; row 0: -1
    for s in range(steps):
        waits = _waited_step(t, rooms, s, plan)  # (i, j): the step of j that holds i back
        start = done[waits + 1, np.arange(n)[None, :]].max(axis=1)
        end = own_chains(t, s, np.maximum(start, done[s]))
        done[s + 1] = _paired_together(t, s, end)
    return float(done[-1].max(initial=0.0))


def _relevant(t: Timeline, rooms: Rooms, s: int, when: np.ndarray, plan: bool) -> np.ndarray:
    """(i, j): j, where it stood after step ``when[i, j]``, may be in i's room at step s - 1
    (and within the vision radius there, in a room without objects); ``plan``: j follows its
    path up to the step before it may leave it, and walks from there."""
    n = t.chains.shape[1]
    here, room = t.tiles[s], t.rooms[s]
    if plan:
        when = np.minimum(np.maximum(when, t.sure[when + 1, np.arange(n)[None, :]] - 1), s - 1)
    there = t.tiles[when + 1, np.arange(n)[None, :]]  # (i, j, 2)
    slack = s - 1 - when
    walk = rooms.distance[room[:, None], there[..., 1], there[..., 0]]
    near = np.abs(there - here[:, None, :]).max(axis=2) <= t.radius + slack
    return (walk <= slack) & (rooms.objects[room][:, None] | near)


def _waited_step(t: Timeline, rooms: Rooms, s: int, plan: bool) -> np.ndarray:
    """(i, j): the first step t in -1..s-1 after which j is provably no dependency of i's step
    s, else s - 1 (relevance only shrinks as t grows: a walker gains one tile a step)."""
    n = t.chains.shape[1]
    low, high = np.full((n, n), -1), np.full((n, n), s)
    while (low < high).any():
        mid = (low + high) // 2
        free = ~_relevant(t, rooms, s, np.minimum(mid, s - 1), plan) & (mid < s)
        high = np.where(free & (low < high), mid, high)
        low = np.where(~free & (low < high), mid + 1, low)
    waits = np.minimum(low, s - 1)
    np.fill_diagonal(waits, s - 1)
    return waits


def _paired_together(t: Timeline, s: int, end: np.ndarray) -> np.ndarray:
    """A step is done for all who could be paired at it together: the pairing, in agent
    order, waits for the wish of every candidate (same room, within the vision radius)."""
    cheb = _cheb(t, s)
    linked = (t.rooms[s][:, None] == t.rooms[s][None, :]) & (cheb <= t.radius)
    while True:
        spread = np.where(linked, end[None, :], 0.0).max(axis=1)
        if (spread <= end).all():
            return end
        end = np.maximum(end, spread)


def sure_steps(free: np.ndarray) -> np.ndarray:
    """``Timeline.sure`` from ``free[u, a]``: agent a may leave its path at step u (in
    hindsight: not busy, so a talk may begin, or its action or chat changed at u)."""
    steps, n = free.shape
    sure = np.full((steps + 1, n), steps)
    for u in range(steps - 1, -1, -1):
        sure[u] = np.where(free[u], u, sure[u + 1])
    return sure


def critical_paths(t: Timeline, rooms: Rooms) -> dict[str, float]:
    return {
        "perception": hindsight_path(t, lambda s: perceives(t, s)),
        "reads": hindsight_path(t, lambda s: reads(t, rooms, s)),
        "engine": engine_path(t, rooms),
        **({"plan": engine_path(t, rooms, plan=True)} if t.sure is not None else {}),
        "lockstep": lockstep_path(t),
    }
