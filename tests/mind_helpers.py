"""Helpers for the mind tests: an offline run that keeps every question it asked."""

from __future__ import annotations

from pathlib import Path

from runner import batch
from runner.llm import registry
from runner.llm.base import Request
from runner.policy.offline import OfflinePolicy


class Recording(OfflinePolicy):
    """The offline policy, keeping every request it answers."""

    requests: list[Request] = []

    def complete(self, request: Request):
        Recording.requests.append(request)
        return super().complete(request)


def recorded_run(scenario: Path, steps: int, out: Path) -> tuple[Path, list[Request]]:
    """Run ``scenario`` offline for ``steps``; the sim folder and every request, in order."""
    registry.BACKENDS["recording"] = ("mind_helpers:Recording", None)
    Recording.requests = []
    try:
        sim = batch.run_scenario(scenario, steps=steps, out_root=out, llm="recording").sim_dir
    finally:
        registry.BACKENDS.pop("recording")
    return sim, list(Recording.requests)
