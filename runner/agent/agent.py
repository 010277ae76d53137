"""One generative agent: its components composed, and its step.

The loop has the paper's shape: the day's plan at the start of each day, the next action of
the schedule (:mod:`~runner.agent.plan`), a wait when its object is taken
(:mod:`~runner.agent.wait`), perceiving its room (:mod:`~runner.agent.perceive`) into its
memory (:mod:`~runner.agent.memory`), reflecting when enough has happened
(:mod:`~runner.agent.reflect`), and maybe a conversation (:mod:`~runner.agent.converse`),
after which it goes on or changes its plan. Every judgement is a question to the backend.
Each component owns its part of the state (:mod:`~runner.agent.state`) and gets what it needs
as narrow arguments; only this module composes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..store.records import LLMCall, MemoryRow
from .activity import Action, Chat
from .asker import Asker
from .converse import Talk
from .memory import Memory, MemoryStream
from .move import Position, Walker
from .perceive import Perception, event_text
from .places import Places, home_of
from .plan import Planner
from .reflect import Reflection
from .retrieve import Retriever
from .spatial import SpatialMemory
from .state import AgentState
from .town import Seen, Town, View
from .wait import Waiting


@dataclass
class StepRecords:
    """What one agent's step leaves for the store, taken once (:meth:`Agent.take_records`)."""

    memories: list[MemoryRow] = field(default_factory=list)
    accesses: list[tuple[int, int, int]] = field(default_factory=list)  # agent, node, step
    calls: list[LLMCall] = field(default_factory=list)
    day: tuple[str, str, list[str]] | None = None  # (date, currently, plan) of a day begun


class Agent:
    """One agent: its components, composed over its ``state``; ``asker`` is its own (its
    calls are its records), ``stream`` its memory stream as loaded."""

    def __init__(
        self, index: int, town: Town, state: AgentState, asker: Asker, stream: MemoryStream
    ):
        self.index = index
        self.town = town
        self.state = state
        self.asker = asker
        self.persona_of_scenario = town.personas[index]
        self.name = self.persona_of_scenario["name"]
        self.stream = stream
        self._remembering()
        self._acting()
        self._day: tuple[str, str, list[str]] | None = None

    def _remembering(self) -> None:
        """The memory, retrieval, spatial memory, reflection and perception."""
        town, state, mind, embed = self.town, self.state, self.town.mind, self.asker.embed
        per_hour, persona = town.clock.steps_per_hour(), self.persona_of_scenario
        self.memory = Memory(
            self.stream, state.memory, self.ask, embed, self._persona, per_hour, mind.observe
        )
        self.retriever = Retriever(self.stream, embed, per_hour, mind.weights, mind.top_k)
        home, _ = home_of(town.map, persona["living_area"])
        self.spatial = SpatialMemory(town.map, town.places, state.spatial, persona, home)
        self.reflection = Reflection(
            state.reflect,
            self.memory,
            self.retriever,
            self.ask,
            self._persona,
            mind.reflection_threshold,
            mind.reflect,
        )
        self.memory.listeners.append(self.spatial.hear)
        self.perception = Perception(
            self.index,
            self.name,
            self.spatial,
            self.memory,
            town.vision_radius,
            mind.attention_bandwidth,
            mind.retention,
            mind.retention_minutes * per_hour // 60,
            town.lang,
        )

    def _acting(self) -> None:
        """Walking, planning, waiting and talking."""
        town, state, note_own = self.town, self.state, self.perception.note_own
        self.walker = Walker(state.position, town.paths, town.map)
        living_area = self.persona_of_scenario["living_area"]
        places = Places(town.map, self.spatial, living_area, self.ask)
        self.planner = Planner(
            state.plan,
            self.persona_of_scenario,
            town,
            self.ask,
            self.memory,
            self.retriever,
            places,
            self.walker,
            note_own,
        )
        self.waiting = Waiting(
            state.wait, self.index, self.name, town, self.ask, self.spatial, self.walker, note_own
        )
        self.talk = Talk(
            state.talk,
            self.index,
            self.name,
            town,
            self.ask,
            self._persona,
            self.stream,
            self.retriever,
            self.reflection,
            state.position,
        )

    # --- what others read -----------------------------------------------------------------
    def _persona(self) -> dict:
        """The persona of the day (the scenario's, with today's `currently`): what the
        components are given to ask with."""
        return self.planner.persona

    @property
    def persona(self) -> dict:
        return self._persona()

    @property
    def position(self) -> Position:
        return self.state.position

    @property
    def action(self) -> Action | None:
        return self.state.plan.action

    @property
    def chat(self) -> Chat | None:
        return self.state.talk.chat

    def ask(self, kind: str, step: int, **context):
        return self.asker.ask(kind, {"name": self.name, **context}, step, self.index)

    def asleep(self, step: int) -> bool:
        """In the night's sleep (a nap does not count)."""
        return self.planner.asleep(step)

    def busy(self, step: int) -> bool:
        """Asleep, talking, or resting from a talk: no conversation begins with it now."""
        return self.asleep(step) or self.talk.resting(step)

    def take_records(self) -> StepRecords:
        """What this agent's step left for the store (memories, accesses, calls, the day
        begun), once."""
        nodes, accesses = self.stream.take_pending()
        day, self._day = self._day, None
        return StepRecords(
            [self.stream.row(self.index, n) for n in nodes],
            [(self.index, n, at) for n, at in accesses],
            self.asker.take_records(),
            day,
        )

    def seen(self, step: int) -> Seen:
        """This agent right after its ``step`` is final, as the others and the store read it."""
        p, act, chat = self.position, self.action, self.chat
        doing = act.description if act else ("睡觉" if self.town.lang == "zh" else "sleeping")
        if chat is not None and step + 1 < chat.end:  # what others see it doing next step
            partner = self.town.personas[chat.partner]["name"]
            zh = self.town.lang == "zh"
            talking = f"与{partner}交谈" if zh else f"chatting with {partner}"
            triple = (self.name, "chat with", partner)
            event = event_text(self.name, talking, self.town.lang), triple
        else:
            triple = tuple(act.event) if act else (self.name, "is", doing)
            event = event_text(self.name, doing, self.town.lang), triple
        return Seen(
            self.index,
            Position(p.origin, p.path, p.path_start),
            act.copy() if act else None,
            chat,
            p.tile_at(step),
            self.busy(step + 1),
            doing,
            event,
        )

    # --- the step -------------------------------------------------------------------------
    def think(self, step: int, view: View) -> int | None:
        """Decide what to do at ``step``; returns the index of an agent to talk to, if any.

        Only reads ``view`` and changes only this agent's state, so agents can think at once.
        """
        plan = self.state.plan
        self.perception.look_around(view)
        if self.chat is not None:
            if self.talk.talking(step):
                return None
            partner, reconsider = self.talk.end_chat()
            self.planner.after_talk(step, partner, reconsider)
        today = self.town.clock.time_at(step).date().isoformat()
        if plan.day != today:
            self._day = self.planner.start_day(step, today)
        plan.action = self.waiting.resume_after_wait(step, plan.action)
        if plan.action is None or step >= plan.action.end:
            self.planner.next_action(step)
        act = plan.action
        if act is not None and act.object_state and not self.talk.talking(step):
            plan.action = self.waiting.check_object(step, view, act, self.persona)
        if not self.asleep(step):
            self.perception.perceive(step, view)
        self.memory.settle(step)  # what it noted: stored now, or waiting to be judged together
        if self.asleep(step):
            return None
        self.reflection.maybe_reflect(step)
        return None if self.busy(step) else self.talk.choose(step, view)
