"""Every kind's answer schema, as sent, keeps OpenAI's strict-mode rules; and the checker of
those rules (runner/llm/strict_schema.py) catches each way of breaking them.

The rules are those of the "Supported schemas" section of OpenAI's guide "Structured model
outputs", https://platform.openai.com/docs/guides/structured-outputs#supported-schemas : root
an object and not ``anyOf``; ``additionalProperties: false`` and every property ``required`` in
every object (optional values as a union with ``null``); the supported types and the keywords
per type (string ``pattern``/``format``, number ``multipleOf``/``minimum``/``maximum``/
``exclusiveMinimum``/``exclusiveMaximum``, array ``minItems``/``maxItems``); no composition
(``allOf``, ``not``, ``if``/``then``/``else``, ``dependentRequired``, ``dependentSchemas``);
``$defs``/``$ref`` allowed; at most 5,000 properties, 10 levels of nesting, 1,000 enum values,
120,000 characters of names and enum values, 15,000 characters for a string enum of more than
250 values. The error wording follows OpenAI's 400 answers.
"""

from __future__ import annotations

import pytest
from test_prompts import LANGS, context

from runner.llm.base import Request
from runner.llm.chat import bounded_schema, request_schema
from runner.llm.strict_schema import (
    MAX_ENUM_VALUES,
    openai_refusal,
    response_format_errors,
    strict_errors,
)
from runner.prompts.kinds import KINDS

# after_chat's schema before the answer models: only 'change' required, sent with strict: true
OLD_AFTER_CHAT = {
    "type": "object",
    "properties": {
        "change": {"type": "boolean"},
        "task": {"type": "string"},
        "minutes": {"type": "integer"},
    },
    "required": ["change"],
    "additionalProperties": False,
}


def obj(**props) -> dict:
    return {
        "type": "object",
        "properties": props,
        "required": list(props),
        "additionalProperties": False,
    }


def walk(node):
    """Every schema node under ``node`` (properties, items, anyOf branches)."""
    yield node
    for sub in node.get("properties", {}).values():
        yield from walk(sub)
    if "items" in node:
        yield from walk(node["items"])
    for sub in node.get("anyOf", ()):
        yield from walk(sub)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_schema_is_strict(kind: str):
    schema = KINDS[kind].schema
    assert strict_errors(schema) == []
    for node in walk(schema):
        assert not {"title", "default", "description", "$ref", "$defs"} & set(node), node
        if node.get("type") == "object":
            assert node["required"] == list(node["properties"])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", sorted(k for k in KINDS if KINDS[k].picks_option))
def test_narrowed_choice_schemas_are_strict(kind: str, lang: str):
    ctx = context(kind, lang)
    schema = request_schema(Request(kind, lang, ctx, KINDS[kind].schema))
    assert schema["properties"]["choice"]["enum"] == ctx["options"]
    assert strict_errors(schema) == []
    assert "enum" not in KINDS[kind].schema["properties"]["choice"]  # the kind's own is untouched


def test_more_options_than_an_enum_holds_are_not_narrowed():
    options = [f"place {i}" for i in range(MAX_ENUM_VALUES + 1)]
    ctx = {**context("action_sector", "en"), "options": options}
    schema = request_schema(Request("action_sector", "en", ctx, KINDS["action_sector"].schema))
    assert "enum" not in schema["properties"]["choice"]
    long = [f"{i} " + "x" * 80 for i in range(300)]  # > 250 values and > 15,000 characters
    ctx = {**ctx, "options": long}
    schema = request_schema(Request("action_sector", "en", ctx, KINDS["action_sector"].schema))
    assert "enum" not in schema["properties"]["choice"] and strict_errors(schema) == []


def test_after_chat_optional_values_are_nullable_and_required():
    schema = KINDS["after_chat"].schema
    assert schema["required"] == ["change", "task", "minutes"]
    assert schema["properties"]["task"] == {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert schema["properties"]["minutes"] == {"anyOf": [{"type": "integer"}, {"type": "null"}]}


def test_the_old_after_chat_schema_breaks_the_rules():
    assert strict_errors(OLD_AFTER_CHAT) == [
        "In context=(), 'required' is required to be supplied and to be an array including "
        "every key in properties. Missing 'task'."
    ]
    fmt = {"type": "json_schema", "json_schema": {"name": "after_chat", "schema": OLD_AFTER_CHAT}}
    assert response_format_errors(fmt) == []  # not strict: accepted as it is
    fmt["json_schema"]["strict"] = True
    body = openai_refusal(fmt)
    assert body["error"]["message"].startswith("Invalid schema for response_format 'after_chat': ")
    assert body["error"]["type"] == "invalid_request_error"
    assert body["error"]["param"] == "response_format"


def test_the_local_grammar_schema_keeps_null_branches():
    bounded = bounded_schema(KINDS["after_chat"].schema, 50, 10)
    task = bounded["properties"]["task"]["anyOf"]
    assert task == [{"type": "string", "minLength": 1, "maxLength": 50}, {"type": "null"}]


def deep(levels: int) -> dict:
    node = obj(leaf={"type": "string"})
    for _ in range(levels - 1):
        node = obj(child=node)
    return node


BROKEN = [
    ({"type": "array", "items": {"type": "string"}}, "got 'type: \"array\"'"),
    ({"anyOf": [obj(a={"type": "string"})]}, "got 'type: \"anyOf\"'"),
    ({**obj(a={"type": "string"}), "additionalProperties": True}, "'additionalProperties' is req"),
    ({k: v for k, v in obj(a={"type": "string"}).items() if k != "additionalProperties"}, "false"),
    ({**obj(a={"type": "string"}), "required": ["a", "b"]}, "Extra required key 'b'"),
    (obj(a=obj(b={"type": "string"}) | {"required": []}), "('properties', 'a'), 'required'"),
    (obj(a={"type": "string", "default": "x"}), "'default' is not permitted"),
    (obj(a={"type": "string", "minLength": 1}), "'minLength' is not permitted"),
    (obj(a={"type": "integer", "pattern": "1"}), "'pattern' is not permitted"),
    (obj(a={"oneOf": [{"type": "string"}]}), "'oneOf' is not permitted"),
    (obj(a={"type": "string", "allOf": [{"type": "string"}]}), "'allOf' is not permitted"),
    (obj(a={"type": "string", "not": {"type": "null"}}), "'not' is not permitted"),
    (obj(a={"type": "string", "if": {}, "then": {}}), "'if' is not permitted"),
    (obj(a={"type": "string", "format": "url"}), "'format' 'url' is not supported"),
    (obj(a={"type": "text"}), "type 'text' is not supported"),
    (obj(a={}), "must have a 'type' key"),
    (obj(a={"type": "array"}), "array schema missing items"),
    (obj(a={"anyOf": [{"type": "object", "properties": {}}]}), "('properties', 'a', 'anyOf', '0')"),
    (obj(a={"$ref": "#/$defs/x"}), "reference #/$defs/x cannot be resolved"),
    (
        obj(a={"$ref": "#/$defs/x", "description": "d"}) | {"$defs": {"x": {"type": "string"}}},
        "$ref cannot have keywords ['description']",
    ),
    (
        obj(a={"type": "object", "properties": {}, "additionalProperties": False, "$defs": {}}),
        "$defs",
    ),
    (obj(a={"type": "string"}) | {"$defs": []}, "'$defs' must be an object of named schemas"),
    (deep(11), "11 levels of nesting"),
    (obj(**{f"p{i}": {"type": "null"} for i in range(5001)}), "5001 object"),
    (obj(a={"type": "string", "enum": [str(i) for i in range(1001)]}), "1001 enum values"),
    (obj(a={"type": "string", "enum": ["x" * 60 + str(i) for i in range(251)]}), "at most 15000"),
    (obj(a={"type": "string", "enum": ["x" * 121_000]}), "characters of names and values"),
]


@pytest.mark.parametrize(("schema", "expected"), BROKEN)
def test_each_broken_rule_is_refused(schema: dict, expected: str):
    errors = strict_errors(schema)
    assert errors and any(expected in error for error in errors), errors


ACCEPTED = [
    deep(10),
    obj(a={"type": ["string", "null"], "enum": ["F", "C", None]}),
    obj(a={"type": "number", "minimum": -130, "maximum": 130, "multipleOf": 0.5}),
    obj(a={"type": "string", "pattern": "^@[a-z]+$", "format": "email", "description": "d"}),
    obj(a={"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 3}),
    obj(a={"anyOf": [obj(b={"type": "string"}), {"type": "null"}]}, c={"const": "x"}),
    obj(steps={"type": "array", "items": {"$ref": "#/$defs/step"}})
    | {"$defs": {"step": obj(explanation={"type": "string"})}},
    obj(children={"type": "array", "items": {"$ref": "#"}}),
    obj(a={"type": "string", "enum": [str(i) for i in range(1000)]}),
    {"type": "object", "properties": {}, "required": [], "additionalProperties": False},
]


@pytest.mark.parametrize("schema", ACCEPTED)
def test_what_the_guide_allows_is_accepted(schema: dict):
    assert strict_errors(schema) == []


def test_response_format_name_is_checked():
    fmt = {"type": "json_schema", "json_schema": {"name": "no spaces", "strict": True}}
    assert "json_schema.name" in response_format_errors(fmt)[0]
    assert response_format_errors({"type": "json_object"}) == []
