"""A real OpenAI-compatible HTTP server on 127.0.0.1, for tests and benchmarks.

It speaks ``POST /v1/chat/completions``, ``POST /v1/embeddings`` and ``GET /v1/models`` over
HTTP/1.1 (keep-alive), in a thread per connection, and it stops itself after ``max_seconds``.

How it answers: a model only sees the prompt text, and so does this server. Two ways:

- ``book`` (a :class:`PromptBook`): when the sim runs in this same process, the book has
  recorded every prompt the sim rendered with its request, so the server looks the prompt up and
  answers as the offline policy (``runner.policy.offline.OfflinePolicy``) would. A run against the
  server then gives the very frames of an offline run, which makes a strong test.
- without a book: a valid answer built from the JSON schema (``response_format``, or the schema
  at the end of the prompt), with choices taken from the prompt's example line
  (:mod:`runner.testing.schema_answers`).

With ``strict_schemas=True`` it also holds a ``json_schema`` response_format sent with
``"strict": true`` to OpenAI's rules (``runner.llm.strict_schema``): a schema that breaks them
gets the HTTP 400 OpenAI sends, and an answer is completed as strict decoding would complete it
(an optional property the policy left out comes back as ``null``).

Faults are injected by request number (``faults(n) -> None | '500' | '429' | 'timeout' | 'malformed'
| 'invalid' | 'drop'``), and answers spoiled by prompt (``spoil(prompt)``, the same kinds: the same
question spoiled whenever it is asked); ``latency`` delays every answer (``embed_latency`` every
embedding answer, default the same); ``die_at=n`` kills it at its n-th chat request
(:meth:`OpenAIServer.kill`); ``behaviour`` makes the model think, or refuse parameters as OpenAI's
reasoning models do (:mod:`runner.testing.behaviours`). Everything is counted; ``arrivals``: the
calls in flight at each chat request's arrival, itself included (the client's concurrency as seen
from here). ``slots`` and ``ms_per_token`` make it a GPU server: that many calls decode at once,
each for ``ms_per_token`` per answer token, the rest queue. ``jitter=(seed, max_s)`` adds a seeded
random delay of up to ``max_s`` to every chat answer.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from runner.llm.chat import RETRY_NOTE
from runner.llm.hashed import hashed_embed
from runner.llm.strict_schema import nulls_filled, openai_refusal
from runner.policy.offline import OfflinePolicy
from runner.testing.behaviours import Behaviour
from runner.testing.promptbook import PromptBook
from runner.testing.schema_answers import schema_answer, schema_in


class OpenAIServer:
    def __init__(
        self,
        book: PromptBook | None = None,
        seed: int = 0,
        latency: float = 0.0,
        embed_latency: float | None = None,
        faults: Callable[[int], str | None] | None = None,
        timeout_delay: float = 1.0,
        api_key: str | None = None,
        max_seconds: float = 600.0,
        retry_faults: bool = False,
        refuse_formats: tuple[str, ...] = (),
        strict_schemas: bool = False,
        die_at: int | None = None,
        refuse_status: int = 400,
        behaviour: Behaviour | None = None,
        spoil: Callable[[str], str | None] | None = None,
        slots: int | None = None,
        ms_per_token: float = 0.0,
        jitter: tuple[int, float] | None = None,
    ):
        self.book = book
        self.behaviour = behaviour or Behaviour()
        self.policy = OfflinePolicy(seed=seed)
        self.latency = latency
        self.embed_latency = latency if embed_latency is None else embed_latency
        self.faults = faults or (lambda n: None)  # by request number: transient faults
        self.spoil = spoil or (lambda prompt: None)  # by prompt: the same question, the same
        self.slots = threading.Semaphore(slots) if slots else contextlib.nullcontext()
        self.ms_per_token = ms_per_token  # decoding time per answer token, in a slot
        self.timeout_delay = timeout_delay
        self.api_key = api_key
        self.max_seconds = max_seconds
        self.retry_faults = retry_faults  # also spoil answers to retried questions
        self.refuse_formats = refuse_formats  # forms refused, such as 'json_object+schema'
        self.refuse_status = refuse_status  # 400, 422, or 500 as llama-cpp-python's server
        self.die_at = die_at
        self.jitter = jitter  # (seed, max seconds): a random extra delay per chat request
        self._jitter = random.Random(jitter[0]) if jitter else None
        self.strict_schemas = strict_schemas  # refuse strict schemas that OpenAI would refuse
        self.schema_refusals = 0
        self.chat_requests = 0  # every POST to /v1/chat/completions
        self.answered = 0  # answered with 200 and a choice
        self.embed_requests = 0
        self.embedded_texts = 0
        self.kinds: Counter[str] = Counter()
        self.injected: Counter[str] = Counter()
        self.unknown_prompts = 0
        self.bad_keys = 0
        self.response_formats: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.arrivals: list[int] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._killed = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: ThreadingHTTPServer | None = None

    # --- life ------------------------------------------------------------------------------
    def start(self) -> OpenAIServer:
        self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.owner = self
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        self._timer = threading.Timer(self.max_seconds, self.stop)
        self._timer.daemon = True
        self._timer.start()
        return self

    def authorised(self, header: str | None) -> bool:
        """Whether a request's Authorization header carries the key (counted when not)."""
        if self.api_key is None or header == f"Bearer {self.api_key}":
            return True
        with self._lock:
            self.bad_keys += 1
        return False

    def serve(self, handler: _Handler, path: str, data: dict) -> None:
        """Answer one POST, counted in flight while it is answered."""
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if path.endswith("/chat/completions"):
                with self.slots:  # a GPU server's slots: the calls beyond them wait their turn
                    self.chat(handler, data)
            elif path.endswith("/embeddings"):
                self.embeddings(handler, data)
            else:
                handler.send_json(404, {"error": {"message": "no such path"}})
        finally:
            with self._lock:
                self.in_flight -= 1

    def opened(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.add(connection)  # for kill()

    def closed(self, connection: socket.socket) -> None:
        with self._lock:
            self._connections.discard(connection)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def stop(self) -> None:
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        self._timer.cancel()

    def kill(self) -> None:
        """Die as a killed process would: refuse new connections, cut the open ones unanswered."""
        self._killed.set()
        self.stop()
        with self._lock:
            open_ones = list(self._connections)
        for sock in open_ones:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def __enter__(self) -> OpenAIServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- answers ---------------------------------------------------------------------------
    def _delay(self) -> float:
        """How long a chat answer takes: the latency and the seeded jitter, if any."""
        if self._jitter is None:
            return self.latency
        with self._lock:
            return self.latency + self._jitter.uniform(0.0, self.jitter[1])

    def chat(self, handler: _Handler, data: dict) -> None:
        with self._lock:
            self.chat_requests += 1
            number = self.chat_requests
            self.arrivals.append(self.in_flight)
        if number == self.die_at:
            self.kill()
        if delay := self._delay():
            self._stopping.wait(delay)  # kill() ends the wait
        if self._killed.is_set():
            handler.close_connection = True
            return
        prompt = data["messages"][-1]["content"]
        fault = self.faults(number) or self.spoil(prompt)
        fmt = data.get("response_format") or {}
        form = fmt.get("type", "none") + ("+schema" if "schema" in fmt else "")
        if self._refused(handler, data, fmt, form):
            return
        retried = any(prompt.endswith(note) for note in RETRY_NOTE.values())
        if fault in ("malformed", "invalid") and retried and not self.retry_faults:
            fault = None
        request = self.book.find(prompt) if self.book else None
        kind = request.kind if request else (fmt.get("json_schema") or {}).get("name", "?")
        with self._lock:
            self.response_formats[form] += 1
            self.kinds[kind] += 1
            if fault:
                self.injected[fault] += 1
        if fault == "500":
            handler.send_json(500, {"error": {"message": "injected server error"}})
            return
        if fault == "429":
            handler.send_json(
                429, {"error": {"message": "injected rate limit"}}, {"Retry-After": "0"}
            )
            return
        if fault == "timeout":
            self._stopping.wait(self.timeout_delay)
        if fault == "drop":
            handler.close_connection = True
            handler.connection.shutdown(2)
            return
        if fault == "malformed":
            text = "好的，我想想……{“choice”: 不是 JSON"
        elif fault == "invalid":
            text = '{"unexpected": true}'
        elif request is not None:
            text = self.policy.complete(request).text
            if self.strict_schemas:
                text = nulls_filled(text, fmt)
        else:
            if self.book is not None:
                with self._lock:
                    self.unknown_prompts += 1
            schema = (fmt.get("json_schema") or {}).get("schema") or schema_in(prompt)
            text = json.dumps(schema_answer(schema, prompt), ensure_ascii=False)
        with self._lock:
            self.answered += fault is None
        self._answer(handler, number, data, prompt, text)

    def _answer(self, handler, number: int, data: dict, prompt: str, text: str) -> None:
        """A chat completion of ``text``, thought before or not as the behaviour says."""
        message, finish, usage = self.behaviour.reply(data, text)
        usage["prompt_tokens"] = len(prompt) // 2 + 1
        usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
        if self.ms_per_token:
            self._stopping.wait(usage["completion_tokens"] * self.ms_per_token / 1000)
        handler.send_json(
            200,
            {
                "id": f"chatcmpl-{number}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": data.get("model", "test-model"),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": usage,
            },
        )

    def _refused(self, handler, data: dict, fmt: dict, form: str) -> bool:
        """Refuse a field as the behaviour says, a response format as told, or a strict schema
        that breaks OpenAI's rules; True if refused."""
        refusal = self.behaviour.refusal(data)
        if refusal is not None:
            handler.send_json(400, refusal)
            return True
        if form in self.refuse_formats:
            message = f"response_format {form} unsupported"
            handler.send_json(self.refuse_status, {"error": {"message": message}})
            return True
        return self.strict_schemas and self._refused_schema(handler, fmt)

    def _refused_schema(self, handler, fmt: dict) -> bool:
        """Answer a strict schema that breaks OpenAI's rules with OpenAI's 400; True if so."""
        refusal = openai_refusal(fmt)
        if refusal is not None:
            with self._lock:
                self.schema_refusals += 1
            handler.send_json(400, refusal)
        return refusal is not None

    def embeddings(self, handler: _Handler, data: dict) -> None:
        texts = data["input"] if isinstance(data["input"], list) else [data["input"]]
        with self._lock:
            self.embed_requests += 1
            self.embedded_texts += len(texts)
        if self.embed_latency:
            self._stopping.wait(self.embed_latency)
        vectors = hashed_embed(texts)
        handler.send_json(
            200,
            {
                "object": "list",
                "data": [
                    {"object": "embedding", "index": i, "embedding": v.tolist()}
                    for i, v in enumerate(vectors)
                ],
                "model": data.get("model"),
                "usage": {"prompt_tokens": sum(len(t) for t in texts), "total_tokens": 0},
            },
        )


class _HTTPServer(ThreadingHTTPServer):
    request_queue_size = 128  # the listen backlog: 5 drops a burst of connects (1 s)
    owner: OpenAIServer


class _Handler(BaseHTTPRequestHandler):
    """One connection to the loopback server: HTTP in, :class:`OpenAIServer` answers."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # else headers and body wait on a delayed ACK (40 ms)
    server: _HTTPServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self.send_json(200, {"object": "list", "data": [{"id": "test-model"}]})
        else:
            self.send_json(404, {"error": {"message": "no such path"}})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        owner = self.server.owner
        if not owner.authorised(self.headers.get("Authorization")):
            self.send_json(401, {"error": {"message": "bad key"}})
            return
        try:
            data = json.loads(body)
        except ValueError:
            self.send_json(400, {"error": {"message": "body is not JSON"}})
            return
        owner.serve(self, self.path, data)

    def handle(self) -> None:
        owner = self.server.owner
        owner.opened(self.connection)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError, OSError):
            super().handle()
        owner.closed(self.connection)

    def send_json(self, status: int, payload: dict, headers: dict | None = None) -> None:
        blob = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(blob)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(blob)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (an injected timeout)


def every(**plan: int) -> Callable[[int], str | None]:
    """Faults by request number: ``every(**{"500": 7, "429": 11})`` fails each 7th request with a
    500 and each 11th with a 429 (the first listed wins when both divide)."""

    def fault(n: int) -> str | None:
        for name, k in plan.items():
            if n % k == 0:
                return name
        return None

    return fault
