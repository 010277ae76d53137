"""The base of every backend wrapper (cache, retry, meter): forwards what it does not change.

A wrapper has the backend interface (``complete``, ``embed``, ``close``) and passes the other
attributes that :class:`runner.llm.base.Backend` declares (``name``, ``model``, ``is_llm``,
``serial``, ``embed_model``) through to the backend it wraps. What a call cost travels in its
result (:class:`Response` tokens and ``cache_hit``, :class:`Embeddings` requests and tokens),
never beside it, so each wrapper sees only what the ones inside it report and wrappers compose
in any order, in the manner of DeepMind Concordia's language-model wrappers.
"""

from __future__ import annotations

from typing import Any


class Wrapper:
    inner: Any

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)
