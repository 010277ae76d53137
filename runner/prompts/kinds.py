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


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
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
            "action_object",
            a.Choice,
            lambda c: c["default"],
            "after the arena: which game object the action uses",
        ),
        Kind(
            "action_details",
            a.ActionDetails,
            lambda c: {
                "emoji": "🙂",
                "event": [c["name"], "正在" if c["lang"] == "zh" else "is", c["action"][:60]],
                "object_state": "被使用" if c["lang"] == "zh" else "in use",
            },
            "after the object: the action's emoji, its event triple and the object's state",
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
            "when another awake agent is within sight: start a conversation or not",
        ),
        Kind(
            "chat_turn",
            a.ChatTurn,
            lambda c: {"line": "……" if c["lang"] == "zh" else "...", "end": True},
            "during a conversation, once per turn: the speaker's next line and whether it ends",
        ),
        Kind(
            "importance",
            a.Importance,
            lambda c: 3,
            "for each new memory (event, thought, chat): its poignancy from 1 to 10",
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
            lambda c: c["lines"][0][1] if c["lines"] else "……",
            "after a conversation, for each side: what it was about, to remember",
        ),
        Kind(
            "after_chat",
            a.AfterChat,
            lambda c: {"change": False},
            "after a conversation, for each side: go on with the day or change the plan",
        ),
        Kind(
            "interview",
            a.Interview,
            lambda c: "……",
            "rw-batch interview: the agent answers a question from its retrieved memories",
        ),
    )
}
