"""The replay as a living town, in headless Chromium from file://: sprites drawn in each
agent's colours, walking and facing as the frames say, objects in use, day and night, speech
bubbles that stay long enough to read, crowds whose labels do not pile up; and the
screenshots of it in test-artifacts/."""

from __future__ import annotations

import numpy as np
import pytest
from site_helpers import (
    CHROMIUM,
    DESKTOP,
    LANDSCAPE,
    PHONE,
    Page,
    browser_fixture,
    crowded_site,
    facing_at,
    map_of,
    site_fixture,
    write_sim,
)

from runner.world.loader import load_map
from sitegen.art.figures import looks
from sitegen.art.pixels import COLOURS
from sitegen.build import write_site
from sitegen.pack import read_data_file
from sitegen.simread import read_sim

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
NOON, LUNCH, NIGHT = 4320, 4560, 8000  # 12:00, 12:40, 22:13


chromium = browser_fixture()


town25 = site_fixture("town25.yaml", 8640)


def _colours(page: Page, layer: str, box: list[float]) -> set[tuple[int, int, int]]:
    """Opaque colours in a CSS-pixel box of a canvas layer."""
    dpr = page.js("ringworld.view().dpr")
    x, y, w, h = (round(v * dpr) for v in box)
    data = page.js("([l, x, y, w, h]) => ringworld.pixels(l, x, y, w, h)", [layer, x, y, w, h])
    rgba = np.array(data, dtype=np.uint8).reshape(-1, 4)
    return {tuple(int(c) for c in p[:3]) for p in rgba if p[3] == 255}


def _alone(page: Page, names: list[str]) -> str:
    """An agent drawn alone on its tile, away from the view's edges."""
    figures = page.js("ringworld.figures()")
    view = page.js("ringworld.view()")
    for name in names:
        f = figures[name]
        x, y, w, h = f["box"]
        inside = w < x < view["w"] - 2 * w and h < y < view["h"] - 2 * h
        if f["drawn"] and f["crowd"] == 1 and inside:
            return name
    raise AssertionError("no agent stands alone in view")


def _centre_on_one_alone(page: Page, names: list[str]) -> str:
    """Centres the camera on each agent in turn until one stands alone in view."""
    for name in names:
        page.js("(n) => ringworld.focus(n)", name)
        page.frame()
        try:
            return _alone(page, [name])
        except AssertionError:
            continue
    raise AssertionError("no agent stands alone anywhere")


def test_figures_are_sprites_in_each_agents_own_colours(chromium, town25):
    site, frames, names = town25
    page = Page(chromium, site, f"#step={NOON}", **DESKTOP)
    page.zoom(32, 50, 35)
    ages = [p["age"] for p in read_data_file(site / "data" / "meta.js")[1]["agents"]]
    colours = {name: look["colours"] for name, look in zip(names, looks(names, ages))}
    checked = 0
    for name in names:
        try:
            who = _centre_on_one_alone(page, [name])
        except AssertionError:
            continue
        seen = _colours(page, "top", page.js("ringworld.figures()")[who]["box"])
        slots = colours[who]
        for slot in (2, 4, 6):  # skin, hair, shirt (sitegen.art.figures.SLOTS)
            assert tuple(slots[slot][:3]) in seen, (who, slot)
        assert tuple(slots[1][:3]) in seen and len(seen) >= 5  # an outline: a figure, no disc
        checked += 1
        if checked == 3:
            break
    assert checked == 3
    # the map is tiles: water is drawn in the water tile's colours
    town = load_map(map_of(site), "zh")
    wy, wx = (int(v[0]) for v in np.nonzero(town.water))
    water = {COLOURS[c][:3] for c in ("water", "water_deep", "water_light", "dirt_light")}
    assert tuple(page.js(f"ringworld.mapPixel({wx}, {wy + 1})")) in water
    assert page.errors == []
    page.close()


def test_walking_figures_face_where_they_went(chromium, town25):
    site, frames, names = town25
    start = 2600  # 07:13: the town is up and walking
    page = Page(chromium, site, f"#step={start}&speed=1", **DESKTOP)
    page.zoom(20, 50, 35)
    page.js("ringworld.play()")
    # while playing slowly, some figure is caught between two tiles in a step of its walk
    page.wait(
        """() => Object.values(ringworld.figures()).some((f) => f.pose === 'walk')
            && Object.values(ringworld.drawnPositions()).some(([x, y]) => x % 1 || y % 1)""",
        timeout=20000,
    )
    page.js("ringworld.setSpeed(4)")
    page.wait(f"() => ringworld.step() >= {start + 40}", timeout=20000)
    page.js("ringworld.pause()")
    page.settle()
    step = page.js("ringworld.step()")
    drawn = page.js("ringworld.drawnPositions()")
    figures = page.js("ringworld.figures()")
    assert drawn == {n: list(frames[step][a][:2]) for a, n in enumerate(names)}
    assert {n: figures[n]["facing"] for n in names} == {
        n: facing_at(frames, step, a) for a, n in enumerate(names)
    }
    assert len({f["facing"] for f in figures.values()}) >= 2  # not all the same way
    for a, name in enumerate(names):  # asleep (😴) lie down, the others stand
        assert (figures[name]["pose"] == "sleep") == (frames[step][a][3] == "😴"), name
    assert page.errors == []
    page.close()


def _in_use(frames, town, step: int) -> set[str]:
    """Objects whose address an agent names while it stands still on one of their tiles."""
    out = set()
    for a, (x, y, _action, _emoji, address, *_) in enumerate(frames[step]):
        still = frames[step - 1][a][:2] == (x, y)
        if address.count(":") >= 3 and still and town.address_at((x, y)) == address:
            out.add(address.split(":")[3])
    return out


def test_objects_in_use_are_drawn_in_use(chromium, town25):
    site, frames, names = town25
    town = load_map(map_of(site), "zh")
    step = next(s for s in range(NOON - 120, NOON) if len(_in_use(frames, town, s)) >= 3)
    expected = _in_use(frames, town, step)  # before noon: the counter, the coffee machine …
    page = Page(chromium, site, f"#step={step}", **DESKTOP)
    used = page.js("ringworld.inUse()")
    assert {u["object"] for u in used} == expected
    # the mark is drawn: the top canvas is not empty just above an object in use
    page.zoom(32, used[0]["rect"][0] + 0.5, used[0]["rect"][1] + 0.5)
    x0, y0 = used[0]["rect"][:2]
    box = page.js(
        "([x, y]) => { const s = ringworld.camera()[2];"
        " return [...ringworld.toScreen(x, y - 1), s, 2 * s]; }",
        [x0, y0],
    )
    assert _colours(page, "top", box)
    page.close()


def test_object_events_show_when_the_sim_has_them(chromium, tmp_path):
    sim = read_sim(write_sim(tmp_path / "events", steps=120))
    event = "正在煮咖啡 <b>☕</b>"
    coffee = next(a for a in sim.town.addresses if a.endswith("咖啡机"))
    column = np.full(sim.x.shape, "", dtype=object)
    column[50:70, 2] = event
    sim.text["object_event"] = column
    sim.text["address"][50:70, 2] = coffee  # agent 2 says it uses the coffee machine
    site = write_site(sim, tmp_path / "site", "zh")
    _, chunk = read_data_file(site / "data" / "steps-0000.js")
    assert chunk["strings"][chunk["object_event"][2][3]] == event  # packed like "action"
    page = Page(chromium, site, "#step=60&agent=" + sim.agents[2]["name"], **DESKTOP)
    assert page.js("document.getElementById('agent-event').textContent") == event
    assert page.js("document.getElementById('agent-event-row').hidden") is False
    assert [u["object"] for u in page.js("ringworld.inUse()")] == ["咖啡机"]
    captions = [b for b in page.js("ringworld.labels()") if b["kind"] == "caption"]
    assert captions and captions[0]["who"] == sim.agents[2]["name"]
    assert page.js("document.querySelectorAll('#agent-event b').length") == 0  # text only
    page.js("ringworld.seek(80)")
    page.wait("() => ringworld.step() === 80")
    assert page.js("document.getElementById('agent-event-row').hidden") is True
    assert page.errors == []
    page.close()


def test_day_and_night_with_lit_windows(chromium, town25):
    site, _, _ = town25
    page = Page(chromium, site, f"#step={NOON}", **DESKTOP)
    page.zoom(20, 40, 20)
    day = page.js("ringworld.pixels('map', 100, 500, 1, 1)")
    assert page.js("ringworld.darkness()") == 0
    page.shot("replay-desktop-day.png")
    page.js(f"ringworld.seek({NIGHT})")
    page.wait(f"() => ringworld.step() === {NIGHT}")
    page.frame()
    assert page.js("ringworld.darkness()") == 1
    night = page.js("ringworld.pixels('map', 100, 500, 1, 1)")
    assert sum(night[:3]) < 0.6 * sum(day[:3])  # the same spot, darker
    lit = page.js("ringworld.litSectors()")
    assert lit  # somebody is awake somewhere
    # a window of a lit sector glows in the lit-window colour
    windows = [[w["x"], w["y"]] for w in page.js("ringworld.windows()") if w["place"] in lit]
    assert windows
    x, y = windows[0]
    page.zoom(20, x + 0.5, y + 0.5)
    box = page.js("([x, y]) => [...ringworld.toScreen(x, y), 20, 20]", [x, y])
    assert tuple(COLOURS["glass_lit"][:3]) in _colours(page, "map", box)
    page.zoom(18, 40, 20)
    page.shot("replay-desktop-night.png")
    assert page.errors == []
    page.close()


# Waits (each frame, with a deadline) for a bubble of `who`, then until it goes; returns
# when it went up, its minimum time, when it went, and whether it was on screen all along.
WATCH_BUBBLE = """([who, deadline]) => new Promise((done, fail) => {
    const t0 = performance.now();
    let shown = null;
    let visible = true;
    let held = false;
    const look = () => {
        const b = ringworld.bubbles().find((b) => b.who === who);
        held = held || ringworld.held();
        if (!shown && b) shown = b;
        if (shown) {
            if (!b || b.text !== shown.text) {
                return done({since: shown.since, min: shown.min, gone: performance.now(),
                    visible, held, text: shown.text});
            }
            visible = visible && b.onScreen;
        }
        if (performance.now() - t0 > deadline) return fail(new Error("no bubble came and went"));
        requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
})"""


def _at_a_conversation(chromium, town25, before: int) -> tuple[Page, int, int]:
    """A desktop page at speed 5, ``before`` steps before a morning conversation, the camera
    on its first speaker; returns the page, the conversation's first step and the speaker."""
    site, frames, _ = town25
    talk = read_data_file(site / "data" / "talk.js")[1]["conversations"]
    start, _end, a, _b, _place, _lines = next(c for c in talk if c[0] > 2500)
    x, y = frames[start][a][:2]
    page = Page(chromium, site, f"#step={start - before}&speed=5", **DESKTOP)
    page.zoom(28, x + 0.5, y + 0.5)
    return page, start, a


def test_a_bubble_stays_its_minimum_time_at_speed_5(chromium, town25):
    names = town25[2]
    page, start, a = _at_a_conversation(chromium, town25, 3)
    page.js("ringworld.setEase(true)")  # the viewer asked for playback to wait for talk
    page.js(f"ringworld.select({names[a]!r})")
    page.js("ringworld.play()")
    watched = page.js(WATCH_BUBBLE, [names[a], 20000])
    assert watched["gone"] - watched["since"] >= watched["min"] >= 2500
    assert watched["min"] >= 70 * len(watched["text"])
    assert watched["visible"] and watched["held"]  # on screen throughout; playback waited
    assert page.js("ringworld.step()") > start  # and then went on
    page.close()


def test_easing_is_off_by_default_and_can_be_turned_on_and_off(chromium, town25):
    page, start, _ = _at_a_conversation(chromium, town25, 0)
    assert page.js("ringworld.ease()") is False
    page.page.click("#ease-btn")
    assert page.js("ringworld.ease()") is True
    page.wait("() => location.hash.includes('ease=1')")
    page.page.click("#ease-btn")
    assert page.js("ringworld.ease()") is False
    assert page.js("document.getElementById('ease-btn').getAttribute('aria-pressed')") == "false"
    page.wait("() => !location.hash.includes('ease=')")
    page.js("ringworld.play()")
    t0 = page.js("ringworld.now()")
    page.wait(f"() => ringworld.step() >= {start + 60}", timeout=10000)
    seconds = (page.js("ringworld.now()") - t0) / 1000
    assert seconds < 60 / 15  # far quicker than one line every 2.5 s: nothing held it
    assert page.js("ringworld.held()") is False
    page.close()


def _overlaps(boxes: list[list[float]]) -> list[tuple[int, int]]:
    out = []
    for i, (x, y, w, h) in enumerate(boxes):
        for j, (u, v, p, q) in enumerate(boxes[:i]):
            if x < u + p and u < x + w and y < v + q and v < y + h:
                out.append((i, j))
    return out


def test_a_crowd_in_the_cafe_keeps_its_labels_apart(chromium, town25, tmp_path):
    site, crowd, _ = crowded_site(town25[0], tmp_path / "site", LUNCH)
    page = Page(chromium, site, f"#step={LUNCH}", **DESKTOP)
    page.zoom(36, crowd[0] + 0.5, crowd[1])
    labels = page.js("ringworld.labels()")  # with the place names under them (a name may
    assert _overlaps([b["box"] for b in labels if b["kind"] != "place"]) == []  # sit on one)
    kinds = {b["kind"] for b in labels}
    assert {"name", "more"} <= kinds  # one name for the crowd, and "+N" for the rest
    page.shot("replay-cafe-crowd.png")
    figures = page.js("ringworld.figures()")
    assert max(f["crowd"] for f in figures.values()) >= 10
    spread = {tuple(f["box"][:2]) for f in figures.values() if f["crowd"] >= 10}
    assert len(spread) >= 10  # a crowd on one tile stands side by side, not in one spot
    page.close()


def test_screenshots_of_phones_and_a_room(chromium, town25):
    site, frames, names = town25
    for name, context in (("portrait", PHONE), ("landscape", LANDSCAPE)):
        page = Page(chromium, site, f"#step={NOON}", **context)
        boxes = page.js("ringworld.figures()")
        view = page.js("ringworld.view()")
        seen = [
            n
            for n, f in boxes.items()
            if f["drawn"] and 0 <= f["box"][0] < view["w"] and 0 <= f["box"][1] < view["h"]
        ]
        assert len(seen) >= 3, name  # the first view is on the agents
        page.shot(f"replay-phone-{name}.png")
        assert page.errors == []
        page.close()
    # a close-up of one room: Isabella's bedroom at 06:30, as she gets up
    page = Page(chromium, site, "#step=2340", **DESKTOP)
    x, y = frames[2340][0][:2]
    page.zoom(64, x + 0.5, y + 0.5)
    page.shot("replay-room-close-up.png")
    page.close()


def test_hovering_an_agent_shows_what_it_does(chromium, town25):
    site, frames, names = town25
    page = Page(chromium, site, f"#step={NOON}", **DESKTOP)
    page.zoom(32, 50, 35)
    who = _centre_on_one_alone(page, names)
    x, y, w, h = page.js("ringworld.figures()")[who]["box"]
    canvas = page.page.locator("#town").bounding_box()
    page.page.mouse.move(canvas["x"] + x + w / 2, canvas["y"] + y + h / 2)
    page.wait("(n) => ringworld.hovered() === n", who)
    page.frame()
    captions = [b for b in page.js("ringworld.labels()") if b["kind"] == "caption"]
    assert [c["who"] for c in captions] == [who]
    a = names.index(who)
    _x, _y, action, emoji, _address, _chat, event = frames[NOON][a]
    doing = f"{emoji} {action}"  # and what the object it uses is doing
    assert page.js("ringworld.captions()")[who] == (f"{doing} · {event}" if event else doing)
    page.page.mouse.move(canvas["x"] + 2, canvas["y"] + 2)
    page.wait("() => ringworld.hovered() === null")
    page.close()
