"""The report view of a real evaluation: a two-day, 25-agent offline run of town25_eval,
evaluated by ``rw-batch eval`` and built by ``rw-site build``, opened in headless Chromium from
file:// as a user would."""

from __future__ import annotations

import pytest
import test_site_browser
from click.testing import CliRunner
from conftest import SCENARIOS
from site_helpers import CHROMIUM
from test_report_browser import DESKTOP, PHONE, assert_drawn, count, open_report, shoot_and_close

from runner.batch import run_scenario
from runner.cli import main
from runner.eval.results import EvalResults
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
