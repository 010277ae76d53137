"""The import contract (runner/testing/layers.py) holds, a back-import breaks it, and no
modules import each other round a circle (runner/testing/circles.py)."""

from __future__ import annotations

import shutil

from conftest import ROOT

from runner.testing.circles import circles
from runner.testing.layers import check, import_graph


def test_the_code_keeps_the_import_contract():
    graph = import_graph(ROOT)
    assert "runner.engine" in graph and "sitegen.build" in graph  # the graph is the real one
    assert check(graph) == []


def test_a_back_import_breaks_the_contract(tmp_path):
    for package in ("runner", "sitegen"):
        shutil.copytree(ROOT / package, tmp_path / package)
    clock = tmp_path / "runner" / "world" / "clock.py"
    clock.write_text(clock.read_text(encoding="utf-8") + "\nfrom ..engine import Engine\n")
    problems = check(import_graph(tmp_path))
    assert problems == [
        "runner.world.clock -> runner.engine.Engine: a back-import "
        "(runner.world is below runner.engine)"
    ]


def test_the_contract_rules_on_a_synthetic_graph():
    graph = {
        "runner.llm.chat": {"runner.agent.schedule", "runner.world.schedule"},
        "runner.policy.talk": {"runner.llm.base", "runner.prompts.styles", "runner.store.sim"},
        "runner.world.yamlmap": {"runner.store.sim"},
        "sitegen.simread": {"runner.store", "runner.engine"},
        "runner.agent.asking": {"runner.store.records", "runner.store.sim"},
        "runner.batch": {"runner.levers"},
        "runner.cli": {"runner.batch", "runner.errors"},
    }
    assert check(graph) == [
        "runner.agent.asking -> runner.store.sim: runner.agent may use of runner.store only "
        "runner.store.records",
        "runner.batch -> runner.levers: runner.batch and runner.levers are independent (one layer)",
        "runner.llm.chat -> runner.agent.schedule: a back-import "
        "(runner.llm is below runner.agent)",
        "runner.policy.talk -> runner.store.sim: runner.policy may import only runner.config, "
        "runner.llm.base, runner.llm.hashed, runner.prompts, runner.world",
        "runner.world.yamlmap -> runner.store.sim: runner.world and runner.store are independent "
        "(one layer)",
        "sitegen.simread -> runner.engine: sitegen may import only runner.errors, runner.store, "
        "runner.world, runner.scenario, runner.eval.results, runner.clioptions",
    ]


def test_the_code_has_no_import_circle():
    assert circles(import_graph(ROOT)) == []


def test_a_type_only_import_back_makes_a_circle(tmp_path):
    for package in ("runner", "sitegen"):
        shutil.copytree(ROOT / package, tmp_path / package)
    pack = tmp_path / "sitegen" / "pack.py"
    back = "\nimport typing\n\nif typing.TYPE_CHECKING:\n    from .build import write_site\n"
    pack.write_text(pack.read_text(encoding="utf-8") + back)
    graph = import_graph(tmp_path)
    assert circles(graph) == [("sitegen.build", "sitegen.pack", "sitegen.report")]


def test_circles_on_a_synthetic_graph():
    graph = {
        "runner.a": {"runner.b.Thing", "runner.a"},  # a name of a module; itself: no circle
        "runner.b": {"runner.c"},
        "runner.c": {"runner.a.helper"},
        "runner.d": {"runner.e", "runner.a"},
        "runner.e": {"runner.d.f.g"},
        "runner.lone": {"runner"},
        "runner": set(),
    }
    assert circles(graph) == [("runner.a", "runner.b", "runner.c"), ("runner.d", "runner.e")]
