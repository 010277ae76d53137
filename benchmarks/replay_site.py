"""Replay data size per agent-step, and load-to-first-frame and frame cost in headless Chromium
with 4x CPU throttling (default: the 25-agent town over one game day).

    python benchmarks/replay_site.py [SCENARIO] [--steps N] [--sim SIM_DIR] [--runs K]

Runs the scenario with the offline backend into a temporary folder (or reads an existing sim
with --sim), builds its site, and prints the figures. Needs /usr/bin/chromium for the browser
figures.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from runner.batch import run_scenario
from sitegen.build import build_site
from sitegen.pack import encode_payload, read_data_file

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
THROTTLE = 4


def data_sizes(site: Path) -> dict[str, int]:
    """Bytes on disk of the data files, and gzip'd bytes of their movement and text parts."""
    sizes = {"disk": 0, "movement": 0, "text": 0, "memories": 0, "chunks": 0}
    for path in sorted((site / "data").glob("*.js")):
        sizes["disk"] += path.stat().st_size
        key, payload = read_data_file(path)
        if not key.startswith("steps-"):
            sizes[key] = len(encode_payload(payload))
            continue
        sizes["chunks"] += 1
        moves = {k: payload[k] for k in ("x", "y", "moves")}
        memories = {k: payload[k] for k in ("memories",)}
        sizes["movement"] += len(encode_payload(moves))
        sizes["memories"] += len(encode_payload(memories))
        rest = {k: v for k, v in payload.items() if k not in moves and k not in memories}
        sizes["text"] += len(encode_payload(rest))
    return sizes


def browser_figures(site: Path, runs: int, step: int) -> dict[str, float]:
    """Median ms from navigation to the first drawn frame, and main-thread ms per frame while
    playing at speed 5, both with the CPU throttled."""
    from playwright.sync_api import sync_playwright

    first, per_frame, fps = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(**PHONE)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
            cdp.send("Performance.enable")
            page.goto(f"{site.resolve().as_uri()}/index.html#step={step}&speed=5")
            page.wait_for_selector("body[data-ready]", state="attached", timeout=60000)
            first.append(page.evaluate("ringworld.firstFrameMs()"))
            page.wait_for_function("() => ringworld.talkLoaded()")
            page.wait_for_timeout(1000)  # let loading settle: measure steady playback
            before = _task_ms(cdp)
            frames = page.evaluate("""() => new Promise((done) => {
                ringworld.play();
                let n = 0;
                const t0 = performance.now();
                const count = () => (performance.now() - t0 < 3000
                    ? (n++, requestAnimationFrame(count))
                    : done([n, performance.now() - t0]));
                requestAnimationFrame(count);
            })""")
            per_frame.append((_task_ms(cdp) - before) / frames[0])
            fps.append(frames[0] * 1000 / frames[1])
            context.close()
        browser.close()
    return {
        "first_frame_ms": statistics.median(first),
        "task_ms_per_frame": statistics.median(per_frame),
        "fps": statistics.median(fps),
    }


def _task_ms(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--steps", type=int, default=8640)
    parser.add_argument("--sim", type=Path, help="an existing sim folder (skips the run)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        sim = args.sim
        if sim is None:
            sim = run_scenario(
                args.scenario, steps=args.steps, out_root=Path(tmp), llm="offline"
            ).sim_dir
        began = time.perf_counter()
        site = build_site(sim, Path(tmp) / "site")
        build_s = time.perf_counter() - began
        _, meta = read_data_file(site / "data" / "meta.js")
        sizes = data_sizes(site)
        agent_steps = len(meta["agents"]) * meta["steps"]
        page = browser_figures(site, args.runs, meta["steps"] // 2)
    print(
        f"sim                 {sim.name}: {len(meta['agents'])} agents x {meta['steps']} steps"
        f" = {agent_steps} agent-steps, {sizes['chunks']} chunks"
    )
    print(f"build time          {build_s:.2f} s")
    print(
        f"data on disk        {sizes['disk']} bytes = {sizes['disk'] / agent_steps:.3f} bytes"
        " per agent-step (base64 of gzip'd msgpack, town and talk included)"
    )
    for part in ("movement", "text", "memories", "meta", "talk"):
        print(
            f"  {part:<17} {sizes[part]:>8} bytes gzip'd = "
            f"{sizes[part] / agent_steps:.3f} bytes per agent-step"
        )
    print(
        f"first frame         {page['first_frame_ms']:.0f} ms from navigation (median of "
        f"{args.runs}, {THROTTLE}x CPU throttling, 390x844 phone viewport, mid-day step)"
    )
    print(
        f"playing at speed 5  {page['task_ms_per_frame']:.2f} ms main-thread work per frame, "
        f"{page['fps']:.0f} frames/s ({THROTTLE}x CPU throttling)"
    )


if __name__ == "__main__":
    main()
