"""The runner as a library: run, resume and report on sims. The CLI is a thin layer over this.

A sim is a folder (``output/<name>/``) holding ``sim.sqlite`` and ``scenario.yaml``; see
``docs/sim-store.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .engine import Engine
from .errors import RingWorldError
from .llm.registry import describe_backend, make_backend
from .scenario import load_scenario, parse_scenario, resolved_yaml, scenario_hash
from .store import SimLock, SimStore
from .world.loader import load_map
from .world.townmap import Tile, TownMap

DEFAULT_ROOT = Path("output")


def resolve_sim(sim: str | Path, out_root: Path = DEFAULT_ROOT) -> Path:
    """A sim name under ``out_root``, or a path to a sim folder."""
    path = Path(sim)
    if path.is_dir() and (path / "sim.sqlite").exists():
        return path
    return out_root / str(sim)


def spawn_tiles(scenario: dict, tile_map: TownMap, source: str) -> list[Tile]:
    """Where each agent starts; a clear error for a home or start tile that does not work."""
    tiles = []
    for i, agent in enumerate(scenario["agents"]):
        area = agent["living_area"]
        if not tile_map.has(area):
            raise RingWorldError(
                f"{source}: key 'agents[{i}].living_area': '{area}' is not a place on the map"
            )
        if agent["start_tile"] is not None:
            tile = tuple(agent["start_tile"])
            if not tile_map.walkable(tile):
                raise RingWorldError(
                    f"{source}: key 'agents[{i}].start_tile': {list(tile)} is a wall, water or "
                    "outside the map"
                )
        else:
            tile = tile_map.spawns.get(area) or _home_tile(tile_map, area)
        tiles.append(tile)
    return tiles


def _home_tile(tile_map: TownMap, area: str) -> Tile:
    free = [t for t in tile_map.tiles_of(area) if tile_map.walkable(t)]
    return min(free, key=lambda t: (t[1], t[0])) if free else tile_map.tiles_of(area)[0]


def _run_key(scenario: dict) -> str:
    """The scenario hash without the step target (running further is the same run)."""
    return scenario_hash({k: v for k, v in scenario.items() if k != "steps"})


@dataclass
class RunResult:
    sim_dir: Path
    steps_done: int
    target: int
    stopped: bool


def run_scenario(
    scenario_path: str | Path,
    sim: str | None = None,
    steps: int | None = None,
    out_root: Path = DEFAULT_ROOT,
    llm: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> RunResult:
    """Start a sim from a scenario file, or continue it if the same run already exists."""
    scenario = load_scenario(scenario_path)
    if llm is not None:
        scenario["llm"]["backend"] = llm
    if steps is not None:
        scenario["steps"] = steps
    sim_dir = Path(out_root) / (sim or scenario["name"])
    tile_map = load_map(scenario["map"], scenario["language"])
    spawns = spawn_tiles(scenario, tile_map, str(scenario_path))
    backend = make_backend(scenario)
    if (sim_dir / "sim.sqlite").exists():
        existing = SimStore(sim_dir / "sim.sqlite", readonly=True)
        same = existing.get_meta().get("scenario_hash") == _run_key(scenario)
        existing.close()
        if not same:
            raise RingWorldError(
                f"{sim_dir}: holds a run of a different scenario; choose another --sim NAME, "
                f"or continue it with 'rw-batch resume {sim_dir}'"
            )
    sim_dir.mkdir(parents=True, exist_ok=True)
    return _execute(sim_dir, scenario, tile_map, spawns, backend, workers, progress)


def resume_sim(
    sim_dir: Path, steps: int | None = None, workers: int | None = None, progress: bool = False
) -> RunResult:
    """Continue a stored sim to ``steps`` (default: the target it was started with)."""
    scenario = read_sim_scenario(sim_dir)
    store = SimStore(sim_dir / "sim.sqlite", readonly=True)
    meta = store.get_meta()
    store.close()
    if meta.get("backend") == "imported":
        raise RingWorldError(
            f"{sim_dir}: this sim was imported from the original layout; it can be replayed "
            "('rw-site build') but not resumed"
        )
    target = int(meta.get("target_steps", scenario["steps"]))
    scenario["steps"] = steps if steps is not None else target
    tile_map = load_map(scenario["map"], scenario["language"])
    spawns = spawn_tiles(scenario, tile_map, str(sim_dir / "scenario.yaml"))
    return _execute(sim_dir, scenario, tile_map, spawns, make_backend(scenario), workers, progress)


def read_sim_scenario(sim_dir: Path) -> dict:
    path = sim_dir / "scenario.yaml"
    if not (sim_dir / "sim.sqlite").is_file() or not path.is_file():
        raise RingWorldError(f"{sim_dir}: not a sim folder (no sim.sqlite and scenario.yaml)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise RingWorldError(f"{path}: YAML syntax error") from None
    return parse_scenario(data, str(path), sim_dir)


def _execute(sim_dir, scenario, tile_map, spawns, backend, workers, progress) -> RunResult:
    lock = SimLock(sim_dir)
    lock.acquire()
    try:
        store = SimStore(sim_dir / "sim.sqlite")
        if not store.get_meta():
            store.init_run(
                _run_key(scenario),
                scenario["agents"],
                start_time=scenario["start"],
                sec_per_step=scenario["sec_per_step"],
                language=scenario["language"],
                name=sim_dir.name,
                backend=scenario["llm"]["backend"],
                target_steps=scenario["steps"],
            )
            (sim_dir / "scenario.yaml").write_text(resolved_yaml(scenario), encoding="utf-8")
        with store.transaction() as db:
            store.set_meta(db, target_steps=scenario["steps"])
        if workers is None:
            workers = scenario["llm"]["max_concurrency"] if backend.is_llm else 1
        engine = Engine(scenario, tile_map, spawns, store, backend, workers)
        done, stopped = engine.run(scenario["steps"], progress=progress)
        store.close()
    finally:
        lock.release()
    return RunResult(sim_dir, done, scenario["steps"], stopped)


def sim_status(sim_dir: Path) -> dict:
    """Steps, game time, calls, tokens, fail-safes and conversations of one sim."""
    if not (sim_dir / "sim.sqlite").is_file():
        raise RingWorldError(f"{sim_dir}: no sim here (no sim.sqlite)")
    store = SimStore(sim_dir / "sim.sqlite", readonly=True)
    try:
        meta = store.get_meta()
        info = {
            "sim": str(sim_dir),
            "steps_done": int(meta.get("steps_done", 0)),
            "target_steps": int(meta.get("target_steps", 0)),
            "game_time": meta.get("game_time", meta.get("start_time", "")),
            "backend": describe_backend(meta.get("backend", "?")),
            "agents": len(store.agents()),
            "conversations": store.conversation_count(),
            **store.call_summary(),
        }
    finally:
        store.close()
    return info


def list_sims(out_root: Path = DEFAULT_ROOT) -> list[Path]:
    if not out_root.is_dir():
        return []
    return sorted(p for p in out_root.iterdir() if (p / "sim.sqlite").is_file())


def running_pid(sim_dir: Path) -> str | None:
    """The pid of the process running this sim, or None when none is."""
    return SimLock(sim_dir).holder()
