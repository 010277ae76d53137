"""The ``local`` backend: llama.cpp in process with the packaged GGUF (Gemma 3 270M), no network.

Skipped only where llama-cpp-python is not installed (``pip install -e '.[dev]'`` installs it).
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from conftest import scenario_data, write_scenario

pytest.importorskip(
    "llama_cpp", reason="llama-cpp-python is not installed: pip install -e '.[dev]' (or '.[local]')"
)

from runner.batch import run_scenario, sim_status  # noqa: E402
from runner.cli import main  # noqa: E402
from runner.prompts.kinds import KINDS  # noqa: E402


@pytest.fixture
def local_demo(tmp_path):
    data = scenario_data(name="demo_local")
    data["llm"] = {"backend": "local", "temperature": 0.3}
    return write_scenario(tmp_path / "demo_local.yaml", data)


def test_demo_steps_on_the_packaged_model(tmp_path):
    """Three steps of the demo's first agent (planning its day) on the model in process."""
    data = scenario_data(name="demo_local", history=None)
    data["agents"] = data["agents"][:1]
    data["llm"] = {"backend": "local", "temperature": 0.3}
    path = write_scenario(tmp_path / "demo_local.yaml", data)
    result = run_scenario(path, steps=3, out_root=tmp_path / "output")
    assert result.steps_done == 3
    db = sqlite3.connect(result.sim_dir / "sim.sqlite")
    rows = db.execute(
        "SELECT kind, outcome, completion_tokens FROM llm_calls WHERE kind != 'embed'"
    ).fetchall()
    actions = db.execute("SELECT action FROM frames WHERE step = 2").fetchall()
    db.close()
    kinds = {kind for kind, _, _ in rows}
    assert {"wake_up_hour", "daily_plan", "hourly_schedule", "action_details"} <= kinds
    assert all(tokens > 0 for _, _, tokens in rows)  # every answer came from the model
    ok = sum(outcome == "ok" for _, outcome, _ in rows)
    assert ok >= 0.9 * len(rows), rows  # grammar-constrained: (nearly) every answer parses
    assert len(actions) == 1 and all(a[0] for a in actions)
    info = sim_status(result.sim_dir)
    assert info["tokens"] > 0 and info["sent"] == len(rows) + info["retries"]


def test_check_llm_parses_every_kind(local_demo):
    result = CliRunner().invoke(main, ["check-llm", str(local_demo)])
    assert result.exit_code == 0, result.output
    for kind in KINDS:
        line = next(line for line in result.output.splitlines() if line.startswith(kind + " "))
        assert " parsed" in line and "no sample" not in line, line
    assert f"{len(KINDS) + 1} of {len(KINDS) + 1} checks passed" in result.output


def test_the_installed_version_has_what_the_grammar_sampler_uses():
    from types import SimpleNamespace

    import llama_cpp

    from runner.llm import local

    assert all(hasattr(llama_cpp, f) for f in local.C_FUNCTIONS), llama_cpp.__version__
    grammar = llama_cpp.LlamaGrammar.from_string('root ::= "a"', verbose=False)
    assert all(hasattr(grammar, m) for m in local.GRAMMAR_MEMBERS)
    stand_in = SimpleNamespace(_init_sampler=lambda **kw: "own", _seed=1, _model=None)
    assert local._fast_grammar(stand_in) is False  # no _model.vocab: its own sampler stays
    assert stand_in._init_sampler() == "own"
    stand_in._model = SimpleNamespace(vocab=object())
    assert local._fast_grammar(stand_in) is True
    assert stand_in._init_sampler(grammar=None) == "own"  # unconstrained: the library's
    plain = SimpleNamespace()  # a grammar object of a version without _grammar/_root
    kw = {"grammar": plain, "temp": 0.5, "top_k": 40, "top_p": 0.9, "min_p": 0.05}
    assert stand_in._init_sampler(**kw) == "own"
