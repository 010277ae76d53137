"""rw-batch through click's CliRunner: bad input, status, help."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import SCENARIOS, scenario_data, write_scenario

from runner.cli import main
from runner.world.loader import load_map


def invoke(*args: str):
    return CliRunner().invoke(main, list(args))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _demo(**changes) -> dict:
    return scenario_data(**changes)


def _bad_cases() -> dict[str, tuple[object, str]]:
    wall = _demo()
    ys, xs = load_map(wall["map"], "zh").collision.nonzero()
    wall["agents"][0]["start_tile"] = [int(xs[0]), int(ys[0])]
    unknown = _demo(colour="blue")
    wrong_type = _demo(sec_per_step="ten")
    no_home = _demo()
    no_home["agents"][1]["living_area"] = "不存在的房子:卧室"
    return {
        "yaml syntax": ("agents: [\n  - name: x\n", "YAML syntax error"),
        "unknown key": (unknown, "unknown key 'colour'"),
        "wrong type": (wrong_type, "key 'sec_per_step' must be an integer"),
        "missing map": (_demo(map="nowhere/map.yaml"), "key 'map'"),
        "spawn on a wall": (wall, "agents[0].start_tile"),
        "zero agents": (_demo(agents=[]), "key 'agents'"),
        "unknown home": (no_home, "agents[1].living_area"),
        "unknown backend": (_demo(llm={"backend": "nope"}), "llm.backend"),
    }


@pytest.mark.parametrize("case", list(_bad_cases()))
def test_bad_scenario_is_one_line_and_creates_nothing(case, tmp_path):
    content, expected = _bad_cases()[case]
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    path = _write(tmp_path, text)
    result = invoke("run", str(path), "--steps", "3", "--quiet")
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert expected in lines[0]
    if case != "unknown backend":  # the backend is checked by the registry, not the file
        assert "bad.yaml" in lines[0]
    assert "Traceback" not in result.output
    assert not Path("output").exists()


def test_missing_scenario_file():
    result = invoke("run", "no/such.yaml")
    assert result.exit_code == 1
    assert "no/such.yaml" in result.output


def test_run_then_status(tmp_path):
    result = invoke("run", str(SCENARIOS / "demo.yaml"), "--steps", "30", "--quiet")
    assert result.exit_code == 0, result.output
    assert "30 of 30 steps stored" in result.output
    status = invoke("status", "demo")
    assert status.exit_code == 0
    assert "30 of 30" in status.output
    assert "not an LLM" in status.output
    assert "fail-safes" in status.output
    listing = invoke("status")
    assert "demo: 30/30 steps" in listing.output


def test_run_again_continues_the_same_run():
    assert invoke("run", str(SCENARIOS / "demo.yaml"), "--steps", "20", "--quiet").exit_code == 0
    again = invoke("run", str(SCENARIOS / "demo.yaml"), "--steps", "40", "--quiet")
    assert again.exit_code == 0
    assert "40 of 40 steps stored" in again.output


def test_status_of_a_missing_sim():
    result = invoke("status", "nothing-here")
    assert result.exit_code == 1
    assert "nothing-here" in result.output


def test_help_says_offline_is_not_an_llm():
    result = invoke("run", "--help")
    assert "NOT an LLM" in result.output
    assert "resume" in invoke("--help").output


def test_check_llm_asks_only_the_kinds_named(tmp_path):
    path = write_scenario(tmp_path / "demo.yaml", scenario_data())
    result = CliRunner().invoke(
        main, ["check-llm", str(path), "--kind", "wake_up_hour", "--kind", "judge"]
    )
    assert result.exit_code == 0, result.output
    asked = [line.split()[0] for line in result.output.splitlines()[2:-1]]
    assert asked == ["wake_up_hour", "judge", "embed"], result.output
    assert result.output.rstrip().endswith("3 of 3 checks passed")
    bad = CliRunner().invoke(main, ["check-llm", str(path), "--kind", "nonsense"])
    assert bad.exit_code != 0 and "nonsense" in bad.output
