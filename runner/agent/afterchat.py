"""After a conversation: what each side keeps of it, and whether its plan changes.

As the original: each side stores the conversation's summary (a chat memory), a thought for its
planning and a memo of what it wants to remember, both citing the chat as evidence (one
``chat_summary`` question gives all three where the original asks three, and whether the talk
may change what the agent does next). When the talk is over, each side goes on with its day,
or, when its summary said so, decides whether to change its plan (``after_chat``); a change
rewrites the rest of the current schedule window around the new task (``revise_schedule``, the
original's ``new_decomp_schedule``), not only the minutes the new task takes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..world.schedule import DAY, between, replace, splice, window_at

if TYPE_CHECKING:
    from .agent import Agent

PLANS, REMEMBERS, CHATS = "plans", "remembers", "chat with"  # the predicates of the triples


def remember_talk(me: Agent, other: Agent, lines: list[list], step: int) -> bool:
    """Store the summary of the talk, and (unless reflection is off) the two thoughts on it;
    their importance is the summary's, or (where it gave none) asked in one question. Returns
    whether the talk may change what ``me`` does next (the summary's ``reconsider``)."""
    notes = me.ask("chat_summary", step, persona=me.persona, partner=other.name, lines=lines)
    thoughts = _thoughts(me, other, notes) if me.town.mind.reflect else []
    items = [("chat", notes["summary"])] + [("thought", text) for text, _, _ in thoughts]
    given = [notes["importance"] or None] + [score or None for _, _, score in thoughts]
    scores = me.mind.judge(step, items, given)
    chat = me.mind.remember(
        "chat", step, notes["summary"], (me.name, CHATS, other.name), importance=scores[0]
    )
    for (text, predicate, _), score in zip(thoughts, scores[1:]):
        me.mind.remember("thought", step, text, (me.name, predicate, other.name), [chat], score)
    return notes["reconsider"]


def _thoughts(me: Agent, other: Agent, notes: dict) -> list[tuple[str, str, int]]:
    """(text, predicate, importance) of the planning thought and the memo a talk left, those
    not empty."""
    if me.town.lang == "zh":
        planning = f"{me.name}为今后的打算：{notes['planning']}"
        memo = f"{me.name}想记住的事：{notes['memo']}"
    else:
        planning = f"For {me.name}'s planning: {notes['planning']}"
        memo = f"Things {me.name} wants to remember: {notes['memo']}"
    return [
        (text, predicate, score)
        for note, text, predicate, score in (
            (notes["planning"], planning, PLANS, notes["planning_importance"]),
            (notes["memo"], memo, REMEMBERS, notes["memo_importance"]),
        )
        if note
    ]


def after_chat(agent: Agent, step: int) -> None:
    """The conversation is over: go on with the day, or (when the talk's summary said it may)
    change the plan, a reaction."""
    s, memory = agent.state, agent.mind.memory
    partner = agent.town.personas[s.chat.partner]["name"]
    reconsider, s.chat = s.chat.reconsider, None
    if not reconsider:
        _resume(agent, step)
        return
    summary = memory.last_about(partner, "chat", CHATS)
    planning = memory.last_about(partner, "thought", PLANS)
    task = s.schedule[s.task_index][0] if 0 <= s.task_index < len(s.schedule) else ""
    answer = agent.ask(
        "after_chat",
        step,
        persona=agent.persona,
        partner=partner,
        summary=summary.description if summary else "",
        planning=planning.description if planning else "",
        time=agent.clock_text(step),
        current_task=task,
    )
    if not answer["change"]:
        _resume(agent, step)
        return
    minute = int(agent.town.clock.minute_of_day(step))
    s.schedule = _rewrite(agent, step, minute, answer["task"], answer["minutes"])
    s.task_index = -1
    agent.next_action(step)


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _rewrite(agent: Agent, step: int, minute: int, task: str, minutes: int) -> list[list]:
    """The schedule with ``task`` from ``minute`` and the rest of its window revised."""
    schedule = agent.state.schedule
    start, end = window_at(schedule, minute)
    task_end = min(DAY, minute + minutes)
    if not agent.town.mind.plan or task_end >= end:
        return splice(schedule, minute, minutes, task)  # nothing of the window is left
    window, begin = [], start
    for name, length in between(schedule, start, end):
        window.append([_hhmm(begin), name, length])
        begin += length
    rest = agent.ask(
        "revise_schedule",
        step,
        persona=agent.persona,
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


def _resume(agent: Agent, step: int) -> None:
    """Back to the interrupted action if it is not over (walking back to its place)."""
    act = agent.state.action
    if act is not None and step < act.end and act.target is not None:
        agent.walk_to(step, act.target)
