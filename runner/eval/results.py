"""What an evaluation produces: the typed model of ``eval.json`` (``docs/eval.md``).

Agents are named by their scenario ``name`` everywhere, so the file reads on its own. Every
model forbids unknown keys: a file of another shape is an error, not silently half-read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from runner.errors import RingWorldError

FORMAT = "ringworld-eval"
VERSION = 1
FILE_NAME = "eval.json"

Category = Literal["self_knowledge", "memory", "plans", "reactions", "reflections"]
CATEGORIES: tuple[Category, ...] = (
    "self_knowledge",
    "memory",
    "plans",
    "reactions",
    "reflections",
)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgentRef(Model):
    name: str
    name_en: str | None = None


class Fact(Model):
    """A piece of news to trace (a scenario ``eval.facts`` entry)."""

    id: str
    question: str
    words: list[str] = Field(min_length=1)  # any of them in an answer shows knowing the fact
    known_at_start: list[str] = []


class Event(Model):
    """A gathering to check attendance of (a scenario ``eval.events`` entry)."""

    id: str
    place: str  # an address prefix such as "环界小镇:霍布斯咖啡馆"
    start_step: int = Field(ge=0)
    end_step: int = Field(ge=0)  # exclusive
    words: list[str] = Field(min_length=1)  # a memory mentioning any of them is an invitation
    min_share: float = Field(default=0.0, ge=0.0, le=1.0)  # 0: present at any step counts

    @model_validator(mode="after")
    def _window(self) -> Event:
        if self.end_step <= self.start_step:
            raise ValueError(f"end_step {self.end_step} must be after start_step {self.start_step}")
        return self


class Answer(Model):
    """One answer an agent gave, with the ids of the memories it cites."""

    agent: str
    question: str
    text: str
    cited: list[int] = []


class InterviewAnswer(Answer):
    step: int
    category: Category
    question_id: str  # e.g. "memory-2": the battery slot, the same across agents and sims


class KnowsAnswer(Answer):
    """The answer of the ``knows`` question kind: does the agent know ``subject`` (a fact id,
    or another agent's name for the relationship network)?"""

    subject: str
    knows: bool


KnowsWhy = Literal["counted", "said_no", "no_word", "no_citation", "cites_unknown_memory"]


class KnowsVerdict(KnowsAnswer):
    counted: bool
    why: KnowsWhy


class Diffusion(Model):
    fact: str
    knowers: list[str]
    share: float  # knowers / agents
    answers: list[KnowsVerdict] = []


class Network(Model):
    """Who knows whom: ``edges`` are ordered pairs ``[A, B]``, "A knows B"."""

    agents: int
    edges: list[tuple[str, str]]
    density: float  # len(edges) / (n * (n - 1))
    mutual_density: float  # pairs who know each other / (n * (n - 1) / 2)


class Attendance(Model):
    event: str
    window: tuple[int, int]  # the steps of the event's window looked at: [first, last + 1)
    present: list[str]
    invited: list[str]
    invited_present: list[str]
    steps_present: dict[str, int] = {}  # steps in the place, for each agent seen there


FlagKind = Literal["unknown_person", "unknown_place", "unknown_memory"]


class Reason(Model):
    kind: FlagKind
    detail: str  # the name as written, or the memory ids


class Flag(Model):
    agent: str
    question: str
    answer: str
    reasons: list[Reason] = Field(min_length=1)


class Hallucination(Model):
    checked: int
    flagged: list[Flag]
    rate: float  # len(flagged) / checked (0 when nothing was checked)


class StepResult(Model):
    step: int
    diffusion: list[Diffusion] = []
    network: Network | None = None
    attendance: list[Attendance] = []
    hallucination: Hallucination | None = None
    interviews: list[InterviewAnswer] = []


class Rating(Model):
    """The judge's rating of one sim's interview answers (TrueSkill, ``runner.eval.rating``)."""

    sim: str
    mode: str  # the sim's mind mode: full, no-reflect, ...
    mu: float
    sigma: float
    comparisons: int


class EvalResults(Model):
    format: Literal["ringworld-eval"] = FORMAT
    version: Literal[1] = VERSION
    sim: str
    backend: str
    language: Literal["zh", "en"] = "zh"
    start_time: str  # game time of step 0, "YYYY-MM-DD HH:MM:SS"
    sec_per_step: int = Field(gt=0)
    agents: list[AgentRef]
    facts: list[Fact] = []
    events: list[Event] = []
    steps: list[StepResult] = []
    ratings: list[Rating] = []

    def write(self, sim_dir: Path) -> Path:
        """Write ``eval.json`` into ``sim_dir`` (whole or not at all); returns its path."""
        path = Path(sim_dir) / FILE_NAME
        partial = path.with_name(FILE_NAME + ".partial")
        partial.write_text(self.model_dump_json(indent=1) + "\n", encoding="utf-8")
        os.replace(partial, path)
        return path

    @classmethod
    def read(cls, path: Path) -> EvalResults:
        """Load and check an ``eval.json``; any problem is one :class:`RingWorldError` line."""
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RingWorldError(f"{path}: cannot read: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise RingWorldError(f"{path}: not a RingWorld evaluation (format {FORMAT!r})")
        if data.get("version") != VERSION:
            raise RingWorldError(
                f"{path}: evaluation format version {data.get('version')!r}, "
                f"this RingWorld reads version {VERSION}"
            )
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise RingWorldError(f"{path}: key '{where}': {first['msg']}") from None
