"""The ``gpt4all`` backend: the gpt4all package with a model file the user names.

``llm.model`` is the model file: a path (``~/models/qwen2.5-1.5b-instruct-q4_0.gguf``) or a
file name in gpt4all's model folder. Nothing is downloaded unless the scenario says
``llm.allow_download: true``. gpt4all has no constrained decoding, so the prompt alone asks for
JSON and the asker parses, validates and retries as for every backend. It reports no token
counts; they are estimated from the text length (about 1.5 characters a token), and marked so.
One model instance answers one question at a time. Embeddings are hashed character n-grams
computed here.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from gpt4all import GPT4All

from ..config import Scenario
from .base import Embeddings, Request, Response
from .chat import answer_tokens, user_text
from .hashed import hashed_embed
from .registry import ScenarioKeyError


def estimate_tokens(text: str) -> int:
    return max(1, round(len(text) / 1.5)) if text else 0


class GPT4AllBackend:
    name = "gpt4all"
    is_llm = True
    serial = True  # one answer at a time: agents take turns (and share the prompt cache)

    def __init__(self, scenario: Scenario):
        llm = scenario.llm
        if not llm.model:
            raise ScenarioKeyError(
                "llm.model", "the gpt4all backend needs a model file name or path"
            )
        allow = llm.allow_download
        path = Path(llm.model).expanduser()
        folder = str(path.parent) if path.parent != Path(".") else None
        if not allow and folder is not None and not path.is_file():
            raise ScenarioKeyError(
                "llm.model",
                f"no such model file {path} (set llm.allow_download: true to let "
                "gpt4all download a model it knows by that name)",
            )
        self.model = path.name
        self.temperature = llm.temperature
        try:
            self.gpt = GPT4All(path.name, model_path=folder, allow_download=allow, verbose=False)
        except (ValueError, FileNotFoundError, RuntimeError) as exc:
            raise ScenarioKeyError("llm.model", f"gpt4all cannot load {path}: {exc}") from None
        self._lock = threading.Lock()
        self.embed_model = None

    def complete(self, request: Request) -> Response:
        prompt = user_text(request)
        with self._lock:
            began = time.perf_counter()
            with self.gpt.chat_session():
                text = self.gpt.generate(
                    prompt, max_tokens=answer_tokens(request.kind), temp=self.temperature
                )
            latency = (time.perf_counter() - began) * 1000
        return Response(
            text,
            estimate_tokens(prompt),
            estimate_tokens(text),
            latency,
            extra={"endpoint": "gpt4all", "estimated_tokens": True},
        )

    def embed(self, texts: list[str]) -> Embeddings:
        return Embeddings(hashed_embed(texts))

    def close(self) -> None:
        pass
