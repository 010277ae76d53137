"""Planning: the day's plan, the hourly schedule, its decomposition, and re-planning.

As the original's ``plan.py``. At the start of each day (``_long_term_planning``): the wake-up
hour, the day's plan in broad strokes and the hourly schedule; on every day after the first
the agent first revises its identity (``revise_identity``: what to bear in mind today, how its
days have felt, its new `currently`) from what it retrieves about today's plan and about the
important events of its life: one question where the original asks four. The revised
`currently` is kept in the state and every persona prompt of the day uses it; the day's plan is
stored as a thought. A task of an hour or more is decomposed into actions of minutes
(``task_decomp``); each action gets its place (:meth:`~runner.agent.places.Places.place`) and
the agent walks there. After a talk whose summary said it may, the agent decides whether to
change its plan (``after_chat``); a change rewrites the rest of the current schedule window
around the new task (``revise_schedule``, the original's ``new_decomp_schedule``).

With ``mind.plan`` off there is no long-term plan: the agent decides at every full hour what to
do in it (``next_hour``), from what it remembers, and nothing more.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from ..world.schedule import DAY, between, replace, splice, task_at, window_at
from .activity import Action
from .memory import CHATS, PLANS, Ask, Memory
from .move import Walker
from .places import Places
from .retrieve import Retriever
from .town import Town

FOCAL_NODES = 30  # memories per focal point of the day start (the original's new_retrieve)
PLAN_MEMORIES = 5  # of those, shown to the daily plan
PLAN_IMPORTANCE = 5  # the original gives the plan thought a fixed poignancy of 5
NIGHT_SLEEP = ("睡觉", "sleep")  # a task or action with one of these is the night's sleep

NoteOwn = Callable[..., None]  # note_own(step, description, triple, importance=None)


@functools.lru_cache(maxsize=4096)  # asked of every agent's action at every step
def is_asleep(text: str) -> bool:
    """Whether an action or task is the night's sleep (not decomposed; no talk begins then).
    A nap ("睡午觉") does not count: the offline policy's bed states are another matter."""
    return any(word in text.lower() for word in NIGHT_SLEEP)


@dataclass
class PlanState:
    day: str = ""
    wake_hour: int = 7
    daily_plan: list[str] = field(default_factory=list)
    schedule: list[list] = field(default_factory=list)  # [task, minutes] from midnight
    task_index: int = -1
    subtasks: list[list] = field(default_factory=list)  # [action, minutes] of the task
    action: Action | None = None
    currently: str = ""  # today's revised status ("" on the first day: the scenario's)
    hour_asked: int = -1  # with mind.plan off: the hour of the day last decided


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Planner:
    """One agent's planning over its ``state``; ``persona`` is the scenario's, ``self.persona``
    today's (with the revised `currently`)."""

    def __init__(
        self,
        state: PlanState,
        persona: dict,
        town: Town,
        ask: Ask,
        memory: Memory,
        retriever: Retriever,
        places: Places,
        walker: Walker,
        note_own: NoteOwn,
    ):
        self.state = state
        self.name = persona["name"]
        self.scenario_persona = persona
        self.town = town
        self.ask = ask
        self.memory = memory
        self.retriever = retriever
        self.places = places
        self.walker = walker
        self.note_own = note_own
        self.planned = town.mind.plan
        self.set_currently(state.currently)

    def set_currently(self, currently: str) -> None:
        """Today's `currently` ('' for the scenario's), in every persona prompt from now on."""
        self.state.currently = currently
        base = self.scenario_persona
        self.persona = {**base, "currently": currently} if currently else base

    def asleep(self, step: int) -> bool:
        act = self.state.action
        return act is not None and act.start <= step < act.end and is_asleep(act.description)

    # --- the day ------------------------------------------------------------------------
    def start_day(self, step: int, today: str) -> tuple[str, str, list[str]]:
        """Plan the day ``today`` (YYYY-MM-DD) at ``step``; the first day keeps the scenario's
        `currently`, later ones revise it first. Returns (date, currently, plan) to store."""
        s = self.state
        first = not s.day
        s.day = today
        if not self.planned:
            s.hour_asked = -1
            return today, self.persona["currently"], []
        if first:
            plan_note = ""
            query = f"{today} {self.persona['currently']}"
            memories = self.retriever.recall(query, step, PLAN_MEMORIES)
        else:  # first, so that every question of the day sees the revised `currently`
            plan_note, memories = self._revise_identity(step, today)
        s.wake_hour = self.ask("wake_up_hour", step, persona=self.persona, date=today)
        context = dict(
            persona=self.persona,
            date=today,
            wake_hour=s.wake_hour,
            places=self.places.known_kinds(),
            home=self.places.home,
            memories=memories,
            plan_note=plan_note,
        )
        s.daily_plan = self.ask("daily_plan", step, **context)
        s.schedule = self.ask("hourly_schedule", step, daily_plan=s.daily_plan, **context)
        s.task_index = -1
        self._remember_plan(step, today)
        return today, self.persona["currently"], list(s.daily_plan)

    def _revise_identity(self, step: int, today: str) -> tuple[str, list[str]]:
        """Ask the day's note and new `currently` from the memories of the two focal points;
        keep the new `currently`. Returns the note and the best memories about today's plan."""
        day, lang = dt.date.fromisoformat(today), self.town.lang
        if lang == "zh":
            focal = f"{self.name}{day.month}月{day.day}日的计划", f"{self.name}生活中最近的重要事情"
        else:
            focal = (
                f"{self.name}'s plan for {day.strftime('%A %B')} {day.day}",
                f"Important recent events for {self.name}'s life",
            )
        plan_ids = self.retriever.recall_ids(focal[0], step, FOCAL_NODES)
        life_ids = self.retriever.recall_ids(focal[1], step, FOCAL_NODES)
        nodes, colon = self.memory.stream.nodes, "：" if lang == "zh" else ": "
        statements = [
            f"{self.town.stamp(nodes[i].created)}{colon}{nodes[i].description}"
            for i in dict.fromkeys(plan_ids + life_ids)
        ]
        answer = self.ask(
            "revise_identity",
            step,
            persona=self.persona,
            date=today,
            yesterday=(day - dt.timedelta(days=1)).isoformat(),
            statements=statements,
        )
        self.set_currently(answer["currently"])
        return answer["plan_note"], [nodes[i].description for i in plan_ids[:PLAN_MEMORIES]]

    def _remember_plan(self, step: int, today: str) -> None:
        day, plan = dt.date.fromisoformat(today), self.state.daily_plan
        if self.town.lang == "zh":
            text = f"这是{self.name}{day.month}月{day.day}日的计划：" + "；".join(plan) + "。"
        else:
            when = f"{day.strftime('%A %B')} {day.day}"
            text = f"This is {self.name}'s plan for {when}: " + ", ".join(plan) + "."
        triple = (self.name, "plan", today)
        self.memory.remember("thought", step, text, triple, importance=PLAN_IMPORTANCE)

    def next_hour(self, step: int) -> None:
        """With ``mind.plan`` off: at a new hour, ask what to do in it; the schedule holds the
        hours so far and the new task until midnight (until the next hour asks again)."""
        s, minute = self.state, self.town.clock.minute_of_day(step)
        hour = int(minute // 60)
        if hour == s.hour_asked:
            return
        s.hour_asked = hour
        done, begin = [], 0
        for task, minutes in s.schedule:
            if begin >= hour * 60:
                break
            done.append([_hhmm(begin), task])
            begin += minutes
        query = f"{hour:02d}:00 {self.persona['currently']}"
        task = self.ask(
            "next_hour",
            step,
            persona=self.persona,
            date=s.day,
            time=f"{hour:02d}:00",
            done=done,
            places=self.places.known_kinds(),
            memories=self.retriever.recall(query, step, 5),
        )
        start = hour * 60
        s.schedule = splice(s.schedule, start, DAY - start, task) if s.schedule else [[task, DAY]]
        s.task_index = -1

    # --- the next action ----------------------------------------------------------------
    def next_action(self, step: int) -> None:
        """Begin the action the schedule has at ``step`` (its task decomposed first when the
        task is new and an hour or more long)."""
        s, clock = self.state, self.town.clock
        if not self.planned:
            self.next_hour(step)
        minute = clock.minute_of_day(step)
        index, begin, end = task_at(s.schedule, minute)
        task, minutes = s.schedule[index]
        if index != s.task_index:
            s.task_index = index
            s.subtasks = [[task, minutes]]
            if self.planned and minutes >= 60 and not is_asleep(task):
                s.subtasks = self.ask(
                    "task_decomp",
                    step,
                    persona=self.persona,
                    task=task,
                    minutes=minutes,
                    start=_hhmm(begin),
                    places=self.places.known_kinds(),
                )
        sub_end, description = begin, task
        for sub_action, sub_minutes in s.subtasks:
            sub_end += sub_minutes
            description = sub_action
            if minute < sub_end:
                break
        if not self.planned:  # the hour is all that is decided
            sub_end = min(sub_end, (int(minute // 60) + 1) * 60)
        end_time = clock.day_start(step) + dt.timedelta(minutes=max(sub_end, minute + 1))
        self.start_action(step, description, task, max(step + 1, clock.step_at(end_time)))

    def start_action(self, step: int, description: str, task: str, end: int) -> None:
        """Place the action, note it, and walk to its place."""
        persona = self.persona
        address, details = self.places.place(step, description, task, persona, self.state.day)
        self.note_own(step, description, details["event"], details["importance"])
        target = self.walker.nearest(step, address)
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
        self.walker.walk_to(step, target)

    # --- after a talk -------------------------------------------------------------------
    def after_talk(self, step: int, partner: str, reconsider: bool) -> None:
        """The conversation with ``partner`` is over: go on with the day, or (when the talk's
        summary said it may) change the plan, a reaction."""
        if not reconsider:
            self.resume(step)
            return
        s, stream = self.state, self.memory.stream
        summary = stream.last_about(partner, "chat", CHATS)
        planning = stream.last_about(partner, "thought", PLANS)
        task = s.schedule[s.task_index][0] if 0 <= s.task_index < len(s.schedule) else ""
        answer = self.ask(
            "after_chat",
            step,
            persona=self.persona,
            partner=partner,
            summary=summary.description if summary else "",
            planning=planning.description if planning else "",
            time=self.town.clock_text(step),
            current_task=task,
        )
        if not answer["change"]:
            self.resume(step)
            return
        minute = int(self.town.clock.minute_of_day(step))
        s.schedule = self._rewrite(step, minute, answer["task"], answer["minutes"])
        s.task_index = -1
        self.next_action(step)

    def _rewrite(self, step: int, minute: int, task: str, minutes: int) -> list[list]:
        """The schedule with ``task`` from ``minute`` and the rest of its window revised."""
        schedule = self.state.schedule
        start, end = window_at(schedule, minute)
        task_end = min(DAY, minute + minutes)
        if not self.planned or task_end >= end:
            return splice(schedule, minute, minutes, task)  # nothing of the window is left
        window, begin = [], start
        for name, length in between(schedule, start, end):
            window.append([_hhmm(begin), name, length])
            begin += length
        rest = self.ask(
            "revise_schedule",
            step,
            persona=self.persona,
            time=_hhmm(minute),
            task=task,
            task_minutes=task_end - minute,
            window_start=_hhmm(start),
            window_end=_hhmm(end),
            window=window,
            planned_rest=between(schedule, task_end, end),
            minutes=end - task_end,
        )
        return replace(schedule, minute, end, [[task, task_end - minute], *rest])

    def resume(self, step: int) -> None:
        """Back to the current action if it is not over (walking back to its place)."""
        act = self.state.action
        if act is not None and step < act.end and act.target is not None:
            self.walker.walk_to(step, act.target)
