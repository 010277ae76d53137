"""What every chat-model backend shares: the message it sends and the answer length it allows."""

from __future__ import annotations

import copy
from typing import Any

from .base import Request
from .strict_schema import enum_fits

# Completion tokens allowed per kind (an answer that runs past it is cut off, fails to parse and
# is asked again). Long lists get more room; a kind not named here gets DEFAULT_ANSWER_TOKENS.
ANSWER_TOKENS = {
    "daily_plan": 700,
    "hourly_schedule": 1600,
    "task_decomp": 1000,
    "chat_turn": 300,
    "insights": 900,
    "revise_identity": 900,
    "chat_summary": 600,
    "revise_schedule": 1000,
}
DEFAULT_ANSWER_TOKENS = 400

RETRY_NOTE = {
    "zh": "（上一次的回答没法使用。请只回答一个符合上面 JSON Schema 的 JSON 对象，不要别的内容。）",
    "en": "(The previous answer could not be used. Answer with one JSON object that follows the "
    "JSON Schema above, and nothing else.)",
}


def answer_tokens(kind: str) -> int:
    return ANSWER_TOKENS.get(kind, DEFAULT_ANSWER_TOKENS)


def user_text(request: Request) -> str:
    """The prompt; a retry after a malformed answer adds a note asking for JSON only."""
    text = request.prompt
    if request.attempt > 0:
        text += "\n\n" + RETRY_NOTE.get(request.lang, RETRY_NOTE["en"])
    return text


def request_schema(request: Request) -> dict[str, Any]:
    """The kind's schema, narrowed to this question: a pick-one question (a ``choice`` among
    ``context["options"]``) gets the options as an ``enum``, so constrained decoding can only
    pick one of them (unless there are more than a strict schema's enum may hold)."""
    schema = request.schema
    options = request.context.get("options")
    if "choice" not in schema.get("properties", {}) or not isinstance(options, list):
        return schema
    values = list(dict.fromkeys(str(o) for o in options))
    if not values or not enum_fits(values):
        return schema
    schema = copy.deepcopy(schema)
    schema["properties"]["choice"] = {"type": "string", "enum": values}
    return schema


def bounded_schema(schema: dict[str, Any], max_chars: int = 120, max_items: int = 24) -> dict:
    """The schema with lengths bounded (``maxLength``, ``maxItems``), for grammar-constrained
    decoding: a small model then cannot write one endless string or list."""
    out = copy.deepcopy(schema)

    def visit(node: Any) -> None:
        if not isinstance(node, dict):
            return
        if node.get("type") == "string" and "enum" not in node:
            node.setdefault("minLength", 1)
            node.setdefault("maxLength", max_chars)
        if node.get("type") == "array":
            node.setdefault("maxItems", max_items)
            node.setdefault("minItems", 1)
        for value in node.values():
            if isinstance(value, dict):
                visit(value)
            elif isinstance(value, list):
                for item in value:
                    visit(item)

    visit(out)
    return out
