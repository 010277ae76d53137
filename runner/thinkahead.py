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

from collections.abc import Callable

from .agent.agent import Agent
from .agent.asker import Asker
from .agent.state import AgentState
from .agent.town import View
from .llm import priority

AHEAD = 360  # steps a copy may think ahead of its agent


class Copy:
    """One agent's copy thinking ahead: its next step, and the view it was given at each
    step its agent has not finished yet."""

    def __init__(self, agent: Agent, step: int):
        self.agent, self.next = agent, step
        self.views: dict[int, View] = {}
        self.flying = False

    def think(self, step: int, view: View) -> None:
        with priority.ahead():
            self.agent.think(step, view)
        self.agent.take_records()  # nothing of a copy is stored


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
    of a copy's room at ``step``."""

    def __init__(self, agents: list[Agent], guess: Callable[[Agent, int], tuple[View, bool]]):
        self.agents, self.guess = agents, guess
        self.copies: dict[int, Copy] = {}
        self.radius = agents[0].town.vision_radius if agents else 0

    def next(self, i: int, done: int, limit: int) -> tuple[Copy, int, View] | None:
        """The step agent ``i``'s copy may think now (made from the agent, which must not be
        thinking, when it has none), with its view; None when it is thinking or far enough."""
        copy = self.copies.get(i)
        if copy is None:
            copy = self.copies[i] = Copy(self._copy_of(self.agents[i]), done + 1)
        step = copy.next
        if copy.flying or step >= min(limit, done + 1 + AHEAD):
            return None
        view, _ = self.guess(copy.agent, step)
        copy.views[step] = view
        copy.flying = True
        return copy, step, view

    def landed(self, i: int, copy: Copy, step: int) -> bool:
        """The copy thought ``step``; whether it is still the agent's copy (it may go on)."""
        copy.flying = False
        copy.next = step + 1
        return self.copies.get(i) is copy

    def check(self, i: int, step: int, view: View, objects: bool, talked: bool) -> None:
        """Agent ``i`` finished ``step`` on ``view``: its copy is dropped unless it thought that
        step on the same reading, and no talk changed the agent."""
        copy = self.copies.get(i)
        if copy is None:
            return
        guess = copy.views.pop(step, None)
        if guess is None or talked or not same_reading(guess, view, i, self.radius, objects):
            del self.copies[i]

    @staticmethod
    def _copy_of(agent: Agent) -> Agent:
        state = AgentState.from_bytes(agent.state.to_bytes())
        asker = Asker(agent.asker.backend, agent.asker.lang)
        return Agent(agent.index, agent.town, state, asker, agent.stream.copy())
