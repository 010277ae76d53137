"""The ``openai`` backend: OpenAI and every server that speaks its API, through ``base_url``.

vLLM, llama.cpp's server, Ollama, DeepSeek, Qwen (DashScope's compatible mode), ERNIE's
compatible endpoint … all take ``/v1/chat/completions``. One instance talks to one endpoint; with
several ``base_url`` the stack makes one per URL and spreads calls over them
(:class:`runner.llm.limits.Spread`). The key is read from the environment variable that
``llm.api_key_env`` names; it is never stored, logged or shown (error texts are scrubbed).

Structured output (``llm.structured``) and the step-down ladder, one rung at a time:

1. ``json_schema``: ``response_format = {"type": "json_schema", "json_schema": {name, schema,
   strict}}``; OpenAI, vLLM, SGLang, llama.cpp's ``llama-server`` and Ollama ≥ 0.5 constrain
   decoding to it.
2. ``json_object+schema``: ``{"type": "json_object", "schema": …}``, the schema with its strings
   and lists bounded (``chat.bounded_schema``); llama-cpp-python's server and ``llama-server``
   turn it into a grammar. ``llm.structured: json_object`` starts here.
3. ``json_object``: ``{"type": "json_object"}`` (JSON mode, no schema).
4. ``none``: nothing; the prompt alone asks for JSON.

A server that refuses the form it was sent (HTTP 400, 422, or a 5xx whose message names
``response_format``, ``json_schema``, the schema …: llama-cpp-python's server answers
``json_schema`` with a 500) makes the backend step down one rung at once, for the rest of the
run, and say so once on stderr; :attr:`OpenAIBackend.structured_mode` is where it settled.
Whatever comes back is parsed and validated by the asker all the same.

Embeddings: ``embedding.model`` names the model of ``/v1/embeddings`` (on ``embedding.base_url``
with ``embedding.api_key_env`` when given, else on this endpoint with this key), asked in batches
of ``EMBED_BATCH`` texts. Without ``embedding.model`` the vectors are hashed character n-grams
computed here (no calls).
"""

from __future__ import annotations

import os
import re
import sys
import threading
import time

import numpy as np
import openai

from ..config import Scenario
from ..errors import RingWorldError
from .base import Embeddings, Request, Response
from .chat import answer_tokens, bounded_schema, request_schema, user_text
from .hashed import hashed_embed
from .retry import BadRequest, FatalLLMError, TransientError

EMBED_BATCH = 128
MODES = ("json_schema", "json_object+schema", "json_object", "none")  # the step-down ladder
FIRST_MODE = {"json_schema": "json_schema", "json_object": "json_object+schema", "none": "none"}
_FORMAT_WORDS = ("response_format", "json_schema", "json_object", "schema", "structured", "grammar")
_KEYISH = re.compile(r"(sk|key|tok)[-_][A-Za-z0-9_\-]{6,}")


def read_key(env_name: str | None, field: str) -> str | None:
    if not env_name:
        return None
    key = os.environ.get(env_name)
    if not key:
        raise RingWorldError(f"{field}: the environment variable {env_name} is not set")
    return key


def endpoint_label(url: str | None) -> str:
    """The URL without query string or user info, to name an endpoint in logs and the store."""
    if not url:
        return "api.openai.com"
    url = url.split("?")[0]
    return re.sub(r"//[^/@]*@", "//", url)


class OpenAIBackend:
    name = "openai"
    is_llm = True
    serial = False

    def __init__(self, scenario: Scenario):
        llm = scenario.llm
        if not llm.model:
            raise RingWorldError("llm.model: the openai backend needs a model name")
        url = llm.base_url
        if isinstance(url, list):  # the stack makes one backend per URL; alone, take the first
            url = url[0] if url else None
        self.model = llm.model
        self.base_url = url or None
        self.endpoint = endpoint_label(self.base_url)
        key = read_key(llm.api_key_env, "llm.api_key_env")
        if key is None and self.base_url is None:
            raise RingWorldError(
                "llm.api_key_env: name the environment variable that holds the OpenAI API key "
                "(or set llm.base_url to a server that needs none)"
            )
        self._secrets = [s for s in (key,) if s]
        self.temperature = llm.temperature
        self.structured_mode = FIRST_MODE[llm.structured]  # where the ladder stands now
        timeout = llm.timeout
        self.client = openai.OpenAI(
            api_key=key or "none", base_url=self.base_url, max_retries=0, timeout=timeout
        )
        emb = scenario.embedding
        self.embed_model = emb.model
        self.embed_client = self.client
        self.embed_endpoint = self.endpoint
        if self.embed_model and (emb.base_url or emb.api_key_env):
            emb_key = read_key(emb.api_key_env, "embedding.api_key_env") or key
            if emb_key:
                self._secrets.append(emb_key)
            url = emb.base_url or self.base_url
            self.embed_endpoint = endpoint_label(url)
            self.embed_client = openai.OpenAI(
                api_key=emb_key or "none", base_url=url, max_retries=0, timeout=timeout
            )
        self._lock = threading.Lock()

    # --- chat ------------------------------------------------------------------------------
    def complete(self, request: Request) -> Response:
        while True:
            mode = self.structured_mode
            kwargs = {
                "model": self.model,
                "messages": [{"role": "user", "content": user_text(request)}],
                "temperature": self.temperature,
                "max_tokens": answer_tokens(request.kind),
            }
            if mode != "none":
                kwargs["response_format"] = response_format(mode, request)
            began = time.perf_counter()
            try:
                reply = self.client.chat.completions.create(**kwargs)
            except openai.APIStatusError as exc:
                if mode != "none" and refuses_format(exc):
                    self._step_down(mode, exc)
                    continue
                raise self._translate(exc, self.endpoint) from None
            except openai.APIError as exc:
                raise self._translate(exc, self.endpoint) from None
            latency = (time.perf_counter() - began) * 1000
            break
        if not reply.choices:
            return Response("", latency_ms=latency, extra={"endpoint": self.endpoint})
        text = reply.choices[0].message.content or ""
        usage = reply.usage
        prompt_tokens = usage.prompt_tokens if usage else 0
        completion_tokens = usage.completion_tokens if usage else 0
        return Response(
            text,
            prompt_tokens or 0,
            completion_tokens or 0,
            latency,
            extra={"endpoint": self.endpoint, "finish": reply.choices[0].finish_reason},
        )

    def _step_down(self, mode: str, exc: Exception) -> None:
        with self._lock:
            if self.structured_mode != mode:
                return  # another thread stepped down already
            self.structured_mode = MODES[MODES.index(mode) + 1]
        print(
            f"llm: {self.endpoint} refused structured output '{mode}' "
            f"({self._clean(exc)[:100]}); using '{self.structured_mode}' from now on",
            file=sys.stderr,
            flush=True,
        )

    # --- embeddings ------------------------------------------------------------------------
    def embed(self, texts: list[str]) -> Embeddings:
        if not self.embed_model:
            return Embeddings(hashed_embed(texts))
        rows: list[list[float]] = []
        tokens, requests = 0, 0
        began = time.perf_counter()
        for start in range(0, len(texts), EMBED_BATCH):
            batch = texts[start : start + EMBED_BATCH]
            try:
                reply = self.embed_client.embeddings.create(model=self.embed_model, input=batch)
            except openai.APIError as exc:
                raise self._translate(exc, self.embed_endpoint) from None
            requests += 1
            tokens += reply.usage.prompt_tokens if reply.usage else 0
            rows.extend(item.embedding for item in sorted(reply.data, key=lambda d: d.index))
        ms = (time.perf_counter() - began) * 1000
        return Embeddings(np.array(rows, dtype=np.float32), requests, tokens, ms)

    # --- errors ----------------------------------------------------------------------------
    def _clean(self, exc: Exception) -> str:
        """The error's text with any key taken out."""
        text = " ".join(str(exc).split())
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _KEYISH.sub("***", text)

    def _translate(self, exc: openai.APIError, endpoint: str) -> Exception:
        text = self._clean(exc)
        if isinstance(exc, openai.APITimeoutError):
            return TransientError("timeout", text, endpoint)
        if isinstance(exc, openai.APIConnectionError):
            return TransientError("connection", text, endpoint)
        status = getattr(exc, "status_code", None)
        if status == 429:
            after = _retry_after(exc)
            return TransientError("429", text, endpoint, after)
        if status is not None and (status >= 500 or status in (408, 409)):
            return TransientError("5xx" if status >= 500 else str(status), text, endpoint)
        if status in (401, 403):
            return FatalLLMError(
                f"llm: {endpoint} refused the API key (HTTP {status}); check the variable that "
                f"llm.api_key_env names: {text[:120]}"
            )
        if status == 404:
            return FatalLLMError(
                f"llm: {endpoint} has no model '{self.model}' or no such API path (HTTP 404): "
                f"{text[:120]}"
            )
        return BadRequest(text, endpoint, str(status or "error"))

    def close(self) -> None:
        self.client.close()
        if self.embed_client is not self.client:
            self.embed_client.close()


def response_format(mode: str, request: Request) -> dict:
    """The ``response_format`` of ``mode`` (a rung of :data:`MODES` other than ``none``)."""
    if mode == "json_schema":
        schema = {"name": request.kind, "schema": request_schema(request), "strict": True}
        return {"type": "json_schema", "json_schema": schema}
    if mode == "json_object+schema":
        return {"type": "json_object", "schema": bounded_schema(request_schema(request))}
    return {"type": "json_object"}


def refuses_format(exc: openai.APIStatusError) -> bool:
    """Whether the server refused the structured form rather than the question: HTTP 400, 422
    or a 5xx whose message names it (a 5xx that does not is a server fault, retried)."""
    status = exc.status_code
    if status not in (400, 422) and status < 500:
        return False
    text = str(exc).lower()
    return any(word in text for word in _FORMAT_WORDS)


def _retry_after(exc: openai.APIStatusError) -> float | None:
    try:
        value = exc.response.headers.get("retry-after")
        return float(value) if value is not None else None
    except (AttributeError, ValueError):
        return None
