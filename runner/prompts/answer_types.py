"""What every answer model shares (:mod:`runner.prompts.answers` has one model per kind): the
base class, the bounded types of its fields and the strict schema.

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
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ValidationInfo,
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


def note(value: Any, limit: int = MAX_TEXT) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def _score_or_zero(value: Any) -> int:
    try:
        return number_in(value, 1, 10)
    except ValueError:
        return 0


Text = bounded(MAX_TEXT)
Score = Annotated[int, BeforeValidator(_score_or_zero)]  # 1 to 10, or 0 when not usable
Note = Annotated[str, BeforeValidator(note)]  # free text nobody reads back: never fails
State = Annotated[str, BeforeValidator(lambda v: note(v)[:40])]  # an object's state, or ""


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
