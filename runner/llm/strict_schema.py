"""OpenAI's rules for a JSON schema sent with ``"strict": true`` (Structured Outputs).

Written from the "Supported schemas" section of OpenAI's guide "Structured model outputs",
https://platform.openai.com/docs/guides/structured-outputs#supported-schemas :

- the root is an object, not ``anyOf``;
- every object sets ``additionalProperties: false`` and lists every property in ``required``
  (an optional value is a union with ``null``);
- the types are string, number, boolean, integer, object, array, null (also as a list such as
  ``["string", "null"]``), plus ``enum``, ``const`` and ``anyOf`` (each branch valid in turn);
  ``$defs`` and ``$ref`` (recursion included) are allowed, a ``$ref`` standing alone;
- the keywords by type: string ``pattern``, ``format`` (the formats listed below); number
  ``multipleOf``, ``maximum``, ``exclusiveMaximum``, ``minimum``, ``exclusiveMinimum``; array
  ``items``, ``minItems``, ``maxItems``. Composition (``allOf``, ``not``, ``if``/``then``/
  ``else``, ``dependentRequired``, ``dependentSchemas``) is refused; so is any keyword the guide
  does not list (``oneOf``, ``default``, ``minLength`` …), ``title`` and ``description`` aside;
- at most 5,000 object properties in all and 10 levels of nesting; at most 120,000 characters of
  property names, definition names, enum and const values together; at most 1,000 enum values in
  all, and a string enum of more than 250 values has at most 15,000 characters.

``strict_errors`` lists what breaks them, worded as OpenAI words its 400 answers
(``In context=('properties', 'task'), ...``).
"""

from __future__ import annotations

import json
import re
from typing import Any

MAX_PROPERTIES = 5000
MAX_DEPTH = 10
MAX_NAME_CHARS = 120_000
MAX_ENUM_VALUES = 1000
LARGE_ENUM = 250
MAX_LARGE_ENUM_CHARS = 15_000

TYPES = ("string", "number", "boolean", "integer", "object", "array", "null")
FORMATS = ("date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid")
_NUMBER = ("multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum")
KEYWORDS_BY_TYPE = {
    "string": ("pattern", "format"),
    "number": _NUMBER,
    "integer": _NUMBER,
    "boolean": (),
    "null": (),
    "object": ("properties", "required", "additionalProperties"),
    "array": ("items", "minItems", "maxItems"),
}
ANY_NODE = ("type", "enum", "const", "anyOf", "title", "description")
ROOT_ONLY = ("$defs", "definitions")
NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

Path = tuple[str, ...]


def strict_errors(schema: Any) -> list[str]:
    """What in ``schema`` breaks OpenAI's strict-mode rules; empty when it would be accepted."""
    if not isinstance(schema, dict):
        return ["schema must be a JSON Schema object"]
    if "anyOf" in schema or schema.get("type") != "object":
        got = "anyOf" if "anyOf" in schema else schema.get("type")
        return [f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{got}\"'."]
    check = _Checker(schema)
    check.node(schema, (), 1)
    for key in ROOT_ONLY:
        defs = schema.get(key, {})
        if not isinstance(defs, dict):
            check.fail((key,), f"'{key}' must be an object of named schemas.")
            continue
        for name, sub in defs.items():
            check.names += len(name)
            check.node(sub, (key, name), 1)
    return check.errors + check.limits()


def response_format_errors(fmt: Any) -> list[str]:
    """The strict-mode errors of a ``response_format`` of type ``json_schema`` (none for other
    types, or when ``strict`` is not true), each prefixed as OpenAI prefixes them."""
    if not isinstance(fmt, dict) or fmt.get("type") != "json_schema":
        return []
    spec = fmt.get("json_schema")
    if not isinstance(spec, dict) or not NAME.match(str(spec.get("name", ""))):
        return ["json_schema.name must be 1-64 characters of a-z, A-Z, 0-9, '_' or '-'."]
    if spec.get("strict") is not True:
        return []
    where = f"Invalid schema for response_format '{spec['name']}': "
    return [where + error for error in strict_errors(spec.get("schema"))]


def openai_refusal(fmt: Any) -> dict | None:
    """The body of the HTTP 400 OpenAI answers a ``response_format`` with, when its strict
    schema breaks the rules; ``None`` when it would be accepted."""
    errors = response_format_errors(fmt)
    if not errors:
        return None
    error = {
        "message": errors[0],
        "type": "invalid_request_error",
        "param": "response_format",
        "code": "invalid_json_schema",
    }
    return {"error": error}


def admits_null(node: dict) -> bool:
    """Whether the schema ``node`` allows ``null`` (as a type, or in an ``anyOf`` branch)."""
    kinds = node.get("type")
    return "null" in (kinds if isinstance(kinds, list) else [kinds]) or any(
        admits_null(branch) for branch in node.get("anyOf", ())
    )


def nulls_filled(text: str, fmt: dict) -> str:
    """A JSON answer with each nullable property it left out set to ``null``: a model held to
    a strict ``json_schema`` writes every property (a test server completes answers so)."""
    schema = (fmt.get("json_schema") or {}).get("schema") or {}
    answer = json.loads(text)
    missing = {
        key: None
        for key, node in schema.get("properties", {}).items()
        if key not in answer and admits_null(node)
    }
    return json.dumps({**answer, **missing}, ensure_ascii=False) if missing else text


class _Checker:
    def __init__(self, root: dict) -> None:
        self.root = root
        self.errors: list[str] = []
        self.properties = 0
        self.depth = 0
        self.names = 0
        self.enum_values = 0

    def fail(self, path: Path, message: str) -> None:
        self.errors.append(f"In context={path!r}, {message}")

    def node(self, schema: Any, path: Path, depth: int) -> None:
        if not isinstance(schema, dict):
            self.fail(path, "schema must be a JSON Schema object.")
            return
        if "$ref" in schema:
            self.ref(schema, path)
            return
        types = self.types(schema, path)
        allowed = set(ANY_NODE).union(*(KEYWORDS_BY_TYPE[t] for t in types))
        if not path:
            allowed.update(ROOT_ONLY)
        for key in schema:
            if key not in allowed:
                self.fail(path, f"'{key}' is not permitted.")
        self.values(schema)
        if "format" in schema and schema["format"] not in FORMATS:
            self.fail(path, f"'format' {schema['format']!r} is not supported.")
        for i, branch in enumerate(schema.get("anyOf") or ()):
            self.node(branch, (*path, "anyOf", str(i)), depth)
        if "object" in types:
            self.object(schema, path, depth)
        if "array" in types:
            if not isinstance(schema.get("items"), dict):
                self.fail(path, "array schema missing items.")
            else:
                self.node(schema["items"], (*path, "items"), depth)

    def types(self, schema: dict, path: Path) -> list[str]:
        kind = schema.get("type")
        if kind is None:
            if not {"anyOf", "enum", "const"} & set(schema):
                self.fail(path, "schema must have a 'type' key.")
            return []
        kinds = kind if isinstance(kind, list) else [kind]
        bad = [k for k in kinds if k not in TYPES]
        if bad or not kinds:
            self.fail(path, f"type {kind!r} is not supported.")
        return [k for k in kinds if k in TYPES]

    def object(self, schema: dict, path: Path, depth: int) -> None:
        self.depth = max(self.depth, depth)
        props = schema.get("properties") or {}
        if schema.get("additionalProperties") is not False:
            self.fail(path, "'additionalProperties' is required to be supplied and to be false.")
        required = schema.get("required")
        missing = [name for name in props if not isinstance(required, list) or name not in required]
        if missing:
            self.fail(
                path,
                "'required' is required to be supplied and to be an array including every key "
                f"in properties. Missing '{missing[0]}'.",
            )
        for extra in [r for r in required or () if r not in props]:
            self.fail(path, f"Extra required key '{extra}' supplied.")
        self.properties += len(props)
        for name, sub in props.items():
            self.names += len(name)
            self.node(sub, (*path, "properties", name), depth + 1)

    def ref(self, schema: dict, path: Path) -> None:
        if len(schema) > 1:
            others = sorted(k for k in schema if k != "$ref")
            self.fail(path, f"$ref cannot have keywords {others}.")
        target: Any = self.root
        ref = str(schema["$ref"])
        parts = ref[2:].split("/") if ref.startswith("#/") else ([] if ref == "#" else None)
        for part in parts or ():
            target = target.get(part) if isinstance(target, dict) else None
        if parts is None or not isinstance(target, dict):
            self.fail(path, f"reference {ref} cannot be resolved.")

    def values(self, schema: dict) -> None:
        if "const" in schema:
            self.names += len(str(schema["const"]))
        enum = schema.get("enum")
        if isinstance(enum, list):
            self.enum_values += len(enum)
            chars = sum(len(str(v)) for v in enum)
            self.names += chars
            strings = all(isinstance(v, str) for v in enum)
            if strings and len(enum) > LARGE_ENUM and chars > MAX_LARGE_ENUM_CHARS:
                self.errors.append(
                    f"An enum of more than {LARGE_ENUM} string values has {chars} characters; "
                    f"at most {MAX_LARGE_ENUM_CHARS} are allowed."
                )

    def limits(self) -> list[str]:
        out = []
        if self.properties > MAX_PROPERTIES:
            out.append(f"{self.properties} object properties; at most {MAX_PROPERTIES}.")
        if self.depth > MAX_DEPTH:
            out.append(f"{self.depth} levels of nesting; at most {MAX_DEPTH}.")
        if self.names > MAX_NAME_CHARS:
            out.append(f"{self.names} characters of names and values; at most {MAX_NAME_CHARS}.")
        if self.enum_values > MAX_ENUM_VALUES:
            out.append(f"{self.enum_values} enum values; at most {MAX_ENUM_VALUES}.")
        return out


def enum_fits(values: list[str]) -> bool:
    """Whether ``values`` fit in one strict schema as a string enum."""
    chars = sum(len(v) for v in values)
    large = len(values) > LARGE_ENUM and chars > MAX_LARGE_ENUM_CHARS
    return len(values) <= MAX_ENUM_VALUES and chars <= MAX_NAME_CHARS and not large
