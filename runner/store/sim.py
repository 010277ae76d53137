"""The sim store: ``output/<sim>/sim.sqlite``, one SQLite transaction per step.

Tables are in :mod:`runner.store.schema` and documented in ``docs/sim-store.md``. Opening a
store checks its schema version: a store of an older version is migrated when opened for
writing (read-only, it is read as it is: the migrations only add tables and drop an unused meta
key, so nothing reads differently); a store of a newer version is refused with one line.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import RingWorldError
from .answers import AnswerBook, write_entries
from .compact import pack_state, unpack_state, vector_ids, write_frame_changes
from .evaluations import Evaluations
from .framelog import FrameLog, rebuild
from .records import Frame, LLMCall, LLMRecords, MemoryRow
from .replay import ReplayReads
from .reports import Reports
from .schema import MIGRATIONS, SCHEMA_VERSION, create_tables

if TYPE_CHECKING:
    from ..config import Scenario

_CALL_COLUMNS = (
    "step, agent, kind, backend, model, prompt_tokens, completion_tokens, latency_ms,"
    " cache_hit, attempts, outcome, reasoning_tokens"
)


class SimStore(Reports, ReplayReads, Evaluations):
    """Reads and writes one sim's SQLite file."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        if readonly and not self.path.is_file():
            raise RingWorldError(f"{self.path}: no sim store here")
        try:
            if readonly:
                uri = f"file:{self.path}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            else:
                self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA busy_timeout=5000")
            version = self._stored_version(readonly)
            if not readonly:
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                if version != SCHEMA_VERSION:
                    self._upgrade(version)
                    if version is not None:  # a migrated store: give back what it freed
                        self.db.execute("VACUUM")
                    version = SCHEMA_VERSION
        except sqlite3.DatabaseError as exc:
            raise RingWorldError(f"{self.path}: not a readable sim store ({exc})") from None
        self.schema_version = version
        self._log: FrameLog | None = None  # the last frames written, read at the first write

    def _stored_version(self, readonly: bool) -> int | None:
        """The store's schema version; None for a file with no tables yet (a new store)."""
        tables = {n for (n,) in self.db.execute("SELECT name FROM sqlite_master")}
        if "meta" not in tables:
            if tables or readonly:
                raise sqlite3.DatabaseError("no table meta")
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:  # RingWorld 0.1.0 wrote no schema version (or nothing was stored yet)
            return 1 if self.db.execute("SELECT 1 FROM meta LIMIT 1").fetchone() else None
        try:
            version = int(row[0])
        except ValueError:
            raise sqlite3.DatabaseError(f"schema_version is {row[0]!r}") from None
        if version > SCHEMA_VERSION:
            raise RingWorldError(
                f"{self.path}: written by a newer RingWorld (store schema {version}; this one "
                f"reads up to {SCHEMA_VERSION}); upgrade ringworld to open it"
            )
        return version

    def _upgrade(self, version: int | None) -> None:
        """Create a new store, or migrate an older one, in one transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for old in range(version or SCHEMA_VERSION, SCHEMA_VERSION):
                MIGRATIONS[old](self.db)
            create_tables(self.db)
            self.set_meta(self.db, schema_version=SCHEMA_VERSION)

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All writes of one step: committed together or not at all."""
        with self.db:
            yield self.db

    def answer_book(self) -> AnswerBook:
        """The answer cache of this sim, through a connection of its own."""
        return AnswerBook(self.path)

    # --- meta -------------------------------------------------------------------------------
    def get_meta(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT key, value FROM meta"))

    def set_meta(self, db: sqlite3.Connection, **values: object) -> None:
        db.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(k, str(v)) for k, v in values.items()],
        )

    def run_key(self) -> str | None:
        """The run identity stored by :meth:`init_run`; None before a run was started."""
        return self.get_meta().get("scenario_hash")

    def init_run(self, scenario_hash: str, agents: list[dict], **meta: object) -> None:
        with self.transaction() as db:
            self.set_meta(db, scenario_hash=scenario_hash, steps_done=0, **meta)
            db.executemany(
                "INSERT INTO agents (id, name, persona) VALUES (?, ?, ?)",
                [(i, a["name"], json.dumps(a, ensure_ascii=False)) for i, a in enumerate(agents)],
            )

    def init_from_scenario(self, scenario: Scenario, run_key: str, name: str) -> None:
        """``init_run`` with the meta a resolved scenario gives."""
        self.init_run(
            run_key,
            scenario.personas(),
            start_time=scenario.start,
            sec_per_step=scenario.sec_per_step,
            language=scenario.language,
            name=name,
            backend=scenario.llm.backend,
            target_steps=scenario.steps,
        )

    def steps_done(self) -> int:
        row = self.db.execute("SELECT value FROM meta WHERE key='steps_done'").fetchone()
        return int(row[0]) if row else 0

    def set_target(self, steps: int) -> None:
        with self.transaction() as db:
            self.set_meta(db, target_steps=steps)

    # --- per-step writes (inside one transaction) --------------------------------------------
    def write_step(
        self,
        db: sqlite3.Connection,
        step: int,
        game_time: str,
        wall_ms: float,
        frames: Iterable[Frame],
        states: Iterable[tuple[int, bytes]],
        snapshot: bool = False,
    ) -> None:
        """One step's rows; ``snapshot``: ``states`` are those of every agent whose state
        differs from its last stored one, so the stored states are all agents' after ``step``."""
        db.execute(
            "INSERT INTO steps VALUES (?, ?, ?, ?)", (step, game_time, wall_ms, int(snapshot))
        )
        if self._log is None:
            self._log = FrameLog(self.frames(step - 1, step) if step else ())
        write_frame_changes(db, self._log, (Frame(*f) for f in frames))  # 8-tuple: no event
        db.executemany(
            "INSERT INTO agent_state VALUES (?, ?, ?)",
            [(a, step, pack_state(s)) for a, s in states],
        )
        self.set_meta(db, steps_done=step + 1, game_time=game_time)

    def add_snapshot(self, db: sqlite3.Connection, step: int, states: list[tuple[int, bytes]]):
        """Make a stored step a snapshot (``write_step``'s ``snapshot``) after the fact."""
        db.execute("UPDATE steps SET snapshot = 1 WHERE step = ?", (step,))
        db.executemany(
            "INSERT INTO agent_state VALUES (?, ?, ?)",
            [(a, step, pack_state(s)) for a, s in states],
        )

    def add_conversation(
        self, db: sqlite3.Connection, start: int, end: int, a: int, b: int, place: str, lines
    ) -> None:
        db.execute(
            "INSERT INTO conversations (step_start, step_end, agent_a, agent_b, place, lines)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (start, end, a, b, place, json.dumps(lines, ensure_ascii=False)),
        )

    def add_calls(self, db: sqlite3.Connection, calls: Iterable[LLMCall]) -> None:
        db.executemany(
            f"INSERT INTO llm_calls ({_CALL_COLUMNS}) VALUES ({', '.join('?' * 12)})",
            [
                (
                    c.step,
                    c.agent,
                    c.kind,
                    c.backend,
                    c.model,
                    c.prompt_tokens,
                    c.completion_tokens,
                    c.latency_ms,
                    c.cache_hit,
                    c.attempts,
                    c.outcome,
                    c.reasoning_tokens,
                )
                for c in calls
            ],
        )

    def add_llm(self, db: sqlite3.Connection, step: int, records: LLMRecords) -> None:
        """The LLM stack's records of a step: faults, embedding requests, cache entries."""
        db.executemany(
            "INSERT INTO llm_faults (step, kind, agent, endpoint, reason, message)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(step, f.kind, f.agent, f.endpoint, f.reason, f.message) for f in records.faults],
        )
        self.add_calls(db, records.calls)
        write_entries(db, records.answers, records.vectors)

    def add_memories(self, db: sqlite3.Connection, rows: Iterable[MemoryRow]) -> None:
        rows = list(rows)
        vectors = [np.asarray(m.embedding, dtype=np.float32).tobytes() for m in rows]
        db.executemany(
            "INSERT INTO memories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    m.agent,
                    m.node,
                    m.created_step,
                    m.kind,
                    m.subject,
                    m.predicate,
                    m.object,
                    m.description,
                    m.importance,
                    json.dumps(m.keywords, ensure_ascii=False),
                    json.dumps(m.evidence),
                    vid,
                )
                for m, vid in zip(rows, vector_ids(db, vectors))
            ],
        )

    def add_days(self, db: sqlite3.Connection, step: int, days: list[tuple]) -> None:
        """(agent, date, currently, plan) of the days begun at ``step``."""
        db.executemany(
            "INSERT INTO days VALUES (?, ?, ?, ?, ?)",
            [
                (a, date, step, now, json.dumps(plan, ensure_ascii=False))
                for a, date, now, plan in days
            ],
        )

    def add_accesses(self, db: sqlite3.Connection, rows: list[tuple[int, int, int]]) -> None:
        db.executemany("INSERT OR IGNORE INTO memory_access VALUES (?, ?, ?)", rows)

    # --- reads to continue a run ---------------------------------------------------------------
    def agents(self) -> list[dict]:
        rows = self.db.execute("SELECT persona FROM agents ORDER BY id")
        return [json.loads(r[0]) for r in rows]

    def snapshot_step(self, before_step: int) -> int | None:
        """The last step below ``before_step`` after which every agent's state is stored (a
        snapshot); None when there is none."""
        row = self.db.execute(
            "SELECT max(step) FROM steps WHERE snapshot = 1 AND step < ?", (before_step,)
        ).fetchone()
        return row[0]

    def latest_states(self, before_step: int) -> dict[int, bytes]:
        """Each agent's last stored state (msgpack) at a step below ``before_step``."""
        rows = self.db.execute(
            "SELECT agent, state FROM agent_state AS s WHERE step = (SELECT max(step) FROM"
            " agent_state WHERE agent = s.agent AND step < ?)",
            (before_step,),
        )
        if self.schema_version < 6:
            return dict(rows)
        return {a: unpack_state(blob) for a, blob in rows}

    def memory_rows(self, agent: int, before_step: int, from_node: int = 0) -> list[MemoryRow]:
        """An agent's memories created before ``before_step``, from node ``from_node`` on, in
        node order."""
        legacy = self.schema_version < 6
        vector = (
            "m.embedding" if legacy else "(SELECT vector FROM embeddings WHERE id = m.embedding)"
        )
        rows = self.db.execute(
            "SELECT agent, node, created_step, kind, subject, predicate, object, description,"
            f" importance, keywords, evidence, {vector} FROM memories AS m"
            " WHERE agent = ? AND created_step < ? AND node >= ? ORDER BY node",
            (agent, before_step, from_node),
        )
        return [
            MemoryRow(
                *row[:9],
                json.loads(row[9]),
                json.loads(row[10]),
                np.frombuffer(row[11], dtype=np.float32),
            )
            for row in rows
        ]

    def thought_texts(self, agent: int) -> set[str]:
        """The texts of an agent's thoughts (whispered, from a history file, its own)."""
        rows = self.db.execute(
            "SELECT description FROM memories WHERE agent = ? AND kind = 'thought'", (agent,)
        )
        return {text for (text,) in rows}

    def next_node(self, agent: int) -> int:
        """The node number the agent's next memory gets."""
        row = self.db.execute(
            "SELECT coalesce(max(node) + 1, 0) FROM memories WHERE agent = ?", (agent,)
        ).fetchone()
        return row[0]

    def last_accesses(self, agent: int, before_step: int) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT node, max(step) FROM memory_access WHERE agent = ? AND step < ? GROUP BY node",
            (agent, before_step),
        )
        return dict(rows)

    def frames(self, start: int = 0, end: int | None = None) -> list[Frame]:
        """Every frame of steps ``start``..``end``-1 (default: all stored), in step and agent
        order."""
        end = self.steps_done() if end is None else min(end, self.steps_done())
        if end <= start:
            return []
        if not self.has_frame_changes():
            rows = self.db.execute(
                f"SELECT {self.frame_columns()} FROM frames"
                " WHERE step >= ? AND step < ? ORDER BY step, agent",
                (start, end),
            )
            return [Frame(*row) for row in rows]
        moves, texts = self.frame_changes(end, start)
        return list(rebuild(start, end, len(self.agents()), moves, texts))
