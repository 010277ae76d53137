"""The paper's measures on a hand-made four-agent town whose right answers are known."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from eval_helpers import (
    AGENTS,
    CAFE,
    CHEN,
    ISA,
    KLAUS,
    MARIA,
    NAMES,
    PARTY,
    PARTY_EVENT,
    known_names,
    sample_results,
)

from runner.errors import RingWorldError
from runner.eval import measures
from runner.eval.results import Answer, EvalResults, KnowsAnswer

MEMORIES = {ISA: {1, 2, 3}, MARIA: {7}, KLAUS: {4}, CHEN: {5}}


def knows(agent: str, said: bool, text: str, cited: list[int], subject: str = "party"):
    return KnowsAnswer(
        agent=agent, question=PARTY.question, text=text, cited=cited, subject=subject, knows=said
    )


def test_diffusion_over_time_counts_only_cited_answers_that_name_the_fact():
    day0 = [
        knows(ISA, True, "我在筹备情人节派对。", [3]),
        knows(MARIA, False, "不知道。", []),
        knows(KLAUS, False, "没听说。", []),
        knows(CHEN, False, "不知道。", []),
    ]
    day1 = [
        knows(ISA, True, "我在筹备情人节派对。", [3]),
        knows(MARIA, True, "Isabella invited me to the Party.", [7]),  # any case of a word
        knows(KLAUS, True, "知道，好像有个聚会。", [4]),  # says yes, names none of the words
        knows(CHEN, True, "知道，情人节派对。", [55]),  # cites a memory he does not have
    ]
    first = measures.diffusion(PARTY, day0, MEMORIES, NAMES)
    last = measures.diffusion(PARTY, day1, MEMORIES, NAMES)
    assert (first.knowers, first.share) == ([ISA], 0.25)
    assert (last.knowers, last.share) == ([ISA, MARIA], 0.5)
    assert [v.why for v in last.answers] == [
        "counted",
        "counted",
        "no_word",
        "cites_unknown_memory",
    ]
    assert [v.why for v in first.answers][1] == "said_no"


def test_an_answer_without_a_citation_does_not_count():
    verdict = measures.judge_knows(knows(MARIA, True, "知道派对。", []), PARTY.words, MEMORIES)
    assert (verdict.counted, verdict.why) == (False, "no_citation")
    partly = measures.judge_knows(knows(MARIA, True, "知道派对。", [99, 7]), PARTY.words, MEMORIES)
    assert partly.counted  # one cited memory it has is enough


def test_diffusion_refuses_answers_of_strangers():
    with pytest.raises(ValueError, match="not in the town: 无名氏"):
        measures.diffusion(PARTY, [knows("无名氏", True, "派对", [1])], MEMORIES, NAMES)


def test_density_of_a_known_network():
    edges = [
        (ISA, MARIA),
        (MARIA, ISA),
        (ISA, KLAUS),
        (CHEN, ISA),
        (ISA, MARIA),  # twice
        (ISA, ISA),  # self
        (ISA, "无名氏"),  # not in the town
    ]
    net = measures.network(NAMES, edges)
    assert net.edges == [(ISA, MARIA), (ISA, KLAUS), (MARIA, ISA), (CHEN, ISA)]
    assert net.density == pytest.approx(4 / 12)
    assert net.mutual_density == pytest.approx(1 / 6)  # one of six pairs know each other
    full = measures.network(NAMES, [(a, b) for a in NAMES for b in NAMES])
    assert (full.density, full.mutual_density) == (1.0, 1.0)
    assert measures.network(NAMES[:1], []).density == 0.0


def test_network_from_answers_judges_each_pair_by_the_names():
    answers = [
        knows(ISA, True, "认识，玛丽亚是常客。", [1], subject=MARIA),  # a part of the name
        knows(MARIA, True, "Yes, Isabella Rodriguez runs the cafe.", [7], subject=ISA),
        knows(KLAUS, True, "认识他。", [4], subject=CHEN),  # no name: not counted
        knows(CHEN, True, "认识克劳斯·穆勒。", [], subject=KLAUS),  # no citation
    ]
    net = measures.network_from_answers(AGENTS, answers, MEMORIES, certain=[(CHEN, ISA)])
    assert net.edges == [(ISA, MARIA), (MARIA, ISA), (CHEN, ISA)]
    assert measures.person_words(AGENTS[0]) == [
        ISA,
        "Isabella Rodriguez",
        "伊莎贝拉",
        "罗德里格斯",
        "Isabella",
        "Rodriguez",
    ]


def frames() -> list[list[str]]:
    """Ten steps of four agents' addresses: Isabella in the café at 2-8, Maria at 6 only,
    Klaus next door (a sector whose name starts like the café's), Chen there at 1 only."""
    out = []
    for step in range(10):
        out.append(
            [
                f"{CAFE}:柜台" if 2 <= step <= 8 else "环界小镇:伊莎贝拉的公寓:卧室",
                CAFE if step == 6 else "环界小镇:环界学院:教室",
                "环界小镇:霍布斯咖啡馆广场",
                f"{CAFE}:座位" if step == 1 else "环界小镇:环界学院:图书馆",
            ]
        )
    return out


def test_attendance_from_known_frames():
    memories = {
        ISA: ["我要在霍布斯咖啡馆办情人节派对"],
        MARIA: ["在图书馆学习"],
        KLAUS: ["伊莎贝拉邀请我参加派对"],
        CHEN: ["Isabella invited me to her PARTY"],
    }
    invited = measures.invited_from_memories(memories, PARTY_EVENT.words)
    assert invited == [ISA, KLAUS, CHEN]
    seen = measures.attendance(PARTY_EVENT, frames(), NAMES, invited)
    assert seen.window == (3, 7)
    assert seen.present == [ISA, MARIA]
    assert seen.steps_present == {ISA: 4, MARIA: 1}
    assert seen.invited_present == [ISA]  # one of three invited came
    half = measures.attendance(
        PARTY_EVENT.model_copy(update={"min_share": 0.5}), frames(), NAMES, []
    )
    assert half.present == [ISA]


def test_attendance_looks_only_at_the_frames_given():
    early = measures.attendance(PARTY_EVENT, frames()[2:5], NAMES, [ISA], first_step=2)
    assert (early.window, early.present, early.steps_present) == ((3, 5), [ISA], {ISA: 2})
    before = measures.attendance(PARTY_EVENT, frames()[:2], NAMES, [ISA])
    assert (before.window, before.present, before.invited_present) == ((3, 3), [], [])


def test_hallucination_flags_strangers_and_memories_the_agent_lacks():
    known = known_names()
    answers = [
        Answer(
            agent=KLAUS, question="玛丽亚·洛佩兹是谁？", text="她和约翰·史密斯是朋友。", cited=[4]
        ),
        Answer(agent=MARIA, question="陈思远是谁？", text="他是学院的学生。", cited=[7, 42]),
        Answer(
            agent=ISA,
            question="克劳斯·穆勒是谁？",
            text="克劳斯·穆勒常来霍布斯咖啡馆，和玛丽亚·洛佩兹一起去环界学院的图书馆。",
            cited=[1],
        ),
        Answer(
            agent=CHEN,
            question="Who is Maria Lopez?",
            text="Maria Lopez met John Smith at the Rose Bar; she studies at Ringworld College.",
            cited=[5],
        ),
    ]
    result = measures.hallucination(answers, known, MEMORIES)
    assert (result.checked, len(result.flagged), result.rate) == (4, 3, 0.75)
    reasons = [[(r.kind, r.detail) for r in flag.reasons] for flag in result.flagged]
    assert reasons == [
        [("unknown_person", "约翰·史密斯")],
        [("unknown_memory", "42")],
        [("unknown_person", "John Smith"), ("unknown_place", "Rose Bar")],
    ]
    assert [f.agent for f in result.flagged] == [KLAUS, MARIA, CHEN]
    assert measures.hallucination([], known, MEMORIES).rate == 0.0


def test_an_event_window_must_not_be_empty():
    with pytest.raises(ValueError, match="end_step 3 must be after start_step 3"):
        PARTY_EVENT.model_validate({**PARTY_EVENT.model_dump(), "end_step": 3})


PURE = ("results", "measures", "names", "rating", "battery")  # the rest asks a sim's agents


def test_the_measures_stand_alone():
    """The measures of runner.eval are pure: nothing from the store, the engine, the agents
    or the batch (the orchestration in run.py, asking.py … uses them, never the reverse)."""
    allowed = {"__future__", "collections", "dataclasses", "itertools", "json", "math", "os"}
    allowed |= {"pathlib", "random", "re", "statistics", "typing", "numpy", "pydantic"}
    allowed.add("runner.errors")
    folder = Path(measures.__file__).parent
    for path in [folder / f"{name}.py" for name in PURE]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 1 and node.module in PURE, (path, node.module)
                continue
            else:
                continue
            for name in names:
                assert name in allowed or name.split(".")[0] in allowed - {"runner"}, (path, name)


def test_eval_json_round_trip_and_its_errors(tmp_path):
    results = sample_results()
    path = results.write(tmp_path)
    assert path.name == "eval.json" and [p.name for p in tmp_path.iterdir()] == ["eval.json"]
    assert EvalResults.read(path) == results
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"version": 1', '"version": 7'), encoding="utf-8")
    with pytest.raises(RingWorldError, match="version 7, this RingWorld reads version 1"):
        EvalResults.read(path)
    path.write_text(text.replace('"share"', '"shares"', 1), encoding="utf-8")
    with pytest.raises(RingWorldError, match=r"key 'steps\.0\.diffusion\.0\.share"):
        EvalResults.read(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(RingWorldError, match="eval.json: cannot read"):
        EvalResults.read(path)
