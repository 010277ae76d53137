"""The ``openai`` backend: OpenAI and every server that speaks its API, through ``base_url``.

vLLM, llama.cpp's server, Ollama, DeepSeek, Qwen (DashScope's compatible mode), ERNIE's
compatible endpoint … all take ``/v1/chat/completions``. One instance talks to one endpoint; with
several ``base_url`` the stack makes one per URL and spreads calls over them
(:class:`runner.llm.spread.Spread`). The key is read from the environment variable that
``llm.api_key_env`` names; it is never stored, logged or shown (error texts are scrubbed).

What each request carries beyond the model and the messages (the token budget, temperature,
structured output, the thinking switch, ``llm.extra_body``) is settled per endpoint from what the
server refuses (:mod:`runner.llm.endpoint_rules`); a thinking model's answer is what follows its
thinking (:mod:`runner.llm.thinking`). An answer cut off (``finish_reason: length``) while
still thinking is asked again once with twice the budget, and marked ``truncated``.

Embeddings: ``embedding.model`` names the model of ``/v1/embeddings`` (on ``embedding.base_url``
with ``embedding.api_key_env`` when given, else on this endpoint with this key), asked in batches
of ``EMBED_BATCH`` texts. Without ``embedding.model`` the vectors are hashed character n-grams
computed here (no calls).
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass

import numpy as np
import openai

from ..config import Scenario
from .base import Embeddings, Request, Response
from .chat import user_text
from .endpoint_rules import EndpointRules
from .hashed import hashed_embed
from .notices import say
from .registry import ScenarioKeyError
from .retry import BadRequest, FatalLLMError, TransientError
from .thinking import reasoning_share, split_thinking

EMBED_BATCH = 128
NAMED = (
    "model",
    "messages",
    "temperature",
    "max_tokens",
    "max_completion_tokens",
    "response_format",
)
REASONING_FIELDS = ("reasoning_content", "reasoning")  # never read as the answer
_KEYISH = re.compile(r"(sk|key|tok)[-_][A-Za-z0-9_\-]{6,}")


def read_key(env_name: str | None, field: str) -> str | None:
    if not env_name:
        return None
    key = os.environ.get(env_name)
    if not key:
        raise ScenarioKeyError(field, f"the environment variable {env_name} is not set")
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
            raise ScenarioKeyError("llm.model", "the openai backend needs a model name")
        url = llm.base_url
        if isinstance(url, list):  # the stack makes one backend per URL; alone, take the first
            url = url[0] if url else None
        self.model = llm.model
        self.base_url = url or None
        self.endpoint = endpoint_label(self.base_url)
        key = read_key(llm.api_key_env, "llm.api_key_env")
        if key is None and self.base_url is None:
            raise ScenarioKeyError(
                "llm.api_key_env",
                "name the environment variable that holds the OpenAI API key "
                "(or set llm.base_url to a server that needs none)",
            )
        self._secrets = [s for s in (key,) if s]
        self.rules = EndpointRules(llm, self.endpoint, say, self._clean)
        self._probe = threading.Lock()  # one request at a time while the form is unproven
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

    @property
    def structured_mode(self) -> str:
        """Where the structured-output ladder stands now."""
        return self.rules.structured_mode

    def settled(self) -> list[str]:
        """What this endpoint settled on, for ``check-llm``."""
        return self.rules.settled()

    # --- chat ------------------------------------------------------------------------------
    def complete(self, request: Request) -> Response:
        if not self.rules.proven:
            with self._probe:  # those that queued here while it was proven go on at once
                if not self.rules.proven:
                    return self._complete(request)
        return self._complete(request)

    def _complete(self, request: Request) -> Response:
        began = time.perf_counter()
        reply, version = self._send(request, 1)
        answer = _answer(reply)
        truncated = answer.cut_thinking
        if truncated:  # asked again once, with room to finish the thinking
            again, version = self._send(request, 2)
            answer = _answer(again).add_usage(answer)
        self.rules.answered(version, answer.thought)
        extra = {"endpoint": self.endpoint, "finish": answer.finish}
        if truncated:
            extra["truncated"] = 1
        return Response(
            answer.text,
            answer.prompt_tokens,
            answer.completion_tokens,
            (time.perf_counter() - began) * 1000,
            extra=extra,
            reasoning_tokens=answer.reasoning_tokens,
        )

    def _send(self, request: Request, factor: int):
        """One chat request in the endpoint's current form (again in a new form after a
        refused field); the reply and the form's version."""
        while True:
            version = self.rules.version
            body = self.rules.body(request, factor)
            named = {k: v for k, v in body.items() if k in NAMED}
            extra = {k: v for k, v in body.items() if k not in NAMED}
            messages = [{"role": "user", "content": user_text(request)}]
            try:
                reply = self.client.chat.completions.create(
                    model=self.model, messages=messages, extra_body=extra or None, **named
                )
            except openai.APIStatusError as exc:
                if self.rules.learn(exc, body, version):
                    continue
                raise self._translate(exc, self.endpoint) from None
            except openai.APIError as exc:
                raise self._translate(exc, self.endpoint) from None
            return reply, version

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
        vectors = np.array(rows, dtype=np.float32)
        return Embeddings(vectors, requests, tokens, ms, self.embed_endpoint)

    # --- errors ----------------------------------------------------------------------------
    def _clean(self, exc: Exception) -> str:
        """The error's text with any key taken out."""
        text = " ".join(str(exc).split())
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _KEYISH.sub("***", text)

    def _translate(self, exc: openai.APIError, endpoint: str) -> Exception:
        text = self._clean(exc)
        unreachable = _no_connection(exc)
        if isinstance(exc, openai.APITimeoutError):
            return TransientError("timeout", text, endpoint, unreachable=unreachable)
        if isinstance(exc, openai.APIConnectionError):
            return TransientError("connection", text, endpoint, unreachable=unreachable)
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


@dataclass
class _Answer:
    """One reply read: the answer after any thinking, and what it cost."""

    text: str
    finish: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reasoning_tokens: int = 0
    thought: bool = False
    cut_thinking: bool = False  # cut off by the token budget before the thinking ended

    def add_usage(self, earlier: _Answer) -> _Answer:
        self.prompt_tokens += earlier.prompt_tokens
        self.completion_tokens += earlier.completion_tokens
        self.reasoning_tokens += earlier.reasoning_tokens
        return self


def _answer(reply) -> _Answer:
    """The answer in ``reply``: its content after any thinking; the reasoning fields are only
    counted. Reasoning tokens as the server says (``completion_tokens_details``), else counted
    from the thinking's share of the text."""
    usage = reply.usage
    prompt = (usage.prompt_tokens or 0) if usage else 0
    completion = (usage.completion_tokens or 0) if usage else 0
    if not reply.choices:
        return _Answer("", None, prompt, completion)
    choice = reply.choices[0]
    split = split_thinking(choice.message.content or "")
    fields = (getattr(choice.message, name, None) for name in REASONING_FIELDS)
    reasoning = next((f for f in fields if isinstance(f, str) and f), "")
    details = getattr(usage, "completion_tokens_details", None) if usage else None
    said = (getattr(details, "reasoning_tokens", None) or 0) if details else 0
    thinking = split.thinking or reasoning
    tokens = said or reasoning_share(completion, thinking, split.answer)
    thought = bool(thinking or tokens)
    cut = choice.finish_reason == "length" and (split.unfinished or (thought and not split.answer))
    return _Answer(split.answer, choice.finish_reason, prompt, completion, tokens, thought, cut)


def _no_connection(exc: BaseException) -> bool:
    """Whether no connection could be made: the HTTP library's ``ConnectError`` or
    ``ConnectTimeout`` under the client's error (``httpx`` or ``httpx2``, by client version)."""
    cause = exc.__cause__
    while cause is not None:
        if type(cause).__name__ in ("ConnectError", "ConnectTimeout"):
            return True
        cause = cause.__cause__
    return False


def _retry_after(exc: openai.APIStatusError) -> float | None:
    try:
        value = exc.response.headers.get("retry-after")
        return float(value) if value is not None else None
    except (AttributeError, ValueError):
        return None
