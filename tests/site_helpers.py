"""Helpers for the replay-site tests: a small synthetic sim, sims of the bundled scenarios run
once per session, reference decoders of the packed moves and facings, and a page of a built
site in headless Chromium."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import yaml

from runner.store import SimStore
from runner.world.loader import load_map

ROOT = Path(__file__).resolve().parent.parent
RINGTOWN = ROOT / "scenarios" / "maps" / "ringtown.yaml"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"
XSS = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
HOSTILE_AGENT = "<b onmouseover=alert(4)>居民3</b>"  # a name that is markup
HOSTILE_PLACE = "<img src=x onerror=alert(3)>公寓"  # a sector name that is markup
ACTIONS = ["睡觉", "吃早饭", "散步", "读书", "在咖啡馆工作", "画画"]
EMOJI = ["😴", "🍳", "🚶", "📖", "☕", "🎨"]


def persona(i: int, name: str) -> dict:
    return {
        "name": name,
        "name_en": f"Agent {i}",
        "age": 20 + i,
        "innate": "友善",
        "learned": f"{name}是小镇居民。" if i else f"{name} {XSS}",
        "currently": "筹备派对",
        "lifestyle": "早睡早起",
        "living_area": "伊莎贝拉的公寓",
        "daily_requirement": None,
        "start_tile": None,
    }


def _hostile_map(folder: Path) -> Path:
    """The bundled map with its first sector renamed to markup (in both languages)."""
    data = yaml.safe_load(RINGTOWN.read_text(encoding="utf-8"))
    data["sectors"][0]["name"] = HOSTILE_PLACE
    data["sectors"][0]["name_en"] = HOSTILE_PLACE + " en"
    path = folder / "map.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _walk(town, rng: random.Random, steps: int, start: tuple[int, int]) -> list[tuple[int, int]]:
    """A random walk of single-tile moves and pauses, with a jump every 97 steps."""
    free = [(x, y) for y in range(town.height) for x in range(town.width) if town.walkable((x, y))]
    tile = start
    out = []
    for step in range(steps):
        if step and step % 97 == 0:
            tile = rng.choice(free)
        elif rng.random() < 0.5:
            options = [
                (tile[0] + dx, tile[1] + dy)
                for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
                if town.walkable((tile[0] + dx, tile[1] + dy))
            ]
            tile = rng.choice(options) if options else tile
        out.append(tile)
    return out


def write_sim(
    folder: Path,
    *,
    agents: int = 4,
    steps: int = 300,
    sec_per_step: int = 60,
    language: str = "zh",
    memories: bool = True,
    seed: int = 1,
    hostile: bool = False,
) -> Path:
    """A synthetic sim: random walks, changing actions, one conversation whose first lines
    (and agent 0's action at steps 10-19) are an XSS attempt, and optionally memories;
    ``hostile`` names agent 3 and the first sector of the map with markup."""
    folder.mkdir(parents=True, exist_ok=True)
    map_path = _hostile_map(folder) if hostile else RINGTOWN
    town = load_map(map_path, language)
    names = [HOSTILE_AGENT if hostile and i == 3 else f"居民{i}" for i in range(agents)]
    people = [persona(i, n) for i, n in enumerate(names)]
    scenario = {
        "name": folder.name,
        "map": str(map_path),
        "language": language,
        "start": "2023-02-13 07:00:00",
        "sec_per_step": sec_per_step,
        "steps": steps,
        "llm": {"backend": "offline"},
        "agents": people,
    }
    (folder / "scenario.yaml").write_text(yaml.safe_dump(scenario, allow_unicode=True))
    rng = random.Random(seed)
    spawns = list(town.spawns.values())
    walks = [_walk(town, rng, steps, spawns[i % len(spawns)]) for i in range(agents)]
    store = SimStore(folder / "sim.sqlite")
    store.init_run(
        "synthetic",
        people,
        name=folder.name,
        start_time=scenario["start"],
        sec_per_step=sec_per_step,
        language=language,
        backend="offline",
        target_steps=steps,
    )
    for step in range(steps):
        frames = [_frame(town, step, a, walks[a][step]) for a in range(agents)]
        with store.transaction() as db:
            store.write_step(db, step, f"t{step}", 1.0, frames, [])
            if step == 19:
                lines = [[names[0], XSS], [names[1], "你好！"], [names[0], "</script>再见"]]
                store.add_conversation(db, 10, 20, 0, 1, frames[0][6], lines)
    with store.transaction() as db:
        if memories:
            _write_memories(db, agents, steps)
        else:  # as in a store from before memories were kept
            db.execute("DROP TABLE IF EXISTS memories")
    store.close()
    return folder


def _frame(town, step: int, a: int, tile: tuple[int, int]) -> tuple:
    k = (step // 20 + a) % len(ACTIONS)
    action, chat = ACTIONS[k], None
    if a == 0 and 10 <= step < 20:
        action, chat = f"聊天 {XSS}", XSS
    elif a == 1 and 10 <= step < 20 and step % 2:
        chat = "你好！"
    return (step, a, tile[0], tile[1], action, EMOJI[k], town.address_at(tile), chat)


def _write_memories(db: sqlite3.Connection, agents: int, steps: int) -> None:
    """Memories with the columns the site reads; any other NOT NULL column of the store's
    table gets a running number or an empty value."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS memories (agent INTEGER, created_step INTEGER, kind TEXT,"
        " description TEXT, importance REAL)"
    )
    columns = [(row[1], row[2].upper()) for row in db.execute("PRAGMA table_info(memories)")]
    kinds = ["event", "thought", "chat"]
    rows = []
    for a in range(agents):
        for n, step in enumerate(range(0, steps, 1 if a == 0 else 7)):
            given = {
                "agent": a,
                "node": n,
                "created_step": step,
                "kind": kinds[step % 3],
                "description": f"记忆 {a}-{step}" if a else f"记忆 {step} {XSS}",
                "importance": step % 10,
            }
            empty = {"TEXT": "", "BLOB": b""}
            rows.append([given.get(name, empty.get(kind, 0)) for name, kind in columns])
    marks = ", ".join("?" * len(columns))
    db.executemany(f"INSERT INTO memories VALUES ({marks})", rows)


def stored_frames(sim_dir: Path) -> tuple[dict[int, list[tuple]], list[str]]:
    """(step -> [(x, y, action, emoji, address, chat, object_event) per agent], agent names),
    read with plain sqlite3."""
    db = sqlite3.connect(f"file:{sim_dir / 'sim.sqlite'}?mode=ro", uri=True)
    out: dict[int, list[tuple]] = {}
    for row in db.execute("SELECT * FROM frames ORDER BY step, agent"):
        out.setdefault(row[0], []).append(row[2:])
    names = [json.loads(p)["name"] for (p,) in db.execute("SELECT persona FROM agents")]
    db.close()
    return out, names


def decode_moves(x0: int, y0: int, data: bytes, length: int) -> list[tuple[int, int]]:
    """Reference decoder of ``sitegen.pack.encode_moves`` (the page has its own in JS)."""
    out = [(x0, y0)]
    i = 0

    def varint() -> int:
        nonlocal i
        value = shift = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value

    def unzig(v: int) -> int:
        return -(v + 1) // 2 if v & 1 else v // 2

    while i < len(data):
        code = data[i]
        i += 1
        x, y = out[-1]
        if code < 9:
            out.append((x + code // 3 - 1, y + code % 3 - 1))
        elif code == 9:
            out += [(x, y)] * varint()
        else:
            dx = unzig(varint())
            out.append((x + dx, y + unzig(varint())))
    assert len(out) == length, (len(out), length)
    return out


def facing_at(frames: dict[int, list[tuple]], step: int, agent: int) -> str:
    """Reference facing (docs/replay-format.md): the direction of the agent's latest move at
    or before ``step``, the larger of its x and y (x on a tie), "down" before any move."""
    for s in range(step, 0, -1):
        (x1, y1), (x0, y0) = frames[s][agent][:2], frames[s - 1][agent][:2]
        dx, dy = x1 - x0, y1 - y0
        if dx or dy:
            if abs(dx) >= abs(dy):
                return "right" if dx > 0 else "left"
            return "down" if dy > 0 else "up"
    return "down"


def shared_site(tmp_path_factory, scenario: str, steps: int, lang: str | None = None) -> Path:
    """A bundled scenario run with the offline backend to ``steps`` and built, once per test
    session (later calls find it in the session's temp folder)."""
    from runner.batch import run_scenario
    from sitegen.build import build_site

    name = Path(scenario).stem
    root = tmp_path_factory.getbasetemp() / "shared-sims" / f"{name}-{steps}"
    site = root / name / f"site-{lang or 'default'}"
    if not (site / "index.html").is_file():
        path = ROOT / "scenarios" / scenario
        run_scenario(path, sim=name, steps=steps, out_root=root, llm="offline")
        build_site(root / name, site, lang)
    return site


def sim_of(site: Path) -> Path:
    """The sim folder a site from :func:`shared_site` was built from."""
    return site.parent


def map_of(site: Path):
    """The map path of the sim a site from :func:`shared_site` was built from."""
    from runner.scenario import load_scenario

    return load_scenario(sim_of(site) / "scenario.yaml").map


def launch_chromium():
    """A context manager giving a headless Chromium browser (skips without playwright)."""
    import contextlib

    import pytest

    sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (extra 'dev')")

    @contextlib.contextmanager
    def browser():
        with sync_api.sync_playwright() as p:
            b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield b
            finally:
                b.close()

    return browser()


def browser_fixture():
    """A module-scoped fixture giving one headless Chromium to a test module."""
    import pytest

    @pytest.fixture(scope="module")
    def chromium():
        with launch_chromium() as browser:
            yield browser

    return chromium


def site_fixture(scenario: str, steps: int):
    """A module-scoped fixture giving (site, frames, names) of a bundled scenario run to
    ``steps`` (see :func:`shared_site`)."""
    import pytest

    @pytest.fixture(scope="module")
    def built(tmp_path_factory):
        site = shared_site(tmp_path_factory, scenario, steps)
        frames, names = stored_frames(sim_of(site))
        return site, frames, names

    return built


DESKTOP = {"viewport": {"width": 1440, "height": 900}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}
LANDSCAPE = {
    "viewport": {"width": 844, "height": 390},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 3,
}


class Page:
    """A page of a built site, with what it logged and requested."""

    def __init__(self, browser, site: Path, fragment: str = "", init: str = "", **context):
        self.context = browser.new_context(**context)
        if init:
            self.context.add_init_script(init)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on(
            "console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.base = site.resolve().as_uri()
        self.page.goto(f"{self.base}/index.html{fragment}")
        self.page.wait_for_selector("body[data-ready]", state="attached", timeout=15000)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def wait(self, expression: str, arg=None, timeout: float = 15000) -> None:
        self.page.wait_for_function(expression, arg=arg, timeout=timeout)

    def settle(self) -> None:
        self.wait("() => ringworld.settled()")

    def zoom(self, scale: float, x: float, y: float) -> None:
        """Put the camera at tile point (x, y) with ``scale`` CSS pixels a tile."""
        self.js("([s, x, y]) => ringworld.look(x, y, s)", [scale, x, y])
        self.frame()

    def frame(self) -> None:
        """Wait until the page has drawn two more frames."""
        self.js("() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def tap_agent(self, name: str, touch: bool) -> None:
        point = self.js("(n) => ringworld.focus(n)", name)
        (self.page.touchscreen.tap if touch else self.page.mouse.click)(point["x"], point["y"])
        self.wait("(n) => ringworld.selected() === n", name)

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / name))
        return ARTIFACTS / name

    def close(self) -> None:
        self.context.close()


def crowded_site(site: Path, out: Path, step: int, size: int = 12) -> tuple[Path, tuple, list]:
    """The sim of a :func:`shared_site` rebuilt with a crowd on purpose: ``size`` agents on one
    tile of the café's dining area from a few steps before ``step`` to a few after, for tests
    of crowds that should not hang on where the offline policy puts everyone at lunch. Returns
    the new site, the crowd's tile and the names in it."""
    from sitegen.build import write_site
    from sitegen.simread import read_sim

    sim = read_sim(sim_of(site))
    room = [t for t in sim.town.tiles_of("霍布斯咖啡馆:用餐区") if sim.town.walkable(t)]
    tile = sorted(room)[len(room) // 2]
    span = slice(max(0, step - 3), step + 4)
    sim.x[span, :size], sim.y[span, :size] = tile
    names = [a["name"] for a in sim.agents[:size]]
    return write_site(sim, out, sim.language), tile, names
