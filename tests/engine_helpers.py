"""Helpers for the engine tests: run the CLI in a real subprocess, read frames."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from conftest import morning_data, write_scenario

from runner.batch import run_scenario


def rw_batch(*args: str, cwd: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "runner", *args],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def frames(sim_dir: Path) -> list[tuple]:
    db = sqlite3.connect(f"file:{sim_dir / 'sim.sqlite'}?mode=ro", uri=True)
    rows = db.execute("SELECT * FROM frames ORDER BY step, agent").fetchall()
    db.close()
    return rows


def morning_frames(base: Path, steps: int) -> list[tuple]:
    """Frames of the offline run of the morning demo (conftest's ``morning_data``) in ``base``."""
    path = write_scenario(base / "morning.yaml", morning_data())
    return frames(run_scenario(path, steps=steps, out_root=base / "output").sim_dir)


def steps_done(sim_dir: Path) -> int:
    path = sim_dir / "sim.sqlite"
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        row = db.execute("SELECT value FROM meta WHERE key = 'steps_done'").fetchone()
        db.close()
    except sqlite3.OperationalError:
        return 0
    return int(row[0]) if row else 0


def query(sim_dir: Path, sql: str, *args) -> list[tuple]:
    """Rows of ``sql`` over the sim's store, read-only."""
    db = sqlite3.connect(f"file:{sim_dir / 'sim.sqlite'}?mode=ro", uri=True)
    rows = db.execute(sql, args).fetchall()
    db.close()
    return rows
