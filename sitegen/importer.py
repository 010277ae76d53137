"""``rw-site import``: turn a run in the original Generative Agents layout into a RingWorld sim.

The sim is written through :class:`runner.store.SimStore` exactly as the runner writes one (one
transaction per step), so ``rw-site build`` replays it like any other. What is kept and what is
dropped is described in ``docs/interop.md``. Frame encoding of the original fields:

- ``description`` "sleeping @ the Ville:…:bed" → ``action`` "sleeping" and ``address``
  "the Ville:…:bed" (split at the last " @ "; without one, all of it is the action and the
  address is empty), so ``f"{action} @ {address}"`` (or ``action`` alone) gives it back;
- ``chat`` → the JSON text of its ``[[speaker, line], …]`` list, or NULL for null;
- each distinct chat is also stored once in ``conversations``, over the steps it is shown
  (the runner's own ``chat`` column holds the one line said at a step; an original step has
  no such line, only the whole conversation, which is what the JSON keeps).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from runner.errors import RingWorldError
from runner.scenario import Scenario, parse_scenario, resolved_yaml, run_key
from runner.store import SimStore, sim_folder_in
from runner.world.loader import load_map
from runner.world.townmap import TownMap

from .original_layout import Move, OriginalRun, read_original_run

SEPARATOR = " @ "


def import_run(
    path: Path, out_root: Path, sim: str | None = None, map_dir: Path | None = None
) -> Path:
    """Import the storage or compressed demo folder ``path`` as ``out_root/<sim>``.

    ``map_dir`` is the run's matrix map folder; without it, the map is looked up where the
    original repository keeps it. Returns the new sim folder.
    """
    path = Path(path).resolve()
    run = read_original_run(path)
    map_dir = find_map(run, map_dir)
    town = load_map(map_dir, "en")
    _check_positions(run, town)
    name = sim or path.name
    folder = sim_folder_in(out_root, name, "--sim" if sim else f"{path}: its name").path
    if folder.exists() and any(folder.iterdir()):
        raise RingWorldError(f"{folder}: already exists; pick another --sim name or remove it")
    building = folder.with_name(f".{name}.importing")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    try:
        scenario = build_scenario(run, map_dir, town, name, building / "scenario.yaml")
        _write_store(run, town, scenario, building / "sim.sqlite")
        (building / "scenario.yaml").write_text(resolved_yaml(scenario), encoding="utf-8")
        os.replace(building, folder)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return folder


def find_map(run: OriginalRun, map_dir: Path | None) -> Path:
    """The matrix folder: ``map_dir``, else ``static_dirs/assets/<maze_name>/matrix`` beside
    the ``storage/`` or ``compressed_storage/`` folder holding the run."""
    maze = run.meta["maze_name"]
    if map_dir is not None:
        map_dir = Path(map_dir).resolve()
        if not (map_dir / "maze_meta_info.json").is_file():
            raise RingWorldError(
                f"{map_dir}: not a matrix map folder (no maze_meta_info.json); pass the"
                f" '{maze}/matrix' folder of the original repository"
            )
        return map_dir
    guess = run.path.parent.parent / "static_dirs" / "assets" / maze / "matrix"
    if run.path.parent.name in ("storage", "compressed_storage") and guess.is_dir():
        return guess
    raise RingWorldError(
        f"{run.path}: cannot find the map '{maze}' (looked in {guess}); pass --map with the"
        f" path of environment/frontend_server/static_dirs/assets/{maze}/matrix"
    )


def build_scenario(
    run: OriginalRun, map_dir: Path, town: TownMap, name: str, source: Path
) -> Scenario:
    """The resolved scenario of the imported run (validated like any scenario file)."""
    data = {
        "name": name,
        "description": f"Imported from {run.path} (original Generative Agents {run.layout}"
        " folder); a replay only, not a run to resume.",
        "map": str(map_dir),
        "language": "en",
        "start": run.times[0],
        "sec_per_step": run.meta["sec_per_step"],
        "steps": len(run.steps),
        "llm": {"backend": "imported"},  # so that `rw-batch resume` refuses it clearly
        "agents": [_agent(run, persona, town) for persona in run.personas],
    }
    return parse_scenario(data, str(source), source.parent)


def _agent(run: OriginalRun, persona: str, town: TownMap) -> dict:
    """A scenario agent from scratch.json (empty fields where a demo has none)."""
    scratch = run.scratch[persona] or {}
    living = scratch.get("living_area", "")
    if living.startswith(town.world + ":"):
        living = living[len(town.world) + 1 :]
    first = run.steps[0][persona]
    return {
        "name": persona,
        "age": scratch.get("age", 0),
        "innate": scratch.get("innate", ""),
        "learned": scratch.get("learned", ""),
        "currently": scratch.get("currently", ""),
        "lifestyle": scratch.get("lifestyle", ""),
        "living_area": living,
        "daily_requirement": scratch.get("daily_plan_req"),
        "start_tile": [first.x, first.y],
    }


def _check_positions(run: OriginalRun, town: TownMap) -> None:
    for step, moves in enumerate(run.steps):
        for persona, move in moves.items():
            if not town.in_bounds((move.x, move.y)):
                raise RingWorldError(
                    f"{run.path}: step {step}: key 'movement' of persona '{persona}' is"
                    f" ({move.x}, {move.y}), outside the {town.width}×{town.height} map"
                )


def split_description(description: str) -> tuple[str, str]:
    """``(action, address)`` of an original description; see the module docstring."""
    action, sep, address = description.rpartition(SEPARATOR)
    return (action, address) if sep and address else (description, "")


def join_description(action: str, address: str) -> str:
    """The original description back from a frame's ``action`` and ``address``."""
    return f"{action}{SEPARATOR}{address}" if address else action


def encode_chat(chat: list[list[str]] | None) -> str | None:
    return None if chat is None else json.dumps(chat, ensure_ascii=False)


def _frame(step: int, agent: int, move: Move) -> tuple:
    action, address = split_description(move.description)
    return (step, agent, move.x, move.y, action, move.emoji, address, encode_chat(move.chat))


def _write_store(run: OriginalRun, town: TownMap, scenario: Scenario, db_path: Path) -> None:
    store = SimStore(db_path)
    try:
        store.init_run(
            run_key(scenario),
            scenario.personas(),
            name=scenario.name,
            start_time=scenario.start,
            sec_per_step=scenario.sec_per_step,
            language="en",
            target_steps=len(run.steps),
            backend="imported",
            game_time=run.times[0],
            imported_from=str(run.path),
        )
        talks = _Conversations(run.personas, town)
        for step, moves in enumerate(run.steps):
            frames = [_frame(step, i, moves[p]) for i, p in enumerate(run.personas)]
            with store.transaction() as db:
                store.write_step(db, step, run.times[step], 0.0, frames, states=[])
                done = talks.advance(step, moves, last=step == len(run.steps) - 1)
                for talk in done:
                    store.add_conversation(db, *talk)
    finally:
        store.close()


class _Conversations:
    """Each distinct chat shown over consecutive steps becomes one conversation.

    A conversation is stored once it has ended, over steps ``step_start`` to ``step_end``
    (exclusive, as in ``docs/sim-store.md``); its agents are those who show it and those who
    speak in it, its place the map address of the first agent's tile when it starts.
    """

    def __init__(self, personas: list[str], town: TownMap):
        self.index = {name: i for i, name in enumerate(personas)}
        self.town = town
        self.open: dict[str, dict] = {}

    def advance(self, step: int, moves: dict[str, Move], last: bool) -> list[tuple]:
        for persona, move in moves.items():
            if move.chat is None:
                continue
            key = encode_chat(move.chat)
            talk = self.open.get(key)
            if talk is None:
                place = self.town.address_at((move.x, move.y))
                talk = self.open[key] = {"start": step, "agents": set(), "place": place}
                talk["agents"] |= {self.index[s] for s, _ in move.chat if s in self.index}
                talk["lines"] = move.chat
            talk["agents"].add(self.index[persona])
            talk["end"] = step
        finished = [k for k, t in self.open.items() if last or t["end"] < step]
        return [self._record(self.open.pop(k)) for k in finished]

    @staticmethod
    def _record(talk: dict) -> tuple:
        agents = sorted(talk["agents"])
        return (talk["start"], talk["end"] + 1, agents[0], agents[-1], talk["place"], talk["lines"])
