"""A small hand-made town for the evaluation tests: four agents, their places, and an
``eval.json`` whose right answers are known."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from runner.eval.battery import battery
from runner.eval.names import KnownNames
from runner.eval.results import (
    AgentRef,
    Attendance,
    Diffusion,
    EvalResults,
    Event,
    Fact,
    Flag,
    Hallucination,
    InterviewAnswer,
    Network,
    Rating,
    Reason,
    StepResult,
)

AGENTS = [
    AgentRef(name="伊莎贝拉·罗德里格斯", name_en="Isabella Rodriguez"),
    AgentRef(name="玛丽亚·洛佩兹", name_en="Maria Lopez"),
    AgentRef(name="克劳斯·穆勒", name_en="Klaus Mueller"),
    AgentRef(name="陈思远", name_en="Chen Siyuan"),
]
ISA, MARIA, KLAUS, CHEN = (a.name for a in AGENTS)
NAMES = [a.name for a in AGENTS]
PLACES = [
    "环界小镇",
    "Ringworld Town",
    "霍布斯咖啡馆",
    "Hobbs Cafe",
    "环界学院",
    "Ringworld College",
    "图书馆",
    "library",
]
CAFE = "环界小镇:霍布斯咖啡馆"
PARTY = Fact(
    id="party",
    question="你知道情人节派对的事吗？",
    words=["情人节派对", "派对", "party"],
    known_at_start=[ISA],
)
PARTY_EVENT = Event(id="party", place=CAFE, start_step=3, end_step=7, words=["派对", "party"])


def known_names() -> KnownNames:
    people = [n for a in AGENTS for n in (a.name, a.name_en)]
    return KnownNames(people, PLACES, extra=PARTY.words)


def sample_results() -> EvalResults:
    """Two evaluated steps: the party spreads from one agent to three, the network grows from
    one pair to five, two of three invited come, one answer names a stranger."""
    first = StepResult(
        step=0,
        diffusion=[Diffusion(fact="party", knowers=[ISA], share=0.25)],
        network=Network(agents=4, edges=[(ISA, MARIA)], density=1 / 12, mutual_density=0.0),
    )
    interviews = [
        InterviewAnswer(
            agent=name,
            step=360,
            category="self_knowledge",
            question_id="self_knowledge-1",
            question="请介绍一下你自己。",
            text=f"我是{name}。<script>alert(1)</script>" + "很长" * (300 if i == 0 else 1),
            cited=[1, 2],
        )
        for i, name in enumerate(NAMES)
    ]
    edges = [(ISA, MARIA), (MARIA, ISA), (ISA, KLAUS), (CHEN, ISA), (KLAUS, CHEN)]
    last = StepResult(
        step=360,
        diffusion=[Diffusion(fact="party", knowers=[ISA, MARIA, KLAUS], share=0.75)],
        network=Network(agents=4, edges=edges, density=5 / 12, mutual_density=1 / 6),
        attendance=[
            Attendance(
                event="party",
                window=(3, 7),
                present=[ISA, MARIA, CHEN],
                invited=[ISA, MARIA, KLAUS],
                invited_present=[ISA, MARIA],
                steps_present={ISA: 4, MARIA: 2, CHEN: 1},
            )
        ],
        hallucination=Hallucination(
            checked=4,
            flagged=[
                Flag(
                    agent=KLAUS,
                    question="玛丽亚·洛佩兹是谁？",
                    answer="她和约翰·史密斯是朋友。",
                    reasons=[Reason(kind="unknown_person", detail="约翰·史密斯")],
                )
            ],
            rate=0.25,
        ),
        interviews=interviews,
    )
    return EvalResults(
        sim="tiny",
        backend="offline",
        language="zh",
        start_time="2023-02-13 07:00:00",
        sec_per_step=10,
        agents=AGENTS,
        facts=[PARTY],
        events=[PARTY_EVENT],
        steps=[first, last],
        ratings=[
            Rating(sim="tiny", mode="full", mu=29.9, sigma=0.7, comparisons=40),
            Rating(sim="tiny-noreflect", mode="no-reflect", mu=26.9, sigma=0.7, comparisons=40),
        ],
    )


def town_results(seed: int = 3) -> EvalResults:
    """A hand-made evaluation of the 25 agents of ``scenarios/town25.yaml`` at three steps
    (made-up figures, not a run's): two facts spreading, a growing network, one party, a
    battery of 25 answers per agent at the last step, one answer that is an XSS attempt."""
    town = Path(__file__).resolve().parents[1] / "scenarios" / "town25.yaml"
    people = yaml.safe_load(town.read_text(encoding="utf-8"))["agents"]
    agents = [AgentRef(name=p["name"], name_en=p.get("name_en")) for p in people]
    names = [a.name for a in agents]
    rng = random.Random(seed)
    pairs = [(a, b) for a in names for b in names if a != b]
    known: set[tuple[str, str]] = set(rng.sample(pairs, 60))
    steps = []
    for k, step in enumerate((0, 8640, 17280)):
        if k:
            known |= set(rng.sample(pairs, 120))
        facts = [("party", [1, 6, 11][k]), ("candidacy", [1, 3, 7][k])]
        edges = sorted(known)
        mutual = sum((b, a) in known for a, b in edges) // 2
        steps.append(
            StepResult(
                step=step,
                diffusion=[Diffusion(fact=f, knowers=names[:n], share=n / 25) for f, n in facts],
                network=Network(
                    agents=25,
                    edges=edges,
                    density=len(edges) / 600,
                    mutual_density=mutual / 300,
                ),
            )
        )
    last = steps[-1]
    last.attendance = [
        Attendance(
            event="party",
            window=(14760, 15480),
            present=names[2:9],
            invited=names[:10],
            invited_present=names[2:6],
            steps_present={n: 100 for n in names[2:9]},
        )
    ]
    last.hallucination = Hallucination(
        checked=400,
        flagged=[
            Flag(
                agent=names[4],
                question="Who is Maria Lopez?",
                answer="She met John Smith at the Rose Bar.",
                reasons=[
                    Reason(kind="unknown_person", detail="John Smith"),
                    Reason(kind="unknown_place", detail="Rose Bar"),
                ],
            )
        ],
        rate=1 / 400,
    )
    places = ["霍布斯咖啡馆", "环界学院", "老钟酒吧"]
    for name in names:
        for q in battery(name, names, places, "zh", seed=1):
            text = f"{name}的回答：{q.text}"
            if name == names[0] and q.id == "memory-1":
                text = "<img src=x onerror=alert(1)><script>alert(2)</script>"
            last.interviews.append(
                InterviewAnswer(
                    agent=name,
                    step=last.step,
                    category=q.category,
                    question_id=q.id,
                    question=q.text,
                    text=text,
                    cited=[1],
                )
            )
    facts = [
        PARTY,
        Fact(id="candidacy", question="你知道有人要竞选镇议员吗？", words=["竞选", "议员"]),
    ]
    events = [Event(id="party", place=CAFE, start_step=14760, end_step=15480, words=["派对"])]
    return sample_results().model_copy(
        update={
            "sim": "town25",
            "start_time": "2023-02-13 00:00:00",
            "agents": agents,
            "facts": facts,
            "events": events,
            "steps": steps,
            "ratings": [],
        }
    )
