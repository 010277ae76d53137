"""The replay as a first-time viewer meets it (issue 22): the opening, speed, the size of
people, bubbles that cover nothing, the conversations tab at the present, where people are, both
languages, share links with the view, grouped memories, the legend and keys. One town25 site."""

from __future__ import annotations

import re
import shutil

import pytest
from site_helpers import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    Page,
    browser_fixture,
    map_of,
    sim_of,
    site_fixture,
)

from runner.world.loader import load_map
from sitegen.build import build_site
from sitegen.pack import read_data_file

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
NOON, LUNCH, WALK = 4320, 4560, 4338  # 12:00, 12:40, a step with people walking
CJK = re.compile(r"[\u4e00-\u9fff]")

chromium = browser_fixture()
town = site_fixture("town25.yaml", 8640)


def _meta(site):
    return read_data_file(site / "data" / "meta.js")[1]


def _in_view(box: list[float], view: dict) -> bool:
    x, y, w, h = box
    return x + w > 0 and y + h > 0 and x < view["w"] and y < view["h"]


def test_without_a_hash_the_page_opens_on_people_awake_with_a_hint(chromium, town):
    site, _, names = town
    page = Page(chromium, site, "", **DESKTOP)
    assert page.js("ringworld.step()") == _meta(site)["opening"] > 0
    figures = page.js("ringworld.figures()")
    view = page.js("ringworld.view()")
    seen = [f for f in figures.values() if f["drawn"] and _in_view(f["box"], view)]
    awake = [f for f in seen if f["pose"] != "sleep"]
    up = [f for f in figures.values() if f["pose"] != "sleep"]
    assert len(up) * 2 >= len(names) and len(awake) * 2 >= len(seen) >= 6, (len(awake), seen)
    page.shot("viewers-opening-desktop.png")
    assert page.js("document.getElementById('hint').hidden") is False
    page.page.click("#hint-play")  # one tap from playing
    page.wait("() => ringworld.playing()")
    page.page.reload()
    page.page.wait_for_selector("body[data-ready]", state="attached")
    assert page.js("document.getElementById('hint').hidden") is True  # remembered
    assert page.errors == []
    page.close()


def test_highlights_are_links_to_their_moments(chromium, town):
    site, _, names = town
    page = Page(chromium, site, "#step=100", **DESKTOP)
    highlights = page.js("ringworld.highlights()")
    assert {"news", "thought"} <= {h["kind"] for h in highlights}
    news = next(h for h in highlights if h["kind"] == "news")
    assert news["href"].startswith(f"#step={news['step'] - 3}&agent=")
    page.page.locator(".highlight.news").first.click()
    page.wait(f"() => ringworld.step() === {news['step'] - 3} && ringworld.selected() !== null")
    page.close()


def test_the_phone_opens_on_several_residents_with_a_small_hint_below_them(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, "", **PHONE)
    view = page.js("ringworld.view()")
    top, height = page.js(
        """(() => {
        const hint = document.getElementById('hint').getBoundingClientRect();
        return [hint.top - document.getElementById('town').getBoundingClientRect().top,
          hint.height];
    })()"""
    )
    assert top > view["h"] / 2 and height < view["h"] / 4, (top, height, view)
    seen = [
        f
        for f in page.js("ringworld.figures()").values()
        if f["drawn"] and f["pose"] != "sleep" and _in_view(f["box"], {**view, "h": top})
    ]
    assert len(seen) >= 4, seen  # awake, in sight above the hint
    page.page.tap("#hint-play")
    page.wait("() => ringworld.playing()")
    page.close()


EVENT = """
  events:
  - id: lunch
    place: 环界小镇:霍布斯咖啡馆
    start: '2023-02-13 12:00:00'
    end: '2023-02-13 13:00:00'
    words: [午餐会]
"""


def test_a_scenario_event_is_a_highlight_to_its_start_and_place(chromium, town, tmp_path):
    site, _, _ = town
    sim = tmp_path / "town25"
    shutil.copytree(sim_of(site), sim, ignore=shutil.ignore_patterns("site-*"))
    scenario = sim / "scenario.yaml"
    text = scenario.read_text(encoding="utf-8").replace("  events: []\n", EVENT)
    scenario.write_text(text, encoding="utf-8")
    built = build_site(sim, tmp_path / "site")
    page = Page(chromium, built, "#step=100", **DESKTOP)
    events = [h for h in page.js("ringworld.highlights()") if h["kind"] == "event"]
    assert [(h["step"], "午餐会" in h["title"]) for h in events] == [(NOON, True)], events
    assert events[0]["href"].startswith(f"#step={NOON}&view=")
    page.page.locator(".highlight.event").click()
    page.wait(f"() => ringworld.step() === {NOON}")
    cafe = next(p for p in _meta(built)["town"]["places"] if p[0] == "霍布斯咖啡馆")
    x, y = page.js(f"ringworld.toScreen({cafe[2] + 0.5}, {cafe[3] + 0.5})")
    view = page.js("ringworld.view()")
    assert 0 < x < view["w"] and 0 < y < view["h"], (x, y, view)  # the café in sight
    assert page.js("ringworld.camera()")[2] >= 24
    assert page.errors == []
    page.close()


def test_speed_5_from_noon_keeps_its_rate_by_default(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, f"#step={NOON}&speed=5", **DESKTOP)
    page.wait("() => ringworld.talkLoaded()")
    rate = page.js(
        """() => new Promise((done) => {
        const from = ringworld.step();
        const t0 = performance.now();
        ringworld.play();
        setTimeout(() => done((ringworld.step() - from) * 1000 / (performance.now() - t0)),
          4000);
    })"""
    )
    assert rate >= 0.8 * 60, rate
    page.close()


def test_a_person_is_at_least_24_css_pixels_tall_at_the_default_zoom(chromium, town):
    site, _, _ = town
    for context, least in ((DESKTOP, 24), (PHONE, 24)):
        page = Page(chromium, site, f"#step={NOON}", **context)
        heights = [f["box"][3] for f in page.js("ringworld.figures()").values() if f["drawn"]]
        assert heights and min(heights) >= least, heights
        page.close()


def _art_rows(site, a: int, frame: int, rows: range) -> list[list]:
    """Agent a's figure `frame` as RGBA (None where not opaque), the given rows of the art."""
    sprites = read_data_file(site / "data" / "sprites.js")[1]["figures"]
    look = _meta(site)["agents"][a]["look"]
    colours = [tuple(look["colours"][i : i + 4]) for i in range(0, len(look["colours"]), 4)]
    w, h, width = sprites["width"], sprites["height"], sprites["width_px"]
    base = look["style"] * h * width + frame * w
    return [
        [
            (c if c[3] == 255 else None)
            for c in (colours[sprites["pixels"][base + y * width + x]] for x in range(w))
        ]
        for y in rows
    ]


def test_figures_are_drawn_one_art_pixel_a_css_pixel_at_the_default_zoom(chromium, town):
    site, _, names = town
    page = Page(chromium, site, f"#step={NOON}", **DESKTOP)
    crisp = []
    for a, name in enumerate(names):
        f = page.js("ringworld.figures()")[name]
        x, y, w, h = (round(v) for v in f["box"])
        if not f["drawn"] or f["crowd"] > 1 or x < 0 or y < 0 or f["pose"] == "sleep":
            continue
        legs = range(h // 2, h - 1)  # below the emoji, above the name tag
        want = _art_rows(site, a, f["frame"], legs)
        got = page.js(f"ringworld.pixels('top', {x}, {y + legs[0]}, {w}, {len(legs)})")
        pairs = [
            (tuple(got[(r * w + c) * 4 : (r * w + c) * 4 + 4]), want[r][c])
            for r in range(len(legs))
            for c in range(w)
            if c < len(want[r]) and want[r][c]
        ]
        crisp.append(sum(g == e for g, e in pairs) / max(1, len(pairs)))
    exact = [c for c in crisp if c > 0.95]  # the art copied 1:1, not scaled from other art
    assert (w, h) == (20, 25) and len(exact) >= 3 and len(exact) * 4 >= len(crisp) * 3, crisp
    page.close()


def _overlaps(labels: list[dict]) -> list[tuple]:
    def hit(p, q):
        (x, y, w, h), (u, v, s, t) = p["box"], q["box"]
        return x < u + s and u < x + w and y < v + t and v < y + h

    out = []
    for i, p in enumerate(labels):
        for q in labels[i + 1 :]:
            kinds = {p["kind"], q["kind"]}
            if "bubble" in kinds and kinds & {"bubble", "name", "place", "caption"} and hit(p, q):
                out.append((p, q))
    return out


def test_bubbles_cover_no_bubble_name_or_place_over_a_busy_minute(chromium, town):
    site, _, _ = town
    seen = []
    for scale, x, y in ((24, 60, 40), (12, 50, 35)):  # the café and the square, close and far
        page = Page(chromium, site, f"#step={LUNCH - 30}&speed=1", **DESKTOP)
        page.wait("() => ringworld.talkLoaded()")
        page.zoom(scale, x, y)
        page.js("ringworld.play()")
        seen += page.js(
            """(until) => new Promise((done) => {
            const out = [];
            const tick = () => {
                out.push(ringworld.labels().concat(ringworld.placeLabels()));
                if (ringworld.step() < until) requestAnimationFrame(tick); else done(out);
            };
            requestAnimationFrame(tick);
        })""",
            LUNCH + 6,
        )
        page.close()
    bubbles = sum(1 for frame in seen for label in frame if label["kind"] == "bubble")
    assert bubbles > 0
    bad = [pair for frame in seen for pair in _overlaps(frame)]
    assert bad == [], bad[:3]


def test_the_conversations_tab_opens_at_the_present(chromium, town):
    site, _, _ = town
    talk = read_data_file(site / "data" / "talk.js")[1]["conversations"]
    step = talk[len(talk) // 2][0] + 2
    page = Page(chromium, site, f"#step={step}", **DESKTOP)
    page.wait("() => ringworld.talkLoaded()")
    page.page.click('#tabs button[data-tab="talk"]')
    page.frame()
    top = page.js(
        """() => { const box = document.getElementById('tab-talk').getBoundingClientRect();
        const items = [...document.querySelectorAll('#talk-log > li')];
        const first = items.find((li) => li.getBoundingClientRect().bottom > box.top + 6);
        return {later: first.classList.contains('later'), time: first.querySelector('.time')
          .textContent, shownLines: items.filter((li) => li.classList.contains('later') &&
          li.querySelector('.lines').offsetHeight > 0).length}; }"""
    )
    started = [c for c in talk if c[0] <= step]
    assert top["later"] is False and top["shownLines"] == 0
    start = _meta(site)["start_time"]
    assert top["time"] == _hhmm(start, started[-1][0])
    page.close()


def _hhmm(start: str, step: int) -> str:
    h, m = map(int, start[11:16].split(":"))
    minutes = h * 60 + m + step * 10 // 60
    return f"{minutes // 60 % 24:02d}:{minutes % 60:02d}"


def test_location_is_where_the_person_is_and_where_they_go(chromium, town):
    site, frames, names = town
    townmap = load_map(map_of(site), "zh")
    walking = [
        a
        for a, row in enumerate(frames[WALK])
        if row[:2] != frames[WALK - 1][a][:2]
        and ":".join(townmap.address_at(tuple(row[:2])).split(":")[:3])
        != ":".join(row[4].split(":")[:3])
    ]
    assert walking
    a = walking[0]
    page = Page(chromium, site, f"#step={WALK}&agent={names[a]}", **DESKTOP)
    here = townmap.address_at(tuple(frames[WALK][a][:2])).split(":")[1:]
    place = page.js("document.getElementById('agent-place').textContent")
    assert place == (" · ".join(here) if here else "街上")
    assert page.js("document.getElementById('agent-going-row').hidden") is False
    going = page.js("document.getElementById('agent-going').textContent")
    assert going == " · ".join(frames[WALK][a][4].split(":")[1:])
    page.close()


def test_english_interface_has_no_chinese_labels_and_says_what_stays(chromium, town):
    site, _, names = town
    page = Page(chromium, site, f"#step={NOON}&lang=en&agent={names[8]}", **DESKTOP)
    page.page.click("#help-btn")
    labels = "[data-i18n], [data-i18n-label], #legend dd, #agent-follow, #lang-note, #play"
    texts = page.js(
        """(sel) => [...document.querySelectorAll(sel)]
        .filter((e) => e.offsetParent !== null && e.id !== "lang-btn")
        .map((e) => e.textContent + ' ' + (e.getAttribute('aria-label') || ''))""",
        labels,
    )
    assert texts and not [t for t in texts if CJK.search(t)]
    assert "Chinese" in page.js("document.getElementById('lang-note').textContent")
    name = page.js(
        "(() => { const h = document.getElementById('agent-name');"
        " return [h.textContent, h.scrollWidth <= h.clientWidth]; })()"
    )
    assert name[1] and not name[0].endswith("…")
    page.close()


def test_share_links_keep_the_view_and_a_hand_edit_is_not_overwritten(chromium, town):
    site, _, _ = town
    page = Page(chromium, site, f"#step={NOON}", **DESKTOP)
    page.zoom(33, 40.5, 30.5)
    page.wait("() => location.hash.includes('view=40.5,30.5,33')")
    again = Page(chromium, site, page.js("location.hash"), **DESKTOP)
    assert again.js("ringworld.camera()") == [40.5, 30.5, 33]
    again.close()
    page.js("ringworld.setSpeed(5); ringworld.play()")
    hashes = page.js(
        """() => new Promise((done) => {
        location.hash = '#step=7000&speed=5';
        const seen = [];
        let after = 0;
        const tick = () => {
            seen.push(location.hash);
            if (ringworld.step() >= 7000) after++;
            if (after < 20) requestAnimationFrame(tick); else done(seen);
        };
        tick();
    })"""
    )
    steps = [int(re.search(r"step=(\d+)", h).group(1)) for h in hashes]
    assert all(s >= 7000 for s in steps), steps[:10]
    page.close()


def _repeated(site) -> tuple[int, int]:
    """(step, agent) at which the agent's latest memories repeat one text."""
    for path in sorted((site / "data").glob("steps-*.js"))[6:]:
        chunk = read_data_file(path)[1]
        for a, flat in enumerate(chunk["memories"]):
            texts = sorted((flat[k], flat[k + 3]) for k in range(0, len(flat), 4))
            for i in range(len(texts) - 2):
                pair = texts[i : i + 3]
                if pair[0][1] == pair[1][1] and pair[1][0] < pair[2][0]:
                    return pair[1][0], a
    raise AssertionError("no repeated memory in the run")


def test_repeated_memories_are_one_line_and_the_legend_and_keys_work(chromium, town):
    site, _, names = town
    step, a = _repeated(site)
    page = Page(chromium, site, f"#step={step}&agent={names[a]}", **DESKTOP)
    lines = page.js(
        "[...document.querySelectorAll('#agent-memories .memory')].map((m) => m.textContent)"
    )
    texts = [t.split("×")[0] for t in lines]
    assert all(p != q for p, q in zip(texts, texts[1:]))
    assert any(re.search(r"\d\d:\d\d–\d\d:\d\d.*×\d+$", t) for t in lines), lines
    page.page.click("#help-btn")
    assert page.js("document.getElementById('legend').hidden") is False
    assert page.js("document.querySelectorAll('#legend dd').length") >= 12
    page.page.keyboard.press("Escape")
    page.js("document.activeElement.blur()")
    page.page.keyboard.press("4")
    assert page.js("ringworld.speed()") == 4
    page.page.keyboard.press("Shift+ArrowRight")
    page.wait(f"() => ringworld.step() === {step + 1}")
    page.page.keyboard.press("]")
    page.wait(f"() => ringworld.step() === {step + 361}")
    page.page.keyboard.press("f")
    assert page.js("ringworld.following()") is True
    page.page.keyboard.press(" ")
    assert page.js("ringworld.playing()") is True
    page.close()


def test_screenshots_of_a_conversation_and_the_phone(chromium, town):
    site, _, _ = town
    talk = read_data_file(site / "data" / "talk.js")[1]["conversations"]
    c = talk[len(talk) // 2]
    for context, tag in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = Page(chromium, site, f"#step={c[0] + 8}", **context)
        page.js(
            "(n) => ringworld.focus(n)",
            page.js(f"ringworld.store.get('step') && Object.keys(ringworld.figures())[{c[2]}]"),
        )
        page.frame()
        assert page.js("ringworld.bubbles().length") > 0
        page.shot(f"viewers-conversation-{tag}.png")
        page.close()
        page = Page(chromium, site, "", **context)
        page.shot(f"viewers-opening-{tag}.png")
        page.close()
