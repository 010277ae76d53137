"""Read a run stored in the original Generative Agents layout (joonspk-research/generative_agents).

Two layouts are read (``docs/interop.md``):

- a storage folder ``storage/<sim>/``: ``reverie/meta.json``, ``movement/<step>.json`` (every
  persona at every step) and ``personas/<name>/bootstrap_memory/scratch.json``;
- a compressed demo folder ``compressed_storage/<sim>/``: ``meta.json`` and
  ``master_movement.json`` (a persona appears at a step only when something changed), with an
  optional ``personas/`` folder.

The result is every persona's full state at every step; each problem is one
:class:`RingWorldError` naming the file and the field.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from runner.errors import RingWorldError

DATE_FORMAT = "%B %d, %Y"  # "February 13, 2023"
TIME_FORMAT = "%B %d, %Y, %H:%M:%S"  # "February 13, 2023, 00:00:00"
STORE_TIME = "%Y-%m-%d %H:%M:%S"
META_FIELDS = {
    "fork_sim_code": (str, type(None)),
    "start_date": (str,),
    "curr_time": (str,),
    "sec_per_step": (int,),
    "maze_name": (str,),
    "persona_names": (list,),
    "step": (int,),
}
SCRATCH_FIELDS = {
    "first_name": (str,),
    "last_name": (str,),
    "age": (int,),
    "innate": (str,),
    "learned": (str,),
    "currently": (str,),
    "lifestyle": (str,),
    "living_area": (str,),
    "daily_plan_req": (str, type(None)),
}
_TYPE_NAMES = {str: "a string", int: "an integer", list: "a list", dict: "an object"}
_STEP_FILE = re.compile(r"(\d+)\.json")


@dataclass(frozen=True)
class Move:
    """One persona at one step, as the original frontend shows it."""

    x: int
    y: int
    emoji: str
    description: str
    chat: list[list[str]] | None


@dataclass
class OriginalRun:
    """A run in the original layout, expanded to every persona at every step."""

    path: Path
    layout: str  # "storage" or "demo"
    meta: dict
    personas: list[str]
    scratch: dict[str, dict | None]  # None where a demo has no personas/ folder
    times: list[str]  # game time of each step, "YYYY-MM-DD HH:MM:SS"
    steps: list[dict[str, Move]]


def read_original_run(path: Path) -> OriginalRun:
    """Read a storage folder or a compressed demo folder, whichever ``path`` is."""
    path = Path(path)
    if (path / "reverie" / "meta.json").is_file():
        return _read_storage(path)
    if (path / "master_movement.json").is_file():
        return _read_demo(path)
    raise RingWorldError(
        f"{path}: not a run in the original layout: expected reverie/meta.json (a storage"
        " folder) or master_movement.json (a compressed demo folder)"
    )


def parse_time(text: str, fmt: str, where: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text, fmt)
    except ValueError:
        example = dt.datetime(2023, 2, 13).strftime(fmt)
        raise RingWorldError(f"{where} must be a time like '{example}', got {text!r:.40}") from None


def _read_storage(path: Path) -> OriginalRun:
    meta, personas = _read_meta(path / "reverie" / "meta.json")
    steps, times = [], []
    for file in _movement_files(path / "movement"):
        data = _object(_load_json(file), str(file), "the file")
        moves = _object(data.get("persona"), str(file), "persona")
        for name in personas:
            if name not in moves:
                raise RingWorldError(f"{file}: key 'persona' lacks persona '{name}' of meta.json")
        steps.append(_moves(moves, personas, file, "persona"))
        clock = _object(data.get("meta"), str(file), "meta")
        curr = _field(clock, "curr_time", (str,), f"{file}: key 'meta.")
        times.append(parse_time(curr, TIME_FORMAT, f"{file}: key 'meta.curr_time'"))
    scratch = {name: _read_scratch(path, name, required=True) for name in personas}
    return OriginalRun(path, "storage", meta, personas, scratch, _labels(times), steps)


def _read_demo(path: Path) -> OriginalRun:
    meta, personas = _read_meta(path / "meta.json")
    file = path / "master_movement.json"
    master = _object(_load_json(file), str(file), "the file")
    last: dict[str, Move] = {}
    steps = []
    for step in range(len(master)):
        if str(step) not in master:
            bad = next(k for k in master if not k.isdigit() or int(k) >= len(master))
            raise RingWorldError(
                f"{file}: key {bad!r} is not a step of 0..{len(master) - 1}, or step {step}"
                ' is missing (keys must be the step numbers "0", "1", …)'
            )
        changed = _object(master[str(step)], str(file), str(step))
        last = {**last, **_moves(changed, personas, file, str(step))}
        if step == 0 and len(last) < len(personas):
            lacking = next(p for p in personas if p not in last)
            raise RingWorldError(
                f"{file}: key '0' lacks persona '{lacking}'; every persona of meta.json must"
                " appear at step 0"
            )
        steps.append(last)
    start = parse_time(meta["start_date"], DATE_FORMAT, f"{path / 'meta.json'}: key 'start_date'")
    second = dt.timedelta(seconds=meta["sec_per_step"])
    times = [start + second * step for step in range(len(steps))]
    scratch = {name: _read_scratch(path, name, required=False) for name in personas}
    return OriginalRun(path, "demo", meta, personas, scratch, _labels(times), steps)


def _labels(times: list[dt.datetime]) -> list[str]:
    return [t.strftime(STORE_TIME) for t in times]


def _load_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise RingWorldError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise RingWorldError(f"{path}: not valid JSON ({exc})") from None


def _object(value: Any, source: str, key: str) -> dict:
    if not isinstance(value, dict):
        where = "the file" if key == "the file" else f"key '{key}'"
        raise RingWorldError(f"{source}: {where} must be a JSON object, got {_kind(value)}")
    return value


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


def _field(data: dict, key: str, kinds: tuple, prefix: str) -> Any:
    """``data[key]`` checked against ``kinds``; ``prefix`` is ``"<file>: key '<path>."``."""
    if key not in data:
        raise RingWorldError(f"{prefix}{key}' is missing")
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, kinds):
        want = " or ".join(_TYPE_NAMES.get(k, "null") for k in kinds)
        raise RingWorldError(f"{prefix}{key}' must be {want}, got {value!r:.40}")
    return value


def _read_meta(file: Path) -> tuple[dict, list[str]]:
    meta = _object(_load_json(file), str(file), "the file")
    for key, kinds in META_FIELDS.items():
        _field(meta, key, kinds, f"{file}: key '")
    names = meta["persona_names"]
    if not names or not all(isinstance(n, str) and n for n in names):
        raise RingWorldError(f"{file}: key 'persona_names' must be a non-empty list of names")
    if len(set(names)) != len(names):
        raise RingWorldError(f"{file}: key 'persona_names' names a persona twice")
    if meta["sec_per_step"] <= 0:
        raise RingWorldError(f"{file}: key 'sec_per_step' must be positive")
    parse_time(meta["start_date"], DATE_FORMAT, f"{file}: key 'start_date'")
    parse_time(meta["curr_time"], TIME_FORMAT, f"{file}: key 'curr_time'")
    return meta, names


def _movement_files(folder: Path) -> list[Path]:
    """``movement/0.json`` … ``movement/<n-1>.json``, without a gap."""
    if not folder.is_dir():
        raise RingWorldError(f"{folder}: missing; a storage folder keeps its steps there")
    found = {}
    for file in folder.iterdir():
        match = _STEP_FILE.fullmatch(file.name)
        if match:
            found[int(match.group(1))] = file
    if not found:
        raise RingWorldError(f"{folder}: no step files (0.json, 1.json, …) to import")
    for step in range(len(found)):
        if step not in found:
            raise RingWorldError(
                f"{folder / f'{step}.json'}: missing, though steps up to {max(found)} exist"
            )
    return [found[step] for step in range(len(found))]


def _moves(data: dict, personas: list[str], file: Path, key: str) -> dict[str, Move]:
    """Validate one step's ``{persona: {movement, pronunciatio, description, chat}}``."""
    moves = {}
    for name, entry in data.items():
        where = f"{key}.{name}"
        if name not in personas:
            raise RingWorldError(
                f"{file}: key '{where}': persona '{name}' is not in meta.json persona_names"
            )
        entry = _object(entry, str(file), where)
        prefix = f"{file}: key '{where}."
        pos = _field(entry, "movement", (list,), prefix)
        if len(pos) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in pos):
            raise RingWorldError(f"{prefix}movement' must be [x, y], two integers, got {pos!r:.40}")
        emoji = _field(entry, "pronunciatio", (str,), prefix)
        description = _field(entry, "description", (str,), prefix)
        chat = _field(entry, "chat", (list, type(None)), prefix)
        if chat is not None and not all(
            isinstance(line, list) and len(line) == 2 and all(isinstance(s, str) for s in line)
            for line in chat
        ):
            raise RingWorldError(f"{prefix}chat' must be null or a list of [speaker, line] pairs")
        moves[name] = Move(pos[0], pos[1], emoji, description, chat)
    return moves


def _read_scratch(path: Path, name: str, required: bool) -> dict | None:
    file = path / "personas" / name / "bootstrap_memory" / "scratch.json"
    if not required and not file.is_file():
        return None
    scratch = _object(_load_json(file), str(file), "the file")
    for key, kinds in SCRATCH_FIELDS.items():
        _field(scratch, key, kinds, f"{file}: key '")
    return scratch
