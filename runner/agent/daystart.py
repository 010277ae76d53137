"""The start of a game day: the long-term plan, and what a new day changes in the agent.

As the original's ``_long_term_planning``: the wake-up hour, the day's plan in broad strokes and
the hourly schedule; on every day after the first the agent first revises its identity
(``revise_identity``: what to bear in mind today, how its days have felt, its new `currently`)
from what it retrieves about today's plan and about the important events of its life: one
question where the original asks four. The revised `currently` is kept in the state and every
persona prompt of the day uses it; the day's plan is stored as a thought in the memory stream.

With ``mind.plan`` off there is no long-term plan: the agent decides at every full hour what to
do in it (``next_hour``), from what it remembers, and nothing more.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ..world.schedule import DAY, splice

if TYPE_CHECKING:
    from .agent import Agent

FOCAL_NODES = 30  # memories per focal point of the day start (the original's new_retrieve)
PLAN_MEMORIES = 5  # of those, shown to the daily plan
PLAN_IMPORTANCE = 5  # the original gives the plan thought a fixed poignancy of 5


def start_day(agent: Agent, step: int, today: str) -> None:
    """Plan the day ``today`` (YYYY-MM-DD) at ``step``; the first day keeps the scenario's
    `currently`, later ones revise it first."""
    s = agent.state
    first = not s.day
    s.day = today
    if not agent.town.mind.plan:
        s.hour_asked = -1
        agent.record_day(today, [])
        return
    if first:
        plan_note = ""
        query = f"{today} {agent.persona['currently']}"
        memories = agent.mind.recall(query, step, PLAN_MEMORIES)
    else:  # first, so that every question of the day sees the revised `currently`
        plan_note, memories = _revise_identity(agent, step, today)
    s.wake_hour = agent.ask("wake_up_hour", step, persona=agent.persona, date=today)
    context = dict(
        persona=agent.persona,
        date=today,
        wake_hour=s.wake_hour,
        places=agent.places.known_kinds(),
        home=agent.places.home,
        memories=memories,
        plan_note=plan_note,
    )
    s.daily_plan = agent.ask("daily_plan", step, **context)
    s.schedule = agent.ask("hourly_schedule", step, daily_plan=s.daily_plan, **context)
    s.task_index = -1
    _remember_plan(agent, step, today)
    agent.record_day(today, s.daily_plan)


def _focal_points(name: str, day: dt.date, lang: str) -> tuple[str, str]:
    if lang == "zh":
        return f"{name}{day.month}月{day.day}日的计划", f"{name}生活中最近的重要事情"
    return (
        f"{name}'s plan for {day.strftime('%A %B')} {day.day}",
        f"Important recent events for {name}'s life",
    )


def _revise_identity(agent: Agent, step: int, today: str) -> tuple[str, list[str]]:
    """Ask the day's note and new `currently` from the memories of the two focal points; keep
    the new `currently`. Returns the note and the best memories about today's plan."""
    day = dt.date.fromisoformat(today)
    plan_focus, life_focus = _focal_points(agent.name, day, agent.town.lang)
    plan_ids = agent.mind.recall_ids(plan_focus, step, FOCAL_NODES)
    life_ids = agent.mind.recall_ids(life_focus, step, FOCAL_NODES)
    nodes = agent.mind.memory.nodes
    statements = [
        f"{agent.stamp(nodes[i].created)}：{nodes[i].description}"
        if agent.town.lang == "zh"
        else f"{agent.stamp(nodes[i].created)}: {nodes[i].description}"
        for i in dict.fromkeys(plan_ids + life_ids)
    ]
    answer = agent.ask(
        "revise_identity",
        step,
        persona=agent.persona,
        date=today,
        yesterday=(day - dt.timedelta(days=1)).isoformat(),
        statements=statements,
    )
    agent.set_currently(answer["currently"])
    return answer["plan_note"], [nodes[i].description for i in plan_ids[:PLAN_MEMORIES]]


def _remember_plan(agent: Agent, step: int, today: str) -> None:
    day, plan = dt.date.fromisoformat(today), agent.state.daily_plan
    if agent.town.lang == "zh":
        text = f"这是{agent.name}{day.month}月{day.day}日的计划：" + "；".join(plan) + "。"
    else:
        when = f"{day.strftime('%A %B')} {day.day}"
        text = f"This is {agent.name}'s plan for {when}: " + ", ".join(plan) + "."
    triple = (agent.name, "plan", today)
    agent.mind.remember("thought", step, text, triple, importance=PLAN_IMPORTANCE)


def next_hour(agent: Agent, step: int) -> None:
    """With ``mind.plan`` off: at a new hour, ask what to do in it; the schedule holds the
    hours so far and the new task until midnight (until the next hour asks again)."""
    s, minute = agent.state, agent.town.clock.minute_of_day(step)
    hour = int(minute // 60)
    if hour == s.hour_asked:
        return
    s.hour_asked = hour
    done, begin = [], 0
    for task, minutes in s.schedule:
        if begin >= hour * 60:
            break
        done.append([f"{begin // 60:02d}:{begin % 60:02d}", task])
        begin += minutes
    task = agent.ask(
        "next_hour",
        step,
        persona=agent.persona,
        date=s.day,
        time=f"{hour:02d}:00",
        done=done,
        places=agent.places.known_kinds(),
        memories=agent.mind.recall(f"{hour:02d}:00 {agent.persona['currently']}", step, 5),
    )
    start = hour * 60
    s.schedule = splice(s.schedule, start, DAY - start, task) if s.schedule else [[task, DAY]]
    s.task_index = -1
