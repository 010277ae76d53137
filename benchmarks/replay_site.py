"""Replay site size, and load-to-first-frame and frame rate in headless Chromium (default: the
25-agent town over one game day).

    python benchmarks/replay_site.py [SCENARIO] [--steps N] [--sim SIM_DIR] [--site SITE_DIR]
                                     [--runs K]

Runs the scenario with the offline backend into a temporary folder (or reads an existing sim
with --sim), builds its site (or measures a built one with --site, e.g. an older build), and
prints the figures: the median of K runs with the spread (min-max) beside it, for

- a phone: 390x844 CSS pixels at device pixel ratio 3, touch, CPU throttled 4x (CDP
  Emulation.setCPUThrottlingRate);
- a desktop: 1440x900 at device pixel ratio 1, no throttling.

Each run opens the page at the middle step (12:00 of a one-day run), waits for the
conversations to load, then plays at speed 5 for 3 s and counts the frames the page drew and
the steps played: once with the page's default settings (since issue 22 the speed is the rate:
no slowing down for talk unless the viewer asks for it) and once with "slow down for talk" on
(playback eased while a conversation is on screen). Steps/s is to be read against the nominal
60 at speed 5. Needs /usr/bin/chromium.
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
PROFILES = {
    "phone": (
        {
            "viewport": {"width": 390, "height": 844},
            "device_scale_factor": 3,
            "is_mobile": True,
            "has_touch": True,
        },
        4,
    ),
    "desktop": ({"viewport": {"width": 1440, "height": 900}, "device_scale_factor": 1}, 1),
}
PLAY_MS = 3000
# Counts rAF callbacks (frames the browser gave the page) for PLAY_MS of playing at speed 5.
PLAY = """([ms, ease]) => new Promise((done) => {
    if (ringworld.setEase) ringworld.setEase(ease);
    const from = ringworld.step();
    ringworld.setSpeed(5);
    ringworld.play();
    let n = 0;
    const t0 = performance.now();
    const count = () => (performance.now() - t0 < ms
        ? (n++, requestAnimationFrame(count))
        : done([n, performance.now() - t0, ringworld.step() - from]));
    requestAnimationFrame(count);
})"""


def site_size(site: Path) -> tuple[int, int]:
    """(files, bytes) of the whole site."""
    files = [p for p in site.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def data_sizes(site: Path) -> dict[str, int]:
    """Bytes on disk of the data files, and gzip'd bytes of their movement and text parts."""
    sizes = {"disk": 0, "movement": 0, "text": 0, "memories": 0, "chunks": 0, "sprites": 0}
    sizes["map"] = 0  # a site built before the map came pre-rendered has none
    for path in sorted((site / "data").glob("*.js")):
        sizes["disk"] += path.stat().st_size
        key, payload = read_data_file(path)
        if not key.startswith("steps-"):
            sizes[key] = len(encode_payload(payload))
            continue
        sizes["chunks"] += 1
        moves = {k: payload[k] for k in ("x", "y", "moves", "face") if k in payload}
        memories = {k: payload[k] for k in ("memories",)}
        sizes["movement"] += len(encode_payload(moves))
        sizes["memories"] += len(encode_payload(memories))
        rest = {k: v for k, v in payload.items() if k not in moves and k not in memories}
        sizes["text"] += len(encode_payload(rest))
    return sizes


def browser_figures(site: Path, runs: int, step: int) -> dict[str, dict[str, list[float]]]:
    """Per profile: ms from navigation to the first drawn frame, frames/s and main-thread ms
    per frame while playing at speed 5, and steps played per second; one value per run."""
    from playwright.sync_api import sync_playwright

    out: dict[str, dict[str, list[float]]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, (context_args, throttle) in PROFILES.items():
            figures = out[name] = {k: [] for k in ("first_frame_ms", "fps", "task_ms", "steps_s")}
            figures |= {k + "_ease": [] for k in ("fps", "task_ms", "steps_s")}
            for _ in range(runs):
                context = browser.new_context(**context_args)
                page = context.new_page()
                cdp = context.new_cdp_session(page)
                cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
                cdp.send("Performance.enable")
                page.goto(f"{site.resolve().as_uri()}/index.html#step={step}&speed=5")
                page.wait_for_selector("body[data-ready]", state="attached", timeout=60000)
                figures["first_frame_ms"].append(page.evaluate("ringworld.firstFrameMs()"))
                page.wait_for_function("() => ringworld.talkLoaded()", timeout=60000)
                page.wait_for_timeout(1000)  # let loading settle: measure steady playback
                for ease, suffix in ((False, ""), (True, "_ease")):
                    before = _task_ms(cdp)
                    frames, ms, steps = page.evaluate(PLAY, [PLAY_MS, ease])
                    figures["task_ms" + suffix].append((_task_ms(cdp) - before) / frames)
                    figures["fps" + suffix].append(frames * 1000 / ms)
                    figures["steps_s" + suffix].append(steps * 1000 / ms)
                context.close()
        browser.close()
    return out


def _task_ms(cdp) -> float:
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"] * 1000


def _spread(values: list[float], digits: int = 0) -> str:
    f = f"{{:.{digits}f}}"
    return (
        f"{f.format(statistics.median(values))} ({f.format(min(values))}-{f.format(max(values))})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", nargs="?", default=str(ROOT / "scenarios/town25.yaml"))
    parser.add_argument("--steps", type=int, default=8640)
    parser.add_argument("--sim", type=Path, help="an existing sim folder (skips the run)")
    parser.add_argument("--site", type=Path, help="an existing built site (skips the build)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site, build_s = args.site, 0.0
        if site is None:
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
        files, total = site_size(site)
        agent_steps = len(meta["agents"]) * meta["steps"]
        page = browser_figures(site, args.runs, meta["steps"] // 2)
    print(
        f"sim                 {meta['name']}: {len(meta['agents'])} agents x {meta['steps']} steps"
        f" = {agent_steps} agent-steps, {sizes['chunks']} chunks"
    )
    if build_s:
        print(f"build time          {build_s:.2f} s")
    print(f"site                {total} bytes in {files} files (page, code, art and data)")
    print(
        f"data on disk        {sizes['disk']} bytes = {sizes['disk'] / agent_steps:.3f} bytes"
        " per agent-step (base64 of gzip'd msgpack, town, art and talk included)"
    )
    for part in ("movement", "text", "memories", "meta", "talk", "sprites", "map"):
        print(
            f"  {part:<17} {sizes[part]:>8} bytes gzip'd = "
            f"{sizes[part] / agent_steps:.3f} bytes per agent-step"
        )
    print(
        f"browser runs        median (min-max) of {args.runs}, opened at step {meta['steps'] // 2}"
    )
    for name, (context_args, throttle) in PROFILES.items():
        v = context_args["viewport"]
        f = page[name]
        print(
            f"{name:<8} {v['width']}x{v['height']} DPR {context_args['device_scale_factor']},"
            f" CPU {throttle}x: first frame {_spread(f['first_frame_ms'])} ms"
        )
        for suffix, how in (("", "default"), ("_ease", "slowed")):
            print(
                f"  speed 5, {how:<10}  {_spread(f['fps' + suffix])} frames/s,"
                f" {_spread(f['task_ms' + suffix], 1)} ms main-thread work a frame,"
                f" {_spread(f['steps_s' + suffix])} steps/s of 60"
            )


if __name__ == "__main__":
    main()
