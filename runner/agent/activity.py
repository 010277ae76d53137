"""What an agent is doing: an action of its plan (or a wait), or a conversation.

Plain data, written by planning (:mod:`runner.agent.plan`), waiting (:mod:`runner.agent.wait`)
and conversation (:mod:`runner.agent.converse`), read by the objects in use and the engine.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..world.townmap import Tile


@dataclass
class Action:
    description: str
    address: str  # world:sector:arena:object
    emoji: str
    event: list[str]  # subject, predicate, object
    start: int  # first step of the action
    end: int  # first step after it
    target: Tile | None = None
    object_state: str = ""  # what the object is doing while used ("煮咖啡"); "" uses none
    waiting_for: int | None = None  # a wait: the agent whose use of the object it waits out
    waited: bool = False  # it has waited for its object once: it waits again without asking

    def copy(self) -> Action:
        """A shallow copy, made without ``copy.copy``'s generic path: every agent's record of
        every step takes one (:meth:`runner.agent.agent.Agent.seen`)."""
        twin = object.__new__(Action)
        twin.__dict__.update(self.__dict__)
        return twin


@dataclass
class Chat:
    partner: int
    lines: list[list]  # [speaker index, line]
    start: int
    steps_per_line: int
    place: str
    reconsider: bool = False  # the talk may change the plan: after_chat is asked at its end

    @property
    def end(self) -> int:
        return self.start + len(self.lines) * self.steps_per_line

    def approaching(self, step: int) -> bool:
        """Still walking over to the partner: the first line is not said yet."""
        return step < self.start

    def line_at(self, step: int, me: int) -> str | None:
        """What ``me`` says at ``step`` (None while listening)."""
        i = (step - self.start) // self.steps_per_line
        if 0 <= i < len(self.lines) and self.lines[i][0] == me:
            return self.lines[i][1]
        return None
