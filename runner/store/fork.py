"""A fork: a new store holding a sim's state as it was after steps 0..N-1.

What to trim comes from the schema: every table whose rows belong to a step
(:attr:`Table.per_step`) loses the rows of step N and later (in a store of an older version, the
tables it has, those retired since included); the others (meta, agents, embeddings, the answer
cache) are copied whole.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .schema import RETIRED, TABLES
from .sim import SimStore


def fork_store(source: SimStore, target: Path, at_step: int, forked_from: str) -> None:
    """Copy ``source`` into ``target`` (the backup API: safe while the sim runs), trimmed."""
    db = sqlite3.connect(target)
    try:
        source.db.backup(db)
        present = {
            name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        with db:
            for table in (*TABLES, *RETIRED):
                if table.per_step and table.name in present:
                    db.execute(f"DELETE FROM {table.name} WHERE {table.per_step} >= ?", (at_step,))
            (game_time,) = db.execute(
                "SELECT game_time FROM steps WHERE step = ?", (at_step - 1,)
            ).fetchone()
            db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [
                    ("steps_done", str(at_step)),
                    ("name", target.parent.name),
                    ("game_time", game_time),
                    ("forked_from", forked_from),
                ],
            )
        db.execute("PRAGMA journal_mode=WAL")
    finally:
        db.close()
