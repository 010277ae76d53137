"""The read API of a finished or running sim, for the replay site (``sitegen``).

Everything is read inside one read transaction (:meth:`ReplayReads.snapshot`): the runner
commits one transaction per step with ``meta.steps_done`` in it, so a snapshot holds whole
steps only, even while the sim runs.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import RingWorldError
from .records import Conversation, Frame


class ReplayReads:
    db: sqlite3.Connection

    path: Path

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction; a damaged store is one clear error."""
        self.db.execute("BEGIN")
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise RingWorldError(f"{self.path}: not a readable sim store ({exc})") from None
        finally:
            self.db.rollback()

    def has_frame_changes(self) -> bool:
        """Whether frames are stored as changes (schema 6), not one row per agent and step."""
        return self._has_table("frame_moves")

    def has_object_events(self) -> bool:
        """Whether the frames record objects' events (a store of schema 5 or later)."""
        return self.has_frame_changes() or "object_event" in {
            row[1] for row in self.db.execute("PRAGMA table_info(frames)")
        }

    def frame_columns(self) -> str:
        """The columns of :class:`Frame` this store has (an older one lacks the last)."""
        columns = list(Frame._fields)
        if not self.has_object_events():
            columns.remove("object_event")
        return ", ".join(columns)

    def frame_changes(self, before_step: int, start: int = 0) -> tuple[list[tuple], list[tuple]]:
        """(moves, texts): rows (agent, step, x, y) and (agent, step, action, emoji, address,
        chat, object_event) of steps below ``before_step``, by agent and step, from each
        agent's latest row at or before ``start`` on (docs/sim-store.md). An older store, whose
        frames are whole, gives every frame as a change (``object_event`` None before 5)."""
        if not self.has_frame_changes():
            rows = self.db.execute(
                f"SELECT {self.frame_columns()} FROM frames WHERE step >= ? AND step < ?"
                " ORDER BY agent, step",
                (start, before_step),
            ).fetchall()
            frames = [Frame(*row) for row in rows]
            return [f[1::-1] + f[2:4] for f in frames], [(f[1], f[0], *f[4:]) for f in frames]
        return self._changes("frame_moves", before_step, start), self._changes(
            "frame_texts", before_step, start
        )

    def _changes(self, table: str, before_step: int, start: int) -> list[tuple]:
        """A range of the (agent, step) key per agent: from its latest row at or before
        ``start``."""
        return self.db.execute(
            f"SELECT c.* FROM agents AS a CROSS JOIN {table} AS c ON c.agent = a.id AND c.step >="
            f" coalesce((SELECT max(step) FROM {table} WHERE agent = a.id AND step <= ?), 0)"
            " AND c.step < ? ORDER BY c.agent, c.step",
            (start, before_step),
        ).fetchall()

    def conversations(self, before_step: int) -> list[Conversation]:
        rows = self.db.execute(
            "SELECT step_start, step_end, agent_a, agent_b, place, lines FROM conversations"
            " WHERE step_start < ? ORDER BY step_start, id",
            (before_step,),
        )
        return [Conversation(*row) for row in rows]

    def personas(self) -> list[dict]:
        rows = self.db.execute("SELECT persona FROM agents ORDER BY id")
        return [json.loads(p) for (p,) in rows]

    def days(self, before_step: int) -> list[tuple[int, str, str, list[str]]]:
        """(agent, date, currently, plan) of every agent's days begun before ``before_step``,
        by agent and date; [] for a store without the ``days`` table (schema < 3)."""
        if not self._has_table("days"):
            return []
        rows = self.db.execute(
            "SELECT agent, date, currently, plan FROM days WHERE step < ? ORDER BY agent, date",
            (before_step,),
        )
        return [(a, date, now, json.loads(plan)) for a, date, now, plan in rows]

    def _has_table(self, name: str) -> bool:
        row = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
        ).fetchone()
        return row is not None

    def recent_memories(self, before_step: int, chunk: int, per_chunk: int) -> list[tuple] | None:
        """(agent, created_step, kind, description, importance) of the last ``per_chunk``
        memories of each agent in each ``chunk`` of steps; None for a store without memories."""
        if not self._has_table("memories"):
            return None
        return self.db.execute(
            "SELECT agent, created_step, kind, description, importance FROM ("
            " SELECT agent, created_step, kind, description, importance, row_number() OVER ("
            "  PARTITION BY agent, created_step / ? ORDER BY created_step DESC, description) AS n"
            " FROM memories WHERE created_step < ?)"
            " WHERE n <= ? ORDER BY agent, created_step, description",
            (chunk, before_step, per_chunk),
        ).fetchall()
