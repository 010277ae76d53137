"""Every table of ``sim.sqlite`` in one place, with the schema version and its migrations.

Each :class:`Table` says which of its columns holds the step a row belongs to (``per_step``), or
``None`` for a table whose rows belong to no step; a fork trims exactly the per-step tables, so a
new table cannot be forgotten there (the field has no default). See ``docs/sim-store.md``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from .compact import upgrade_from_5

SCHEMA_VERSION = 7  # 1: stores written by RingWorld 0.1.0 (no schema_version in meta)


@dataclass(frozen=True)
class Table:
    name: str
    per_step: str | None  # the column a fork trims by (rows of steps >= N go), or None
    ddl: tuple[str, ...]  # CREATE TABLE and its indexes


TABLES = (
    Table(
        "meta",
        None,
        ("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",),
    ),
    Table(
        "agents",
        None,
        (
            "CREATE TABLE IF NOT EXISTS agents (id INTEGER PRIMARY KEY, name TEXT NOT NULL"
            " UNIQUE, persona TEXT NOT NULL)",
        ),
    ),
    Table(
        "steps",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS steps (step INTEGER PRIMARY KEY, game_time TEXT NOT NULL,"
            " wall_ms REAL NOT NULL, snapshot INTEGER NOT NULL DEFAULT 0)",
        ),
    ),
    # Frames as changes only (framelog.py); the view ``frames`` shows them whole.
    Table(
        "frame_moves",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS frame_moves (agent INTEGER NOT NULL, step INTEGER NOT NULL,"
            " x INTEGER NOT NULL, y INTEGER NOT NULL, PRIMARY KEY (agent, step)) WITHOUT ROWID",
        ),
    ),
    Table(
        "frame_texts",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS frame_texts (agent INTEGER NOT NULL, step INTEGER NOT NULL,"
            " action TEXT NOT NULL, emoji TEXT NOT NULL, address TEXT NOT NULL, chat TEXT,"
            " object_event TEXT, PRIMARY KEY (agent, step)) WITHOUT ROWID",
        ),
    ),
    # Snapshots: zlib-compressed msgpack of an agent's state after ``step``; see steps.snapshot.
    Table(
        "agent_state",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS agent_state (agent INTEGER NOT NULL, step INTEGER NOT NULL,"
            " state BLOB NOT NULL, PRIMARY KEY (agent, step))",
        ),
    ),
    Table(
        "conversations",
        "step_start",
        (
            "CREATE TABLE IF NOT EXISTS conversations (id INTEGER PRIMARY KEY,"
            " step_start INTEGER NOT NULL, step_end INTEGER NOT NULL, agent_a INTEGER NOT NULL,"
            " agent_b INTEGER NOT NULL, place TEXT NOT NULL, lines TEXT NOT NULL)",
        ),
    ),
    Table(
        "llm_calls",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS llm_calls (id INTEGER PRIMARY KEY, step INTEGER NOT NULL,"
            " agent INTEGER, kind TEXT NOT NULL, backend TEXT NOT NULL, model TEXT,"
            " prompt_tokens INTEGER NOT NULL DEFAULT 0,"
            " completion_tokens INTEGER NOT NULL DEFAULT 0, latency_ms REAL NOT NULL DEFAULT 0,"
            " cache_hit INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 1,"
            " outcome TEXT NOT NULL, reasoning_tokens INTEGER NOT NULL DEFAULT 0)",
            "CREATE INDEX IF NOT EXISTS llm_calls_step ON llm_calls (step)",
        ),
    ),
    Table(
        "llm_faults",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS llm_faults (id INTEGER PRIMARY KEY, step INTEGER NOT NULL,"
            " kind TEXT NOT NULL, agent TEXT, endpoint TEXT NOT NULL, reason TEXT NOT NULL,"
            " message TEXT NOT NULL)",
        ),
    ),
    Table(
        "memories",
        "created_step",
        (
            "CREATE TABLE IF NOT EXISTS memories (agent INTEGER NOT NULL, node INTEGER NOT NULL,"
            " created_step INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,"
            " predicate TEXT NOT NULL, object TEXT NOT NULL, description TEXT NOT NULL,"
            " importance INTEGER NOT NULL, keywords TEXT NOT NULL, evidence TEXT NOT NULL,"
            " embedding INTEGER NOT NULL, PRIMARY KEY (agent, node)) WITHOUT ROWID",
        ),
    ),
    # Memories' embeddings, each distinct vector once (``memories.embedding`` is its id); like
    # the answer cache, kept whole by a fork.
    Table(
        "embeddings",
        None,
        (
            "CREATE TABLE IF NOT EXISTS embeddings (id INTEGER PRIMARY KEY,"
            " digest BLOB NOT NULL UNIQUE, vector BLOB NOT NULL)",
        ),
    ),
    Table(
        "memory_access",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS memory_access (agent INTEGER NOT NULL,"
            " node INTEGER NOT NULL, step INTEGER NOT NULL, PRIMARY KEY (agent, node, step))"
            " WITHOUT ROWID",
        ),
    ),
    # What 'rw-batch eval' measured (eval.json's JSON); a fork drops one that looked at steps
    # the fork does not have.
    Table(
        "evaluations",
        "last_step",
        (
            "CREATE TABLE IF NOT EXISTS evaluations (id INTEGER PRIMARY KEY,"
            " last_step INTEGER NOT NULL, created TEXT NOT NULL, results TEXT NOT NULL)",
        ),
    ),
    Table(
        "days",
        "step",
        (
            "CREATE TABLE IF NOT EXISTS days (agent INTEGER NOT NULL, date TEXT NOT NULL,"
            " step INTEGER NOT NULL, currently TEXT NOT NULL, plan TEXT NOT NULL,"
            " PRIMARY KEY (agent, date)) WITHOUT ROWID",
        ),
    ),
    # The answer cache: a memo keyed by content, not sim state; a fork keeps it whole.
    Table(
        "llm_cache",
        None,
        (
            "CREATE TABLE IF NOT EXISTS llm_cache (key TEXT PRIMARY KEY, kind TEXT NOT NULL,"
            " model TEXT, response TEXT NOT NULL, prompt_tokens INTEGER NOT NULL DEFAULT 0,"
            " completion_tokens INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL) WITHOUT ROWID",
        ),
    ),
    Table(
        "llm_embed_cache",
        None,
        (
            "CREATE TABLE IF NOT EXISTS llm_embed_cache (key TEXT PRIMARY KEY, model TEXT,"
            " vector BLOB NOT NULL) WITHOUT ROWID",
        ),
    ),
)

CACHE_TABLES = ("llm_cache", "llm_embed_cache")

# Tables of older versions that version 6 replaced: a fork of an older store trims them too.
RETIRED = (Table("frames", "step", ()),)

# Every frame whole, for any SQLite client: an agent's latest move and text rows at each step.
FRAMES_VIEW = (
    "CREATE VIEW IF NOT EXISTS frames AS SELECT s.step AS step, a.id AS agent, m.x AS x,"
    " m.y AS y, t.action AS action, t.emoji AS emoji, t.address AS address, t.chat AS chat,"
    " t.object_event AS object_event FROM steps AS s CROSS JOIN agents AS a"
    " JOIN frame_moves AS m ON m.agent = a.id AND m.step = (SELECT max(step) FROM frame_moves"
    " WHERE agent = a.id AND step <= s.step)"
    " JOIN frame_texts AS t ON t.agent = a.id AND t.step = (SELECT max(step) FROM frame_texts"
    " WHERE agent = a.id AND step <= s.step)"
)


def create_tables(db: sqlite3.Connection, names: tuple[str, ...] | None = None) -> None:
    """Create the tables (all, or those named) that do not exist yet."""
    for table in TABLES:
        if names is None or table.name in names:
            for statement in table.ddl:
                db.execute(statement)
    if names is None:
        db.execute(FRAMES_VIEW)


def _from_1(db: sqlite3.Connection) -> None:
    """0.1.0 wrote the package version, never read; the schema version replaces it."""
    db.execute("DELETE FROM meta WHERE key = 'version'")


def _from_2(db: sqlite3.Connection) -> None:
    """Version 3 adds the evaluations table (rw-batch eval)."""
    create_tables(db, ("evaluations",))


def _from_3(db: sqlite3.Connection) -> None:
    """Version 4 keeps each agent's day (its revised `currently` and plan) in ``days``."""
    create_tables(db, ("days",))


def _from_4(db: sqlite3.Connection) -> None:
    """Version 5: frames gain the event of the object an agent uses (NULL in the steps stored
    before)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(frames)")}
    if columns and "object_event" not in columns:  # no frames table: it is made new
        db.execute("ALTER TABLE frames ADD COLUMN object_event TEXT")


def _from_5(db: sqlite3.Connection) -> None:
    upgrade_from_5(db, create_tables)


def _from_6(db: sqlite3.Connection) -> None:
    """Version 7: ``llm_calls`` counts the completion tokens a thinking model spent thinking
    (0 in the calls stored before)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(llm_calls)")}
    if columns and "reasoning_tokens" not in columns:
        db.execute("ALTER TABLE llm_calls ADD COLUMN reasoning_tokens INTEGER NOT NULL DEFAULT 0")


# version -> the step that brings a store of that version to the next one; after the steps, the
# tables a store lacks are created (0.1.0 made llm_faults and the cache tables only when needed)
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _from_1,
    2: _from_2,
    3: _from_3,
    4: _from_4,
    5: _from_5,
    6: _from_6,
}
