"""The report view in headless Chromium, opened from file:// as a user would."""

from __future__ import annotations

import pytest
import test_site_browser
from eval_helpers import town_results
from site_helpers import ARTIFACTS, CHROMIUM

from sitegen.report import write_report

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs /usr/bin/chromium (Debian's chromium, installed by .ci/run)",
)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
chromium = test_site_browser.chromium  # the replay tests' fixture: one browser per module
# The chart's plot area (report-charts.js): y = 10 + (1 - share) * 170.
CHART_TOP, CHART_HEIGHT = 10, 170


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    sim = tmp_path_factory.mktemp("eval") / "town25"
    sim.mkdir()
    results = town_results()
    results.write(sim)
    assert write_report(sim, sim / "site")
    return sim / "site", results


def open_report(browser, site, **context):
    """The loaded report page, and lists that fill with its console errors, requests and
    dialogs."""
    page = browser.new_context(**context).new_page()
    seen = {"errors": [], "requests": [], "dialogs": []}
    page.on("console", lambda m: m.type in ("error", "warning") and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(f"{site.resolve().as_uri()}/report.html")
    page.wait_for_selector("body[data-ready]", state="attached", timeout=15000)
    return page, seen


def polylines(page) -> list[list[tuple[float, float]]]:
    return page.evaluate(
        """() => [...document.querySelectorAll('#diffusion-chart polyline')].map((p) =>
            p.getAttribute('points').trim().split(' ').map((xy) => xy.split(',').map(Number)))"""
    )


def labels(page, svg: str) -> list[str]:
    return page.evaluate(f"[...document.querySelectorAll('{svg} text')].map((t) => t.textContent)")


def count(page, selector: str) -> int:
    return page.evaluate(f"document.querySelectorAll({selector!r}).length")


def assert_drawn(page, results) -> None:
    """The chart has a line per fact through its shares, each graph a dot per agent and a
    line per pair where one knows the other (solid when both do)."""
    lines = polylines(page)
    assert len(lines) == len(results.facts) == 2
    for n, line in enumerate(lines):
        shares = [s.diffusion[n].share for s in results.steps]
        assert [y for _, y in line] == [
            pytest.approx(CHART_TOP + (1 - v) * CHART_HEIGHT, abs=0.06) for v in shares
        ]
        assert [x for x, _ in line] == sorted(x for x, _ in line)  # time runs left to right
    for key, step in (("start", results.steps[0]), ("end", results.steps[-1])):
        edges = set(step.network.edges)
        pairs = {frozenset(e) for e in edges}
        mutual = sum(1 for a, b in edges if (b, a) in edges) // 2
        assert count(page, f"#network-{key} circle") == len(results.agents)
        assert count(page, f"#network-{key} line") == len(pairs)
        assert count(page, f"#network-{key} line.mutual") == mutual


def shoot_and_close(page, seen, name: str) -> None:
    """A full-page screenshot to test-artifacts/; the page logged no error and asked for
    nothing but files."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    assert seen["errors"] == []
    assert [u for u in seen["requests"] if not u.startswith("file://")] == []
    page.context.close()


@pytest.mark.parametrize(("label", "context"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_chart_and_graphs_are_drawn_from_the_data(chromium, report, label, context):
    site, results = report
    page, seen = open_report(chromium, site, **context)
    assert_drawn(page, results)
    text = page.inner_text("#attendance")
    assert "4 / 10" in text
    assert page.inner_text("#hallucination").count("John Smith") == 2  # the answer and why
    assert count(page, "#interview-list li") == 25
    assert page.evaluate("document.documentElement.scrollWidth") <= context["viewport"]["width"]
    shoot_and_close(page, seen, f"report-{label}.png")


def test_text_from_the_sim_is_text_and_the_language_switches(chromium, report):
    site, results = report
    page, seen = open_report(chromium, site, viewport={"width": 360, "height": 740})
    assert page.evaluate("document.scripts.length") == 5  # the page's own, none injected
    assert count(page, "#interview-list img") == 0
    assert "<script>alert(2)</script>" in page.inner_text("#interview-list")
    assert page.inner_text("#offline-note")  # offline runs say what their numbers are
    assert labels(page, "#network-end")[:2] == ["伊莎贝拉", "玛丽亚"]
    page.click("#lang-btn")
    assert page.evaluate("ringworldReport.lang()") == "en"
    assert labels(page, "#network-end")[:2] == ["Isabella", "Maria"]
    assert "Information diffusion" in page.inner_text("#diffusion")
    page.select_option("#interview-agent", "3")
    first = page.inner_text("#interview-list li")
    assert results.agents[3].name in first and "Self-knowledge" in first
    page.click("#network-end circle >> nth=0")
    assert page.inner_text("#network-pick").startswith("End · Isabella Rodriguez: knows")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert seen["dialogs"] == [] and seen["errors"] == []
    page.context.close()


def test_a_site_without_an_evaluation_says_so(chromium, report, tmp_path):
    site, _ = report
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("report.html", "report.css"):
        (bare / name).write_bytes((site / name).read_bytes())
    for folder in ("js", "vendor/msgpack"):
        (bare / folder).mkdir(parents=True)
        for file in (site / folder).iterdir():
            (bare / folder / file.name).write_bytes(file.read_bytes())
    page, _ = open_report(chromium, bare)
    assert "还没有评估" in page.inner_text("#notice")
    assert page.evaluate("document.querySelectorAll('section:not([hidden])').length") == 0
    page.context.close()
