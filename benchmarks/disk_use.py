"""Bytes of ``sim.sqlite`` per agent per game day, per table, of a scenario run offline.

    python benchmarks/disk_use.py [SCENARIO] [--days N] [--keep DIR]

Runs the scenario (default ``scenarios/town25.yaml``) with the offline backend (a rule-based
policy, not an LLM) for ``--days`` game days (default 1) into a temporary folder (or ``--keep``
DIR, to look at it after), then prints the file's bytes per table (sqlite's ``dbstat``: the
pages each table and its indexes take) divided by agents and game days, the whole file's, and
the process's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from runner.batch import run_scenario
from runner.scenario import load_scenario
from runner.store import SimFolder

ROOT = Path(__file__).resolve().parents[1]


def measure(scenario: str, days: float, root: Path) -> tuple[dict[str, int], int, int, float]:
    """(bytes per table, file bytes, agents, seconds) of a run of ``days`` game days."""
    loaded = load_scenario(scenario)
    steps = round(days * 86400 / loaded.sec_per_step)
    began = time.perf_counter()
    result = run_scenario(scenario, steps=steps, out_root=root, llm="offline")
    took = time.perf_counter() - began
    folder = SimFolder(result.sim_dir)
    store = folder.open(readonly=True)
    sizes = store.table_bytes()
    store.close()
    return sizes, folder.store_file.stat().st_size, len(loaded.agents), took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--days", type=float, default=1.0)
    parser.add_argument("--keep", type=Path, help="run into this folder and keep the sim")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = args.keep or Path(tmp)
        sizes, file_bytes, agents, took = measure(args.scenario, args.days, root)
    per = agents * args.days
    print(f"{Path(args.scenario).name}: {agents} agents, {args.days:g} game days ({took:.0f} s)")
    print(f"{'table':<18} {'bytes/agent/day':>16}")
    for table, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        if size / per >= 1:
            print(f"{table:<18} {size / per:>16,.0f}")
    print(f"{'sim.sqlite':<18} {file_bytes / per:>16,.0f}  ({file_bytes / 1e6:.1f} MB)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:.0f} MiB (max RSS of this process)")


if __name__ == "__main__":
    main()
