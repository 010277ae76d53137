"""A new user's first contact (issue 21): sim names that stay in their folder, nothing half-made
after a failed start, history loaded once, -h and --sims on both commands, resume at target."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SCENARIOS, scenario_data, write_scenario

from runner.cli import main
from runner.store import SimFolder
from sitegen.cli import main as site_main

DEMO = str(SCENARIOS / "demo.yaml")


def invoke(*args: str, cli=main):
    return CliRunner().invoke(cli, list(args))


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def everything_under(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


# --- sim names -----------------------------------------------------------------------------


def test_a_sim_name_that_leaves_the_sims_folder_is_refused_and_writes_nothing(tmp_path):
    (tmp_path / "s").mkdir()
    before = everything_under(tmp_path)
    line = one_error_line(
        invoke("run", DEMO, "--sim", "../../etc/evil", "--sims", "s/t", "--steps", "2")
    )
    assert "--sim: '../../etc/evil' is not a plain folder name" in line
    assert everything_under(tmp_path) == before


def test_a_scenario_name_with_markup_is_refused_naming_the_key(tmp_path):
    bad = write_scenario(tmp_path / "x.yaml", scenario_data(name="x</title><script>1</script>"))
    before = everything_under(tmp_path)
    line = one_error_line(invoke("run", str(bad), "--steps", "2"))
    assert f"{bad}: key 'name': 'x</title><script>1</script>' is not a plain" in line
    assert everything_under(tmp_path) == before


@pytest.mark.parametrize("name", ["..", ".hidden", "a/b", "-x", "a b", "x" * 101, ""])
def test_names_that_are_not_plain_folder_names(name):
    assert "is not a plain folder name" in one_error_line(
        invoke("run", DEMO, "--sim", name, "--steps", "2")
    )
    assert not Path("output").exists()


def test_a_cjk_name_with_dot_dash_and_underscore_is_a_sim(tmp_path):
    result = invoke("run", DEMO, "--sim", "小镇_1-v.2", "--steps", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert SimFolder(Path("output") / "小镇_1-v.2").has_store()


def test_a_folder_linked_out_of_the_sims_folder_is_refused(tmp_path):
    (tmp_path / "output").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "output" / "link").symlink_to(tmp_path / "elsewhere")
    assert "leads out of the sims folder" in one_error_line(
        invoke("run", DEMO, "--sim", "link", "--steps", "2")
    )
    assert not any((tmp_path / "elsewhere").iterdir())


def test_a_fork_named_out_of_the_sims_folder_is_refused():
    assert invoke("run", DEMO, "--steps", "3", "--quiet").exit_code == 0
    line = one_error_line(invoke("fork", "demo", "../forked", "--at-step", "2"))
    assert line.startswith("error: NEW: '../forked'")
    assert sorted(p.name for p in Path().iterdir()) == ["output"]


# --- a failed start ------------------------------------------------------------------------


def test_a_start_that_fails_leaves_nothing_and_the_corrected_scenario_runs(tmp_path):
    history = tmp_path / "h.csv"
    history.write_text("Name,Whisper\n无名氏,记得带伞\n", encoding="utf-8")
    bad = write_scenario(tmp_path / "bad.yaml", scenario_data(history=str(history)))
    line = one_error_line(invoke("run", str(bad), "--steps", "2", "--quiet"))
    assert "no agent named '无名氏'" in line
    assert not Path("output", "demo").exists()
    fixed = invoke("run", DEMO, "--steps", "2", "--quiet")
    assert fixed.exit_code == 0, fixed.output


def test_an_empty_sim_of_another_scenario_is_started_anew():
    """A start killed before its first step leaves a store with no step: it is no run."""
    (Path("output") / "demo").mkdir(parents=True)
    store = SimFolder(Path("output") / "demo").open()
    store.init_run("another scenario", [{"name": "甲"}], name="demo")
    store.close()
    result = invoke("run", DEMO, "--steps", "2", "--quiet")
    assert result.exit_code == 0, result.output
    assert "2 of 2 steps stored" in result.output


# --- load-history --------------------------------------------------------------------------


def test_loading_one_history_twice_plants_nothing_the_second_time(tmp_path):
    assert invoke("run", DEMO, "--steps", "2", "--quiet").exit_code == 0
    csv = tmp_path / "more.csv"
    csv.write_text("Name,Whisper\n伊莎贝拉·罗德里格斯,喜欢晨跑;喜欢晨跑;养了一只猫\n", "utf-8")
    one = tmp_path / "one.csv"
    one.write_text("Name,Whisper\n伊莎贝拉·罗德里格斯,会弹吉他\n", encoding="utf-8")
    first = invoke("load-history", "demo", str(csv))
    assert first.exit_code == 0, first.output
    assert f"planted 2 memories, skipped 1 already remembered, from {csv}" in first.output
    store = SimFolder(Path("output") / "demo").open(readonly=True)
    count = len(store.memory_rows(0, 10))
    store.close()
    second = invoke("load-history", "demo", str(csv))
    assert f"planted 0 memories, skipped 3 already remembered, from {csv}" in second.output
    store = SimFolder(Path("output") / "demo").open(readonly=True)
    assert len(store.memory_rows(0, 10)) == count
    store.close()
    assert f"planted 1 memory, from {one}" in invoke("load-history", "demo", str(one)).output


# --- help and the sims folder --------------------------------------------------------------


def test_both_commands_take_h_and_name_the_sims_folder_alike():
    for cli, args in ((main, ["run", "-h"]), (site_main, ["-h"]), (site_main, ["build", "-h"])):
        result = invoke(*args, cli=cli)
        assert result.exit_code == 0, result.output
        assert "--sims DIR" in result.output
        assert "--root" not in result.output and "--out-root" not in result.output
    assert "--out" not in invoke("run", "-h").output


def test_sims_and_its_old_spellings_reach_the_same_sims(tmp_path):
    runs = tmp_path / "runs"
    assert invoke("run", DEMO, "--steps", "2", "--quiet", "--sims", str(runs)).exit_code == 0
    assert invoke("status", "demo", "--out", str(runs)).exit_code == 0  # the old rw-batch name
    site = tmp_path / "site"
    for args in (["build", "demo", "--sims", str(runs)], ["--root", str(runs), "build", "demo"]):
        built = invoke(*args, "--out", str(site), cli=site_main)
        assert built.exit_code == 0, built.output
        assert (site / "index.html").is_file()


# --- resume at its target ------------------------------------------------------------------


def test_resume_at_the_target_draws_no_bar_and_says_how_to_go_on():
    assert invoke("run", DEMO, "--steps", "3", "--quiet").exit_code == 0
    result = invoke("resume", "demo")
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "nothing to run, 3 of 3 steps stored already" in lines[0]
    assert "rw-batch resume output/demo --steps N (N > 3)" in lines[0]
