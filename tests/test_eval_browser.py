"""The report view of a real evaluation: a two-day, 25-agent offline run of town25_eval,
evaluated by ``rw-batch eval`` and built by ``rw-site build``, opened in headless Chromium from
file:// as a user would."""

from __future__ import annotations

import json
import re
from urllib.parse import unquote

import pytest
import test_site_browser
import yaml
from click.testing import CliRunner
from conftest import SCENARIOS
from site_helpers import CHROMIUM
from test_report_browser import (
    DESKTOP,
    PHONE,
    assert_drawn,
    count,
    labels,
    open_report,
    shoot_and_close,
)

from runner.batch import run_scenario
from runner.cli import main
from runner.eval.results import EvalResults
from runner.store import SimFolder
from sitegen.cli import main as site_main

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs /usr/bin/chromium (Debian's chromium, installed by .ci/run)",
)
chromium = test_site_browser.chromium  # one browser per module
LAST = 2 * 8640 - 1


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The run, its evaluation at the end of day two (and step 0), and its site."""
    root = tmp_path_factory.mktemp("evalsite")
    sim = run_scenario(SCENARIOS / "town25_eval.yaml", out_root=root).sim_dir
    asked = ["eval", str(sim), "--at-step", str(LAST), "--interviewees", "5", "--quiet"]
    evaluated = CliRunner().invoke(main, asked)
    assert evaluated.exit_code == 0, evaluated.output
    site = CliRunner().invoke(site_main, ["build", str(sim)])
    assert site.exit_code == 0, site.output
    return sim / "site", EvalResults.read(sim / "eval.json")


@pytest.mark.parametrize(("label", "context"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_report_of_a_real_run_is_drawn(chromium, built, label, context):
    site, results = built
    assert (site / "index.html").is_file() and (site / "report.html").is_file()
    page, seen = open_report(chromium, site, **context)
    assert_drawn(page, results)
    party = results.steps[-1].attendance[0]
    assert f"{len(party.invited_present)} / {len(party.invited)}" in page.inner_text("#attendance")
    assert count(page, "#interview-list li") == 25  # the first agent's battery
    assert page.inner_text("#offline-note")
    assert page.evaluate("document.documentElement.scrollWidth") <= context["viewport"]["width"]
    shoot_and_close(page, seen, f"eval-report-{label}.png")


def test_the_report_explains_itself(chromium, built):
    """Its title is the scenario's, no key shows raw, every share has its count of n beside it
    and the paper's figure beside ours, and the invited are said in words and listed."""
    site, results = built
    scenario = yaml.safe_load((site.parent / "scenario.yaml").read_text(encoding="utf-8"))
    page, seen = open_report(chromium, site, **DESKTOP)
    assert page.inner_text("#title") == scenario["description"] != results.sim
    assert page.title().startswith(scenario["description"])
    shown = page.inner_text("body")
    assert "offline（规则策略，不是大模型）" in shown
    assert "offline" not in shown.replace("offline（规则策略，不是大模型）", "")
    assert not re.search(r"\b(party|candidacy|self_knowledge|full)\b", shown)
    n = len(results.agents)
    news = page.inner_text("#diffusion")
    for k in range(len(results.facts)):
        first, last = (len(s.diffusion[k].knowers) for s in (results.steps[0], results.steps[-1]))
        assert f"{first}/{n}" in news and f"{last}/{n}" in news
    assert "1/25 (4.0%) → 12/25 (48%)" in news and "1/25 (4.0%) → 8/25 (32%)" in news
    assert count(page, "#diffusion-chart path.paper") == 4  # start and end of each fact
    party = results.steps[-1].attendance[0]
    came = page.inner_text("#attendance")
    assert f"{len(party.invited_present)} / {len(party.invited)} 位受邀者到场" in came
    assert (
        f"共 {len(party.invited)} 位，包括举办者本人" in came and "论文：12 位受邀者中 5 位" in came
    )
    assert count(page, "#attendance .moments li") == len(party.invited)
    assert "0.167 → 0.74" in page.inner_text("#network")
    assert "453 个关于其他居民的回答中 6 个" in page.inner_text("#hallucination")
    for answer in page.eval_on_selector_all(
        "#interview-list .answer", "a => a.map(e => e.textContent)"
    ):
        # no sentence said twice in one answer (a plan's short items may repeat: 工作, 工作)
        parts = [p for p in re.split("[；。]", answer) if len(p) >= 12]
        assert len(parts) == len(set(parts)), answer
    assert seen["errors"] == []
    page.context.close()


def test_the_network_filters_highlights_and_names_in_full(chromium, built):
    site, results = built
    page, seen = open_report(chromium, site, **DESKTOP)
    first, last = (set(s.network.edges) for s in (results.steps[0], results.steps[-1]))
    mutual = {frozenset(e) for e in last if e[::-1] in last}
    before = {frozenset(e) for e in first if e[::-1] in first}
    assert count(page, "#network-end line") == len(mutual)
    page.select_option("#network-filter", "any")
    assert count(page, "#network-end line") == len({frozenset(e) for e in last})
    page.select_option("#network-filter", "new")
    assert count(page, "#network-end line") == len(mutual - before) > 0
    page.select_option("#network-filter", "mutual")
    page.click("#network-end .person[data-i='0']")
    own = sum(1 for pair in mutual if results.agents[0].name in pair)
    assert count(page, "#network-end line.hi") == own
    assert count(page, "#network-end line.fade") == len(mutual) - own
    assert count(page, "#network-end .person.fade") == len(results.agents) - 1 - own
    assert results.agents[0].name in page.inner_text("#network-pick")
    page.click("#lang-btn")
    assert labels(page, "#network-end") == [a.name_en for a in results.agents]
    assert seen["errors"] == []
    page.context.close()


def test_figures_link_to_the_moments_in_the_replay(chromium, built):
    """A name under the news (the party, the candidacy) links to the talk in which that person
    first heard it, or, for one who knew it first from a memory (seen going to the party, a
    plan), to that memory's step; the party links to the step it begins."""
    site, results = built
    page, _ = open_report(chromium, site, **DESKTOP)
    hrefs = page.eval_on_selector_all(
        "#diffusion a.moment", "a => a.map(e => e.getAttribute('href'))"
    )
    assert len(hrefs) >= 10
    store = SimFolder(site.parent).open(readonly=True)
    talks = store.conversations(LAST + 1)
    names = [a.name for a in results.agents]
    facts = (("派对",), ("竞选", "议员"))  # the facts' words (town25_eval.yaml)

    def first_heard(hearer: int, step: int, words: tuple[str, ...]) -> tuple[bool, bool]:
        """(in a talk at ``step``, or else from a memory at ``step`` and none before it)."""
        news = lambda text: any(w in text for w in words)  # noqa: E731
        in_talk = any(
            t.step_start == step
            and hearer in (t.agent_a, t.agent_b)
            and any(s != names[hearer] and news(line) for s, line in json.loads(t.lines))
            for t in talks
        )
        rows = store.memory_rows(hearer, step + 1)
        remembered = any(m.created_step == step and news(m.description) for m in rows)
        first = not any(m.created_step < step and news(m.description) for m in rows)
        return in_talk, remembered and first

    told = 0
    for href in hrefs:
        page_name, _, hash_ = href.partition("#")
        assert page_name == "index.html" and (site / page_name).is_file()
        link = dict(part.split("=", 1) for part in hash_.split("&"))
        hearer, step = names.index(unquote(link["agent"])), int(link["step"])
        found = [first_heard(hearer, step, words) for words in facts]
        assert any(a or b for a, b in found), href
        told += any(a for a, _ in found)
    store.close()
    assert told >= len(hrefs) // 2  # most first heard it in a talk
    event = results.events[0]
    watch = page.get_attribute("#attendance .card > p > a.moment", "href")
    assert watch == f"index.html#step={event.start_step}"
    page.context.close()
