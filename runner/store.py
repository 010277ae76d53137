"""The sim store: ``output/<sim>/sim.sqlite``, one SQLite transaction per step.

Tables are documented in ``docs/sim-store.md``. A process that runs a sim holds an exclusive
``flock`` on ``output/<sim>/lock`` for its lifetime, so two processes never write one sim.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import RingWorldError

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS agents (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, persona TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS steps (
    step INTEGER PRIMARY KEY, game_time TEXT NOT NULL, wall_ms REAL NOT NULL);
CREATE TABLE IF NOT EXISTS frames (
    step INTEGER NOT NULL, agent INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL,
    action TEXT NOT NULL, emoji TEXT NOT NULL, address TEXT NOT NULL, chat TEXT,
    PRIMARY KEY (step, agent)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS agent_state (
    agent INTEGER NOT NULL, step INTEGER NOT NULL, state BLOB NOT NULL,
    PRIMARY KEY (agent, step)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY, step_start INTEGER NOT NULL, step_end INTEGER NOT NULL,
    agent_a INTEGER NOT NULL, agent_b INTEGER NOT NULL, place TEXT NOT NULL,
    lines TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS llm_calls (
    id INTEGER PRIMARY KEY, step INTEGER NOT NULL, agent INTEGER, kind TEXT NOT NULL,
    backend TEXT NOT NULL, model TEXT, prompt_tokens INTEGER NOT NULL DEFAULT 0,
    completion_tokens INTEGER NOT NULL DEFAULT 0, latency_ms REAL NOT NULL DEFAULT 0,
    cache_hit INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1,
    outcome TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS llm_calls_step ON llm_calls (step);
CREATE TABLE IF NOT EXISTS memories (
    agent INTEGER NOT NULL, node INTEGER NOT NULL, created_step INTEGER NOT NULL,
    kind TEXT NOT NULL, subject TEXT NOT NULL, predicate TEXT NOT NULL, object TEXT NOT NULL,
    description TEXT NOT NULL, importance INTEGER NOT NULL, keywords TEXT NOT NULL,
    evidence TEXT NOT NULL, embedding BLOB NOT NULL,
    PRIMARY KEY (agent, node)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS memory_access (
    agent INTEGER NOT NULL, node INTEGER NOT NULL, step INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS memory_access_agent ON memory_access (agent, node);
"""

FRAME_COLUMNS = ("step", "agent", "x", "y", "action", "emoji", "address", "chat")


class SimLock:
    """An exclusive, non-blocking lock on a sim folder, released when the process ends."""

    def __init__(self, folder: Path):
        self.path = folder / "lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise RingWorldError(
                f"{self.path.parent}: this sim is being run by another process (pid {holder}); "
                "wait for it to finish or stop it first"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def holder(self) -> str | None:
        """The pid that holds the lock, or None; does not take the lock."""
        if not self.path.exists():
            return None
        fd = os.open(self.path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return os.read(fd, 32).decode(errors="replace").strip() or "?"
        finally:
            os.close(fd)
        return None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class SimStore:
    """Reads and writes one sim's SQLite file."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        if readonly:
            if not self.path.is_file():
                raise RingWorldError(f"{self.path}: no sim store here")
            uri = f"file:{self.path}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        self.db.execute("PRAGMA busy_timeout=5000")
        try:
            self.db.execute("SELECT count(*) FROM meta").fetchone()
        except sqlite3.DatabaseError as exc:
            raise RingWorldError(f"{self.path}: not a readable sim store ({exc})") from None

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes of one step: committed together or not at all."""
        with self.db:
            yield self.db

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def set_meta(self, db: sqlite3.Connection, **values: object) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(k, str(v)) for k, v in values.items()],
        )

    def init_run(self, scenario_hash: str, agents: list[dict], **meta: object) -> None:
        with self.transaction() as db:
            self.set_meta(
                db, version=__version__, scenario_hash=scenario_hash, steps_done=0, **meta
            )
            db.executemany(
                "INSERT INTO agents (id, name, persona) VALUES (?, ?, ?)",
                [(i, a["name"], json.dumps(a, ensure_ascii=False)) for i, a in enumerate(agents)],
            )

    def init_from_scenario(self, scenario: dict, run_key: str, name: str) -> None:
        """``init_run`` with the meta a resolved scenario gives."""
        self.init_run(
            run_key,
            scenario["agents"],
            start_time=scenario["start"],
            sec_per_step=scenario["sec_per_step"],
            language=scenario["language"],
            name=name,
            backend=scenario["llm"]["backend"],
            target_steps=scenario["steps"],
        )

    def steps_done(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='steps_done'").fetchone()
        return int(row[0]) if row else 0

    # --- per-step writes (inside one transaction) --------------------------------------------
    def write_step(
        self,
        db: sqlite3.Connection,
        step: int,
        game_time: str,
        wall_ms: float,
        frames: Iterable[tuple],
        states: Iterable[tuple[int, bytes]],
    ) -> None:
        db.execute("INSERT INTO steps VALUES (?, ?, ?)", (step, game_time, wall_ms))
        db.executemany("INSERT INTO frames VALUES (?, ?, ?, ?, ?, ?, ?, ?)", frames)
        db.executemany(
            "INSERT INTO agent_state VALUES (?, ?, ?)", [(a, step, s) for a, s in states]
        )
        self.set_meta(db, steps_done=step + 1, game_time=game_time)

    def add_conversation(
        self, db: sqlite3.Connection, start: int, end: int, a: int, b: int, place: str, lines
    ) -> None:
        db.execute(
            "INSERT INTO conversations (step_start, step_end, agent_a, agent_b, place, lines)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (start, end, a, b, place, json.dumps(lines, ensure_ascii=False)),
        )

    def add_calls(self, db: sqlite3.Connection, calls: Iterable[dict]) -> None:
        db.executemany(
            "INSERT INTO llm_calls (step, agent, kind, backend, model, prompt_tokens,"
            " completion_tokens, latency_ms, cache_hit, attempts, outcome) VALUES (:step, :agent,"
            " :kind, :backend, :model, :prompt_tokens, :completion_tokens, :latency_ms,"
            " :cache_hit, :attempts, :outcome)",
            list(calls),
        )

    def add_memories(self, db: sqlite3.Connection, rows: list[tuple]) -> None:
        db.executemany("INSERT INTO memories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def add_accesses(self, db: sqlite3.Connection, rows: list[tuple[int, int, int]]) -> None:
        db.executemany("INSERT INTO memory_access VALUES (?, ?, ?)", rows)

    # --- reads -------------------------------------------------------------------------------
    def agents(self) -> list[dict]:
        rows = self.db.execute("SELECT persona FROM agents ORDER BY id")
        return [json.loads(r[0]) for r in rows]

    def latest_states(self, before_step: int) -> dict[int, bytes]:
        """Each agent's last stored state at a step below ``before_step``."""
        rows = self.db.execute(
            "SELECT agent, state FROM agent_state AS s WHERE step = (SELECT max(step) FROM"
            " agent_state WHERE agent = s.agent AND step < ?)",
            (before_step,),
        )
        return dict(rows)

    def memory_rows(self, agent: int, before_step: int) -> list[tuple]:
        """An agent's memories created before ``before_step``, in node order."""
        return self.db.execute(
            "SELECT node, created_step, kind, subject, predicate, object, description,"
            " importance, keywords, evidence, embedding FROM memories"
            " WHERE agent = ? AND created_step < ? ORDER BY node",
            (agent, before_step),
        ).fetchall()

    def last_accesses(self, agent: int, before_step: int) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT node, max(step) FROM memory_access WHERE agent = ? AND step < ? GROUP BY node",
            (agent, before_step),
        )
        return dict(rows)

    def frames(self, start: int = 0, end: int | None = None) -> list[tuple]:
        end = self.steps_done() if end is None else end
        return self.db.execute(
            "SELECT * FROM frames WHERE step >= ? AND step < ? ORDER BY step, agent", (start, end)
        ).fetchall()

    def call_summary(self) -> dict[str, float]:
        row = self.db.execute(
            "SELECT count(*), coalesce(sum(prompt_tokens + completion_tokens), 0),"
            " coalesce(sum(cache_hit), 0), coalesce(sum(outcome != 'ok'), 0),"
            " coalesce(sum(attempts - 1), 0) FROM llm_calls"
        ).fetchone()
        return dict(zip(("calls", "tokens", "cache_hits", "failsafes", "retries"), row))

    def conversation_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM conversations").fetchone()[0]
