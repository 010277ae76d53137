"""The base of every backend wrapper (cache, embedding batches, meter, retry).

A wrapper holds the backend it wraps (``inner``) and has the whole backend interface of
:class:`runner.llm.base.Backend`: each wrapper implements ``complete`` and ``embed`` itself;
the declared attributes (``name``, ``model``, ``is_llm``, ``serial``, ``embed_model``) are the
inner backend's, read through the properties below, and ``close`` closes the inner backend.
What a call cost travels in its result (:class:`Response` tokens and ``cache_hit``,
:class:`Embeddings` requests and tokens), never beside it, so each wrapper sees only what the
ones inside it report, in the manner of DeepMind Concordia's language-model wrappers. The order
of the wrappers is built in one place, :func:`runner.llm.stack.build_stack`, which says why it
matters.
"""

from __future__ import annotations

from .base import Backend, Embeddings, Request, Response


class Wrapper:
    inner: Backend

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def model(self) -> str | None:
        return self.inner.model

    @property
    def is_llm(self) -> bool:
        return self.inner.is_llm

    @property
    def serial(self) -> bool:
        return self.inner.serial

    @property
    def embed_model(self) -> str | None:
        return self.inner.embed_model

    def complete(self, request: Request) -> Response:
        raise NotImplementedError

    def embed(self, texts: list[str]) -> Embeddings:
        raise NotImplementedError

    def close(self) -> None:
        self.inner.close()
