"""What a first visit to the replay found wrong, one browser test each (headless Chromium from
file://): every one of these failed on the page before the living-town rework."""

from __future__ import annotations

import re

import pytest
from site_helpers import (
    CHROMIUM,
    DESKTOP,
    LANDSCAPE,
    PHONE,
    Page,
    browser_fixture,
    crowded_site,
    site_fixture,
    write_sim,
)

from sitegen.build import build_site
from sitegen.pack import read_data_file

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
LUNCH = 4560  # 12:40 (crowds are made on purpose: crowded_site)


chromium = browser_fixture()


town = site_fixture("town25.yaml", 4700)
demo = site_fixture("demo.yaml", 3300)


def _inside(box, view) -> bool:
    x, y, w, h = box
    return x >= 0 and y >= 0 and x + w <= view["w"] and y + h <= view["h"]


def _middle_agent(frames, step: int) -> int:
    """An agent the camera can centre on at 20 pixels a tile in a 1440x900 view."""
    return next(a for a, (x, y, *_) in enumerate(frames[step]) if 28 <= x < 72 and 22 <= y < 48)


def test_the_figure_on_top_of_a_crowd_can_be_picked(chromium, town, tmp_path):
    site, crowd, crowded = crowded_site(town[0], tmp_path / "site", LUNCH)
    page = Page(chromium, site, f"#step={LUNCH}", **DESKTOP)
    page.zoom(40, crowd[0] + 0.5, crowd[1] + 0.5)
    order = page.js("ringworld.drawOrder()")
    figures = page.js("ringworld.figures()")
    members = [n for n in order if n in crowded]
    assert len(members) >= 10
    top = members[-1]
    later = [figures[n]["box"] for n in order[order.index(top) + 1 :]]
    x, y, w, h = figures[top]["box"]
    point = next(
        (x + w * i / 8, y + h * j / 8)
        for j in range(2, 7)
        for i in range(1, 8)
        if not any(
            u <= x + w * i / 8 <= u + p and v <= y + h * j / 8 <= v + q for u, v, p, q in later
        )
    )
    canvas = page.page.locator("#town").bounding_box()
    page.page.mouse.click(canvas["x"] + point[0], canvas["y"] + point[1])
    page.wait("(n) => ringworld.selected() === n", top)
    page.close()


def _pick_from_list(chromium, town) -> tuple[Page, int]:
    """A desktop page at step 3000 with an agent chosen in the list."""
    site, frames, names = town
    page = Page(chromium, site, "#step=3000", **DESKTOP)
    a = _middle_agent(frames, 3000)
    page.page.click(f"#agent-list button:has-text('{names[a]}')")
    page.wait("(n) => ringworld.selected() === n", names[a])
    return page, a


def test_a_name_in_the_list_takes_the_camera_there(chromium, town):
    _, frames, _ = town
    page, a = _pick_from_list(chromium, town)
    x, y = frames[3000][a][:2]
    assert page.js("ringworld.camera()") == [x + 0.5, y + 0.5, 20]
    page.close()


def test_follow_turns_off_when_a_drag_ends_it(chromium, town):
    page, _ = _pick_from_list(chromium, town)
    page.page.click("#agent-follow")
    assert page.js("ringworld.following()") is True
    assert page.js("document.getElementById('agent-follow').classList.contains('active')")
    page.page.mouse.move(400, 400)
    page.page.mouse.down()
    page.page.mouse.move(300, 350, steps=8)
    page.page.mouse.up()
    assert page.js("ringworld.following()") is False
    button = page.js(
        "() => [document.getElementById('agent-follow').textContent,"
        " document.getElementById('agent-follow').classList.contains('active')]"
    )
    assert button == ["跟随", False]
    page.close()


def test_the_first_view_on_a_phone_shows_the_agents(chromium, demo, town):
    # at 20 CSS pixels a tile (a person 25 pixels tall) a phone holds about 19 x 30 tiles
    for (site, _, names), least in ((demo, 2), (town, 6)):
        page = Page(chromium, site, "#step=0", **PHONE)  # step 0: all asleep, far apart
        figures = page.js("ringworld.figures()")
        view = page.js("ringworld.view()")
        seen = [n for n, f in figures.items() if f["drawn"] and _inside(f["box"], view)]
        assert len(seen) >= least, (names, seen)
        assert page.js("ringworld.camera()")[2] >= 19.2  # a person >= 24 CSS pixels tall
        page.close()


def test_wheel_zoom_stops_at_the_whole_town(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "#step=3000", **DESKTOP)
    page.page.mouse.move(500, 400)
    for _ in range(15):
        page.page.mouse.wheel(0, 600)
    page.frame()
    view = page.js("ringworld.view()")
    scale = page.js("ringworld.camera()")[2]
    assert scale == pytest.approx(view["fit"])  # no further out than the whole town
    w, h = view["town"]
    assert w * scale == pytest.approx(view["w"]) or h * scale == pytest.approx(view["h"])
    page.close()


def test_a_conversation_from_the_log_keeps_the_log_and_shows_the_pair(chromium, town):
    site, frames, names = town
    page = Page(chromium, site, "#step=4000", **DESKTOP)
    page.wait("() => ringworld.talkLoaded()")
    page.page.click('#tabs button[data-tab="talk"]')
    before = page.js("document.querySelectorAll('#talk-log > li:not([hidden])').length")
    talk = read_data_file(site / "data" / "talk.js")[1]["conversations"]
    older = [c for c in talk if c[0] < 4000]
    pick = older[-5]  # the log lists the latest first
    index = talk.index(pick)
    page.page.locator("#talk-log > li").nth(len(talk) - 1 - index).locator(".talk-head").click()
    page.wait(f"() => ringworld.step() === {pick[0]}")
    page.frame()
    assert page.js("document.getElementById('tab-talk').hidden") is False
    after = page.js("document.querySelectorAll('#talk-log > li:not([hidden])').length")
    assert after == before == len(talk)  # the log did not fold up
    figures = page.js("ringworld.figures()")
    view = page.js("ringworld.view()")
    for a in pick[2:4]:
        assert _inside(figures[names[a]]["box"], view), names[a]
    page.close()


def test_play_at_the_last_step_plays_again(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "#step=4696&speed=1", **DESKTOP)
    page.page.click("#play")
    page.wait("() => ringworld.ended()")
    assert page.js("document.getElementById('ended').hidden") is False  # says the run ended
    assert page.js("document.getElementById('play').textContent").startswith("↺")
    page.page.click("#play")
    page.wait("() => ringworld.playing() && ringworld.step() < 100")
    assert page.js("document.getElementById('ended').hidden") is True
    page.close()


def test_a_landscape_phone_panel_is_narrow_and_can_be_hidden(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "#step=3000", **LANDSCAPE)
    side = "() => document.getElementById('side').getBoundingClientRect()"
    assert page.js(side)["left"] >= 844  # hidden at first: the town has the whole width
    assert page.js("document.getElementById('town').getBoundingClientRect().width") == 844
    page.page.tap("#panel-btn")
    page.wait("() => document.getElementById('side').getBoundingClientRect().right <= 844")
    page.wait("() => document.getElementById('side').getBoundingClientRect().left < 844")
    assert page.js(side)["width"] <= 0.4 * 844
    page.page.tap("#panel-btn")
    page.wait("() => document.getElementById('side').getBoundingClientRect().left >= 844")
    page.close()


def test_phone_controls_are_big_enough_to_tap(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "#step=3000", **PHONE)
    ids = ["play", "next-event", "skip-night", "speed", "ease-btn", "share-btn", "lang-btn"]
    ids += ["panel-btn", "help-btn"]
    for id_ in ids:
        box = page.page.locator(f"#{id_}").bounding_box()
        assert box["width"] >= 40 and box["height"] >= 40, (id_, box)
    page.page.tap("#panel-btn")
    box = page.page.locator("#search").bounding_box()
    assert box["height"] >= 40
    page.close()


def _overlaps(boxes):
    return [
        (i, j)
        for i, (x, y, w, h) in enumerate(boxes)
        for j, (u, v, p, q) in enumerate(boxes[:i])
        if x < u + p and u < x + w and y < v + q and v < y + h
    ]


def test_english_header_keeps_one_row_and_place_names_stay_apart(chromium, town):
    site, frames, names = town
    page = Page(chromium, site, "#step=3000&lang=en", **DESKTOP)
    shown = page.js("ringworld.shownNames()")
    longest = max(names, key=lambda name: len(shown[name]))
    page.js("(n) => ringworld.select(n)", longest)
    row = page.js(
        """() => ['agent-name', 'agent-follow', 'agent-share', 'agent-close'].map((id) => {
        const r = document.getElementById(id).getBoundingClientRect();
        return [r.top, r.bottom]; })"""
    )
    tops = [top for top, _ in row]
    assert max(tops) - min(tops) < 12  # the close button is on the Follow button's row
    assert page.js("document.getElementById('agent-follow').textContent") == "Follow"
    for scale in (12, 24, 40):
        page.zoom(scale, 50, 35)
        labels = page.js("ringworld.placeLabels()")
        assert labels and _overlaps([b["box"] for b in labels]) == [], scale
    page.close()


def test_a_sector_has_the_same_colours_in_a_zh_and_an_en_build(chromium, tmp_path):
    sites = {}
    for lang in ("zh", "en"):
        sites[lang] = build_site(write_sim(tmp_path / lang, steps=30, language=lang))
    places = read_data_file(sites["zh"] / "data" / "meta.js")[1]["town"]["places"]
    colours = {}
    for lang, site in sites.items():
        page = Page(chromium, site, "", **DESKTOP)
        colours[lang] = [page.js(f"ringworld.mapPixel({x}, {y})") for _n, _l, x, y in places]
        page.close()
    assert colours["zh"] == colours["en"]
    assert len({tuple(c) for c in colours["zh"]}) >= 5  # and places differ from each other


def test_clamped_values_do_not_stay_in_the_url(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "#step=999999&speed=9&agent=nobody&follow=1&lang=xx", **DESKTOP)
    assert re.fullmatch(r"#step=4699&speed=5&view=[\d.,]+", page.js("location.hash"))
    assert page.js("ringworld.step()") == 4699 and page.js("ringworld.selected()") is None
    page.close()


def test_english_speaker_names_in_a_chinese_sims_lines(chromium, town):
    site, _, names = town
    meta = read_data_file(site / "data" / "meta.js")[1]
    english = {a["name_en"] for a in meta["agents"]}
    page = Page(chromium, site, "#step=3200&lang=en", **DESKTOP)
    page.wait("() => ringworld.talkLoaded()")
    page.page.click('#tabs button[data-tab="talk"]')
    speakers = page.js(
        "() => [...document.querySelectorAll('#talk-log .lines b')].map((b) => b.textContent)"
    )
    assert speakers and set(speakers) <= english
    assert not any(re.search(r"[\u4e00-\u9fff]", s) for s in speakers)
    lines = page.js(
        "() => [...document.querySelectorAll('#talk-log .lines span')].map((s) => s.textContent)"
    )
    assert any(re.search(r"[\u4e00-\u9fff]", s) for s in lines)  # the lines stay as said
    page.close()
