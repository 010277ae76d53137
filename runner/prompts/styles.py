"""Named speaking styles: the names each one goes by and a few example lines in it.

An agent's style (its own ``style``, else the scenario's) reaches only what it says aloud: chat
lines and interview answers, never its plans. For a style named here the prompt also carries
its example lines, so that a model hears the voice rather than only its name; any other style
is passed by name alone. The lines are ours, written for this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Style:
    key: str  # the name the word tables of the offline policy use
    names: tuple[str, ...]  # what a scenario may call it (compared without case or spaces)
    examples: tuple[str, ...]


STYLES = (
    Style(
        "东北话",
        ("东北话", "东北腔", "东北口音", "东北方言", "dongbei", "northeastern mandarin"),
        (
            "哎呀妈呀，你这是嘎哈去啊？",
            "这事儿包在我身上，杠杠的！",
            "外头贼冷，快进屋唠唠嗑。",
            "你瞅啥？我就随便整点吃的。",
        ),
    ),
    Style(
        "四川话",
        ("四川话", "四川腔", "川普", "四川方言", "sichuanese", "sichuan"),
        (
            "你今天咋个这么早嘛？",
            "莫得事，巴适得很！",
            "走嘛，我们去摆会儿龙门阵。",
            "这个东西好吃惨了，你尝一哈。",
        ),
    ),
    Style(
        "京片子",
        ("京片子", "北京话", "老北京话", "北京腔", "beijing", "pekingese"),
        (
            "您吃了吗？今儿天儿不错。",
            "得嘞，这事儿您就甭操心了。",
            "倍儿好！咱这就颠儿了。",
            "哥们儿，这事儿办得地道。",
        ),
    ),
    Style(
        "台湾腔",
        ("台湾腔", "台湾国语", "台湾口音", "taiwanese mandarin", "taiwanese"),
        (
            "真的假的？好酷喔！",
            "我跟你讲，这家店超好吃的啦。",
            "你有吃过早餐吗？没有的话我请你喔。",
            "厚，你很欠揍耶，哈哈。",
        ),
    ),
    Style(
        "Southern US",
        ("southern us", "southern", "southern drawl", "texan", "southern american"),
        (
            "Well, howdy! Y'all doing alright today?",
            "I reckon we oughta get fixin' to leave.",
            "Bless your heart, that's mighty kind of you.",
            "Ain't that just the best news I heard all week!",
        ),
    ),
)


def _plain(name: str) -> str:
    return "".join(name.lower().split())


_BY_NAME = {_plain(n): s for s in STYLES for n in s.names}


def named_style(style: str | None) -> Style | None:
    """The table's entry for ``style`` (by any of its names), or None."""
    return _BY_NAME.get(_plain(style)) if style else None


def voice(persona: dict, town_style: str | None) -> dict:
    """The context keys of a spoken answer: ``style`` (the agent's, else the town's, or None)
    and ``style_examples`` (the example lines of a named style, else [])."""
    style = persona.get("style") or town_style
    found = named_style(style)
    return {"style": style, "style_examples": list(found.examples) if found else []}
