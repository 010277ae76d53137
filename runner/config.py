"""The scenario as typed models (pydantic v2): one model per section, unknown keys refused.

``docs/scenario-format.md`` documents every key. Three marks on a field, read by code rather than
kept by hand: ``run_neutral`` (the field does not change what a run computes: running further,
budgets, concurrency, timeouts; :func:`run_key` leaves such fields out, so a sim continues
under a new value), ``added`` (a key added after sims were stored: at its default it is left
out of the run key, so those sims keep their identity) and ``must`` (what the one-line error
says the value must be).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    field_validator,
    model_validator,
)

Number = StrictInt | StrictFloat  # an int stays an int (pydantic's smart union)


def field(
    default: Any = ...,
    *,
    must: str | None = None,
    neutral: bool = False,
    added: bool = False,
    **kw,
) -> Any:
    extra: dict[str, Any] = {}
    if must:
        extra["must"] = must
    if neutral:
        extra["run_neutral"] = True
    if added:
        extra["added"] = True
    return Field(default, json_schema_extra=extra or None, **kw)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Prices(Section):
    prompt: Number = 0.0
    completion: Number = 0.0


class LLM(Section):
    backend: StrictStr = "offline"
    model: StrictStr | None = None
    base_url: StrictStr | list[StrictStr] | None = field(None, must="be a URL or a list of URLs")
    api_key_env: StrictStr | None = None
    temperature: Number = 0.7
    max_concurrency: StrictInt = field(64, gt=0, neutral=True, must="be a positive integer")
    timeout: Number = field(120, gt=0, neutral=True, must="be a positive number of seconds")
    allow_download: StrictBool = False
    structured: Literal["json_schema", "json_object", "none"] = field(
        "json_schema", must="be json_schema, json_object or none"
    )
    price_per_1k: Prices = Field(default_factory=Prices)
    # thinking models: off (the default) asks the server to switch thinking off
    thinking: Literal["off", "low", "medium", "high"] = field(
        "off", added=True, must="be off, low, medium or high"
    )
    thinking_tokens: StrictInt | None = field(
        None, gt=0, added=True, must="be a positive number of tokens"
    )  # the thinking budget on top of a kind's answer budget (default: by level)
    extra_body: dict[StrictStr, Any] = field(
        {}, added=True, must="be a mapping of request fields"
    )  # sent as is with every chat request
    gpu_layers: StrictInt | None = field(
        None, ge=-1, neutral=True, must="be a number of layers (-1: all)"
    )  # local backend: llama.cpp's n_gpu_layers (default: all with a GPU backend, else 0)
    max_cost: Number | None = field(None, neutral=True)
    max_calls: StrictInt | None = field(None, neutral=True)
    max_tokens: StrictInt | None = field(None, neutral=True)

    @field_validator("price_per_1k", "extra_body", mode="before")
    @classmethod
    def _empty_prices(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("base_url")
    @classmethod
    def _some_urls(cls, value: Any) -> Any:
        if isinstance(value, list) and not value:
            raise ValueError("an empty list")
        return value

    def endpoints(self) -> list[LLM]:
        """One copy per ``base_url`` when it lists several, else this one."""
        if not isinstance(self.base_url, list):
            return [self]
        return [self.model_copy(update={"base_url": url}) for url in self.base_url]


class Embedding(Section):
    model: StrictStr | None = None
    base_url: StrictStr | None = None
    api_key_env: StrictStr | None = None


class MindConfig(Section):
    """Memory, retrieval and reflection settings, and the paper's ablations as run modes."""

    reflection_threshold: StrictInt = 150
    top_k: StrictInt = field(30, gt=0, must="be a positive integer")  # per focal point
    attention_bandwidth: StrictInt = 3
    retention: StrictInt = field(5, ge=0, added=True, must="be a number of memories, 0 or more")
    retention_minutes: StrictInt = field(30, ge=0, must="be a number of game minutes, 0 or more")
    recency_weight: Number = 0.5  # the original's effective weights (its gw = [0.5, 3, 2])
    importance_weight: Number = 2.0
    relevance_weight: Number = 3.0
    recency_decay: Number = 0.995
    reflect: StrictBool = field(True, added=True)  # false: no reflection
    plan: StrictBool = field(True, added=True)  # false: no long-term plan, hour by hour
    observe: StrictBool = field(True, added=True)  # false: nothing perceived is remembered
    # turns: a conversation line by line, each asked of its speaker; whole: in one question
    chat: Literal["turns", "whole"] = field("turns", added=True, must="be turns or whole")


def date_time(value: Any) -> Any:
    """Any ISO 8601 date-time (a bare date is midnight), written 'YYYY-MM-DD HH:MM:SS'."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)  # a ValueError is the field's error
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


DateTime = Annotated[StrictStr, BeforeValidator(date_time)]
Words = list[StrictStr]


class EvalFact(Section):
    """A piece of news whose spread ``rw-batch eval`` traces (``docs/eval.md``)."""

    id: StrictStr
    question: StrictStr
    words: Words = field(must="be a non-empty list of words", min_length=1)
    known_at_start: Words = []


class EvalEvent(Section):
    """A gathering whose attendance ``rw-batch eval`` checks from the frames."""

    id: StrictStr
    place: StrictStr  # an address prefix: world:sector or world:sector:arena
    start: DateTime = field(must="be a date-time like '2023-02-14 17:00:00'")
    end: DateTime = field(must="be a date-time like '2023-02-14 19:00:00'")
    words: Words = field(must="be a non-empty list of words", min_length=1)
    min_share: Number = field(0, ge=0, le=1, must="be a number from 0 to 1")


class Eval(Section):
    """What ``rw-batch eval`` measures beyond the interviews: facts to trace, events to check."""

    facts: list[EvalFact] = []
    events: list[EvalEvent] = []

    @model_validator(mode="after")
    def _check(self) -> Eval:
        for key, items in (("facts", self.facts), ("events", self.events)):
            ids = [item.id for item in items]
            for i, id_ in enumerate(ids):
                if ids.index(id_) != i:
                    raise ValueError(f"key 'eval.{key}[{i}].id': '{id_}' appears twice")
        for i, event in enumerate(self.events):
            if event.end <= event.start:  # both written the same way: text order is time order
                raise ValueError(f"key 'eval.events[{i}].end': must be after its start")
        return self


class AgentConfig(Section):
    name: StrictStr
    name_en: StrictStr | None = None
    age: StrictInt
    innate: StrictStr
    learned: StrictStr
    currently: StrictStr
    lifestyle: StrictStr
    living_area: StrictStr
    daily_requirement: StrictStr | None = None
    style: StrictStr | None = field(None, added=True)  # default: the scenario's style
    start_tile: list[StrictInt] | None = field(
        None, must="be a list [x, y] of two integers", min_length=2, max_length=2
    )


class Scenario(Section):
    name: StrictStr | None = None
    description: StrictStr | None = None
    map: StrictStr
    language: Literal["zh", "en"] = field("zh", must="be 'zh' or 'en'")
    style: StrictStr | None = None
    start: StrictStr = field(
        "2023-02-13 00:00:00", must="be a date-time like '2023-02-13 00:00:00'"
    )
    sec_per_step: StrictInt = field(10, gt=0, must="be a positive integer")
    steps: StrictInt = field(8640, gt=0, neutral=True, must="be a positive integer")
    seed: StrictInt = 0
    vision_radius: StrictInt = field(4, gt=0, must="be a positive integer")
    llm: LLM = Field(default_factory=LLM)
    embedding: Embedding = Field(default_factory=Embedding)
    history: StrictStr | None = None
    mind: MindConfig = Field(default_factory=MindConfig)
    eval: Eval = Field(default_factory=Eval, json_schema_extra={"run_neutral": True})
    agents: list[AgentConfig] = field(must="be a non-empty list of agents", min_length=1)

    @field_validator("llm", "embedding", "mind", "eval", mode="before")
    @classmethod
    def _empty_section(cls, value: Any) -> Any:
        return {} if value is None else value

    _start = field_validator("start", mode="before")(date_time)

    @model_validator(mode="after")
    def _unique_names(self) -> Scenario:
        names = [a.name for a in self.agents]
        for i, name in enumerate(names):
            if names.index(name) != i:
                raise ValueError(f"key 'agents[{i}].name': '{name}' appears twice")
        known = set(names) | {a.name_en for a in self.agents if a.name_en}
        for i, fact in enumerate(self.eval.facts):
            for name in fact.known_at_start:
                if name not in known:
                    where = f"eval.facts[{i}].known_at_start"
                    raise ValueError(f"key '{where}': no agent named '{name}'")
        return self

    def personas(self) -> list[dict]:
        """Each agent as the facts prompts are made of (and the store keeps)."""
        return [a.model_dump() for a in self.agents]


def marked_keys(mark: str, model: type[BaseModel] = Scenario, prefix: str = "") -> list[str]:
    """Dotted names of the fields marked ``mark`` (``run_neutral``, ``added``)."""
    out = []
    for name, info in model.model_fields.items():
        if (info.json_schema_extra or {}).get(mark):
            out.append(prefix + name)
        elif isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            out += marked_keys(mark, info.annotation, f"{prefix}{name}.")
    return out


def run_neutral_keys() -> list[str]:
    """Dotted names of the fields marked ``run_neutral``."""
    return marked_keys("run_neutral")


def scenario_hash(data: dict) -> str:
    """A stable hash of resolved scenario data."""
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:16]


def _drop_added_defaults(model: BaseModel, data: dict) -> dict:
    """``data`` (``model`` dumped) without the ``added`` fields at their default, throughout."""
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        if (info.json_schema_extra or {}).get("added") and value == info.default:
            data.pop(name)
        elif isinstance(value, BaseModel):
            _drop_added_defaults(value, data[name])
        elif isinstance(value, list):
            for item, dumped in zip(value, data[name]):
                if isinstance(item, BaseModel):
                    _drop_added_defaults(item, dumped)
    return data


def run_key(scenario: Scenario) -> str:
    """The run identity: the hash of the resolved scenario without its run-neutral fields and
    without the added fields at their default."""
    data = _drop_added_defaults(scenario, scenario.model_dump(mode="json"))
    for key in run_neutral_keys():
        *parents, last = key.split(".")
        node = data
        for part in parents:
            node = node[part]
        node.pop(last)
    return scenario_hash(data)
