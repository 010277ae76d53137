"""Answers built from a JSON schema alone, as the loopback server gives them without a
:class:`~runner.testing.promptbook.PromptBook`: valid for the schema, with choices and lengths taken
from the example line at the end of the prompt."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any


def _hash(*parts: object) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(map(str, parts)).encode()).digest()[:4], "big")


def schema_answer(schema: dict, prompt: str) -> Any:
    """A valid value for ``schema``, with hints from the prompt (see module doc)."""
    example = re.search(r"(?:示例|Example)[:：]\s*(\{.*\})\s*$", prompt, re.S | re.M)
    try:
        sample = json.loads(example.group(1)) if example else {}
    except ValueError:
        sample = {}

    def value(node: dict, key: str) -> Any:
        kind = node.get("type")
        if "anyOf" in node:  # a union: its first branch that is not null
            return value(next(b for b in node["anyOf"] if b.get("type") != "null"), key)
        if "enum" in node:
            return sample[key] if sample.get(key) in node["enum"] else node["enum"][0]
        if kind == "object":
            return {k: value(v, k) for k, v in node.get("properties", {}).items()}
        if kind == "array":  # as many items as the example's (three without one)
            given = sample.get(key) if isinstance(sample.get(key), list) else []
            return [value(node.get("items", {}), key) for _ in range(len(given) or 3)]
        if kind == "integer":
            return {"hour": 7, "minutes": 60}.get(key, 3)
        if kind == "number":
            return 1.0
        if kind == "boolean":
            return _hash(prompt, key) % 2 == 0
        if key in sample and isinstance(sample[key], str):
            return sample[key]
        return "🙂" if key == "emoji" else f"{key} {_hash(prompt) % 100}"

    return value(schema, "")


def schema_in(prompt: str) -> dict:
    """The JSON schema printed in the prompt (the line that parses as one)."""
    for line in reversed(prompt.splitlines()):
        line = line.strip()
        if line.startswith('{"type"'):
            try:
                return json.loads(line)
            except ValueError:
                continue
    return {"type": "object", "properties": {}}
