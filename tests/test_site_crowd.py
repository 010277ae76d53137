"""The replay of a crowded town, in headless Chromium from file://: a town of 200 made by
``rw-batch new-town``, run offline for a few minutes of a morning. The residents panel is a
virtual list (few rows in the DOM, grouped by place, searchable), a resident can be followed
and found from a share link, and no two labels (names, bubbles, place names) overlap at the
least, the first and the greatest zoom."""

from __future__ import annotations

from urllib.parse import quote

import pytest
import yaml
from site_helpers import CHROMIUM, DESKTOP, PHONE, Page, browser_fixture, stored_frames

from runner.batch import run_scenario
from runner.scenario import load_scenario
from runner.towngen import new_town
from runner.world.loader import load_map
from sitegen.build import build_site
from sitegen.pack import read_data_file

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
RESIDENTS = 200
STEPS = 40  # 08:00 to 08:06:40: most are on their way out
STEP = 30
MAX_ZOOM = 96  # camera.js

chromium = browser_fixture()


@pytest.fixture(scope="module")
def crowd(tmp_path_factory):
    """(site, frames, names, meta, where): ``where[a]`` is the heading agent a is listed under
    at STEP (its building, or 街上 outdoors)."""
    root = tmp_path_factory.mktemp("crowd")
    scenario, _ = new_town("crowd", RESIDENTS, seed=0, out=root)
    data = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    data["start"] = "2023-02-13 08:00:00"
    scenario.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run_scenario(scenario, steps=STEPS, out_root=root / "sims", llm="offline")
    site = build_site(root / "sims" / "crowd", root / "site")
    frames, names = stored_frames(root / "sims" / "crowd")
    meta = read_data_file(site / "data" / "meta.js")[1]
    grid = load_map(load_scenario(scenario).map, "zh")
    where = []
    for x, y, *_ in frames[STEP]:
        parts = grid.address_at((x, y)).split(":")
        where.append(parts[1] if len(parts) > 1 else "街上")
    return site, frames, names, meta, where


LISTED = """() => [...document.querySelectorAll('#agent-list > li')].map((li) =>
    li.classList.contains('place-head')
        ? ['head', li.querySelector('.place-name').textContent,
           +li.querySelector('.count').textContent]
        : ['row', li.querySelector('.who').textContent])"""


def _scroll_through(page: Page) -> tuple[list[list], int]:
    """Scroll the residents list from top to bottom a screen at a time: (every entry seen, in
    order, without repeats; the most <li> in the DOM at once)."""
    seen: list[list] = []
    most = 0
    page.js("document.getElementById('tab-agents').scrollTop = 0")
    while True:
        page.frame()
        shown = page.js(LISTED)
        most = max(most, len(shown))
        for entry in shown:
            if entry not in seen:
                seen.append(entry)
        moved = page.js(
            """() => { const box = document.getElementById('tab-agents');
            const before = box.scrollTop; box.scrollTop += box.clientHeight;
            return box.scrollTop > before; }"""
        )
        if not moved:
            page.frame()
            seen += [e for e in page.js(LISTED) if e not in seen]
            return seen, most


def test_the_residents_list_keeps_few_rows_in_the_dom_and_groups_by_place(chromium, crowd):
    site, _, names, _, where = crowd
    page = Page(chromium, site, f"#step={STEP}", **DESKTOP)
    page.frame()
    first = page.js(LISTED)
    assert 10 <= len(first) <= 80  # of more than RESIDENTS entries
    seen, most = _scroll_through(page)
    assert most <= 80
    rows = [e[1] for e in seen if e[0] == "row"]
    assert sorted(rows) == sorted(names)  # everyone is there, once
    place = None
    heads = [e for e in seen if e[0] == "head"]
    for entry in seen:
        if entry[0] == "head":
            place = entry[1]
        else:
            assert where[names.index(entry[1])] == place, entry
    assert {h[1] for h in heads} == set(where) and len(heads) == len(set(where)) >= 10
    assert all(h[2] == where.count(h[1]) for h in heads)  # "N people here"
    assert heads[-1][1] == "街上"  # outdoors last
    page.close()


def test_search_finds_a_resident_far_down_the_list(chromium, crowd):
    site, frames, names, meta, where = crowd
    page = Page(chromium, site, f"#step={STEP}", **PHONE)
    page.page.click("#panel-btn")
    shown = [e[1] for e in page.js(LISTED) if e[0] == "row"]
    english = [agent["name_en"] for agent in meta["agents"]]
    who = next(
        a
        for a in range(RESIDENTS - 1, 0, -1)
        if names[a] not in shown and english.count(english[a]) == 1
    )
    page.page.fill("#search", english[who].lower())  # by the English name, in lower case
    assert page.js(LISTED) == [["head", where[who], 1], ["row", names[who]]]
    page.page.fill("#search", names[who])
    assert [e[1] for e in page.js(LISTED) if e[0] == "row"] == [names[who]]
    page.page.press("#search", "Enter")
    page.wait("(n) => ringworld.selected() === n", names[who])
    page.frame()
    assert page.js("ringworld.figures()")[names[who]]["drawn"]
    page.page.click('#tabs button[data-tab="agents"]')
    page.page.fill("#search", "nobody-has-this-name")
    assert page.js(LISTED) == [] and page.js("!document.getElementById('search-empty').hidden")
    page.close()


# Each frame while playing to step `until`: whether the followed agent's figure is drawn
# wholly inside the part of the town not covered by the panel, and where the camera is (an
# error in a frame rejects, rather than leaving the test waiting).
WATCH = """([name, until]) => new Promise((done, fail) => {
    const canvas = document.getElementById('town').getBoundingClientRect();
    const side = document.getElementById('side').getBoundingClientRect();
    const out = [];
    const tick = () => { try {
        const view = ringworld.view();
        const bottom = side.top > canvas.top ? Math.min(view.h, side.top - canvas.top) : view.h;
        const f = ringworld.figure(name);
        const [x, y, w, h] = f.box;
        out.push([f.drawn && x >= 0 && y >= 0 && x + w <= view.w && y + h <= bottom,
                  ringworld.camera()]);
        if (ringworld.step() < until && ringworld.playing()) requestAnimationFrame(tick);
        else { ringworld.pause(); done(out); }
    } catch (e) { fail(e); } };
    requestAnimationFrame(tick);
})"""


def _walker(frames, start: int, end: int) -> int:
    """The agent that walks the most tiles from ``start`` to ``end``."""

    def walked(a: int) -> int:
        tiles = [frames[s][a][:2] for s in range(start, end + 1)]
        return sum(p != q for p, q in zip(tiles, tiles[1:]))

    return max(range(len(frames[start])), key=walked)


def test_a_resident_from_a_share_link_is_followed_while_playing(chromium, crowd):
    site, frames, names, _, _ = crowd
    start, end = 5, 25
    a = _walker(frames, start, end)
    link = f"#step={start}&speed=3&agent={quote(names[a])}&follow=1"
    page = Page(chromium, site, link, **PHONE)
    assert page.js("ringworld.selected()") == names[a] and page.js("ringworld.following()")
    assert page.js("document.getElementById('agent-name').textContent") == names[a]
    page.js("ringworld.play()")
    seen = page.js(WATCH, [names[a], end])
    step = page.js("ringworld.step()")  # (a frame may play more than one step)
    assert end <= step <= end + 8 and len(seen) >= 20
    assert all(inside for inside, _ in seen)  # on screen in every frame
    cameras = {tuple(camera[:2]) for _, camera in seen}
    assert len(cameras) >= 5  # the camera went with them
    page.frame()
    x, y = frames[step][a][:2]
    cx, cy, _ = page.js("ringworld.camera()")
    assert abs(cx - x - 0.5) < 1 and abs(cy - y - 0.5) < 12  # above the panel on a phone
    page.close()


# The labels laid out (place names included), less the box kept for the talk line over the town
# (the ticker: an overlay of the page, not a label on the map).
LABELS = """() => { const places = new Set(ringworld.placeLabels().map((l) => l.box.join()));
    return ringworld.labels().filter((l) => l.kind !== 'place' || places.has(l.box.join())); }"""


def _overlapping(labels: list[dict]) -> list[tuple]:
    """Pairs of labels (of any kinds: names, "+N", bubbles, captions, place names) whose boxes
    overlap."""

    def hit(p, q):
        (x, y, w, h), (u, v, s, t) = p["box"], q["box"]
        return x < u + s and u < x + w and y < v + t and v < y + h

    return [(p, q) for i, p in enumerate(labels) for q in labels[i + 1 :] if hit(p, q)]


@pytest.mark.parametrize("context", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_labels_of_people_and_places_never_overlap_at_any_zoom(chromium, crowd, context):
    site, frames, *_ = crowd
    page = Page(chromium, site, f"#step={STEP}", **context)
    page.wait("() => ringworld.talkLoaded()")
    default = page.js("ringworld.camera()")
    labels = page.js(LABELS)
    kinds = [label["kind"] for label in labels]
    assert kinds.count("name") >= 5 and "place" in kinds  # the first view: a crowd, named
    assert _overlapping(labels) == []
    page.zoom(0.01, default[0], default[1])  # the least zoom: the whole town
    assert page.js("ringworld.camera()")[2] == pytest.approx(page.js("ringworld.view().fit"))
    labels = page.js(LABELS)
    assert len(labels) >= 5 and _overlapping(labels) == []
    # the greatest zoom, on the tile with the most people
    tiles = [tuple(f[:2]) for f in frames[STEP]]
    x, y = max(set(tiles), key=tiles.count)
    page.zoom(MAX_ZOOM, x + 0.5, y + 0.5)
    labels = page.js(LABELS)
    assert "name" in {label["kind"] for label in labels}
    assert _overlapping(labels) == []
    page.close()


def test_a_resident_from_a_share_link_is_in_sight_in_the_list(chromium, crowd):
    site, _, names, _, where = crowd
    page = Page(chromium, site, f"#step={STEP}", **DESKTOP)
    shown = {e[1] for e in page.js(LISTED) if e[0] == "row"}
    page.close()
    who = next(a for a in range(RESIDENTS - 1, 0, -1) if names[a] not in shown)
    page = Page(chromium, site, f"#step={STEP}&agent={quote(names[who])}", **DESKTOP)
    assert page.js("ringworld.selected()") == names[who]
    assert page.js("(n) => ringworld.figure(n).drawn", names[who])  # the camera went there
    page.page.click('#tabs button[data-tab="agents"]')
    page.frame()
    seen = page.js(
        """() => { const row = document.querySelector('#agent-list .chosen');
        const box = document.getElementById('tab-agents').getBoundingClientRect();
        const r = row.getBoundingClientRect();
        const inside = r.top >= box.top && r.bottom <= box.bottom;
        return [row.querySelector('.who').textContent, inside]; }"""
    )
    assert seen == [names[who], True]
    page.close()
