"""Shared fixtures: every test runs in its own temp folder, so output/ goes there."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    yield


def scenario_data(file: str = "demo.yaml", **changes) -> dict:
    """A bundled scenario as data, its relative paths made absolute, with ``changes``."""
    data = yaml.safe_load((SCENARIOS / file).read_text(encoding="utf-8"))
    for key in ("map", "history"):
        if data.get(key):
            data[key] = str((SCENARIOS / data[key]).resolve())
    data.update(changes)
    return data


def write_scenario(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def morning_data() -> dict:
    """The demo starting at 7:00, when the agents are up and about."""
    return scenario_data(start="2023-02-13 07:00:00", name="morning")


@pytest.fixture
def morning_demo(tmp_path) -> Path:
    return write_scenario(tmp_path / "morning.yaml", morning_data())


@pytest.fixture
def book(monkeypatch):
    """The book of this process's prompts, for the loopback server to answer as the offline
    policy would (:mod:`runner.testing.promptbook`)."""
    from runner.testing.promptbook import PromptBook

    return PromptBook().install(monkeypatch)


@pytest.fixture
def fast_retries(monkeypatch) -> None:
    """A run's retries wait 0.01-0.05 s instead of seconds."""
    monkeypatch.setattr("runner.llm.retry.BASE_S", 0.01)
    monkeypatch.setattr("runner.llm.retry.MAX_S", 0.05)
