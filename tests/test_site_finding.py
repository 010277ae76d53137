"""Finding one's way in a replay, in headless Chromium from file://: the timeline with the
game clock and its marks, the next-event and skip-the-night buttons, autoplay from the URL,
the search, the "who is where" list, the minimap, and the share link."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from site_helpers import (
    CHROMIUM,
    DESKTOP,
    Page,
    browser_fixture,
    map_of,
    shared_site,
    sim_of,
    stored_frames,
)

from runner.world.loader import load_map
from sitegen.pack import read_data_file

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
STEPS = 4700  # 00:00 to 13:03 of the 25-agent town (the same run as the defect tests)


chromium = browser_fixture()


@pytest.fixture(scope="module")
def town(tmp_path_factory):
    site = shared_site(tmp_path_factory, "town25.yaml", STEPS)
    frames, names = stored_frames(sim_of(site))
    talk = read_data_file(site / "data" / "talk.js")[1]["conversations"]
    meta = read_data_file(site / "data" / "meta.js")[1]
    return site, frames, names, talk, meta


def test_timeline_is_labelled_with_the_clock_and_marks_events(chromium, town):
    site, _, _, talk, meta = town
    page = Page(chromium, site, "", **DESKTOP)
    page.wait("() => ringworld.talkLoaded() && ringworld.timeline().talk > 0")
    timeline = page.js("ringworld.timeline()")
    texts = [label["text"] for label in timeline["labels"]]
    assert texts[0] == "2月13日" and "06:00" in texts and "12:00" in texts
    xs = [label["x"] for label in timeline["labels"]]
    assert xs == sorted(xs) and xs[-1] < timeline["width"]
    assert timeline["talk"] == len(talk)
    assert timeline["thought"] == len(meta["marks"]["thoughts"]) > 0
    # a label sits over the thumb's place for its hour: 06:00 is step 2160
    page.js("ringworld.seek(2160)")
    page.wait("() => ringworld.step() === 2160")
    page.frame()
    labels = page.js("ringworld.timeline()")["labels"]
    six = next(label["x"] for label in labels if label["text"] == "06:00")
    thumb = page.js(
        """() => { const r = document.getElementById('seek').getBoundingClientRect();
        const t = document.getElementById('timeline').getBoundingClientRect();
        return 8 + (2160 / (+document.getElementById('seek').max)) * (r.width - 16)
          + r.left - t.left; }"""
    )
    assert abs(thumb - six) < 1
    page.page.click("#lang-btn")
    page.wait("() => ringworld.timeline().labels[0].text === 'Feb 13'")
    assert page.errors == []
    page.close()


def test_next_event_and_skip_the_night(chromium, town):
    site, frames, names, talk, meta = town
    page = Page(chromium, site, "#step=300", **DESKTOP)  # 00:50, everyone asleep
    page.wait("() => ringworld.talkLoaded()")
    assert page.js("document.getElementById('skip-night').disabled") is False
    page.page.click("#skip-night")
    page.wait("() => ringworld.step() === 2160")  # 06:00
    assert "06:00:00" in page.js("document.getElementById('clock').textContent")
    page.frame()
    assert page.js("document.getElementById('skip-night').disabled") is True  # it is day
    events = sorted({c[0] for c in talk} | set(meta["marks"]["thoughts"]))
    following = next(s for s in events if s > 2160)
    page.page.click("#next-event")
    page.wait(f"() => ringworld.step() === {following}")
    conversation = next((c for c in talk if c[0] == following), None)
    if conversation:  # the camera goes to the two who talk
        page.frame()
        figures = page.js("ringworld.figures()")
        view = page.js("ringworld.view()")
        for a in conversation[2:4]:
            x, y, w, h = figures[names[a]]["box"]
            assert x >= 0 and x + w <= view["w"] and y >= 0 and y + h <= view["h"]
    page.close()


def test_autoplay_from_the_url(chromium, town):
    site, *_ = town
    page = Page(chromium, site, "#step=2500&speed=4&play=1", **DESKTOP)
    assert page.js("ringworld.playing()") is True
    page.wait("() => ringworld.step() > 2510")
    page.close()
    page = Page(chromium, site, "#step=2500", **DESKTOP)
    page.frame()
    assert page.js("ringworld.playing()") is False and page.js("ringworld.step()") == 2500
    page.close()


def test_search_finds_an_agent_and_centres_it(chromium, town):
    site, frames, names, _, meta = town
    step = 3000
    page = Page(chromium, site, f"#step={step}", **DESKTOP)
    page.zoom(10, 50, 35)
    who = _inland(frames, step, meta)
    english = meta["agents"][who]["name_en"]
    page.page.fill("#search", english.split()[0].lower())  # by part of the English name
    rows = page.js(
        "() => [...document.querySelectorAll('#agent-list .who')].map((e) => e.textContent)"
    )
    assert rows == [names[who]]
    page.page.press("#search", "Enter")
    page.wait("(n) => ringworld.selected() === n", names[who])
    x, y = frames[step][who][:2]
    assert page.js("ringworld.camera()") == [x + 0.5, y + 0.5, 20]  # zoomed in to see who
    assert page.js("ringworld.figures()")[names[who]]["drawn"]
    page.page.click('#tabs button[data-tab="agents"]')
    page.page.fill("#search", "nobody-has-this-name")
    assert page.js("document.getElementById('search-empty').hidden") is False
    page.close()


def test_who_is_where_groups_people_by_place(chromium, town):
    site, frames, names, _, _ = town
    step = 3600  # 10:00
    grid = load_map(map_of(site), "zh")
    expected: dict[str, set[str]] = {}
    for a, name in enumerate(names):
        x, y = frames[step][a][:2]
        parts = grid.address_at((x, y)).split(":")
        expected.setdefault(parts[1] if len(parts) > 1 else "街上", set()).add(name)
    page = Page(chromium, site, f"#step={step}", **DESKTOP)
    shown = page.js(
        """() => { const out = {}; let place = null;
        for (const li of document.getElementById('agent-list').children) {
          if (li.classList.contains('place-head')) {
            place = li.querySelector('.place-name').textContent; out[place] = [];
          } else out[place].push(li.querySelector('.who').textContent); }
        return out; }"""
    )
    assert {k: set(v) for k, v in shown.items()} == expected
    assert len(expected) >= 4
    page.close()


def test_minimap_moves_the_camera(chromium, town):
    site, *_ = town
    page = Page(chromium, site, "#step=3000", **DESKTOP)
    page.zoom(32, 10, 10)
    box = page.page.locator("#minimap").bounding_box()
    w, h = page.js("ringworld.view().town")
    page.page.mouse.click(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.6)
    cx, cy, scale = page.js("ringworld.camera()")
    assert cx == pytest.approx(0.75 * w, abs=0.6) and cy == pytest.approx(0.6 * h, abs=0.6)
    assert scale == 32
    page.close()


def _inland(frames, step: int, meta: dict) -> int:
    """An agent far enough from the edges of the map at ``step`` for a 1440x900 view at 20
    pixels a tile to centre on it."""
    w, h = meta["town"]["width"], meta["town"]["height"]
    return next(
        a for a, (x, y, *_) in enumerate(frames[step]) if 28 <= x < w - 28 and 22 <= y < h - 22
    )


def test_share_link_restores_step_agent_and_follow(chromium, town):
    site, frames, names, _, meta = town
    a = _inland(frames, 3333, meta)
    who = names[a]
    page = Page(chromium, site, f"#step=3333&agent={quote(who)}&follow=1", **DESKTOP)
    assert page.js("ringworld.step()") == 3333
    assert page.js("ringworld.selected()") == who and page.js("ringworld.following()") is True
    x, y = frames[3333][a][:2]
    assert page.js("ringworld.camera()")[:2] == [x + 0.5, y + 0.5]
    page.js("ringworld.seek(3400)")
    page.wait("() => ringworld.step() === 3400")
    page.page.click("#agent-share")
    link = page.js("document.getElementById('share-url').value")
    assert f"#step=3400&speed=2&agent={quote(who)}&follow=1&view=" in link
    page.wait("() => document.getElementById('share-note').textContent !== ''")
    page.close()
    again = Page(chromium, site, "#" + link.split("#")[1], **DESKTOP)
    assert again.js("ringworld.step()") == 3400
    assert again.js("ringworld.selected()") == who and again.js("ringworld.following()") is True
    assert again.js("document.getElementById('agent-follow').classList.contains('active')")
    again.close()
    by_english = Page(chromium, site, "#step=10&agent=" + quote("Maria Lopez"), **DESKTOP)
    assert by_english.js("ringworld.selected()") == "玛丽亚·洛佩兹"  # either name works
    by_english.close()
