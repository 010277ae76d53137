"""Thinking ahead (issue 19, docs/engine.md): while an agent waits for others to finish a step,
a copy of it thinks its next steps on a guess of what it will see, so that the questions it
will ask are answered, or on their way, by the time it may think them itself.

Nothing a copy does is stored or read by anyone: its records are dropped, and the agent still
thinks every step itself, on the view the rule of :mod:`runner.runahead` gives it. What a copy
leaves is answers: each request it sends is kept by the cache for the agent's own question
(:class:`runner.llm.cache.Cache`), so a good guess turns the agent's step into cache reads and
a wrong one costs a request sent in vain (an ``ahead`` row of ``llm_calls``), never a different
run. The guess of a step's view: those who finished the step before as they were, the others
walking on along their known walks (:meth:`runner.runahead.RunAhead.likely_room`). When the
agent finishes a step, its copy's view of that step is compared with the agent's own on what the
agent reads (:func:`same_reading`); on a difference, or a talk, the copy is dropped and a new one
is made from the agent when it waits next.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from .agent.agent import Agent
from .agent.asker import Asker
from .agent.objects import objects_in_use
from .agent.state import AgentState
from .agent.town import Seen, View
from .llm import priority

AHEAD = 120  # steps a copy may think ahead of its agent (20 game minutes)
BATCH = 30  # steps a copy thinks in one go before it gives its thread back

Guess = Callable[[Agent, int], "View | None"]


class Copy:
    """One agent's copy thinking ahead: its next step, and the view it was given at each
    step its agent has not finished yet (read by the coordinator's :meth:`ThinkAhead.check`)."""

    def __init__(self, agent: Agent, step: int):
        self.agent, self.next = agent, step
        self.views: dict[int, View] = {}
        self.flying = self.dropped = False

    def run(self, guess: Guess, until: Callable[[], int]) -> None:
        """Think up to ``BATCH`` steps on guessed views, in a thread of its own. ``guess`` reads
        the coordinator's records without a lock: a guess made from a record changing under it
        is at worst wrong, and one that cannot be made (a record gone) ends the batch."""
        with priority.ahead():
            for _ in range(BATCH):
                step = self.next
                if self.dropped or step >= until():
                    return
                view = guess(self.agent, step)
                if view is None:
                    return
                self.views[step] = view
                self.agent.think(step, view)
                self.agent.take_records()  # nothing of a copy is stored
                self.next = step + 1


def _view(room: int, members: list[tuple[Seen, tuple]], objects: bool, at: int, run) -> View:
    """A guessed view of ``room`` from (record, tile) pairs in agent order."""
    seen = [s if s.tile == tile else dataclasses.replace(s, tile=tile) for s, tile in members]
    in_use = objects_in_use(seen, at, run.places, run.lang) if objects else {}
    return View.of(room, seen, in_use)


class Guesser:
    """The likely view of a copy's room (:class:`runner.runahead.RunAhead`'s records, read
    without a lock)."""

    def __init__(self, run):
        self.run = run

    def __call__(self, agent: Agent, step: int) -> View | None:
        """The view of ``agent``'s room at ``step`` as it will likely be, made in the copy's
        thread: who finished ``step - 1`` as they were, the others walking on along their
        walks (one who walks in from elsewhere is missed: the guess is wrong, never the run);
        in a room without game objects only those within the vision radius (all it reads)."""
        run = self.run
        me, before, f = agent.seen(step - 1), step - 1, run.finished
        room, r = run.places.arena_at(me.tile), run.radius
        objects = bool(run.rooms.objects[room])
        members = {me.index: (me, me.tile)}
        try:
            exact = f.seen.get(before, [])
            for j in list(f.rooms.get(before, {}).get(room, ())):
                members.setdefault(j, (exact[j], exact[j].tile))
            slack = before - run.done
            near = run.room == room
            if not objects:
                near &= np.abs(run.tiles - me.tile).max(axis=1) <= r + np.maximum(slack, 0)
            for j in np.flatnonzero(near & (slack > 0)).tolist():
                last = f.seen[int(run.done[j])][j]
                tile = last.position.tile_at(before)
                if j not in members and run.places.arena_at(tile) == room:
                    members[j] = (last, tile)
        except (KeyError, IndexError, TypeError, AttributeError):  # a record gone meanwhile
            return None
        x, y = me.tile
        order = sorted(
            j for j, (_, t) in members.items() if objects or max(abs(t[0] - x), abs(t[1] - y)) <= r
        )
        return _view(room, [members[j] for j in order], objects, before, run)


def same_reading(guess: View, real: View, me: int, radius: int, objects: bool) -> bool:
    """Whether agent ``me`` reads the same of both views: all of it in a room with game objects,
    else the agents within ``radius`` of it (all it reads there: docs/engine.md)."""
    if objects:
        return guess == real

    def near(v: View) -> dict:
        x, y = v.tiles[me]
        return {
            j: (t, v.busy[j], v.doing[j], v.events[j])
            for j, t in v.tiles.items()
            if max(abs(t[0] - x), abs(t[1] - y)) <= radius
        }

    return me in guess.tiles and near(guess) == near(real)


class ThinkAhead:
    """The copies of the agents of a run ahead; ``guess(copy_agent, step)`` gives the likely view
    of a copy's room at ``step`` (None when it cannot be made)."""

    def __init__(self, agents: list[Agent], guess: Guess):
        self.agents, self.guess = agents, guess
        self.copies: dict[int, Copy] = {}
        self.radius = agents[0].town.vision_radius if agents else 0

    def next(self, i: int, done: int, until: int) -> Copy | None:
        """Agent ``i``'s copy, to run now (made from the agent, which must not be thinking,
        when it has none); None while it runs, or when it may not think its next step before
        ``until``."""
        copy = self.copies.get(i)
        if copy is None:
            copy = self.copies[i] = Copy(self._copy_of(self.agents[i]), done + 1)
        if copy.flying or copy.next >= until:
            return None
        copy.flying = True
        return copy

    def landed(self, i: int, copy: Copy) -> bool:
        """The copy's batch is over; whether it is still the agent's copy."""
        copy.flying = False
        return self.copies.get(i) is copy

    def drop(self, i: int, copy: Copy) -> None:
        """Copy ``copy`` of agent ``i`` failed: a new one is made when the agent waits next."""
        copy.flying, copy.dropped = False, True
        if self.copies.get(i) is copy:
            del self.copies[i]

    def check(self, i: int, step: int, view: View, objects: bool, talked: bool) -> None:
        """Agent ``i`` finished ``step`` on ``view``: its copy is dropped unless it thought that
        step on the same reading, and no talk changed the agent."""
        copy = self.copies.get(i)
        if copy is None:
            return
        guess = copy.views.pop(step, None)
        if guess is None or talked or not same_reading(guess, view, i, self.radius, objects):
            copy.dropped = True
            del self.copies[i]

    @staticmethod
    def _copy_of(agent: Agent) -> Agent:
        state = AgentState.from_bytes(agent.state.to_bytes())
        asker = Asker(agent.asker.backend, agent.asker.lang)
        return Agent(agent.index, agent.town, state, asker, agent.stream.copy())
