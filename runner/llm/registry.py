"""Backends by name, imported lazily so a missing optional package is a clear message."""

from __future__ import annotations

import importlib

from ..config import Scenario
from ..errors import RingWorldError
from .base import Backend

# name -> ("module:Class", the pip extra that provides its packages, or None)
BACKENDS: dict[str, tuple[str, str | None]] = {
    "offline": ("runner.policy.offline:OfflinePolicy", None),
    "openai": ("runner.llm.openai_backend:OpenAIBackend", "openai"),
    "local": ("runner.llm.local:LocalBackend", "local"),
    "gpt4all": ("runner.llm.gpt4all_backend:GPT4AllBackend", "gpt4all"),
}


class ScenarioKeyError(RingWorldError):
    """A scenario key a backend cannot work with; :func:`runner.llm.stack.make_endpoints`
    names the scenario file before it."""

    def __init__(self, key: str, text: str):
        super().__init__(f"key '{key}': {text}")
        self.key = key
        self.text = text


OFFLINE_NOTE = "offline (a deterministic rule-based policy, not an LLM)"


def describe_backend(name: str) -> str:
    return OFFLINE_NOTE if name == "offline" else name


def make_backend(scenario: Scenario) -> Backend:
    """Build the backend the scenario's ``llm.backend`` names."""
    name = scenario.llm.backend
    if name not in BACKENDS:
        known = ", ".join(sorted(BACKENDS))
        raise ScenarioKeyError("llm.backend", f"unknown backend '{name}' (available: {known})")
    target, extra = BACKENDS[name]
    module_name, class_name = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        hint = f"pip install 'ringworld[{extra}]'" if extra else "reinstall ringworld"
        raise RingWorldError(f"llm.backend '{name}' needs {exc.name}: {hint}") from None
    return getattr(module, class_name)(scenario)
