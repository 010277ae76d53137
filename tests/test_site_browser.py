"""The replay page in headless Chromium, opened from file:// as a user would."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from site_helpers import (
    CHROMIUM,
    DESKTOP,
    HOSTILE_AGENT,
    HOSTILE_PLACE,
    XSS,
    Page,
    browser_fixture,
    stored_frames,
    write_sim,
)

from sitegen.build import build_site

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs /usr/bin/chromium (Debian's chromium, installed by .ci/run)",
)
DEMO_STEPS = 3300  # the demo's agents wake and walk from step 2160 (06:00) on
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}


chromium = browser_fixture()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from runner.batch import run_scenario

    root = tmp_path_factory.mktemp("demo")
    scenario = Path(__file__).resolve().parent.parent / "scenarios" / "demo.yaml"
    sim = run_scenario(scenario, sim="demo", steps=DEMO_STEPS, out_root=root).sim_dir
    frames, names = stored_frames(sim)
    return build_site(sim), frames, names


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    sim = write_sim(tmp_path_factory.mktemp("syn") / "xss", hostile=True)
    frames, names = stored_frames(sim)
    return build_site(sim), frames, names


def _tiles(frames, step: int, names: list[str]) -> dict[str, list[int]]:
    return {name: list(frames[step][a][:2]) for a, name in enumerate(names)}


def test_demo_opens_from_file_without_errors_or_network(chromium, demo):
    site, _, _ = demo
    page = Page(chromium, site, "#step=3230", **DESKTOP)
    page.page.wait_for_function("() => ringworld.talkLoaded()")
    page.shot("site-1440x900.png")
    assert page.errors == []
    assert page.requests and all(u.startswith(page.base + "/") for u in page.requests)
    loaded = {u.rsplit("/", 1)[1] for u in page.requests if "/data/" in u}
    assert {"meta.js", "steps-0008.js", "talk.js"} <= loaded  # 3230 is in hour 8
    assert "steps-0000.js" not in loaded  # chunks load on demand
    page.close()


def test_played_positions_match_stored_frames(chromium, demo):
    site, frames, names = demo
    page = Page(chromium, site, "#step=3230&speed=5", **DESKTOP)
    assert page.js("ringworld.step()") == 3230 and page.js("ringworld.speed()") == 5
    page.settle()
    assert page.js("ringworld.drawnPositions()") == _tiles(frames, 3230, names)
    page.page.mouse.move(500, 400)
    page.page.mouse.wheel(0, -800)  # zoom in, so that following is not held by the map's edge
    page.page.wait_for_function("() => ringworld.camera()[2] > 40")
    page.page.click(f"#agent-list button:has-text('{names[1]}')")  # follow the second agent
    page.page.click("#agent-follow")
    assert page.js("ringworld.following()") is True
    page.page.click("#play")
    page.page.wait_for_function("() => ringworld.step() >= 3262")  # across the hour at 3240
    page.page.click("#play")
    page.settle()
    step = page.js("ringworld.step()")
    drawn = page.js("ringworld.drawnPositions()")
    assert drawn == _tiles(frames, step, names)
    assert _tiles(frames, step, names) != _tiles(frames, 3230, names)  # somebody walked
    followed = drawn[names[1]]
    assert page.js("ringworld.camera()")[:2] == [followed[0] + 0.5, followed[1] + 0.5]
    agent = quote(names[1])
    page.wait(
        "(h) => location.hash.startsWith(h)", f"#step={step}&speed=5&agent={agent}&follow=1&view="
    )
    assert page.errors == []
    page.close()


def test_hash_opens_at_step_and_clock(chromium, demo):
    site, frames, names = demo
    page = Page(chromium, site, "#step=120&speed=3", **DESKTOP)
    assert page.js("ringworld.step()") == 120 and page.js("ringworld.speed()") == 3
    assert page.js("document.getElementById('seek').value") == "120"
    assert "00:20:00" in page.js("document.getElementById('clock').textContent")
    page.settle()
    assert page.js("ringworld.drawnPositions()") == _tiles(frames, 120, names)
    page.page.evaluate("location.hash = '#step=2500&speed=3'")  # a hand-edited URL seeks
    page.page.wait_for_function("() => ringworld.step() === 2500")
    page.page.locator("#seek").fill("700")  # and so does the seek bar
    page.page.wait_for_function("() => ringworld.step() === 700")
    assert "01:56:40" in page.js("document.getElementById('clock').textContent")
    page.page.select_option("#speed", "4")
    assert page.js("ringworld.speed()") == 4
    page.close()


def test_tapping_an_agent_opens_its_panel_on_a_phone(chromium, demo):
    site, frames, names = demo
    page = Page(chromium, site, "#step=3262", **PHONE)
    assert page.js("document.getElementById('side').classList.contains('open')") is False
    page.tap_agent(names[1], touch=True)
    text = page.js("""() => ({name: document.getElementById('agent-name').textContent,
        action: document.getElementById('agent-action').textContent,
        open: document.getElementById('side').classList.contains('open')})""")
    assert text == {"name": names[1], "action": frames[3262][1][2], "open": True}
    page.shot("site-390x844.png")
    assert page.errors == []
    page.close()


def test_language_switch_changes_interface_text(chromium, demo):
    site, _, names = demo
    page = Page(chromium, site, "", **DESKTOP)
    texts = (
        "() => [...document.querySelectorAll('#play, #tabs button, #lang-btn')]"
        ".map(b => b.textContent)"
    )
    zh = page.page.evaluate(texts)
    assert page.js("ringworld.lang()") == "zh" and "居民" in zh
    page.page.click("#lang-btn")
    en = page.page.evaluate(texts)
    assert page.js("ringworld.lang()") == "en" and "People" in en and "中文" in en
    assert all(a != b for a, b in zip(zh, en))
    page.page.wait_for_function("() => location.hash.includes('lang=en')")
    rows = page.page.evaluate(
        "() => [...document.querySelectorAll('#agent-list .who')].map(e => e.textContent)"
    )
    assert rows[0] == "Isabella Rodriguez" and names[0] != rows[0]
    page.close()


def test_llm_text_is_shown_as_text_and_never_runs(chromium, synthetic):
    site, frames, names = synthetic
    watch = "window.alert = () => { window.__alerted = true; };"
    page = Page(chromium, site, "#step=15", init=watch, **DESKTOP)
    page.tap_agent(names[0], touch=False)
    shown = page.js("""() => ({action: document.getElementById('agent-action').textContent,
        chat: document.getElementById('agent-chat').textContent,
        persona: document.getElementById('agent-persona').textContent,
        memories: document.getElementById('agent-memories').textContent})""")
    assert shown["action"] == frames[15][0][2] == f"聊天 {XSS}"
    assert shown["chat"] == XSS
    assert XSS in shown["persona"] and XSS in shown["memories"]
    page.shot("site-xss-1440x900.png")
    page.page.click('#tabs button[data-tab="talk"]')
    assert XSS in page.js("document.getElementById('talk-log').textContent")
    assert "</script>再见" in page.js("document.getElementById('talk-log').textContent")
    page.page.click("#talk-log .talk-head")  # a conversation seeks to its start
    page.page.wait_for_function("() => ringworld.step() === 10")
    # an agent and a place named with markup show as text
    assert names[3] == HOSTILE_AGENT
    step, who = next(
        (s, a) for s in sorted(frames) for a in range(4) if HOSTILE_PLACE in frames[s][a][4]
    )
    page.js(f"ringworld.seek({step})")
    page.wait(f"() => ringworld.step() === {step}")
    page.page.click('#tabs button[data-tab="agents"]')
    listed = page.js("document.getElementById('agent-list').textContent")
    assert HOSTILE_AGENT in listed and HOSTILE_PLACE in listed  # who is where: by place
    page.tap_agent(HOSTILE_AGENT, touch=False)
    assert page.js("document.getElementById('agent-name').textContent") == HOSTILE_AGENT
    page.page.click('#tabs button[data-tab="agents"]')
    page.page.click(f"#agent-list button:has-text('{names[who]}')")
    page.wait(f"() => ringworld.selected() === '{names[who]}'")
    assert HOSTILE_PLACE in page.js("document.getElementById('agent-place').textContent")
    assert page.js("document.querySelectorAll('img').length") == 0
    assert page.js("document.querySelectorAll('script:not([src])').length") == 0
    assert page.js("window.__alerted === undefined") and page.dialogs == []
    assert page.errors == []
    page.close()


def test_inflate_fallback_without_decompression_stream(chromium, synthetic):
    site, frames, names = synthetic
    page = Page(chromium, site, "#step=150", init="delete window.DecompressionStream;", **DESKTOP)
    assert page.js("typeof DecompressionStream") == "undefined"
    page.settle()
    assert page.js("ringworld.drawnPositions()") == _tiles(frames, 150, names)
    assert page.errors == []
    page.close()


def test_small_screen_keeps_controls_in_view(chromium, synthetic):
    site, _, _ = synthetic
    page = Page(
        chromium, site, "", viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    boxes = page.page.evaluate("""() => ['play', 'speed', 'seek', 'lang-btn', 'panel-btn',
        'town'].map(id => { const r = document.getElementById(id).getBoundingClientRect();
        return [r.left, r.top, r.right, r.bottom]; })""")
    for left, top, right, bottom in boxes:
        assert 0 <= left < right <= 360 and 0 <= top < bottom <= 640
    assert boxes[-1][3] - boxes[-1][1] > 400  # the town gets most of the height
    assert page.js("document.documentElement.scrollWidth") <= 360
    page.page.tap("#panel-btn")
    page.page.wait_for_function("() => document.getElementById('side').classList.contains('open')")
    page.close()


def test_camera_follows_wheel_keys_and_drag(chromium, demo):
    site, _, _ = demo
    page = Page(chromium, site, "#step=3230", **DESKTOP)
    scale0 = page.js("ringworld.camera()")[2]
    page.page.mouse.move(540, 430)
    page.page.mouse.wheel(0, -400)
    page.page.wait_for_function("(s) => ringworld.camera()[2] > 1.5 * s", arg=scale0)
    cx, cy, scale = page.js("ringworld.camera()")
    page.page.keyboard.press("ArrowRight")
    assert page.js("ringworld.camera()") == pytest.approx([cx + 80 / scale, cy, scale])
    page.page.mouse.down()
    page.page.mouse.move(440, 380, steps=10)
    page.page.mouse.up()
    moved = page.js("ringworld.camera()")
    assert moved == pytest.approx([cx + 180 / scale, cy + 50 / scale, scale])
    assert page.js("ringworld.selected()") is None  # a drag is not a tap
    page.close()


def test_touch_drag_and_pinch(chromium, demo):
    site, _, _ = demo
    page = Page(chromium, site, "#step=3230", **PHONE)
    cdp = page.context.new_cdp_session(page.page)

    def touch(kind: str, *points: tuple[float, float]) -> None:
        cdp.send(
            "Input.dispatchTouchEvent",
            {
                "type": kind,
                "touchPoints": [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)],
            },
        )

    page.page.evaluate("ringworld.focus('玛丽亚·洛佩兹')")
    cx, cy, scale = page.js("ringworld.camera()")
    touch("touchStart", (200, 300))
    for k in range(1, 11):
        touch("touchMove", (200 - 4 * k, 300))
    touch("touchEnd")
    assert page.js("ringworld.camera()") == pytest.approx([cx + 40 / scale, cy, scale])
    touch("touchStart", (150, 300), (250, 300))
    for k in range(1, 11):
        touch("touchMove", (150 - 5 * k, 300), (250 + 5 * k, 300))
    touch("touchEnd")
    assert page.js("ringworld.camera()")[2] == pytest.approx(2 * scale)
    assert page.errors == []
    page.close()


def test_same_site_from_a_static_http_host(chromium, synthetic):
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    site, frames, names = synthetic
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        context = chromium.new_context(**DESKTOP)
        page = context.new_page()
        errors, requests = [], []
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("request", lambda r: requests.append(r.url))
        base = f"http://127.0.0.1:{server.server_port}"
        page.goto(f"{base}/index.html#step=200")
        page.wait_for_selector("body[data-ready]", state="attached")
        page.wait_for_function("() => ringworld.settled()")
        assert page.evaluate("ringworld.drawnPositions()") == _tiles(frames, 200, names)
        assert errors == [] and all(u.startswith(base + "/") for u in requests)
        context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_gallery_page_opens_a_replay(chromium, synthetic, tmp_path):
    from sitegen.gallery import build_gallery

    site, _, _ = synthetic
    index = build_gallery([site], tmp_path / "pages")
    context = chromium.new_context(**DESKTOP)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.goto(index.resolve().as_uri())
    page.click("text=xss")
    page.wait_for_selector("body[data-ready]", state="attached")
    assert page.url.split("#")[0] == (tmp_path / "pages" / "xss" / "index.html").resolve().as_uri()
    assert errors == []
    context.close()


def test_shared_state_goes_through_the_store(chromium, synthetic):
    site, frames, names = synthetic
    page = Page(chromium, site, "#step=15", **DESKTOP)
    keys = ["step", "playing", "speed", "ease", "selected", "following", "lang", "view"]
    page.js(
        """(keys) => { window.__changes = [];
        ringworld.store.subscribe(keys, (changed) => window.__changes.push(...changed)); }""",
        keys,
    )
    page.page.select_option("#speed", "4")
    page.page.click("#ease-btn")
    page.tap_agent(names[1], touch=False)
    page.page.click("#agent-follow")
    page.page.click("#lang-btn")
    page.js("location.hash = '#step=20'")  # a hand edit of the hash seeks
    page.wait("() => ringworld.step() === 20")
    changes = [k for k in page.js("window.__changes") if k != "view"]
    assert changes == ["speed", "ease", "selected", "following", "lang", "step"]
    assert "view" in page.js("window.__changes")  # following moves the camera
    state = page.js("(keys) => keys.map((k) => ringworld.store.get(k))", keys[:-1])
    assert state == [20, False, 4, True, 1, True, "en"]
    page.wait("() => /follow=1/.test(location.hash)")
    assert page.js("location.hash").startswith(
        f"#step=20&speed=4&agent={quote(names[1])}&follow=1&lang=en&ease=1&view="
    )
    assert "set" not in page.js("Object.keys(ringworld.store)")  # the page's parts write it
    # choosing the chosen agent again shows their tab again
    page.page.click('#tabs button[data-tab="agents"]')
    shown = page.js("ringworld.shownNames()")[names[1]]  # in English now
    page.page.click(f"#agent-list button:has-text('{shown}')")
    assert page.js("document.getElementById('tab-agent').hidden") is False
    assert page.errors == []
    page.close()
