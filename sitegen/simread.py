"""Read what a sim folder has stored: one consistent snapshot, even while the sim runs.

Everything is read through the store's read API inside one snapshot
(:meth:`runner.store.SimStore.snapshot`), which holds whole steps only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from runner.errors import RingWorldError
from runner.scenario import Scenario, read_sim_scenario
from runner.store import SimFolder, SimStore
from runner.world.clock import GameClock
from runner.world.loader import load_map
from runner.world.townmap import TownMap

TEXT_FIELDS = ("action", "emoji", "address", "chat")
OBJECT_EVENT = "object_event"  # in ``SimData.text`` only when the store records it
MEMORIES_PER_HOUR = 50  # per agent, the most recent ones of each hour of game time


@dataclass
class SimData:
    """Everything the replay shows, as read from ``sim.sqlite`` and ``scenario.yaml``."""

    folder: Path
    meta: dict[str, str]
    town: TownMap
    agents: list[dict]
    steps: int
    x: np.ndarray  # (steps, agents) tile column
    y: np.ndarray  # (steps, agents) tile row
    text: dict[str, np.ndarray]  # field -> (steps, agents) object array of str ("" for none);
    # TEXT_FIELDS always, OBJECT_EVENT when the store has it (schema 5 or later)
    conversations: list[tuple] = field(default_factory=list)
    memories: list[tuple] | None = None  # (agent, created_step, kind, description, importance)
    events: list[tuple[str, int, str]] = field(default_factory=list)  # the scenario's eval
    # events: (name: its first word, start step, place address)

    @property
    def name(self) -> str:
        return self.meta.get("name") or self.folder.name

    @property
    def language(self) -> str:
        return self.meta.get("language", "zh")

    @property
    def sec_per_step(self) -> int:
        return int(self.meta["sec_per_step"])


def read_sim(folder: Path) -> SimData:
    """Read a sim folder, or raise one clear :class:`RingWorldError`."""
    sim = SimFolder(folder)
    if not sim.path.is_dir():
        raise RingWorldError(f"{sim.path}: no such sim folder")
    if not sim.scenario.is_file():
        raise RingWorldError(f"{sim.scenario}: missing; is this a sim folder?")
    scenario = read_sim_scenario(sim.path)
    store = sim.open(readonly=True)
    try:
        return _read_snapshot(sim, store, scenario)
    except ValueError as exc:
        raise RingWorldError(f"{sim.store_file}: not a readable sim store ({exc})") from None
    finally:
        store.close()


def _read_snapshot(sim: SimFolder, store: SimStore, scenario: Scenario) -> SimData:
    with store.snapshot():
        meta = store.get_meta()
        steps = int(meta.get("steps_done", 0))
        if steps <= 0:
            raise RingWorldError(f"{sim.store_file}: no step is stored yet")
        agents = store.personas()
        if not agents:
            raise RingWorldError(f"{sim.store_file}: no agents are stored")
        x, y, text = _read_frames(sim, store, steps, len(agents))
        conversations = store.conversations(steps)
        meta.setdefault("language", scenario.language)
        meta.setdefault("start_time", scenario.start)
        meta.setdefault("sec_per_step", str(scenario.sec_per_step))
        meta.setdefault("name", scenario.name or sim.name)
        chunk = chunk_steps_for(int(meta["sec_per_step"]))
        memories = store.recent_memories(steps, chunk, MEMORIES_PER_HOUR)
    town = load_map(scenario.map, meta["language"])
    data = SimData(sim.path, meta, town, agents, steps, x, y, text, conversations, memories)
    data.events = _events(scenario, meta)
    return data


def _events(scenario: Scenario, meta: dict[str, str]) -> list[tuple[str, int, str]]:
    """The scenario's eval events (a party) as (name, start step, place)."""
    clock = GameClock(meta["start_time"], int(meta["sec_per_step"]))
    return [
        (e.words[0], clock.step_at(dt.datetime.fromisoformat(e.start)), e.place)
        for e in scenario.eval.events
    ]


def _read_frames(sim: SimFolder, store: SimStore, steps: int, n_agents: int):
    """The frames as arrays, each change row filling its agent's column up to the next."""
    x = np.zeros((steps, n_agents), dtype=np.int32)
    y = np.zeros((steps, n_agents), dtype=np.int32)
    fields = (*TEXT_FIELDS, OBJECT_EVENT) if store.has_object_events() else TEXT_FIELDS
    text = {f: np.empty((steps, n_agents), dtype=object) for f in fields}
    moves, texts = store.frame_changes(steps)
    _check_starts(sim, moves, n_agents)
    _check_starts(sim, texts, n_agents)
    for (agent, step, fx, fy), end in _spans(moves, steps):
        x[step:end, agent] = fx
        y[step:end, agent] = fy
    for (agent, step, *values), end in _spans(texts, steps):
        for name, value in zip(fields, values):
            text[name][step:end, agent] = "" if value is None else value
    return x, y, text


def _spans(rows: list[tuple], steps: int):
    """Each change row (by agent and step) with the step the next one of its agent begins."""
    for i, row in enumerate(rows):
        nxt = rows[i + 1] if i + 1 < len(rows) else None
        yield row, nxt[1] if nxt is not None and nxt[0] == row[0] else steps


def _check_starts(sim: SimFolder, rows: list[tuple], n_agents: int) -> None:
    """Every agent's frames begin at step 0 and none is of an unknown agent."""
    first: dict[int, int] = {}
    for agent, step, *_ in rows:
        if not 0 <= agent < n_agents:
            raise RingWorldError(f"{sim.store_file}: frame of unknown agent {agent}")
        first.setdefault(agent, step)
    for agent in range(n_agents):
        if first.get(agent) != 0:
            raise RingWorldError(
                f"{sim.store_file}: step 0 has no frame for agent {agent}; the store is damaged"
            )


def chunk_steps_for(sec_per_step: int) -> int:
    """Steps in one data chunk: one hour of game time."""
    return max(1, round(3600 / max(1, sec_per_step)))
