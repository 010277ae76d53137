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
from .llm.registry import describe_backend
from .llm.stack import build_stack, make_endpoints, spent_summary
from .scenario import load_scenario, parse_scenario, resolved_yaml, scenario_hash
from .store import SimLock, SimStore
from .world.loader import load_map
from .world.townmap import Tile, TownMap

DEFAULT_ROOT = Path("output")
# llm keys that do not change what is asked: a new value continues the same run
RUN_NEUTRAL_LLM_KEYS = ("max_cost", "max_calls", "max_tokens", "max_concurrency", "timeout")


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
    """The scenario hash without the step target (running further is the same run), budgets
    and other LLM keys that change how fast or how far, not what is asked."""
    llm = {k: v for k, v in scenario["llm"].items() if k not in RUN_NEUTRAL_LLM_KEYS}
    return scenario_hash({**{k: v for k, v in scenario.items() if k != "steps"}, "llm": llm})


@dataclass
class RunResult:
    sim_dir: Path
    steps_done: int
    target: int
    stopped: bool
    reason: str | None = None  # why it stopped early when not Ctrl-C (a budget reached)


def run_scenario(
    scenario_path: str | Path,
    sim: str | None = None,
    steps: int | None = None,
    out_root: Path = DEFAULT_ROOT,
    llm: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    use_cache: bool = True,
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
    backend = make_endpoints(scenario)
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
    return _execute(sim_dir, scenario, tile_map, spawns, backend, workers, progress, use_cache)


def resume_sim(
    sim_dir: Path,
    steps: int | None = None,
    workers: int | None = None,
    progress: bool = False,
    use_cache: bool = True,
    budget: dict | None = None,
) -> RunResult:
    """Continue a stored sim to ``steps`` (default: the target it was started with).

    ``budget`` ({max_cost, max_calls, max_tokens}) raises the run's budgets; the sim's
    ``scenario.yaml`` keeps the new values."""
    scenario = read_sim_scenario(sim_dir)
    budget = {k: v for k, v in (budget or {}).items() if v is not None}
    if budget:
        scenario["llm"].update(budget)
        if running_pid(sim_dir) is None:  # else _execute refuses: leave the file alone
            (sim_dir / "scenario.yaml").write_text(resolved_yaml(scenario), encoding="utf-8")
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
    endpoints = make_endpoints(scenario)
    return _execute(sim_dir, scenario, tile_map, spawns, endpoints, workers, progress, use_cache)


def read_sim_scenario(sim_dir: Path) -> dict:
    path = sim_dir / "scenario.yaml"
    if not (sim_dir / "sim.sqlite").is_file() or not path.is_file():
        raise RingWorldError(f"{sim_dir}: not a sim folder (no sim.sqlite and scenario.yaml)")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        raise RingWorldError(f"{path}: YAML syntax error") from None
    return parse_scenario(data, str(path), sim_dir)


def _execute(
    sim_dir, scenario, tile_map, spawns, endpoints, workers, progress, use_cache=True
) -> RunResult:
    lock = SimLock(sim_dir)
    lock.acquire()
    try:
        store = SimStore(sim_dir / "sim.sqlite")
        if not store.get_meta():
            store.init_from_scenario(scenario, _run_key(scenario), sim_dir.name)
            (sim_dir / "scenario.yaml").write_text(resolved_yaml(scenario), encoding="utf-8")
        with store.transaction() as db:
            store.set_meta(db, target_steps=scenario["steps"])
        llm = build_stack(scenario, store.db, store.path, use_cache, endpoints)
        if workers is None:  # every agent thinks at once; Spread bounds the calls in flight
            parallel = llm.backend.is_llm and not getattr(llm.backend, "serial", False)
            workers = len(scenario["agents"]) if parallel else 1
        try:
            engine = Engine(scenario, tile_map, spawns, store, llm.backend, workers, llm)
            done, stopped = engine.run(scenario["steps"], progress=progress)
        finally:
            llm.close()
        store.close()
    finally:
        lock.release()
    return RunResult(sim_dir, done, scenario["steps"], stopped, engine.stop_reason)


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
            **spent_summary(store.db, _prices(sim_dir)),
        }
    finally:
        store.close()
    return info


def _prices(sim_dir: Path) -> dict:
    """``llm.price_per_1k`` of a sim's scenario.yaml ({} when it cannot be read)."""
    try:
        data = yaml.safe_load((sim_dir / "scenario.yaml").read_text(encoding="utf-8"))
        return dict(data["llm"].get("price_per_1k") or {})
    except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError):
        return {}


def list_sims(out_root: Path = DEFAULT_ROOT) -> list[Path]:
    if not out_root.is_dir():
        return []
    return sorted(p for p in out_root.iterdir() if (p / "sim.sqlite").is_file())


def running_pid(sim_dir: Path) -> str | None:
    """The pid of the process running this sim, or None when none is."""
    return SimLock(sim_dir).holder()
