"""The base of every backend wrapper (cache, retry, meter): forwards what it does not change.

A wrapper has the backend interface (``complete``, ``embed``) and passes every other attribute
(``name``, ``model``, ``is_llm``, ``embed_model`` …) through to the backend it wraps, so wrappers
compose in any order, in the manner of DeepMind Concordia's language-model wrappers.
"""

from __future__ import annotations

from typing import Any


class Wrapper:
    inner: Any

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
