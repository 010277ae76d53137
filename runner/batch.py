"""The runner as a library: run, resume and report on sims. The CLI is a thin layer over this.

A sim is a folder (``output/<name>/``) holding ``sim.sqlite`` and ``scenario.yaml``; see
``docs/sim-store.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import Prices
from .engine import Engine, spawn_tiles
from .errors import RingWorldError
from .llm.base import Backend
from .llm.meter import cost_of
from .llm.registry import describe_backend
from .llm.report import format_kinds
from .llm.stack import LLMStack, build_stack, make_endpoints
from .scenario import Scenario, load_scenario, read_sim_scenario, resolved_yaml, run_key
from .store import SimFolder, SimStore, sim_folder_in
from .world.loader import load_map
from .world.townmap import TownMap

DEFAULT_ROOT = Path("output")


def resolve_sim(sim: str | Path, out_root: Path = DEFAULT_ROOT) -> Path:
    """A sim name under ``out_root``, or a path to a sim folder."""
    path = Path(sim)
    if path.is_dir() and SimFolder(path).has_store():
        return path
    return out_root / str(sim)


@dataclass
class RunResult:
    sim_dir: Path
    steps_done: int
    target: int
    stopped: bool
    reason: str | None = None  # why it stopped early when not Ctrl-C (a budget reached)
    at_target: bool = False  # it had reached its target already: nothing was run


def run_scenario(
    scenario_path: str | Path,
    sim: str | None = None,
    steps: int | None = None,
    out_root: Path = DEFAULT_ROOT,
    llm: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    use_cache: bool = True,
    lockstep: bool = False,
) -> RunResult:
    """Start a sim from a scenario file, or continue it if the same run already exists."""
    scenario = load_scenario(scenario_path)
    if llm is not None:
        scenario.llm.backend = llm
    if steps is not None:
        scenario.steps = steps
    named_by = "--sim" if sim is not None else f"{scenario_path}: no key 'name', and its name"
    folder = sim_folder_in(out_root, scenario.name if sim is None else sim, named_by)
    tile_map = load_map(scenario.map, scenario.language)
    spawn_tiles(scenario, tile_map, str(scenario_path))  # a bad home fails before any file
    endpoints = make_endpoints(scenario, str(scenario_path))
    if folder.has_store():
        existing = folder.open(readonly=True)
        same, empty = existing.run_key() == run_key(scenario), existing.steps_done() == 0
        existing.close()
        if not same and not empty:
            raise RingWorldError(
                f"{folder.path}: holds a run of a different scenario; choose another --sim NAME, "
                f"or continue it with 'rw-batch resume {folder.path}'"
            )
        if not same:  # a start that failed (or was killed) before its first step: start anew
            with folder.lock():
                folder.discard()
    folder.path.mkdir(parents=True, exist_ok=True)
    source = str(scenario_path)
    return _run(
        folder, scenario, tile_map, source, endpoints, workers, progress, use_cache, lockstep
    )


def resume_sim(
    sim_dir: Path,
    steps: int | None = None,
    workers: int | None = None,
    progress: bool = False,
    use_cache: bool = True,
    budget: dict | None = None,
    lockstep: bool = False,
) -> RunResult:
    """Continue a stored sim to ``steps`` (default: the target it was started with).

    ``budget`` ({max_cost, max_calls, max_tokens}) raises the run's budgets; the sim's
    ``scenario.yaml`` keeps the new values."""
    folder = SimFolder(sim_dir)
    scenario = read_sim_scenario(folder.path)
    budget = {k: v for k, v in (budget or {}).items() if v is not None}
    if budget:
        scenario.llm = scenario.llm.model_copy(update=budget)
        if running_pid(sim_dir) is None:  # else _run refuses: leave the file alone
            folder.write_scenario(resolved_yaml(scenario))
    store = folder.open(readonly=True)
    meta = store.get_meta()
    store.close()
    if meta.get("backend") == "imported":
        raise RingWorldError(
            f"{sim_dir}: this sim was imported from the original layout; it can be replayed "
            "('rw-site build') but not resumed"
        )
    target = int(meta.get("target_steps", scenario.steps))
    scenario.steps = steps if steps is not None else target
    source = str(folder.scenario)
    endpoints = make_endpoints(scenario, source)
    return _run(folder, scenario, None, source, endpoints, workers, progress, use_cache, lockstep)


def _run(
    folder: SimFolder,
    scenario: Scenario,
    tile_map: TownMap | None,
    source: str,
    endpoints: list[Backend],
    workers: int | None,
    progress: bool,
    use_cache: bool,
    lockstep: bool = False,
) -> RunResult:
    """Run ``scenario`` in ``folder`` (new, or the same run continued) under the sim's lock;
    ``source`` names the scenario file in errors. A new sim that fails before its first stored
    step is removed: nothing half-made stays to refuse the corrected scenario."""
    with folder.lock():
        store = folder.open()
        fresh = store.run_key() is None
        try:
            if fresh:
                store.init_from_scenario(scenario, run_key(scenario), folder.name)
                folder.write_scenario(resolved_yaml(scenario))
            store.set_target(scenario.steps)
            if store.steps_done() >= scenario.steps:  # nothing to run: no empty progress bar
                return RunResult(folder.path, store.steps_done(), scenario.steps, False, None, True)
            engine = _engine(store, scenario, tile_map, source, endpoints, workers, use_cache)
            engine.lockstep = lockstep  # every step waits for the slowest agent (--lockstep)
            try:
                done, stopped = engine.run(scenario.steps, progress=progress)
            finally:
                engine.llm.close()
        except BaseException:
            if fresh and store.steps_done() == 0:
                store.close()
                folder.discard()
            raise
        finally:
            store.close()
    return RunResult(folder.path, done, scenario.steps, stopped, engine.stop_reason)


def _engine(
    store: SimStore,
    scenario: Scenario,
    tile_map: TownMap | None,
    source: str,
    endpoints: list[Backend],
    workers: int | None,
    use_cache: bool,
) -> Engine:
    """The engine over ``store`` with its LLM stack (closed by the caller as ``engine.llm``)."""
    book = store.answer_book() if use_cache else None
    llm = build_stack(scenario, store.spent(), book, endpoints)
    if workers is None:
        workers = default_workers(len(scenario.agents), llm)
    try:
        return Engine.from_scenario(scenario, store, llm.backend, workers, llm, tile_map, source)
    except BaseException:
        llm.close()
        raise


def default_workers(agents: int, llm: LLMStack) -> int:
    """Every agent thinks at once on an LLM that answers many questions at once, up to twice
    the calls its endpoints may have in flight (more threads would only wait for the limit,
    all woken at each answer); 1 on a backend that answers one at a time or on ``offline``."""
    if not llm.backend.is_llm or llm.backend.serial or llm.spread is None:
        return 1
    return min(agents, 2 * sum(e.ceiling for e in llm.spread.endpoints))


def sim_status(sim_dir: Path) -> dict:
    """Steps, game time, calls, tokens, cost, faults and conversations of one sim."""
    folder = SimFolder(sim_dir)
    if not folder.has_store():
        raise RingWorldError(f"{sim_dir}: no sim here (no sim.sqlite)")
    store = folder.open(readonly=True)
    try:
        meta = store.get_meta()
        spent = store.spent()
        info = {
            "sim": str(sim_dir),
            "steps_done": int(meta.get("steps_done", 0)),
            "target_steps": int(meta.get("target_steps", 0)),
            "game_time": meta.get("game_time", meta.get("start_time", "")),
            "backend": describe_backend(meta.get("backend", "?")),
            "agents": len(store.agents()),
            "conversations": store.conversation_count(),
            **store.call_summary(),
            "sent": spent.calls,
            "cost": cost_of(spent.prompt_tokens, spent.completion_tokens, _prices(folder)),
            "faults": store.faults_by_reason(),
        }
    finally:
        store.close()
    return info


def kinds_table(sim_dir: Path) -> str:
    """Calls, tokens, latency and cost per kind of question (``status --by-kind``)."""
    store = SimFolder(sim_dir).open(readonly=True)
    try:
        rows = store.calls_by_kind()
    finally:
        store.close()
    return format_kinds(rows, _prices(SimFolder(sim_dir)))


def _prices(folder: SimFolder) -> Prices:
    """``llm.price_per_1k`` of a sim's scenario.yaml (nothing when it cannot be read)."""
    try:
        return read_sim_scenario(folder.path).llm.price_per_1k
    except RingWorldError:
        return Prices()


def list_sims(out_root: Path = DEFAULT_ROOT) -> list[Path]:
    if not out_root.is_dir():
        return []
    return sorted(p for p in out_root.iterdir() if SimFolder(p).has_store())


def running_pid(sim_dir: Path) -> str | None:
    """The pid of the process running this sim, or None when none is."""
    return SimFolder(sim_dir).lock().holder()


def status_line(sim_dir: Path) -> str:
    """One line of ``rw-batch status`` without a sim."""
    info = sim_status(sim_dir)
    return (
        f"{sim_dir.name}: {info['steps_done']}/{info['target_steps']} steps, "
        f"{info['game_time']}, {info['backend']}{_state(sim_dir)}"
    )


def status_rows(sim_dir: Path) -> list[tuple[str, object]]:
    """(name, value) rows of ``rw-batch status SIM``."""
    info = sim_status(sim_dir)
    return [
        ("sim", info["sim"]),
        ("state", _state(sim_dir).strip(" ,") or "idle"),
        ("steps", f"{info['steps_done']} of {info['target_steps']}"),
        ("game time", info["game_time"]),
        ("backend", info["backend"]),
        ("agents", info["agents"]),
        ("conversations", info["conversations"]),
        ("calls", f"{info['calls']} ({info['sent']} requests sent)"),
        ("tokens", info["tokens"]),
        ("cost", f"{info['cost']:.4f}"),
        ("cache hits", info["cache_hits"]),
        ("faults", _faults(info["faults"])),
        ("retries", info["retries"]),
        ("fail-safes", info["failsafes"]),
    ]


def _faults(faults: dict) -> str:
    total = sum(faults.values())
    detail = ", ".join(f"{reason} {n}" for reason, n in sorted(faults.items()))
    return f"{total} ({detail})" if total else "0"


def _state(sim_dir: Path) -> str:
    pid = running_pid(sim_dir)
    return f", running (pid {pid})" if pid else ""
