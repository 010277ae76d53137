"""Every kind of question an agent asks: its answer schema, validator and fail-safe.

A validator takes the parsed JSON and the request context and returns the cleaned value, or
raises ``ValueError``; the fail-safe gives a usable value when every attempt failed. All text is
bounded in length here, because it came from a model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_TEXT = 160  # characters of any one description, task or chat line
MAX_EMOJI = 8


@dataclass(frozen=True)
class Kind:
    name: str
    schema: dict[str, Any]
    validate: Callable[[Any, dict], Any]
    failsafe: Callable[[dict], Any]
    when: str  # one line for docs/prompts.md


def text(value: Any, limit: int = MAX_TEXT) -> str:
    """A non-empty single-line string, cut to ``limit`` characters."""
    if not isinstance(value, str):
        raise ValueError("expected a string")
    value = " ".join(value.split())
    if not value:
        raise ValueError("empty string")
    return value[:limit]


def _obj(props: dict[str, Any], required: list[str] | None = None) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": props,
        "required": required or list(props),
        "additionalProperties": False,
    }


_STR = {"type": "string"}
_INT = {"type": "integer"}


def _field(answer: Any, key: str) -> Any:
    if not isinstance(answer, dict) or key not in answer:
        raise ValueError(f"expected an object with '{key}'")
    return answer[key]


def _int_in(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number")
    return min(high, max(low, int(value)))


def _one_of(options_key: str) -> Callable[[Any, dict], str]:
    """Validator for 'pick one of the options in context[options_key]'."""

    def check(answer: Any, ctx: dict) -> str:
        choice = text(_field(answer, "choice"))
        if choice not in ctx[options_key]:
            raise ValueError(f"'{choice}' is not one of the options")
        return choice

    return check


def _durations(items: Any, key: str, total: int, limit: int = 48) -> list[list]:
    """A list of [text, minutes] whose minutes are positive and sum to ``total``."""
    if not isinstance(items, list) or not items:
        raise ValueError("expected a non-empty list")
    out = []
    for item in items[:limit]:
        minutes = _int_in(_field(item, "minutes"), 1, total)
        out.append([text(_field(item, key)), minutes])
    used = 0
    for i, item in enumerate(out):
        item[1] = min(item[1], total - used)
        used += item[1]
        if used >= total:
            out = out[: i + 1]
            break
    if used < total:
        out[-1][1] += total - used
    return [item for item in out if item[1] > 0]


def _schedule(answer: Any, ctx: dict) -> list[list]:
    return _durations(_field(answer, "schedule"), "task", 24 * 60)


def _subtasks(answer: Any, ctx: dict) -> list[list]:
    return _durations(_field(answer, "subtasks"), "action", ctx["minutes"])


def _plan(answer: Any, ctx: dict) -> list[str]:
    items = _field(answer, "plan")
    if not isinstance(items, list) or not items:
        raise ValueError("expected a non-empty list")
    return [text(item) for item in items[:12]]


def _details(answer: Any, ctx: dict) -> dict:
    emoji = text(_field(answer, "emoji"), MAX_EMOJI)
    return {
        "emoji": emoji,
        "event": [
            ctx["name"],
            text(_field(answer, "predicate"), 40),
            text(_field(answer, "object"), 60),
        ],
    }


def _talk(answer: Any, ctx: dict) -> bool:
    value = _field(answer, "talk")
    if not isinstance(value, bool):
        raise ValueError("expected true or false")
    return value


def _chat_turn(answer: Any, ctx: dict) -> dict:
    end = _field(answer, "end")
    if not isinstance(end, bool):
        raise ValueError("expected 'end' true or false")
    return {"line": text(_field(answer, "line")), "end": end}


def _questions(answer: Any, ctx: dict) -> list[str]:
    items = _field(answer, "questions")
    if not isinstance(items, list) or not items:
        raise ValueError("expected a non-empty list")
    return [text(q) for q in items[:5]]


def _insights(answer: Any, ctx: dict) -> list[dict]:
    """Insights with evidence given as numbers of the numbered statements in the prompt."""
    items = _field(answer, "insights")
    if not isinstance(items, list) or not items:
        raise ValueError("expected a non-empty list")
    count = len(ctx["statements"])
    out = []
    for item in items[:5]:
        evidence = _field(item, "evidence")
        if not isinstance(evidence, list):
            raise ValueError("expected a list of statement numbers")
        numbers = sorted({int(e) for e in evidence if isinstance(e, int) and 1 <= e <= count})
        out.append({"insight": text(_field(item, "insight")), "evidence": numbers})
    return out


def _after_chat(answer: Any, ctx: dict) -> dict:
    change = _field(answer, "change")
    if not isinstance(change, bool):
        raise ValueError("expected 'change' true or false")
    if not change:
        return {"change": False}
    minutes = _int_in(_field(answer, "minutes"), 5, 180)
    return {"change": True, "task": text(_field(answer, "task")), "minutes": minutes}


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
            _obj({"hour": _INT}),
            lambda a, c: _int_in(_field(a, "hour"), 3, 12),
            lambda c: 7,
            "once a game day, before planning: the hour the agent wakes up",
        ),
        Kind(
            "daily_plan",
            _obj({"plan": {"type": "array", "items": _STR}}),
            _plan,
            lambda c: ["睡醒起床" if c["lang"] == "zh" else "wake up"],
            "once a game day: the day's plan in broad strokes",
        ),
        Kind(
            "hourly_schedule",
            _obj({"schedule": {"type": "array", "items": _obj({"task": _STR, "minutes": _INT})}}),
            _schedule,
            _sleep_day,
            "once a game day: the plan as a schedule of tasks with minutes, covering 24 hours",
        ),
        Kind(
            "task_decomp",
            _obj({"subtasks": {"type": "array", "items": _obj({"action": _STR, "minutes": _INT})}}),
            _subtasks,
            lambda c: [[c["task"], c["minutes"]]],
            "when a schedule task of an hour or more begins: actions of a few minutes each",
        ),
        Kind(
            "action_sector",
            _obj({"choice": _STR}),
            _one_of("options"),
            lambda c: c["default"],
            "when an action begins: which known place (sector) it happens in",
        ),
        Kind(
            "action_arena",
            _obj({"choice": _STR}),
            _one_of("options"),
            lambda c: c["default"],
            "after the sector: which room or area (arena) of it",
        ),
        Kind(
            "action_object",
            _obj({"choice": _STR}),
            _one_of("options"),
            lambda c: c["default"],
            "after the arena: which game object the action uses",
        ),
        Kind(
            "action_details",
            _obj({"emoji": _STR, "predicate": _STR, "object": _STR}),
            _details,
            lambda c: {
                "emoji": "🙂",
                "event": [c["name"], "正在" if c["lang"] == "zh" else "is", c["action"][:60]],
            },
            "after the object: the action's emoji and its event triple, in one answer",
        ),
        Kind(
            "decide_to_talk",
            _obj({"talk": {"type": "boolean"}, "reason": _STR}),
            _talk,
            lambda c: False,
            "when another awake agent is within sight: start a conversation or not",
        ),
        Kind(
            "chat_turn",
            _obj({"line": _STR, "end": {"type": "boolean"}}),
            _chat_turn,
            lambda c: {"line": "……" if c["lang"] == "zh" else "...", "end": True},
            "during a conversation, once per turn: the speaker's next line and whether it ends",
        ),
        Kind(
            "importance",
            _obj({"score": _INT}),
            lambda a, c: _int_in(_field(a, "score"), 1, 10),
            lambda c: 3,
            "for each new memory (event, thought, chat): its poignancy from 1 to 10",
        ),
        Kind(
            "focal_points",
            _obj({"questions": {"type": "array", "items": _STR}}),
            _questions,
            lambda c: [c["statements"][-1]] if c["statements"] else ["……"],
            "when recent importance passes the reflection threshold: questions to reflect on",
        ),
        Kind(
            "insights",
            _obj(
                {
                    "insights": {
                        "type": "array",
                        "items": _obj(
                            {"insight": _STR, "evidence": {"type": "array", "items": _INT}}
                        ),
                    }
                }
            ),
            _insights,
            lambda c: [],
            "for each focal question, over the memories it retrieves: insights with evidence",
        ),
        Kind(
            "chat_summary",
            _obj({"summary": _STR}),
            lambda a, c: text(_field(a, "summary")),
            lambda c: c["lines"][0][1] if c["lines"] else "……",
            "after a conversation, for each side: what it was about, to remember",
        ),
        Kind(
            "after_chat",
            _obj({"change": {"type": "boolean"}, "task": _STR, "minutes": _INT}, ["change"]),
            _after_chat,
            lambda c: {"change": False},
            "after a conversation, for each side: go on with the day or change the plan",
        ),
        Kind(
            "interview",
            _obj({"answer": _STR}),
            lambda a, c: text(_field(a, "answer"), 600),
            lambda c: "……",
            "rw-batch interview: the agent answers a question from its retrieved memories",
        ),
    )
}
