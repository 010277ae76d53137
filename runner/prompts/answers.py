"""One pydantic model per kind of answer: it gives both the JSON schema the model is asked to
follow and the check of what came back.

``Answer.strict_schema()`` is the model's JSON schema made strict the way OpenAI's Structured
Outputs require (every object closed with ``additionalProperties: false``, every property
required, an optional value as a union with ``null``, no ``title``, ``description`` or
``default``, nested models inlined), ``type`` first in every node.

``Answer.read(data, ctx)`` validates the parsed JSON with the question's context
(``model_validate(data, context=ctx)``) and returns the value the agent uses. The checks are as
liberal as the answers allow: unknown keys are ignored, text is made one line and cut to a bound
(it came from a model), numbers are clamped into range, lists are cut to a length before their
items are checked. What a check needs from the question comes from the context: the options of
a pick-one question, the number of statements an insight may cite, the minutes a task's actions
must fill.
"""

from __future__ import annotations

import math
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    StrictBool,
    ValidationInfo,
    model_validator,
)

MAX_TEXT = 160  # characters of any one description, task or chat line
MAX_EMOJI = 8
DAY_MINUTES = 24 * 60
MAX_DURATIONS = 48  # schedule entries or actions kept of one answer


def text(value: Any, limit: int = MAX_TEXT) -> str:
    """A non-empty single-line string, cut to ``limit`` characters."""
    if not isinstance(value, str):
        raise ValueError("expected a string")
    value = " ".join(value.split())
    if not value:
        raise ValueError("empty string")
    return value[:limit]


def number_in(value: Any, low: int, high: int | None = None) -> int:
    """A JSON number as an integer clamped to ``low``…``high`` (booleans are not numbers)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("expected a number")
    if not math.isfinite(value):
        raise ValueError("expected a finite number")
    value = max(low, int(value))
    return value if high is None else min(high, value)


def first(limit: int):
    """Before-check of a list: non-empty, and only its first ``limit`` items are read."""

    def check(value: Any) -> list:
        if not isinstance(value, list) or not value:
            raise ValueError("expected a non-empty list")
        return value[:limit]

    return BeforeValidator(check)


def bounded(limit: int) -> Any:
    """The type of a non-empty one-line string cut to ``limit`` characters."""
    return Annotated[str, BeforeValidator(lambda v: text(v, limit))]


def clamped(low: int, high: int | None = None) -> Any:
    """The type of an integer clamped to ``low``…``high``."""
    return Annotated[int, BeforeValidator(lambda v: number_in(v, low, high))]


def _note(value: Any, limit: int = MAX_TEXT) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _score_or_zero(value: Any) -> int:
    try:
        return number_in(value, 1, 10)
    except ValueError:
        return 0


Text = bounded(MAX_TEXT)
Score = Annotated[int, BeforeValidator(_score_or_zero)]  # 1 to 10, or 0 when not usable
Note = Annotated[str, BeforeValidator(_note)]  # free text nobody reads back: never fails
State = Annotated[str, BeforeValidator(lambda v: _note(v)[:40])]  # an object's state, or ""


def context(info: ValidationInfo, key: str) -> Any:
    """``key`` of the question's context (a check that needs it cannot run without it)."""
    if not info.context or key not in info.context:
        raise ValueError(f"this answer is checked against the question's '{key}'")
    return info.context[key]


class Answer(BaseModel):
    """An answer of one kind; subclasses declare its fields and the value the agent uses."""

    @classmethod
    def strict_schema(cls) -> dict[str, Any]:
        """The strict JSON schema of the answer (shared: do not mutate it)."""
        return _strict_schema(cls)

    @classmethod
    def read(cls, data: Any, ctx: dict[str, Any]) -> Any:
        """The value of a parsed answer; raises ``ValueError`` when it cannot be used."""
        return cls.model_validate(data, context=ctx).value(ctx)

    def value(self, ctx: dict[str, Any]) -> Any:
        """What the agent uses: by default the answer's first property."""
        return getattr(self, next(iter(type(self).model_fields)))


def fit(items: list[list], total: int) -> list[list]:
    """``[text, minutes]`` items cut or stretched so that their minutes sum to ``total``."""
    used = 0
    for i, item in enumerate(items):
        item[1] = min(item[1], total - used)
        used += item[1]
        if used >= total:
            items = items[: i + 1]
            break
    if used < total:
        items[-1][1] += total - used
    return [item for item in items if item[1] > 0]


# --- the kinds -----------------------------------------------------------------------------
class WakeUpHour(Answer):
    hour: clamped(3, 12)


class DailyPlan(Answer):
    plan: Annotated[list[Text], first(12)]


class Task(BaseModel):
    task: Text
    minutes: clamped(1)


class Action(BaseModel):
    action: Text
    minutes: clamped(1)


class Durations(Answer):
    """A list of (text, minutes) items, read as ``[text, minutes]`` lists whose minutes are made
    to sum to ``total(ctx)``."""

    def value(self, ctx: dict) -> list[list]:
        items = [list(item.model_dump().values()) for item in super().value(ctx)]
        return fit(items, self.total(ctx))

    @staticmethod
    def total(ctx: dict) -> int:
        raise NotImplementedError


class HourlySchedule(Durations):
    schedule: Annotated[list[Task], first(MAX_DURATIONS)]

    @staticmethod
    def total(ctx: dict) -> int:
        return DAY_MINUTES


class RevisedWindow(HourlySchedule):
    """The rest of a schedule window after an inserted task: fills ``minutes``."""

    @staticmethod
    def total(ctx: dict) -> int:
        return ctx["minutes"]


class NextHour(Answer):
    task: Text


class TaskDecomp(Durations):
    subtasks: Annotated[list[Action], first(MAX_DURATIONS)]

    @staticmethod
    def total(ctx: dict) -> int:
        return ctx["minutes"]  # the task's own


def _offered(value: Any, info: ValidationInfo) -> str:
    choice = text(value)
    if choice not in context(info, "options"):
        raise ValueError(f"'{choice}' is not one of the options")
    return choice


Offered = Annotated[str, BeforeValidator(_offered)]  # exactly one of the question's options


class Choice(Answer):
    """Exactly one of the question's ``options``."""

    choice: Offered


class ActionDetails(Answer):
    """The object the action uses (one of ``options``), its emoji, its event triple, the
    object's state and the action's importance: the original's five questions after the arena."""

    choice: Offered
    emoji: bounded(MAX_EMOJI)
    predicate: bounded(40)
    object: bounded(60)
    object_state: State = ""  # what the object used is doing meanwhile: the object's event
    importance: Score = 0  # of the action to the agent, as its memory; 0: asked as any memory

    def value(self, ctx: dict) -> dict:
        state = self.object_state or ("被使用" if ctx.get("lang") == "zh" else "in use")
        return {
            "object": self.choice,
            "emoji": self.emoji,
            "event": [ctx["name"], self.predicate, self.object],
            "object_state": state,
            "importance": self.importance or None,
        }


class DecideToTalk(Answer):
    talk: StrictBool
    reason: Note = ""  # asked for, so that the model weighs it; not used


class ChatTurn(Answer):
    line: Text
    end: StrictBool

    def value(self, ctx: dict) -> dict:
        return {"line": self.line, "end": self.end}


class Conversation(Answer):
    """A whole talk (``mind.chat: whole``): its lines in turn, the first speaker first; two at
    least, so that both sides speak."""

    lines: Annotated[list[Text], first(16)]

    def value(self, ctx: dict) -> list[list]:
        if len(self.lines) < 2:
            raise ValueError("a conversation has two lines at least")
        names = [side["name"] for side in ctx["sides"]]
        return [[names[i % 2], line] for i, line in enumerate(self.lines[: ctx["max_lines"]])]


class Importance(Answer):
    score: clamped(1, 10)


class Importances(Answer):
    """The importance of several new memories at once, one score per memory in its order."""

    scores: list[clamped(1, 10)]

    def value(self, ctx: dict) -> list[int]:
        wanted = len(ctx["memories"])
        if len(self.scores) < wanted:
            raise ValueError(f"expected {wanted} scores, got {len(self.scores)}")
        return list(self.scores[:wanted])


class FocalPoints(Answer):
    questions: Annotated[list[Text], first(5)]


def numbers_of(key: str) -> Any:
    """The type of a list of item numbers of the context's list ``key`` (1…len): numbers out
    of range are dropped, so an answer cannot cite what it was not shown."""

    def check(value: Any, info: ValidationInfo) -> list[int]:
        if not isinstance(value, list):
            raise ValueError(f"expected a list of numbers of the {key}")
        count = len(context(info, key))
        return sorted({e for e in value if type(e) is int and 1 <= e <= count})

    return Annotated[list[int], BeforeValidator(check)]


class Insight(BaseModel):
    """An insight, the statements it rests on, and its own event triple (as the original);
    a triple left out reads as (the agent, "thinks", "")."""

    insight: Text
    evidence: numbers_of("statements")
    subject: Note = ""
    predicate: Note = ""
    object: Note = ""  # may be empty: "Klaus is kind" has no object
    importance: Score = 0  # as a memory; 0: asked with the others


class Insights(Answer):
    insights: Annotated[list[Insight], first(5)]

    def value(self, ctx: dict) -> list[dict]:
        return [
            {
                "insight": i.insight,
                "evidence": list(i.evidence),
                "triple": [i.subject[:60] or ctx["name"], i.predicate[:40] or "thinks", i.object],
                "importance": i.importance or None,
            }
            for i in self.insights
        ]


class RevisedIdentity(Answer):
    """The day start: what to bear in mind today, how the days have felt, the new status."""

    plan_note: bounded(300)
    feelings: bounded(300)
    currently: bounded(400)

    def value(self, ctx: dict) -> dict:
        return self.model_dump()


class Relationship(Answer):
    relationship: bounded(300)


class ChatSummary(Answer):
    """What the talk was about, and the two thoughts the original keeps after a talk (either
    may come back empty: then it is not stored)."""

    summary: Text
    planning: Note = ""
    memo: Note = ""
    # the importance of each as a memory, 1 to 10 (0: asked in one question after)
    importance: Score = 0
    planning_importance: Score = 0
    memo_importance: Score = 0
    # whether the talk may change what the agent does right after it (``after_chat`` is asked
    # only then); anything but true reads as false
    reconsider: Annotated[bool, BeforeValidator(lambda v: v is True)] = False

    def value(self, ctx: dict) -> dict:
        return self.model_dump()


class AfterChat(Answer):
    """Go on with the day, or change the plan to ``task`` for ``minutes`` (both then needed)."""

    change: StrictBool
    task: Text | None = None
    minutes: clamped(5, 180) | None = None

    @model_validator(mode="before")
    @classmethod
    def _unchanged_needs_nothing(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("change") is False:
            return {"change": False}  # whatever the model put in task and minutes
        return data

    @model_validator(mode="after")
    def _changed_needs_a_task(self) -> AfterChat:
        if self.change and (self.task is None or self.minutes is None):
            raise ValueError("with 'change' true, 'task' and 'minutes' are needed")
        return self

    def value(self, ctx: dict) -> dict:
        if not self.change:
            return {"change": False}
        return {"change": True, "task": self.task, "minutes": self.minutes}


class Interview(Answer):
    answer: bounded(600)
    cited: numbers_of("memories") = []  # the memories (numbered in the prompt) it rests on

    def value(self, ctx: dict) -> dict:
        return {"answer": self.answer, "cited": list(self.cited)}


class Knows(Answer):
    """Does the agent know of the question's subject, what, and from which memories."""

    knows: StrictBool
    detail: Annotated[str, BeforeValidator(lambda v: _note(v, 300))]  # may be empty for "no"
    cited: numbers_of("memories") = []  # none: the answer does not count as knowing

    def value(self, ctx: dict) -> dict:
        return {"knows": self.knows, "detail": self.detail, "cited": list(self.cited)}


class Judge(Answer):
    """Which of two answers to one question is the more believable (``rw-batch eval --judge``)."""

    verdict: Literal["first", "second", "draw"]
    reason: Note = ""  # asked for, so that the judge weighs it; not used


# --- the strict schema ---------------------------------------------------------------------
_FIRST_KEYS = ("type", "properties", "items", "anyOf", "enum", "required")
_DROPPED = {"title", "default", "description"}  # docstrings are for us, not the model


@cache
def _strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """``model``'s JSON schema in OpenAI's strict form, ``type`` first in every node."""
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})

    def node(schema: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in schema:
            return node(defs[schema["$ref"].rsplit("/", 1)[-1]])
        out = {k: v for k, v in schema.items() if k not in _DROPPED}
        if "properties" in out:
            out["properties"] = {name: node(sub) for name, sub in out["properties"].items()}
        if "items" in out:
            out["items"] = node(out["items"])
        if "anyOf" in out:
            out["anyOf"] = [node(sub) for sub in out["anyOf"]]
        if out.get("type") == "object":
            out["required"] = list(out.get("properties", {}))
            out["additionalProperties"] = False
        order = [k for k in _FIRST_KEYS if k in out] + [k for k in out if k not in _FIRST_KEYS]
        return {k: out[k] for k in order}

    return node(raw)
