"""Scenario files: load, validate against the models of :mod:`runner.config`, resolve paths.

Every problem is a :class:`RingWorldError` of one line naming the file, the key and what was
expected. See ``docs/scenario-format.md``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from .config import Scenario, run_key, scenario_hash
from .errors import RingWorldError
from .simname import check_sim_name
from .yamlfile import parse_yaml

__all__ = [
    "Scenario",
    "load_scenario",
    "parse_scenario",
    "read_sim_scenario",
    "resolved_yaml",
    "run_key",
    "scenario_hash",
]

_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    float: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a mapping",
    type(None): "empty",
}


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds, itself or as list items."""
    for candidate in (annotation, *get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def _expected(annotation: Any) -> str:
    """'an integer', 'a string or empty' … from a field's type."""
    args = get_args(annotation)
    if get_origin(annotation) is Annotated:  # StrictInt and the like: the type, not the marks
        return _expected(args[0])
    if args and get_origin(annotation) is not list:
        return " or ".join(dict.fromkeys(_expected(a) for a in args))
    base = get_origin(annotation) or annotation
    if isinstance(base, type) and issubclass(base, BaseModel):
        return "a mapping"
    return _TYPE_NAMES.get(base, getattr(base, "__name__", str(base)))


def _where(loc: tuple) -> tuple[str, Any]:
    """(dotted key, its field) for an error's location."""
    model: type[BaseModel] | None = Scenario
    path, info = "", None
    for item in loc:
        if isinstance(item, int):
            path += f"[{item}]"
            continue
        if model is None or item not in model.model_fields:
            break  # a union member's tag, or an unknown key
        info = model.model_fields[item]
        path = f"{path}.{item}" if path else item
        model = _model_of(info.annotation)
    return path, info


def format_error(error: dict, source: str) -> str:
    """One line for one pydantic error, in the words of ``docs/scenario-format.md``."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    if kind == "extra_forbidden":
        path, inside = _where(loc[:-1])
        model = _model_of(inside.annotation) if inside is not None else Scenario
        key = f"{path}.{loc[-1]}" if path else str(loc[-1])
        return f"{source}: unknown key '{key}' (known keys: {', '.join(model.model_fields)})"
    path, info = _where(loc)
    if kind == "missing":
        return f"{source}: missing required key '{path}'"
    if kind == "value_error" and str(error["ctx"]["error"]).startswith("key "):
        return f"{source}: {error['ctx']['error']}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"{source}: {f'key {path!r}' if path else 'the file'} must be a mapping of keys"
    expected = _expected(info.annotation) if info is not None else "valid"
    if kind.endswith("_type"):  # a value of the wrong type: say what came
        got = f"{type(value).__name__} {value!r:.40}"
        return f"{source}: key '{path}' must be {expected}, got {got}".replace("\n", " ")
    must = ((info.json_schema_extra or {}) if info is not None else {}).get("must")
    return f"{source}: key '{path}' must {must or 'be ' + expected}"


def _resolve_path(base: Path, value: str | None) -> str | None:
    if value is None:
        return None
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def parse_scenario(data: Any, source: str, base_dir: Path) -> Scenario:
    """Validate already-parsed YAML data; relative paths resolve against ``base_dir``."""
    try:
        sc = Scenario.model_validate(data)
    except ValidationError as exc:
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise RingWorldError(format_error(errors[0], source)) from None
    sc.map = _resolve_path(base_dir, sc.map)
    sc.history = _resolve_path(base_dir, sc.history)
    if not Path(sc.map).exists():
        raise RingWorldError(f"{source}: key 'map': no such file or folder {sc.map}")
    if sc.history and not Path(sc.history).is_file():
        raise RingWorldError(f"{source}: key 'history': no such file {sc.history}")
    return sc


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario YAML file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the scenario ({exc.strerror})") from None
    sc = parse_scenario(parse_yaml(text, str(path)), str(path), path.parent)
    if sc.name is not None:  # it names the sim's folder (sims stored before are not checked)
        check_sim_name(sc.name, f"{path}: key 'name'")
    else:
        sc.name = path.stem
    return sc


def read_sim_scenario(sim_dir: Path) -> Scenario:
    """The resolved scenario a sim folder was run with (its ``scenario.yaml``)."""
    path = Path(sim_dir) / "scenario.yaml"
    if not (Path(sim_dir) / "sim.sqlite").is_file() or not path.is_file():
        raise RingWorldError(f"{sim_dir}: not a sim folder (no sim.sqlite and scenario.yaml)")
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read the scenario ({exc.strerror})") from None
    return parse_scenario(parse_yaml(text, str(path)), str(path), Path(sim_dir))


def resolved_yaml(sc: Scenario) -> str:
    """The resolved scenario as YAML. It holds no secret: keys live in environment variables
    that ``api_key_env`` names, and the model has no field for a key."""
    return yaml.safe_dump(sc.model_dump(mode="json"), allow_unicode=True, sort_keys=False)
