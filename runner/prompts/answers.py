"""One pydantic model per kind of answer: it gives both the JSON schema the model is asked to
follow and the check of what came back (the base class and the field types:
:mod:`runner.prompts.answer_types`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, StrictBool, ValidationInfo, model_validator

from .answer_types import (
    DAY_MINUTES,
    MAX_DURATIONS,
    MAX_EMOJI,
    Answer,
    Note,
    Score,
    State,
    Text,
    bounded,
    clamped,
    context,
    first,
    fit,
    note,
    text,
)


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
    detail: Annotated[str, BeforeValidator(lambda v: note(v, 300))]  # may be empty for "no"
    cited: numbers_of("memories") = []  # none: the answer does not count as knowing

    def value(self, ctx: dict) -> dict:
        return {"knows": self.knows, "detail": self.detail, "cited": list(self.cited)}


class Judge(Answer):
    """Which of two answers to one question is the more believable (``rw-batch eval --judge``)."""

    verdict: Literal["first", "second", "draw"]
    reason: Note = ""  # asked for, so that the judge weighs it; not used
