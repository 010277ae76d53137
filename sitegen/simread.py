"""Read what a sim folder has stored: one consistent snapshot, even while the sim runs.

The runner commits one transaction per step and keeps ``meta.steps_done`` in that
transaction, so reading everything inside one read transaction (WAL) gives whole steps only.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from runner.errors import RingWorldError
from runner.scenario import load_scenario
from runner.store import SimStore
from runner.world.loader import load_map
from runner.world.townmap import TownMap

TEXT_FIELDS = ("action", "emoji", "address", "chat")
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
    text: dict[str, np.ndarray]  # field -> (steps, agents) object array of str ("" for none)
    conversations: list[tuple] = field(default_factory=list)
    memories: list[tuple] | None = None  # (agent, created_step, kind, description, importance)

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
    folder = Path(folder)
    if not folder.is_dir():
        raise RingWorldError(f"{folder}: no such sim folder")
    db_path = folder / "sim.sqlite"
    if not (folder / "scenario.yaml").is_file():
        raise RingWorldError(f"{folder / 'scenario.yaml'}: missing; is this a sim folder?")
    scenario = load_scenario(folder / "scenario.yaml")
    store = SimStore(db_path, readonly=True)
    try:
        return _read_snapshot(folder, store.db, scenario)
    except (sqlite3.DatabaseError, ValueError) as exc:
        raise RingWorldError(f"{db_path}: not a readable sim store ({exc})") from None
    finally:
        store.close()


def _read_snapshot(folder: Path, db: sqlite3.Connection, scenario: dict) -> SimData:
    db.execute("BEGIN")
    try:
        meta = dict(db.execute("SELECT key, value FROM meta"))
        steps = int(meta.get("steps_done", 0))
        if steps <= 0:
            raise RingWorldError(f"{folder / 'sim.sqlite'}: no step is stored yet")
        agents = [json.loads(p) for (p,) in db.execute("SELECT persona FROM agents ORDER BY id")]
        if not agents:
            raise RingWorldError(f"{folder / 'sim.sqlite'}: no agents are stored")
        x, y, text = _read_frames(folder, db, steps, len(agents))
        conversations = db.execute(
            "SELECT step_start, step_end, agent_a, agent_b, place, lines FROM conversations"
            " WHERE step_start < ? ORDER BY step_start, id",
            (steps,),
        ).fetchall()
        meta.setdefault("language", scenario["language"])
        meta.setdefault("start_time", scenario["start"])
        meta.setdefault("sec_per_step", str(scenario["sec_per_step"]))
        meta.setdefault("name", scenario["name"] or folder.name)
        chunk = chunk_steps_for(int(meta["sec_per_step"]))
        memories = _read_memories(db, steps, chunk)
    finally:
        db.rollback()
    town = load_map(scenario["map"], meta["language"])
    return SimData(folder, meta, town, agents, steps, x, y, text, conversations, memories)


def _read_frames(folder: Path, db: sqlite3.Connection, steps: int, n_agents: int):
    x = np.zeros((steps, n_agents), dtype=np.int32)
    y = np.zeros((steps, n_agents), dtype=np.int32)
    seen = np.zeros((steps, n_agents), dtype=bool)
    text = {f: np.empty((steps, n_agents), dtype=object) for f in TEXT_FIELDS}
    rows = db.execute(
        "SELECT step, agent, x, y, action, emoji, address, chat FROM frames WHERE step < ?",
        (steps,),
    )
    for step, agent, fx, fy, action, emoji, address, chat in rows:
        if not 0 <= agent < n_agents:
            raise RingWorldError(f"{folder / 'sim.sqlite'}: frame of unknown agent {agent}")
        seen[step, agent] = True
        x[step, agent] = fx
        y[step, agent] = fy
        text["action"][step, agent] = action
        text["emoji"][step, agent] = emoji
        text["address"][step, agent] = address
        text["chat"][step, agent] = chat or ""
    missing = np.argwhere(~seen)
    if len(missing):
        step, agent = missing[0].tolist()
        raise RingWorldError(
            f"{folder / 'sim.sqlite'}: step {step} has no frame for agent {agent} "
            f"though steps_done is {steps}; the store is damaged"
        )
    return x, y, text


def chunk_steps_for(sec_per_step: int) -> int:
    """Steps in one data chunk: one hour of game time."""
    return max(1, round(3600 / max(1, sec_per_step)))


def _read_memories(db: sqlite3.Connection, steps: int, chunk: int) -> list[tuple] | None:
    """The last ``MEMORIES_PER_HOUR`` memories of each agent in each chunk, or None."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='memories'"
    ).fetchone()
    if not exists:
        return None
    return db.execute(
        "SELECT agent, created_step, kind, description, importance FROM ("
        " SELECT agent, created_step, kind, description, importance, row_number() OVER ("
        "  PARTITION BY agent, created_step / ? ORDER BY created_step DESC, description) AS n"
        " FROM memories WHERE created_step < ?)"
        " WHERE n <= ? ORDER BY agent, created_step, description",
        (chunk, steps, MEMORIES_PER_HOUR),
    ).fetchall()
