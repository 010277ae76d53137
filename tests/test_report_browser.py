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
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1440, "height": 900}}
chromium = test_site_browser.chromium  # the replay tests' fixture: one browser per module
# The news chart's plot area (report-charts.js): y = 16 + (1 - share) * 194.
CHART_TOP, CHART_HEIGHT = 16, 194


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


def measured(page) -> list[list[tuple[float, int]]]:
    """Per fact, its measured points on the news chart: (y, count)."""
    return page.evaluate(
        """() => {
            const out = [];
            for (const c of document.querySelectorAll('#diffusion-chart circle.measured')) {
                const k = +c.dataset.series;
                (out[k] = out[k] || []).push([+c.getAttribute('cy'), +c.dataset.count]);
            }
            return out;
        }"""
    )


def labels(page, svg: str) -> list[str]:
    return page.evaluate(f"[...document.querySelectorAll('{svg} text')].map((t) => t.textContent)")


def count(page, selector: str) -> int:
    return page.evaluate(f"document.querySelectorAll({selector!r}).length")


def ties(step) -> tuple[int, int]:
    """Pairs where at least one knows the other, and pairs who know each other."""
    edges = set(step.network.edges)
    return len({frozenset(e) for e in edges}), sum((b, a) in edges for a, b in edges) // 2


def assert_drawn(page, results) -> None:
    """The chart has a point per fact and evaluated step at its share, labelled with its count
    of n; each graph a resident per agent and, as filtered, a line per pair that knows each
    other (the default) or where one knows the other."""
    points = measured(page)
    assert len(points) == len(results.facts) == 2
    n = len(results.agents)
    for k, fact_points in enumerate(points):
        knowers = [len(s.diffusion[k].knowers) for s in results.steps]
        assert [c for _, c in fact_points] == knowers
        assert [y for y, _ in fact_points] == [
            pytest.approx(CHART_TOP + (1 - c / n) * CHART_HEIGHT, abs=0.06) for c in knowers
        ]
        chart = labels(page, "#diffusion-chart")
        assert all(f"{c}/{n}" in chart for c in knowers)  # the count beside each point
    for key, step in (("start", results.steps[0]), ("end", results.steps[-1])):
        assert count(page, f"#network-{key} .person") == n
        assert count(page, f"#network-{key} line") == ties(step)[1]
    page.select_option("#network-filter", "any")
    for key, step in (("start", results.steps[0]), ("end", results.steps[-1])):
        assert count(page, f"#network-{key} line") == ties(step)[0]
    page.select_option("#network-filter", "mutual")


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
    assert "4 / 10 位受邀者到场" in text
    assert page.inner_text("#hallucination").count("John Smith") == 2  # the answer and why
    assert count(page, "#interview-list li") == 25
    assert page.evaluate("document.documentElement.scrollWidth") <= context["viewport"]["width"]
    shoot_and_close(page, seen, f"report-{label}.png")


def test_text_from_the_sim_is_text_and_the_language_switches(chromium, report):
    site, results = report
    page, seen = open_report(chromium, site, viewport={"width": 360, "height": 740})
    assert page.evaluate("document.scripts.length") == 8  # the page's own, none injected
    assert count(page, "#interview-list img") == 0
    assert "<script>alert(2)</script>" in page.inner_text("#interview-list")
    assert page.inner_text("#offline-note")  # offline runs say what their numbers are
    assert labels(page, "#network-end") == [a.name for a in results.agents]  # full names
    page.click("#lang-btn")
    assert page.evaluate("ringworldReport.lang()") == "en"
    assert labels(page, "#network-end") == [a.name_en for a in results.agents]
    assert "Information diffusion" in page.inner_text("#diffusion")
    page.select_option("#interview-agent", "3")
    first = page.inner_text("#interview-list li")
    assert results.agents[3].name in first and "Self-knowledge" in first
    page.click("#network-end .person >> nth=0")
    assert "End · Isabella Rodriguez: knows" in page.inner_text("#network-pick")
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
