"""Soak of the replay page: minutes of play at speed 5 in headless Chromium, the JS heap sampled
each minute, to show that playing on does not leak memory.

    python benchmarks/page_soak.py [--minutes 30] [--site SITE_DIR] [--steps 8640]
                                   [--bound-mib 16]

Builds the 25-agent town's site (one game day with the offline backend, a rule-based policy,
not an LLM) unless ``--site`` names a built one, opens it in Chromium (/usr/bin/chromium) on a
1440x900 desktop and plays at speed 5 (60 steps a second: the day lasts 2.4 minutes, so the
page starts over from step 0 whenever it reaches the end). Once a minute it collects garbage
(CDP HeapProfiler.collectGarbage) and reads the JS heap in use (CDP Runtime.getHeapUsage).
The bound: the heap at the end is at most ``--bound-mib`` MiB above the heap after the first
minute (the page has loaded its chunks by then). Exit status 1 when it grows past that.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from runner.batch import run_scenario
from sitegen.build import build_site

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
MIB = 1024 * 1024
CHECK_S = 5  # how often the page is started over once it reached the end


def build(base: Path, steps: int) -> Path:
    scenario = ROOT / "scenarios" / "town25.yaml"
    sim = run_scenario(scenario, steps=steps, out_root=base, llm="offline").sim_dir
    return build_site(sim, None, None)


def heap_mib(cdp) -> float:
    cdp.send("HeapProfiler.collectGarbage")
    return cdp.send("Runtime.getHeapUsage")["usedSize"] / MIB


def soak(site: Path, minutes: float) -> tuple[list[float], int]:
    """The heap (MiB) at start and after each minute of play, and how often the page started
    over."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        cdp = page.context.new_cdp_session(page)
        page.goto(f"{site.resolve().as_uri()}/index.html#speed=5")
        page.wait_for_selector("body[data-ready]", state="attached", timeout=120000)
        page.evaluate("ringworld.setSpeed(5); ringworld.play()")
        samples, rounds = [heap_mib(cdp)], 0
        began = time.monotonic()
        next_sample = began + 60
        while time.monotonic() - began < minutes * 60:
            page.wait_for_timeout(CHECK_S * 1000)
            if page.evaluate("ringworld.ended() || !ringworld.playing()"):
                page.evaluate("ringworld.seek(0); ringworld.setSpeed(5); ringworld.play()")
                rounds += 1
            if time.monotonic() >= next_sample:
                samples.append(heap_mib(cdp))
                print(f"  minute {len(samples) - 1:>3}: {samples[-1]:7.1f} MiB", flush=True)
                next_sample += 60
        browser.close()
    return samples, rounds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--site", type=Path)
    parser.add_argument("--steps", type=int, default=8640)
    parser.add_argument("--bound-mib", type=float, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or build(Path(tmp), args.steps)
        print(f"site {site}; playing at speed 5 for {args.minutes:g} min")
        samples, rounds = soak(site, args.minutes)
    start, first, last = samples[0], samples[min(1, len(samples) - 1)], samples[-1]
    growth = last - first
    print(f"heap: {start:.1f} MiB loaded, {first:.1f} after a minute, {last:.1f} at the end")
    print(f"started over {rounds} times; samples (MiB): {', '.join(f'{s:.1f}' for s in samples)}")
    verdict = "within" if growth <= args.bound_mib else "PAST"
    print(f"growth after the first minute: {growth:+.1f} MiB, {verdict} the bound of "
          f"{args.bound_mib:g} MiB")  # fmt: skip
    if growth > args.bound_mib:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
