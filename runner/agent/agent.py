"""One generative agent's step: plan the day, pick the next action, walk, perceive, react.

The loop has the paper's shape: a daily plan and an hourly schedule once a day; a long task is
decomposed into actions of minutes; each action gets a place (sector → arena → object) from the
agent's spatial memory, an emoji and an event triple; the agent walks there (and waits when its
object is taken, :mod:`runner.agent.waiting`); it perceives its room (:mod:`runner.agent.perceive`)
and may start a conversation. Every judgement is a question to the backend.
"""

from __future__ import annotations

import datetime as dt

from ..world.schedule import splice, task_at
from ..world.townmap import Tile
from .asking import Asker
from .memory import MemoryStream
from .mind import Mind, event_text
from .perceive import Perception
from .places import Places, home_of
from .spatial import SpatialMemory
from .state import Action, AgentState
from .town import Town, View
from .waiting import check_object, resume_after_wait

TALK_COOLDOWN_HOURS = 3  # no new conversation with the same agent within this time
SLEEP_WORDS = ("睡觉", "sleep")


def is_sleep(text: str) -> bool:
    return any(word in text.lower() for word in SLEEP_WORDS)


class Agent:
    def __init__(
        self, index: int, town: Town, state: AgentState, asker: Asker, memory: MemoryStream
    ):
        self.index = index
        self.town = town
        self.persona = town.personas[index]
        self.name = self.persona["name"]
        self.state = state
        self.asker = asker
        home, _ = home_of(town.map, self.persona["living_area"])
        self.spatial = SpatialMemory(town.map, town.places, state, self.persona, home)
        self.places = Places(town.map, self.spatial, self.persona["living_area"], self.ask)
        self.town_style = town.style
        self.mind = Mind(
            ask=self.ask,
            embed=asker.embed,
            memory=memory,
            settings=town.mind,
            state=state,
            index=index,
            persona=self.persona,
            steps_per_hour=town.clock.steps_per_hour(),
            learn_places=self.spatial.learn_places_from_text,
        )
        self.perception = Perception(index, self.spatial, self.mind, town.vision_radius)

    # --- helpers --------------------------------------------------------------------------
    def ask(self, kind: str, step: int, **context):
        return self.asker.ask(kind, {"name": self.name, **context}, step, self.index)

    def clock_text(self, step: int) -> str:
        return self.town.clock.time_at(step).strftime("%H:%M")

    def sleeping(self, step: int) -> bool:
        act = self.state.action
        return act is not None and act.start <= step < act.end and is_sleep(act.description)

    def busy(self, step: int) -> bool:
        return self.sleeping(step) or (self.state.chat is not None and step < self.state.chat.end)

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
            self._after_chat(step)
        today = self.town.clock.time_at(step).date().isoformat()
        if s.day != today:
            self._plan_day(step, today)
        resume_after_wait(self, step)
        if s.action is None or step >= s.action.end:
            self._next_action(step)
        check_object(self, step, view)
        if self.sleeping(step):
            return None
        self.perception.perceive(step, view)
        self.mind.maybe_reflect(step)
        return self._react(step, view)

    def _plan_day(self, step: int, today: str) -> None:
        s = self.state
        persona = self.persona
        s.day = today
        s.wake_hour = self.ask("wake_up_hour", step, persona=persona, date=today)
        known = self.places.known_kinds()
        memories = self.mind.recall(f"{today} {persona['currently']}", step, 5)
        context = dict(
            persona=persona,
            date=today,
            wake_hour=s.wake_hour,
            places=known,
            home=self.places.home,
            memories=memories,
        )
        s.daily_plan = self.ask("daily_plan", step, **context)
        s.schedule = self.ask("hourly_schedule", step, daily_plan=s.daily_plan, **context)
        s.task_index = -1

    def _next_action(self, step: int) -> None:
        s, clock = self.state, self.town.clock
        minute = clock.minute_of_day(step)
        index, begin, end = task_at(s.schedule, minute)
        task, minutes = s.schedule[index]
        if index != s.task_index:
            s.task_index = index
            s.subtasks = [[task, minutes]]
            if minutes >= 60 and not is_sleep(task):
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
        end_time = clock.day_start(step) + dt.timedelta(minutes=max(sub_end, minute + 1))
        self._start_action(step, description, task, max(step + 1, clock.step_at(end_time)))

    def _start_action(self, step: int, description: str, task: str, end: int) -> None:
        address = self.places.choose(step, description, task)
        obj = address.split(":")[-1]
        details = self.ask(
            "action_details", step, persona=self.persona, action=description, object=obj
        )
        self._note_own_action(step, description, details["event"])
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
        self._walk_to(step, target)

    def _walk_to(self, step: int, target: Tile) -> None:
        here = self.state.tile_at(step - 1)
        route = self.town.paths.path(here, target)
        if route:
            self.state.walk(step, route)
        else:
            self.state.stop(step)

    def _note_own_action(self, step: int, description: str, triple: list[str]) -> None:
        """Remember what I am doing, unless it is not new (the retention of perception)."""
        if self.perception.is_new(tuple(triple), step):
            text = event_text(self.name, description, self.town.lang)
            self.mind.remember("event", step, text, tuple(triple))

    def _after_chat(self, step: int) -> None:
        """The conversation is over: go on with the day, or change the plan (a reaction)."""
        s = self.state
        partner = self.town.personas[s.chat.partner]["name"]
        s.chat = None
        last_chat = self.mind.memory.recent(1, ("chat",))
        summary = self.mind.memory.nodes[last_chat[0]].description if last_chat else ""
        task = s.schedule[s.task_index][0] if 0 <= s.task_index < len(s.schedule) else ""
        answer = self.ask(
            "after_chat",
            step,
            persona=self.persona,
            partner=partner,
            summary=summary,
            time=self.clock_text(step),
            current_task=task,
        )
        if not answer["change"]:
            self._resume(step)
            return
        minute = int(self.town.clock.minute_of_day(step))
        s.schedule = splice(s.schedule, minute, answer["minutes"], answer["task"])
        s.task_index = -1
        self._next_action(step)

    def _resume(self, step: int) -> None:
        """After a conversation: back to the interrupted action if it is not over."""
        act = self.state.action
        if act is not None and step < act.end and act.target is not None:
            self._walk_to(step, act.target)

    def _react(self, step: int, view: View) -> int | None:
        """Perceive who is near; maybe decide to talk to the nearest one."""
        if self.busy(step):
            return None
        s, here, radius = self.state, view.tiles[self.index], self.town.vision_radius
        near = []
        for j in view.in_room[view.rooms[self.index]]:  # in its room: never through a wall
            dx, dy = abs(view.tiles[j][0] - here[0]), abs(view.tiles[j][1] - here[1])
            if j != self.index and not view.busy[j] and dx <= radius and dy <= radius:
                near.append((dx + dy, j))
        cooldown = TALK_COOLDOWN_HOURS * self.town.clock.steps_per_hour()
        for _, j in sorted(near):
            if step - s.talked.get(j, -cooldown) < cooldown:
                continue
            s.talked[j] = step
            other = self.town.personas[j]
            wants = self.ask(
                "decide_to_talk",
                step,
                persona=self.persona,
                other={"names": [other["name"], other.get("name_en") or other["name"]]},
                other_action=view.doing[j],
                own_action=view.doing[self.index],
                hour_slot=step // self.town.clock.steps_per_hour(),
                memories=self.mind.recall(other["name"], step, 5),
                time=self.clock_text(step),
            )
            return j if wants else None
        return None
