"""Scenario files: load, validate against one schema, resolve defaults and paths.

Every problem is a :class:`RingWorldError` naming the file, the key and what was expected.
See ``docs/scenario-format.md``.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import yaml

from .errors import RingWorldError

# A schema node is a type tuple, or a dict of key -> (schema, required, default).
_STR = (str,)
_INT = (int,)
_NUM = (int, float)
_OPT_STR = (str, type(None))
_OPT_NUM = (int, float, type(None))

LLM_SCHEMA = {
    "backend": (_STR, False, "offline"),
    "model": (_OPT_STR, False, None),
    "base_url": ((str, list, type(None)), False, None),
    "api_key_env": (_OPT_STR, False, None),
    "temperature": (_NUM, False, 0.7),
    "max_concurrency": (_INT, False, 16),
    "timeout": (_NUM, False, 120),
    "allow_download": ((bool,), False, False),
    "structured": (_STR, False, "json_schema"),
    "price_per_1k": ({"prompt": (_NUM, False, 0.0), "completion": (_NUM, False, 0.0)}, False, {}),
    "max_cost": (_OPT_NUM, False, None),
    "max_calls": ((int, type(None)), False, None),
    "max_tokens": ((int, type(None)), False, None),
}

AGENT_SCHEMA = {
    "name": (_STR, True, None),
    "name_en": (_OPT_STR, False, None),
    "age": (_INT, True, None),
    "innate": (_STR, True, None),
    "learned": (_STR, True, None),
    "currently": (_STR, True, None),
    "lifestyle": (_STR, True, None),
    "living_area": (_STR, True, None),
    "daily_requirement": (_OPT_STR, False, None),
    "start_tile": ((list, type(None)), False, None),
}

MIND_SCHEMA = {
    "reflection_threshold": (_INT, False, 150),
    "top_k": (_INT, False, 10),
    "attention_bandwidth": (_INT, False, 3),
    "retention_minutes": (_INT, False, 30),
    "recency_weight": (_NUM, False, 1.0),
    "importance_weight": (_NUM, False, 1.0),
    "relevance_weight": (_NUM, False, 1.0),
    "recency_decay": (_NUM, False, 0.995),
}

SCENARIO_SCHEMA = {
    "name": (_OPT_STR, False, None),
    "description": (_OPT_STR, False, None),
    "map": (_STR, True, None),
    "language": (_STR, False, "zh"),
    "style": (_OPT_STR, False, None),
    "start": ((str, dt.datetime, dt.date), False, "2023-02-13 00:00:00"),
    "sec_per_step": (_INT, False, 10),
    "steps": (_INT, False, 8640),
    "seed": (_INT, False, 0),
    "vision_radius": (_INT, False, 4),
    "llm": (LLM_SCHEMA, False, {}),
    "embedding": (
        {
            "model": (_OPT_STR, False, None),
            "base_url": (_OPT_STR, False, None),
            "api_key_env": (_OPT_STR, False, None),
        },
        False,
        {},
    ),
    "history": (_OPT_STR, False, None),
    "mind": (MIND_SCHEMA, False, {}),
    "agents": ("agents", True, None),
}

_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
    dt.datetime: "a date-time",
    dt.date: "a date",
}


def _expected(types: tuple) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t.__name__) for t in types)


def _check(source: str, where: str, schema: dict, data: Any) -> dict:
    """Validate one mapping against ``schema`` and fill defaults; return a new dict."""
    if not isinstance(data, dict):
        raise RingWorldError(f"{source}: {where or 'the file'} must be a mapping of keys")
    for key in data:
        if key not in schema:
            known = ", ".join(schema)
            raise RingWorldError(f"{source}: unknown key '{where}{key}' (known keys: {known})")
    out = {}
    for key, (kind, required, default) in schema.items():
        path = f"{where}{key}"
        if key not in data:
            if required:
                raise RingWorldError(f"{source}: missing required key '{path}'")
            out[key] = _check(source, path + ".", kind, {}) if isinstance(kind, dict) else default
            continue
        value = data[key]
        if isinstance(kind, dict):
            out[key] = _check(source, path + ".", kind, value if value is not None else {})
        elif kind == "agents":
            out[key] = _check_agents(source, value)
        else:
            # bool is an int in Python, but never a valid count or name here.
            if (isinstance(value, bool) and bool not in kind) or not isinstance(value, kind):
                got = type(value).__name__
                raise RingWorldError(
                    f"{source}: key '{path}' must be {_expected(kind)}, got {got} {value!r:.40}"
                )
            out[key] = value
    return out


def _check_agents(source: str, value: Any) -> list[dict]:
    if not isinstance(value, list) or not value:
        raise RingWorldError(f"{source}: key 'agents' must be a non-empty list of agents")
    agents = [_check(source, f"agents[{i}].", AGENT_SCHEMA, a) for i, a in enumerate(value)]
    names = [a["name"] for a in agents]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise RingWorldError(f"{source}: key 'agents[{i}].name': '{name}' appears twice")
        tile = agents[i]["start_tile"]
        if tile is not None and (
            len(tile) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in tile)
        ):
            raise RingWorldError(
                f"{source}: key 'agents[{i}].start_tile' must be a list [x, y] of two integers"
            )
    return agents


def _check_values(source: str, sc: dict) -> None:
    if sc["language"] not in ("zh", "en"):
        raise RingWorldError(f"{source}: key 'language' must be 'zh' or 'en'")
    for key in ("sec_per_step", "steps", "vision_radius"):
        if sc[key] <= 0:
            raise RingWorldError(f"{source}: key '{key}' must be a positive integer")
    if sc["llm"]["max_concurrency"] <= 0:
        raise RingWorldError(f"{source}: key 'llm.max_concurrency' must be a positive integer")
    if sc["llm"]["structured"] not in ("json_schema", "json_object", "none"):
        raise RingWorldError(
            f"{source}: key 'llm.structured' must be json_schema, json_object or none"
        )
    urls = sc["llm"]["base_url"]
    if isinstance(urls, list) and (not urls or not all(isinstance(u, str) for u in urls)):
        raise RingWorldError(f"{source}: key 'llm.base_url' must be a URL or a list of URLs")
    if sc["llm"]["timeout"] <= 0:
        raise RingWorldError(f"{source}: key 'llm.timeout' must be a positive number of seconds")
    start = sc["start"]
    if isinstance(start, dt.date) and not isinstance(start, dt.datetime):
        start = dt.datetime.combine(start, dt.time())
    if isinstance(start, str):
        try:
            start = dt.datetime.fromisoformat(start)
        except ValueError:
            raise RingWorldError(
                f"{source}: key 'start' must be a date-time like '2023-02-13 00:00:00'"
            ) from None
    sc["start"] = start.strftime("%Y-%m-%d %H:%M:%S")


def _resolve_path(base: Path, value: str | None) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def parse_scenario(data: Any, source: str, base_dir: Path) -> dict:
    """Validate already-parsed YAML data; relative paths resolve against ``base_dir``."""
    sc = _check(source, "", SCENARIO_SCHEMA, data)
    _check_values(source, sc)
    sc["map"] = _resolve_path(base_dir, sc["map"])
    sc["history"] = _resolve_path(base_dir, sc["history"])
    if not Path(sc["map"]).exists():
        raise RingWorldError(f"{source}: key 'map': no such file or folder {sc['map']}")
    if sc["history"] and not Path(sc["history"]).is_file():
        raise RingWorldError(f"{source}: key 'history': no such file {sc['history']}")
    return sc


def load_scenario(path: str | Path) -> dict:
    """Read and validate a scenario YAML file into a resolved dict."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the scenario ({exc.strerror})") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise RingWorldError(f"{path}: YAML syntax error{where}: {problem}") from None
    sc = parse_scenario(data, str(path), path.parent)
    if sc["name"] is None:
        sc["name"] = path.stem
    return sc


def read_sim_scenario(sim_dir: Path) -> dict:
    """The resolved scenario a sim folder was run with (its ``scenario.yaml``)."""
    path = Path(sim_dir) / "scenario.yaml"
    if not (Path(sim_dir) / "sim.sqlite").is_file() or not path.is_file():
        raise RingWorldError(f"{sim_dir}: not a sim folder (no sim.sqlite and scenario.yaml)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise RingWorldError(f"{path}: YAML syntax error") from None
    return parse_scenario(data, str(path), Path(sim_dir))


def scenario_hash(sc: dict) -> str:
    """A stable hash of what changes a run (the resolved scenario)."""
    blob = json.dumps(sc, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def resolved_yaml(sc: dict) -> str:
    """The resolved scenario as YAML, with nothing secret in it (keys live in env vars)."""
    clean = copy.deepcopy(sc)
    clean["llm"].pop("api_key", None)
    return yaml.safe_dump(clean, allow_unicode=True, sort_keys=False)
