"""``rw-batch check-llm`` samples every kind from a simulated offline run (into the second day,
and with ``mind.plan: false`` for ``next_hour``), and each sampled context renders."""

from __future__ import annotations

from conftest import SCENARIOS

from runner.check_llm import sample_requests
from runner.prompts.kinds import KINDS
from runner.prompts.render import render_prompt
from runner.scenario import load_scenario


def test_every_kind_is_sampled_and_renders_in_both_languages():
    for name in ("demo.yaml", "demo_en.yaml"):
        scenario = load_scenario(SCENARIOS / name)
        samples = sample_requests(scenario)
        assert set(samples) == set(KINDS), set(KINDS) - set(samples)
        for kind, request in samples.items():
            assert request.kind == kind
            prompt = render_prompt(kind, scenario.language, request.context)
            if kind == "judge":  # blind: the judge sees the question and two answers only
                assert request.context["first"] in prompt and "persona" not in request.context
            else:
                assert request.context["name"] in prompt
