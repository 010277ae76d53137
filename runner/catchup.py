"""Catching up a resumed run: the steps after the last snapshot are run again, not stored.

Agent states are stored at snapshots only (``docs/sim-store.md``), so a run resumed (or a fork
run on) from step N starts from the states of the last snapshot S < N and re-runs steps S+1 to
N-1. The answer cache (a deterministic backend: the policy itself) gives every question the
answer it had, so this asks the server nothing; each re-run step must give the frames stored
for it, or the resume stops with an error rather than go on from a different state.
"""

from __future__ import annotations

from collections.abc import Sequence

from .agent.agent import Agent
from .errors import RingWorldError
from .store import SimStore
from .store.records import Frame


class CatchUp:
    """The frames stored for steps ``start``..``end``-1, checked as they are run again."""

    def __init__(self, store: SimStore, start: int, end: int):
        self.store, self.start, self.end = store, start, end
        frames = store.frames(start, end) if start < end else []
        self.expected = {}
        for f in frames:
            self.expected.setdefault(f.step, []).append(f)

    def check(self, step: int, frames: list[Frame], agents: Sequence[Agent]) -> None:
        """Compare a re-run step with its stored frames (what it would store again is dropped
        by the engine); after the last one, add the thoughts planted since to the agents'
        streams (they carry step ``end``)."""
        if frames != self.expected.pop(step, None):
            raise RingWorldError(
                f"{self.store.path}: resuming re-runs steps {self.start}-{self.end - 1} from the "
                f"states stored after step {self.start - 1}, and step {step} came out "
                "differently (answers missing from the cache, or a changed RingWorld); "
                f"'rw-batch fork' it --at-step {self.start} to go on from that snapshot"
            )
        if step == self.end - 1:
            for agent in agents:
                stream = agent.stream
                stream.add_rows(self.store.memory_rows(agent.index, self.end + 1, len(stream)))
