"""Every kind of question an agent asks: its answer model and its fail-safe.

The answer model (``runner/prompts/answers.py``) gives the kind's JSON schema and checks what
came back; the fail-safe gives a usable value when every attempt failed, so a run always goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import answers as a


@dataclass(frozen=True)
class Kind:
    name: str
    answer: type[a.Answer]
    failsafe: Callable[[dict], Any]
    when: str  # one line for docs/prompts.md

    @property
    def schema(self) -> dict[str, Any]:
        """The answer's strict JSON schema (shared: do not mutate it)."""
        return self.answer.strict_schema()

    @property
    def picks_option(self) -> bool:
        """A pick-one question: the answer is one of ``context["options"]``."""
        return issubclass(self.answer, a.Choice)

    def validate(self, answer: Any, ctx: dict) -> Any:
        """The value of a parsed answer in context ``ctx``; ``ValueError`` if it is unusable."""
        return self.answer.read(answer, ctx)


def _sleep_day(ctx: dict) -> list[list]:
    wake = ctx.get("wake_hour", 7)
    task = "睡觉" if ctx["lang"] == "zh" else "sleeping"
    idle = "在家休息" if ctx["lang"] == "zh" else "resting at home"
    return [[task, wake * 60], [idle, (22 - wake) * 60], [task, 120]]


def _unchanged_day(ctx: dict) -> dict:
    zh = ctx["lang"] == "zh"
    return {
        "plan_note": "照常过日子" if zh else "a usual day",
        "feelings": "一切如常" if zh else "all as usual",
        "currently": ctx["persona"]["currently"],
    }


def _chat_notes(ctx: dict) -> dict:
    first = ctx["lines"][0][1] if ctx["lines"] else "……"
    nothing = "没有要改的打算" if ctx["lang"] == "zh" else "nothing to change"
    notes = {"summary": first, "planning": nothing, "memo": first, "reconsider": False}
    return {**notes, "importance": 3, "planning_importance": 3, "memo_importance": 3}


def _two_lines(ctx: dict) -> list[list]:
    first, second = (side["name"] for side in ctx["sides"])
    if ctx["lang"] == "zh":
        return [[first, "你好！"], [second, "你好，回头见！"]]
    return [[first, "Hello!"], [second, "Hi, see you!"]]


def _knows(ctx: dict) -> str:
    if ctx["lang"] == "zh":
        return f"{ctx['name']}认识{ctx['other']}"
    return f"{ctx['name']} knows {ctx['other']}"


def _hour_failsafe(ctx: dict) -> str:
    zh, hour = ctx["lang"] == "zh", int(ctx["time"][:2])
    if hour < 7 or hour >= 23:
        return "睡觉" if zh else "sleeping"
    return "在家休息" if zh else "resting at home"


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "revise_identity",
            a.RevisedIdentity,
            _unchanged_day,
            "at the start of every game day after the first: what to bear in mind today, how the"
            " days have felt, and the revised `currently`",
        ),
        Kind(
            "wake_up_hour",
            a.WakeUpHour,
            lambda c: 7,
            "once a game day, before planning: the hour the agent wakes up",
        ),
        Kind(
            "daily_plan",
            a.DailyPlan,
            lambda c: ["睡醒起床" if c["lang"] == "zh" else "wake up"],
            "once a game day: the day's plan in broad strokes",
        ),
        Kind(
            "hourly_schedule",
            a.HourlySchedule,
            _sleep_day,
            "once a game day: the plan as a schedule of tasks with minutes, covering 24 hours",
        ),
        Kind(
            "next_hour",
            a.NextHour,
            _hour_failsafe,
            "with `mind.plan: false`, at each full hour: what the agent does this hour",
        ),
        Kind(
            "task_decomp",
            a.TaskDecomp,
            lambda c: [[c["task"], c["minutes"]]],
            "when a schedule task of an hour or more begins: actions of a few minutes each",
        ),
        Kind(
            "action_sector",
            a.Choice,
            lambda c: c["default"],
            "when an action begins: which known place (sector) it happens in",
        ),
        Kind(
            "action_arena",
            a.Choice,
            lambda c: c["default"],
            "after the sector: which room or area (arena) of it",
        ),
        Kind(
            "action_details",
            a.ActionDetails,
            lambda c: {
                "object": c["default"],
                "emoji": "🙂",
                "event": [c["name"], "正在" if c["lang"] == "zh" else "is", c["action"][:60]],
                "object_state": "被使用" if c["lang"] == "zh" else "in use",
                "importance": 3,  # as the fail-safe of importance
            },
            "after the arena: which game object the action uses, its emoji, its event triple, the"
            " object's state and the action's importance to the agent",
        ),
        Kind(
            "decide_to_wait",
            a.Choice,
            lambda c: c["default"],
            "when the object an agent heads for is taken by another: wait, or another object",
        ),
        Kind(
            "decide_to_talk",
            a.DecideToTalk,
            lambda c: False,
            "when another awake agent comes into sight: start a conversation or not",
        ),
        Kind(
            "relationship",
            a.Relationship,
            _knows,
            "before a conversation, for each side whose view of the other is stale: how it sees"
            " the other, from what it remembers of them",
        ),
        Kind(
            "chat_turn",
            a.ChatTurn,
            lambda c: {"line": "……" if c["lang"] == "zh" else "...", "end": True},
            "during a conversation, once per turn: the speaker's next line and whether it ends",
        ),
        Kind(
            "conversation",
            a.Conversation,
            _two_lines,
            "with `mind.chat: whole`, when two agents meet and talk: the whole conversation in"
            " one question, from both sides' personas, views and memories",
        ),
        Kind(
            "importance",
            a.Importance,
            lambda c: 3,
            "for a new memory (event, thought, chat) never judged, alone in its moment: its"
            " poignancy from 1 to 10",
        ),
        Kind(
            "importances",
            a.Importances,
            lambda c: [3] * len(c["memories"]),
            "when several new memories come at once (a step's events, a talk's notes, a"
            " reflection's insights): the poignancy of each, from 1 to 10",
        ),
        Kind(
            "focal_points",
            a.FocalPoints,
            lambda c: [c["statements"][-1]] if c["statements"] else ["……"],
            "when recent importance passes the reflection threshold: questions to reflect on",
        ),
        Kind(
            "insights",
            a.Insights,
            lambda c: [],
            "for each focal question, over the memories it retrieves: insights with evidence",
        ),
        Kind(
            "chat_summary",
            a.ChatSummary,
            _chat_notes,
            "after a conversation, for each side: what it was about, a thought for its planning,"
            " one to remember, and whether the talk may change what it does next",
        ),
        Kind(
            "after_chat",
            a.AfterChat,
            lambda c: {"change": False},
            "after a conversation whose summary says it may change what the agent does next: go"
            " on with the day or change the plan",
        ),
        Kind(
            "revise_schedule",
            a.RevisedWindow,
            lambda c: [list(item) for item in c["planned_rest"]],  # on as planned
            "after a changed plan: the rest of the schedule window around the new task",
        ),
        Kind(
            "interview",
            a.Interview,
            lambda c: {"answer": "……", "cited": []},
            "rw-batch interview and eval: an answer from the retrieved memories, citing them",
        ),
        Kind(
            "knows",
            a.Knows,
            lambda c: {"knows": False, "detail": "", "cited": []},
            "rw-batch eval: does the agent know of a fact or a person, citing its memories",
        ),
        Kind(
            "judge",
            a.Judge,
            lambda c: None,  # no verdict: the comparison is left out of the ratings
            "rw-batch eval --judge: which of two answers to a question is the more believable",
        ),
    )
}
