"""One generative agent's step: plan the day, pick the next action, walk, perceive, react.

The loop has the paper's shape: the day's plan at the start of each day (``daystart``); a long
task is decomposed into actions of minutes; each action gets a place (sector → arena, then the
object with the action's emoji, event triple and importance: ``action_details``) from the
agent's spatial memory; the agent walks there (and waits
when its object is taken, :mod:`runner.agent.waiting`); it perceives its room
(:mod:`runner.agent.perceive`) and may start a conversation (``converse``), after which it goes
on or changes its plan (``afterchat``). Every judgement is a question to the backend.
"""

from __future__ import annotations

import datetime as dt

from ..world.schedule import task_at
from ..world.townmap import Tile
from .afterchat import CHATS, after_chat
from .asking import Asker
from .daystart import next_hour, start_day
from .memory import MemoryStream
from .mind import Mind, event_text
from .perceive import Perception
from .places import Places, home_of
from .spatial import SpatialMemory
from .state import Action, AgentState
from .town import Town, View
from .waiting import check_object, resume_after_wait

TALK_COOLDOWN_HOURS = 3  # no new conversation with the same agent within this time
TALK_REST_MINUTES = 30  # nor with anyone this soon after the last one ended
SLEEP_WORDS = ("睡觉", "sleep")


def decides(i: int, j: int) -> bool:
    """Whether ``i`` is the one of the pair (i, j) who decides whether they talk: the lower
    index for an even sum, the higher for an odd one, so each decides for half its pairs."""
    return (i < j) == ((i + j) % 2 == 0)


def is_sleep(text: str) -> bool:
    return any(word in text.lower() for word in SLEEP_WORDS)


class Agent:
    def __init__(
        self, index: int, town: Town, state: AgentState, asker: Asker, memory: MemoryStream
    ):
        self.index = index
        self.town = town
        self.scenario_persona = town.personas[index]
        self.name = self.scenario_persona["name"]
        self.state = state
        self.asker = asker
        home, _ = home_of(town.map, self.scenario_persona["living_area"])
        self.spatial = SpatialMemory(town.map, town.places, state, self.scenario_persona, home)
        self.places = Places(town.map, self.spatial, self.scenario_persona["living_area"], self.ask)
        self.mind = Mind(
            ask=self.ask,
            embed=asker.embed,
            memory=memory,
            settings=town.mind,
            state=state,
            index=index,
            persona=self.scenario_persona,
            steps_per_hour=town.clock.steps_per_hour(),
            learn_places=self.spatial.learn_places_from_text,
        )
        self.perception = Perception(index, self.spatial, self.mind, town.vision_radius)
        self.set_currently(state.currently)
        self.new_day: tuple[str, str, list[str]] | None = None  # for the store: see take_day
        self._placed_day, self._placed = "", {}  # today's placed actions: see _place

    # --- helpers --------------------------------------------------------------------------
    def ask(self, kind: str, step: int, **context):
        return self.asker.ask(kind, {"name": self.name, **context}, step, self.index)

    def clock_text(self, step: int) -> str:
        return self.town.clock.time_at(step).strftime("%H:%M")

    def stamp(self, step: int) -> str:
        """The game date and time of ``step``: '2月13日 10:20' / 'Feb 13 10:20'."""
        t = self.town.clock.time_at(step)
        if self.town.lang == "zh":
            return f"{t.month}月{t.day}日 {t:%H:%M}"
        return f"{t:%b} {t.day} {t:%H:%M}"

    def set_currently(self, currently: str) -> None:
        """Today's `currently` ('' for the scenario's), in every persona prompt from now on."""
        self.state.currently = currently
        base = self.scenario_persona
        self.persona = {**base, "currently": currently} if currently else base
        self.mind.persona = self.persona

    def record_day(self, date: str, plan: list[str]) -> None:
        self.new_day = (date, self.persona["currently"], list(plan))

    def take_day(self) -> tuple[str, str, list[str]] | None:
        """(date, currently, plan) of a day begun this step, once."""
        day, self.new_day = self.new_day, None
        return day

    def sleeping(self, step: int) -> bool:
        act = self.state.action
        return act is not None and act.start <= step < act.end and is_sleep(act.description)

    def busy(self, step: int) -> bool:
        """Asleep, talking, or resting from a talk: no conversation begins with it now."""
        rest = TALK_REST_MINUTES * self.town.clock.steps_per_hour() // 60
        return self.sleeping(step) or step < self.state.chat_end + rest

    # --- the step -------------------------------------------------------------------------
    def think(self, step: int, view: View) -> int | None:
        """Decide what to do at ``step``; returns the index of an agent to talk to, if any.

        Only reads ``view`` and changes only this agent's state, so agents can think at once.
        """
        s = self.state
        self.perception.look_around(view)
        if s.chat is not None:
            if step < s.chat.end:
                return None
            after_chat(self, step)
        today = self.town.clock.time_at(step).date().isoformat()
        if s.day != today:
            start_day(self, step, today)
        resume_after_wait(self, step)
        if s.action is None or step >= s.action.end:
            self.next_action(step)
        check_object(self, step, view)
        if not self.sleeping(step):
            self.perception.perceive(step, view)
        self.mind.settle(step)  # what it noted: stored now, or waiting to be judged together
        if self.sleeping(step):
            return None
        self.mind.maybe_reflect(step)
        return self._react(step, view)

    def next_action(self, step: int) -> None:
        s, clock, planned = self.state, self.town.clock, self.town.mind.plan
        if not planned:
            next_hour(self, step)
        minute = clock.minute_of_day(step)
        index, begin, end = task_at(s.schedule, minute)
        task, minutes = s.schedule[index]
        if index != s.task_index:
            s.task_index = index
            s.subtasks = [[task, minutes]]
            if planned and minutes >= 60 and not is_sleep(task):
                start = f"{begin // 60:02d}:{begin % 60:02d}"
                s.subtasks = self.ask(
                    "task_decomp",
                    step,
                    persona=self.persona,
                    task=task,
                    minutes=minutes,
                    start=start,
                    places=self.places.known_kinds(),
                )
        sub_end, description = begin, task
        for sub_action, sub_minutes in s.subtasks:
            sub_end += sub_minutes
            description = sub_action
            if minute < sub_end:
                break
        if not planned:  # the hour is all that is decided
            sub_end = min(sub_end, (int(minute // 60) + 1) * 60)
        end_time = clock.day_start(step) + dt.timedelta(minutes=max(sub_end, minute + 1))
        self._start_action(step, description, task, max(step + 1, clock.step_at(end_time)))

    def _start_action(self, step: int, description: str, task: str, end: int) -> None:
        address, details = self._place(step, description, task)
        self._note_own_action(step, description, details["event"], details["importance"])
        here = self.state.tile_at(step - 1)
        target = self.town.paths.nearest(here, self.town.map.tiles_of(address)) or here
        self.state.action = Action(
            description,
            address,
            details["emoji"],
            details["event"],
            step,
            end,
            target,
            details["object_state"],
        )
        self.walk_to(step, target)

    def _place(self, step: int, description: str, task: str) -> tuple[str, dict]:
        """(address, details) of an action: asked, unless the same action of the same task was
        placed earlier today with the same places known (the same prompts: the answer cache
        would give the same answers); then the same again, without a question. Kept in memory
        only: after a resume it is asked again and the cache answers."""
        key = (description, task, self.state.places)
        if self._placed_day != self.state.day:
            self._placed_day, self._placed = self.state.day, {}
        if key in self._placed:
            return self._placed[key]
        sector, arena, objects = self.places.choose(step, description, task, self.persona)
        details = self.ask(
            "action_details",
            step,
            persona=self.persona,
            action=description,
            task=task,
            sector=sector,
            arena=arena,
            options=objects,
            default=objects[0],
        )
        self._placed[key] = f"{self.town.map.world}:{sector}:{arena}:{details['object']}", details
        return self._placed[key]

    def walk_to(self, step: int, target: Tile) -> None:
        here = self.state.tile_at(step - 1)
        route = self.town.paths.path(here, target)
        if route:
            self.state.walk(step, route)
        else:
            self.state.stop(step)

    def _note_own_action(
        self, step: int, description: str, triple: list[str], importance: int | None = None
    ) -> None:
        """Remember what I am doing, unless it is not new (the retention of perception); its
        importance is the one the action's question gave, if any."""
        if self.perception.is_new(tuple(triple), step):
            text = event_text(self.name, description, self.town.lang)
            self.mind.observe(step, text, tuple(triple), importance)

    def _react(self, step: int, view: View) -> int | None:
        """Perceive who is near; maybe decide to talk to the nearest one. Talking is decided
        once per pair and encounter: when another comes into sight, not again while they stay,
        and by one of the two (``decides``), unless it is busy."""
        if self.busy(step):
            return None
        s, here, radius = self.state, view.tiles[self.index], self.town.vision_radius
        near = []
        for j in view.in_room[view.rooms[self.index]]:  # in its room: never through a wall
            dx, dy = abs(view.tiles[j][0] - here[0]), abs(view.tiles[j][1] - here[1])
            if j != self.index and not view.busy[j] and dx <= radius and dy <= radius:
                near.append((dx + dy, j))
        cooldown = TALK_COOLDOWN_HOURS * self.town.clock.steps_per_hour()
        seen, s.in_sight = set(s.in_sight), []
        order = [j for _, j in sorted(near)]
        for n, j in enumerate(order):
            s.in_sight.append(j)
            if j in seen or step - s.talked.get(j, -cooldown) < cooldown:
                continue
            if not decides(self.index, j):  # j decides (it is not busy: it is in ``near``)
                continue
            s.talked[j] = step
            s.in_sight += [k for k in order[n + 1 :] if k in seen]  # still in sight, decided
            return j if self._decide_to_talk(step, view, j) else None
        return None

    def _decide_to_talk(self, step: int, view: View, j: int) -> bool:
        """The original's context: what both are doing, what I recall of the other, and when
        we last talked and about what; and my view of them from that talk, if I have one."""
        other = self.town.personas[j]
        last = self.mind.memory.last_about(other["name"], "chat", CHATS)
        last_chat = last and {
            "time": self.stamp(last.created),
            "hours_ago": (step - last.created) // self.town.clock.steps_per_hour(),
            "about": last.description,
        }
        return self.ask(
            "decide_to_talk",
            step,
            persona=self.persona,
            other={"names": [other["name"], other.get("name_en") or other["name"]]},
            other_action=view.doing[j],
            own_action=view.doing[self.index],
            hour_slot=step // self.town.clock.steps_per_hour(),
            memories=self.mind.recall(other["name"], step, 5),
            last_chat=last_chat,
            view=self.state.relations.get(j, [""])[0],
            time=self.clock_text(step),
        )
