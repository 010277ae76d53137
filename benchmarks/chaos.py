"""Chaos: the 25-agent town on a faulty LLM server, killed with SIGKILL again and again, resumed
each time, ends with the very run of an uninterrupted, fault-free one.

    python benchmarks/chaos.py [--steps 1200] [--start 07:00] [--kills 20] [--seed 0]
                               [--faults 0.2] [--garbage 0.1]

The server is runner/testing/loopback.py on 127.0.0.1, in this process: it answers every
question from its JSON schema (the same prompt, the same answer) and, by a seeded draw per
request, fails ``--faults`` of them (HTTP 500, HTTP 429 or a timeout, a third each) and answers
``--garbage`` of them with garbage (not JSON, or JSON of the wrong shape). The sim runs in a
child process (``rw-batch run``, then ``rw-batch resume``) through the ``openai`` backend with
all its wrappers, and is killed with SIGKILL at ``--kills`` seeded moments, spread over the run
(the k-th once k/(kills+2) of its steps are stored), a quarter each:

- step: a random moment a few steps further on;
- commit: the moment the store's write-ahead log grows (a step being committed);
- conversation: a moment while a stored conversation is still going on (its last line later);
  when none goes on before the next kill is due, a step kill then (said so in the counts);
- catch-up: soon after a resume starts, before it stores a new step (it is re-running the steps
  since the last hourly snapshot from the answer cache).

After the last kill the sim is resumed to the end; its frames, memories and conversations are
compared with those of an uninterrupted run of the same scenario on the same faulty server.
(Garbage is part of the run: the sim asks again with a note, a new prompt with its own answer,
so a garbled question must stay garbled; timeouts, 429 and 5xx are retried until answered and
leave no trace but the fault counts.) The kills start once the first step is stored.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from runner.errors import RingWorldError
from runner.store import SimFolder
from runner.testing.loopback import OpenAIServer

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("step", "commit", "conversation", "catch-up")
POLL_S = 0.005


def fault_plan(seed: int, faults: float, garbage: float):
    """(faults, spoil) for the loopback server. Transient faults (500, 429, timeout) by a seeded
    draw per request: a retry of the same question gets the same answer, so they cannot change
    the run. Garbage by a seeded draw per prompt: a garbled answer makes the sim ask again with a
    note (a new prompt, never garbled), so the same question must be garbled whenever it is
    asked, before a kill or after."""

    def fault(n: int) -> str | None:
        r = random.Random(seed * 1_000_003 + n).random()
        if r < faults:
            return ("500", "429", "timeout")[min(2, int(r / faults * 3))]
        return None

    def spoil(prompt: str) -> str | None:
        digest = hashlib.sha256(f"{seed}:{prompt}".encode()).digest()
        g = int.from_bytes(digest[:8], "big") / 2**64
        if g < garbage:
            return ("malformed", "invalid")[min(1, int(g / garbage * 2))]
        return None

    return fault, spoil


def write_scenario(base: Path, url: str, start: str) -> Path:
    data = yaml.safe_load((ROOT / "scenarios/town25.yaml").read_text(encoding="utf-8"))
    for key in ("map", "history"):
        if data.get(key):
            data[key] = str((ROOT / "scenarios" / data[key]).resolve())
    data["start"] = f"2023-02-13 {start}:00"
    data["llm"] = {"backend": "openai", "model": "chaos", "base_url": url, "timeout": 0.5}
    data["embedding"] = {"model": "chaos-embed"}
    path = base / f"town25_{len(list(base.glob('*.yaml')))}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def child(args: list[str]) -> subprocess.Popen:
    env = os.environ | {"RINGWORLD_RETRY_BASE_S": "0.05", "RINGWORLD_RETRY_MAX_S": "0.5"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "runner", *args, "--quiet"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Watch:
    """What the running sim has stored, read as the child writes it."""

    def __init__(self, sim: Path):
        self.folder = SimFolder(sim)
        self.wal = sim / "sim.sqlite-wal"

    def steps(self) -> int:
        try:
            store = self.folder.open(readonly=True)
        except RingWorldError:  # not there yet, or being made
            return 0
        try:
            return store.steps_done()
        finally:
            store.close()

    def talking(self) -> bool:
        """A stored conversation goes on past the last stored step."""
        try:
            store = self.folder.open(readonly=True)
        except RingWorldError:
            return False
        try:
            done = store.steps_done()
            return any(c.step_end > done for c in store.conversations(done))
        finally:
            store.close()

    def wal_stamp(self) -> tuple[int, int]:
        """(size, mtime) of the write-ahead log: a commit writes it (SQLite reuses the file
        after a checkpoint, so its size alone may stay the same)."""
        if not self.wal.exists():
            return (0, 0)
        stat = self.wal.stat()
        return (stat.st_size, stat.st_mtime_ns)


def wait_for(proc: subprocess.Popen, moment, deadline_s: float) -> bool:
    """Poll until ``moment()`` is true (then True) or the child ends (False)."""
    end = time.monotonic() + deadline_s
    while proc.poll() is None and time.monotonic() < end:
        if moment():
            return True
        time.sleep(POLL_S)
    return False


def kill_at(
    proc: subprocess.Popen, kind: str, watch: Watch, rng: random.Random, until: int
) -> str | None:
    """Kill the child at a moment of ``kind``; the phase it was in, or None if it ended first.
    A conversation kill finding no conversation going on before step ``until`` kills then,
    and counts as a step kill."""
    began = watch.steps()
    if kind == "step":
        target = began + rng.randint(2, 6)
        ok = wait_for(proc, lambda: watch.steps() >= target, 300)
        time.sleep(rng.uniform(0, 0.3))
    elif kind == "commit":
        wait_for(proc, lambda: watch.steps() > began, 300)
        stamp = watch.wal_stamp()
        ok = wait_for(proc, lambda: watch.wal_stamp() != stamp, 300)
    elif kind == "conversation":
        ok = wait_for(proc, lambda: watch.talking() or watch.steps() >= until, 300)
        kind = kind if watch.talking() else "step"
    else:  # catch-up: the resumed child replays before it stores a step
        ok = wait_for(proc, lambda: False, rng.uniform(1.0, 2.5)) or proc.poll() is None
    if proc.poll() is not None or not ok:
        return None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if kind == "catch-up" and watch.steps() != began:
        return "step"  # it had caught up and stored a step already
    return kind


def chaos_run(base: Path, url: str, args, rng: random.Random) -> tuple[Path, list[str]]:
    scenario = write_scenario(base, url, args.start)
    sim = base / "chaos"
    watch, landed = Watch(sim), []
    proc = child(["run", str(scenario), "--sim", "chaos", "--sims", str(base), "--steps",
                  str(args.steps)])  # fmt: skip
    wait_for(proc, lambda: watch.steps() > 0, 600)  # a kill before the first step: see the doc
    for i in range(args.kills):
        kind = KINDS[i % len(KINDS)]
        spread = (i + 1) * args.steps // (args.kills + 2)  # the kills spread over the run
        wait_for(proc, lambda at=spread: watch.steps() >= at, 600)
        until = (i + 2) * args.steps // (args.kills + 2)
        phase = kill_at(proc, kind, watch, rng, until)
        if phase is None:
            break
        landed.append(phase)
        print(f"  kill {len(landed):>2}: {phase:<12} after step {watch.steps()}", flush=True)
        proc = child(["resume", str(sim)])
    if proc.wait() != 0:
        raise SystemExit(f"the last resume failed: {proc.stderr.read().decode()[-2000:]}")
    return sim, landed


def clean_run(base: Path, args, plan) -> Path:
    with OpenAIServer(faults=plan[0], spoil=plan[1], timeout_delay=1.0, max_seconds=3600) as server:
        scenario = write_scenario(base, server.base_url, args.start)
        proc = child(["run", str(scenario), "--sim", "clean", "--sims", str(base), "--steps",
                      str(args.steps)])  # fmt: skip
        if proc.wait() != 0:
            raise SystemExit(proc.stderr.read().decode()[-2000:])
    return base / "clean"


def stored(sim: Path, steps: int) -> dict[str, list]:
    store = SimFolder(sim).open(readonly=True)
    try:
        return {
            "frames": store.frames(),
            "memories": store.memory_texts(),
            "conversations": store.conversations(steps),
        }
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1200)
    parser.add_argument("--start", default="07:00")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--faults", type=float, default=0.2)
    parser.add_argument("--garbage", type=float, default=0.1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        plan = fault_plan(args.seed, args.faults, args.garbage)
        began = time.perf_counter()
        clean = clean_run(base, args, plan)
        print(f"uninterrupted run: {args.steps} steps from {args.start} "
              f"in {time.perf_counter() - began:.0f} s")  # fmt: skip
        began = time.perf_counter()
        with OpenAIServer(
            faults=plan[0], spoil=plan[1], timeout_delay=1.0, max_seconds=7200
        ) as server:
            sim, landed = chaos_run(base, server.base_url, args, rng)
            injected = dict(server.injected)
            requests = server.chat_requests
        took = time.perf_counter() - began
        a, b = stored(clean, args.steps), stored(sim, args.steps)
    print(f"chaos run: {took:.0f} s, {requests} chat requests")
    print(f"kills survived: {len(landed)} of {args.kills} "
          f"({', '.join(f'{k} {landed.count(k)}' for k in KINDS)})")  # fmt: skip
    print(f"faults injected: {sum(injected.values())} "
          f"({', '.join(f'{k} {n}' for k, n in sorted(injected.items()))})")  # fmt: skip
    for key in a:
        same = "equal" if a[key] == b[key] else "DIFFERENT"
        print(f"  {key:<13} {len(a[key]):>7} uninterrupted, {len(b[key]):>7} chaos: {same}")
    if a != b or len(landed) < args.kills:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
