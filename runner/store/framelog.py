"""Frames stored as changes only (schema 6): an agent's tile in ``frame_moves`` when it moved, its
texts (action, emoji, address, chat, object event) in ``frame_texts`` when one of them changed.

An agent's frame at step N is its latest move row and its latest text row at or before N. These
helpers turn full frames into change rows (writing, migrating) and change rows back into frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from .records import Frame

Move = tuple[int, int, int, int]  # agent, step, x, y
Texts = tuple  # agent, step, action, emoji, address, chat, object_event


class FrameLog:
    """The last stored frame of each agent, to keep only what changed."""

    def __init__(self, last: Iterable[Frame] = ()):
        self.last: dict[int, Frame] = {f.agent: f for f in last}

    def changes(self, frames: Iterable[Frame]) -> tuple[list[Move], list[Texts]]:
        """The move and text rows of ``frames`` (one step's, or many in step order)."""
        moves, texts = [], []
        for f in frames:
            before = self.last.get(f.agent)
            if before is None or (before.x, before.y) != (f.x, f.y):
                moves.append((f.agent, f.step, f.x, f.y))
            if before is None or before[4:] != f[4:]:
                texts.append((f.agent, f.step, *f[4:]))
            self.last[f.agent] = f
        return moves, texts


def rebuild(
    start: int, end: int, agents: int, moves: list[Move], texts: list[Texts]
) -> Iterator[Frame]:
    """Every frame of steps ``start``..``end``-1 in step and agent order, from each agent's
    change rows at or before ``start`` (its latest) and those after, sorted by step."""
    tile: dict[int, tuple[int, int]] = {}
    text: dict[int, tuple] = {}
    by_step_moves: dict[int, list[Move]] = {}
    by_step_texts: dict[int, list[Texts]] = {}
    for row in moves:
        by_step_moves.setdefault(max(row[1], start), []).append(row)
    for row in texts:
        by_step_texts.setdefault(max(row[1], start), []).append(row)
    for step in range(start, end):
        for a, _, x, y in by_step_moves.get(step, ()):
            tile[a] = (x, y)
        for row in by_step_texts.get(step, ()):
            text[row[0]] = row[2:]
        for a in range(agents):
            yield Frame(step, a, *tile[a], *text[a])
