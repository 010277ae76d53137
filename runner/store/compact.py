"""The compact forms of schema 6, and the migration that brings a store of version 5 to them.

- agent states are zlib-compressed msgpack, stored at snapshots (``steps.snapshot``);
- each distinct embedding vector is stored once, in ``embeddings``; a memory names it by id;
- frames are stored as changes only (:mod:`runner.store.framelog`);
- ``memory_access`` holds each (agent, node, step) once.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable

from .framelog import FrameLog
from .records import Frame

REBUILT = ("frames", "agent_state", "memories", "memory_access")


def pack_state(blob: bytes) -> bytes:
    return zlib.compress(blob, 6)


def unpack_state(stored: bytes) -> bytes:
    return zlib.decompress(stored)


def vector_ids(db: sqlite3.Connection, vectors: Iterable[bytes]) -> list[int]:
    """The id of each vector in ``embeddings``, stored there when new."""
    ids = []
    for vector in vectors:
        digest = hashlib.sha256(vector).digest()[:16]
        db.execute(
            "INSERT OR IGNORE INTO embeddings (digest, vector) VALUES (?, ?)", (digest, vector)
        )
        (vid,) = db.execute("SELECT id FROM embeddings WHERE digest = ?", (digest,)).fetchone()
        ids.append(vid)
    return ids


def write_frame_changes(db: sqlite3.Connection, log: FrameLog, frames: Iterable[Frame]) -> None:
    moves, texts = log.changes(frames)
    db.executemany("INSERT INTO frame_moves VALUES (?, ?, ?, ?)", moves)
    db.executemany("INSERT INTO frame_texts VALUES (?, ?, ?, ?, ?, ?, ?)", texts)


def upgrade_from_5(db: sqlite3.Connection, create) -> None:
    """Version 6: frames as changes, states compressed, vectors shared, accesses once. Every
    step stored before is a snapshot: the old store kept each state where it changed."""
    db.execute("ALTER TABLE steps ADD COLUMN snapshot INTEGER NOT NULL DEFAULT 0")
    db.execute("UPDATE steps SET snapshot = 1")
    for old in REBUILT:  # every store since 0.1.0 has them
        db.execute(f"ALTER TABLE {old} RENAME TO old_{old}")
    db.execute("DROP INDEX IF EXISTS memory_access_agent")
    create(db)
    log = FrameLog()
    rows = db.execute(
        "SELECT step, agent, x, y, action, emoji, address, chat, object_event FROM old_frames"
        " ORDER BY agent, step"
    )
    write_frame_changes(db, log, (Frame(*row) for row in rows))
    states = db.execute("SELECT agent, step, state FROM old_agent_state").fetchall()
    db.executemany(
        "INSERT INTO agent_state VALUES (?, ?, ?)", [(a, s, pack_state(b)) for a, s, b in states]
    )
    memories = db.execute("SELECT * FROM old_memories ORDER BY agent, node").fetchall()
    ids = vector_ids(db, [m[11] for m in memories])
    db.executemany(
        "INSERT INTO memories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*m[:11], vid) for m, vid in zip(memories, ids)],
    )
    db.execute(
        "INSERT OR IGNORE INTO memory_access SELECT agent, node, step FROM old_memory_access"
    )
    for old in REBUILT:
        db.execute(f"DROP TABLE old_{old}")
