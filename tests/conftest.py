"""Shared fixtures: every test runs in its own temp folder, so output/ goes there."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    yield


@pytest.fixture
def morning_demo(tmp_path) -> Path:
    """The demo scenario starting at 7:00, when the agents are up and about."""
    import yaml

    data = yaml.safe_load((SCENARIOS / "demo.yaml").read_text(encoding="utf-8"))
    data["start"] = "2023-02-13 07:00:00"
    data["map"] = str(SCENARIOS / "maps" / "ringtown.yaml")
    data["name"] = "morning"
    path = tmp_path / "morning.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
