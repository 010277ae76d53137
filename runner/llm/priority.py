"""Which waiting call takes an endpoint's next free slot: the one furthest behind (issue 19).

When agents run ahead of each other, the calls of the agent furthest behind hold back the steps
stored (and the agents waiting on it), so a limiter that has more callers than slots admits the
lowest ``(step, agent)`` first. The asker sets the key of the thread that asks
(:func:`asking`), the limiter reads it (:func:`current`); a call asked outside an agent's step
(an embedding, a history planted) has the lowest key and goes first.

A copy of an agent thinking ahead (:mod:`runner.thinkahead`) asks inside :func:`ahead`: its
answers are kept for the agent's own question, once it asks it (:class:`runner.llm.cache.Cache`).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

FIRST: tuple[int, int] = (-1, -1)
_local = threading.local()


def current() -> tuple[int, int]:
    """The key of the call this thread is making."""
    return getattr(_local, "key", FIRST)


@contextlib.contextmanager
def asking(step: int, agent: int | None) -> Iterator[None]:
    """This thread's calls are those of ``agent`` at ``step`` until the block ends."""
    before = current()
    _local.key = (step, -1 if agent is None else agent)
    try:
        yield
    finally:
        _local.key = before


def thinking_ahead() -> bool:
    """Whether this thread asks for a copy of an agent that thinks ahead."""
    return getattr(_local, "ahead", False)


@contextlib.contextmanager
def ahead() -> Iterator[None]:
    """This thread's calls are asked ahead of time until the block ends."""
    _local.ahead = True
    try:
        yield
    finally:
        _local.ahead = False
