"""The replay of a crowded town on a phone: site size per agent-day, first frame, frames/s at
speed 5 watching and following a resident, the residents list, and labels at three zooms.

    python benchmarks/replay_crowd.py [--residents 1000] [--seed 0] [--start 06:00]
                                      [--steps 2160] [--sim SIM_DIR] [--site SITE_DIR]
                                      [--runs 5] [--at STEP]

Makes a town with ``rw-batch new-town`` (``--residents``, ``--seed``), runs it with the offline
backend (a rule-based policy, not an LLM) from ``--start`` for ``--steps`` steps of 10 s (the
default: 06:00 to 12:00, the morning and midday) and builds its site, or reads an existing sim
(``--sim``) or built site (``--site``). Then, ``--runs`` times, in headless Chromium
(/usr/bin/chromium) as a phone: 390x844 CSS pixels, device pixel ratio 3, touch, CPU
throttled 4x (CDP Emulation.setCPUThrottlingRate), opened at ``--at`` (default: the middle
step), it measures

- ms from navigation to the first frame drawn (the page's own ``ringworld.firstFrameMs()``);
- frames/s and steps/s over 3 s of play at speed 5 (60 steps/s nominal), default settings;
- the figures drawn (only those on screen are) against the residents;
- the residents panel: its <li> in the DOM, and ms from typing a name to the list showing it;
- following the resident who walks the most: frames/s over 3 s at speed 5, and the frames in
  which their figure was not wholly on screen above the panel (should be 0);
- labels (names, "+N", bubbles, captions, place names) at the least zoom (the whole town), the
  first view and the greatest zoom: how many, and how many pairs overlap (should be 0).

Prints the median of the runs with the range (min-max). Quote the machine's load (`uptime`)
with the figures: the throttle multiplies whatever else the machine is doing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from runner.batch import run_scenario
from runner.towngen import new_town
from sitegen.build import build_site
from sitegen.pack import read_data_file

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
THROTTLE = 4
PLAY_MS = 3000
MAX_ZOOM = 96  # web_template/js/camera.js
# Plays at speed 5 for `ms`: [frames, ms, steps played, frames in which `name` (if any) was
# not wholly on screen above the panel].
PLAY = """([ms, name]) => new Promise((done, fail) => {
    const canvas = document.getElementById('town').getBoundingClientRect();
    const side = document.getElementById('side').getBoundingClientRect();
    const bottom = side.top > canvas.top ? side.top - canvas.top : canvas.height;
    const from = ringworld.step();
    ringworld.setSpeed(5);
    ringworld.play();
    let n = 0, off = 0;
    const t0 = performance.now();
    const count = () => { try {
        if (name) {
            const [x, y, w, h] = ringworld.figure(name).box;
            if (x < 0 || y < 0 || x + w > canvas.width || y + h > bottom) off++;
        }
        if (performance.now() - t0 < ms) { n++; requestAnimationFrame(count); }
        else { ringworld.pause(); done([n, performance.now() - t0, ringworld.step() - from, off]); }
    } catch (e) { fail(e); } };
    requestAnimationFrame(count);
})"""
# Labels laid out and overlapping pairs, less the box kept for the talk line (an overlay).
LABELS = """() => { const places = new Set(ringworld.placeLabels().map((l) => l.box.join()));
    const b = ringworld.labels().filter((l) => l.kind !== 'place' || places.has(l.box.join()))
        .map((l) => l.box);
    let bad = 0;
    for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) {
        const [x, y, w, h] = b[i], [u, v, s, t] = b[j];
        if (x < u + s && u < x + w && y < v + t && v < y + h) bad++; }
    return [b.length, bad]; }"""
SEARCH = """(name) => new Promise((done) => {
    const box = document.getElementById('search');
    const t0 = performance.now();
    box.value = name;
    box.dispatchEvent(new Event('input'));
    requestAnimationFrame(() => done([performance.now() - t0,
        [...document.querySelectorAll('#agent-list .who')].map((e) => e.textContent)]));
})"""


def make_sim(base: Path, residents: int, seed: int, start: str, steps: int) -> Path:
    """A new town run offline from ``start`` (HH:MM) for ``steps`` steps; its sim folder."""
    scenario, _ = new_town("crowd", residents, seed, "zh", base)
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data["start"] = f"2023-02-13 {start}:00"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return run_scenario(scenario, steps=steps, out_root=base / "sims", llm="offline").sim_dir


def walker(page, step: int, ahead: int = 60) -> str:
    """The resident who walks the furthest (at most 30 tiles) in the next ``ahead`` steps."""
    before = page.evaluate("ringworld.drawnPositions()")
    page.evaluate(f"ringworld.seek({step + ahead})")
    page.wait_for_function(f"() => ringworld.step() === {step + ahead}")
    after = page.evaluate("ringworld.drawnPositions()")
    page.evaluate(f"ringworld.seek({step})")
    page.wait_for_function(f"() => ringworld.step() === {step}")

    def walked(name: str) -> float:
        d = abs(after[name][0] - before[name][0]) + abs(after[name][1] - before[name][1])
        return d if d <= 30 else -1

    return max(before, key=walked)


def one_run(browser, site: Path, step: int) -> dict[str, float]:
    """The figures of one phone run (see the module's docstring)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})
    page.goto(f"{site.resolve().as_uri()}/index.html#step={step}&speed=5")
    page.wait_for_selector("body[data-ready]", state="attached", timeout=120000)
    out = {"first_frame_ms": page.evaluate("ringworld.firstFrameMs()")}
    page.wait_for_function("() => ringworld.talkLoaded()", timeout=120000)
    page.wait_for_timeout(1000)  # let loading settle: measure steady playback
    out["labels_first"], out["overlaps_first"] = page.evaluate(LABELS)
    frames, ms, steps, _ = page.evaluate(PLAY, [PLAY_MS, None])
    out |= {"fps": frames * 1000 / ms, "steps_s": steps * 1000 / ms}
    drawn = page.evaluate("Object.values(ringworld.figures()).filter((f) => f.drawn).length")
    out |= {"drawn": drawn, "agents": len(page.evaluate("ringworld.shownNames()"))}
    page.click("#panel-btn")
    page.wait_for_timeout(500)
    out["list_li"] = page.evaluate("document.querySelectorAll('#agent-list li').length")
    name = walker(page, page.evaluate("ringworld.step()"))
    out["search_ms"], rows = page.evaluate(SEARCH, name)
    assert name in rows, (name, rows)
    page.evaluate("(n) => ringworld.select(n)", name)
    page.click("#agent-follow")
    frames, ms, steps, off = page.evaluate(PLAY, [PLAY_MS, name])
    out |= {"follow_fps": frames * 1000 / ms, "follow_off": off}
    page.click("#agent-close")
    for zoom, at in (("least", 0.01), ("greatest", MAX_ZOOM)):
        x, y = page.evaluate("(n) => ringworld.drawnPositions()[n]", name)
        page.evaluate("([s, x, y]) => ringworld.look(x, y, s)", [at, x + 0.5, y + 0.5])
        page.wait_for_timeout(300)
        out[f"labels_{zoom}"], out[f"overlaps_{zoom}"] = page.evaluate(LABELS)
    context.close()
    return out


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ({min(values):.0f}-{max(values):.0f})"


def report(site: Path, runs: list[dict[str, float]], step: int) -> None:
    _, meta = read_data_file(site / "data" / "meta.js")
    agents, steps = len(meta["agents"]), meta["steps"]
    agent_days = agents * steps * meta["sec_per_step"] / 86400
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    data = sum(p.stat().st_size for p in (site / "data").glob("*.js"))
    print(
        f"sim        {meta['name']}: {agents} agents x {steps} steps = {agent_days:.1f} agent-days"
    )
    print(f"site       {total} bytes, {total / agent_days / 1000:.1f} KB per agent-day")
    print(f"  data     {data} bytes, {data / agent_days / 1000:.1f} KB per agent-day")
    v = PHONE["viewport"]
    print(
        f"phone      {v['width']}x{v['height']} DPR {PHONE['device_scale_factor']}, CPU"
        f" {THROTTLE}x, opened at step {step}: median (min-max) of {len(runs)}"
    )
    rows = [
        ("first frame ms", "first_frame_ms"),
        ("speed 5 frames/s", "fps"),
        ("speed 5 steps/s of 60", "steps_s"),
        ("figures drawn", "drawn"),
        ("list <li> in the DOM", "list_li"),
        ("search ms", "search_ms"),
        ("following: frames/s", "follow_fps"),
        ("following: frames off screen", "follow_off"),
    ]
    rows += [
        (f"labels at the {z} zoom / overlaps", f"labels_{z}", f"overlaps_{z}")
        for z in ("least", "first", "greatest")
    ]
    for label, *keys in rows:
        print(f"  {label:<38} " + " / ".join(_spread([r[k] for r in runs]) for k in keys))
    print(f"  of {runs[0]['agents']} residents")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--start", default="06:00")
    parser.add_argument("--steps", type=int, default=2160)
    parser.add_argument("--sim", type=Path, help="an existing sim folder (skips the run)")
    parser.add_argument("--site", type=Path, help="an existing built site (skips the build)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--at", type=int, help="the step opened (default: the middle one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            began = time.perf_counter()
            sim = args.sim or make_sim(Path(tmp), args.residents, args.seed, args.start, args.steps)
            site = build_site(sim, Path(tmp) / "site")
            print(f"made in    {time.perf_counter() - began:.0f} s")
        _, meta = read_data_file(site / "data" / "meta.js")
        step = meta["steps"] // 2 if args.at is None else args.at
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            runs = [one_run(browser, site, step) for _ in range(args.runs)]
            browser.close()
        report(site, runs, step)


if __name__ == "__main__":
    main()
