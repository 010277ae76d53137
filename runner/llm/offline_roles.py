"""Word tables of the offline day (:mod:`runner.llm.offline_day`): what a persona's words say
about its work, its mornings, its lunches and its evenings. Rules, not a model.

Each task is a pair of formats (zh, en); ``{place}`` is filled with a place the agent knows of
the kind the rule asks for (the first such place its persona names, else any it knows), and a
rule whose place the agent does not know is skipped.
"""

from __future__ import annotations

from typing import NamedTuple


class Activity(NamedTuple):
    keywords: tuple[str, ...]  # any of them in the persona's text
    kinds: tuple[str, ...]  # the kinds of place it happens at, in preference; () at home
    zh: str
    en: str


STUDENT = ("学生", "交换生", "大一", "大二", "大三", "大四", "新生", "student")

# What the working hours are spent on, first match first; the first two matching rules give the
# morning and the afternoon (a student attends classes, then studies or writes the thesis).
WORK: list[Activity] = [
    Activity(("教授", "professor", "lecturer"), ("college",), "在{place}讲课", "teach at {place}"),
    Activity(
        ("谈论文", "office hours"),
        ("college",),
        "在{place}的休息室和学生谈论文",
        "meet students in the {place} lounge",
    ),
    Activity(
        ("管理员", "librarian"),
        ("college",),
        "在{place}的图书馆整理书架",
        "shelve books in the {place} library",
    ),
    Activity(
        STUDENT,
        ("college",),
        "去{place}听课",
        "attend a class at {place}",
    ),
    Activity(("下午喜欢待在", "afternoons at"), ("cafe",), "在{place}看书", "read at {place}"),
    Activity(
        ("论文", "thesis", "paper"),
        ("college",),
        "在{place}的图书馆写论文",
        "work on the paper in the {place} library",
    ),
    Activity(
        ("竞赛", "建模", "实验", "competition", "experiment", "lab"),
        ("college",),
        "在{place}的图书馆做项目",
        "work on the project at the {place} library",
    ),
    Activity(
        ("写代码", "程序", "软件", "code", "software"),
        ("cafe",),
        "在{place}写代码",
        "write code at {place}",
    ),
    Activity(
        ("小说", "写作", "novel", "writer"),
        ("cafe",),
        "在{place}写小说",
        "write the novel at {place}",
    ),
    Activity(
        ("速写", "画家", "painter", "sketch"),
        ("square", "park"),
        "在{place}画速写",
        "sketch at {place}",
    ),
    Activity(("水彩", "watercolo"), ("park",), "在{place}画水彩", "paint watercolours at {place}"),
    Activity(
        ("摄影", "拍照", "photograph"),
        ("park", "square"),
        "在{place}拍照",
        "take photos at {place}",
    ),
    Activity(
        ("采访", "interview"), ("cafe", "bar"), "去{place}采访", "interview people at {place}"
    ),
    Activity(("练琴", "practis"), (), "在房间里练琴", "practise music in my room"),
    Activity(("动画", "animat"), (), "在房间里做动画", "work on the animation in my room"),
    Activity(("书稿", "manuscript"), (), "在家的书房改书稿", "revise the manuscript at home"),
    Activity(
        ("菜地", "种了", "garden", "vegetable"), (), "在院子里侍弄菜地", "tend the vegetable patch"
    ),
    Activity(STUDENT, ("college",), "在{place}的图书馆学习", "study in the {place} library"),
]

# Kinds of place where one works when the persona names it among its places of work.
WORK_KINDS = ("cafe", "bar", "grocery", "pharmacy", "shop", "restaurant", "office")
WORK_WORDS = (
    "老板", "店", "咖啡师", "收银", "药剂师", "护士", "上班", "上白班", "上早班", "打开", "营业",
    "owner", "works at", "barista", "cashier", "pharmacist", "nurse", "opens", "shift",
)  # fmt: skip

# Early-morning habits, before breakfast.
MORNING: list[Activity] = [
    Activity(
        ("跑步", "长跑", "jog", "run"),
        ("park",),
        "去{place}晨跑",
        "go for a morning run in {place}",
    ),
    Activity(("太极", "tai chi"), ("park",), "去{place}打太极拳", "do tai chi in {place}"),
    Activity(
        ("薄雾", "天刚亮", "dawn", "mist"),
        ("park",),
        "去{place}拍晨雾",
        "photograph the morning mist in {place}",
    ),
    Activity(("侍弄菜地", "菜地", "vegetable"), (), "在院子里浇菜", "water the vegetables"),
]

# Lunch, first match first: the persona's own words, then what its work allows.
LUNCH_HOME_WORDS = ("回家吃", "home for lunch", "lunch at home")
LUNCH_QUICK_WORDS = ("随便对付", "对付一口", "skips lunch", "quick lunch")
EAT_WORDS = ("吃饭", "吃午饭", "eat", "lunch")
FOOD_KINDS = ("cafe", "bar", "restaurant")

LUNCH_OUT: list[Activity] = [
    Activity((), ("cafe",), "在{place}吃午饭", "have lunch at {place}"),
    Activity((), ("bar",), "在{place}吃午饭", "have lunch at {place}"),
    Activity((), ("park",), "带饭去{place}野餐", "have a picnic lunch in {place}"),
    Activity(
        (), ("college",), "在{place}的休息室吃便当", "eat a packed lunch in the {place} lounge"
    ),
]

# Between work and dinner, or in a free afternoon: an errand, a walk, a visit.
ERRANDS: list[Activity] = [
    Activity((), ("grocery",), "去{place}买菜", "buy groceries at {place}"),
    Activity((), ("park",), "在{place}散步", "take a walk in {place}"),
    Activity((), ("square",), "去{place}逛逛", "stroll around {place}"),
    Activity((), ("pharmacy",), "去{place}买点常用药", "pick up some medicine at {place}"),
    Activity((), ("residence",), "去{place}串门", "visit the neighbours at {place}"),
]

# Evenings, first match first (a dancer dances, a streamer streams); else a pastime or a night in.
EVENING: list[Activity] = [
    Activity(("广场舞", "square danc"), ("square",), "去{place}跳广场舞", "dance in {place}"),
    Activity(("直播", "stream", "twitch"), (), "直播打游戏", "stream games on Twitch"),
    Activity(("驻唱", "吉他", "guitar"), (), "在房间里练吉他", "practise the guitar"),
    Activity(("民谣", "folk"), (), "在家写民谣", "write a folk song"),
    Activity(("作品集", "portfolio"), (), "在家画作品集", "work on the art portfolio"),
    Activity(("钢琴", "作曲", "piano", "compos"), (), "弹钢琴", "play the piano"),
    Activity(
        ("读书会", "莎士比亚", "shakespeare", "book club"), (), "在家读莎士比亚", "read Shakespeare"
    ),
    Activity(("象棋", "chess"), (), "在家研究棋谱", "study chess openings"),
    Activity(("派对", "party"), (), "筹备情人节派对", "prepare for the Valentine's Day party"),
    Activity(("论文", "paper", "essay"), (), "在家写论文", "work on the paper at home"),
    Activity(("小说", "写作", "novel", "writer"), (), "在家写小说", "write the novel at home"),
    Activity(("画", "artist", "paint"), (), "在家画画", "paint at home"),
]
NIGHTS_OUT: list[Activity] = [
    Activity((), ("bar",), "去{place}喝一杯", "have a drink at {place}"),
    Activity((), ("park",), "去{place}夜跑", "go for an evening run in {place}"),
    Activity((), ("square",), "去{place}散步", "take an evening walk around {place}"),
    Activity((), ("residence",), "去{place}做客", "spend the evening at {place}"),
]
NIGHTS_IN: list[tuple[str, str]] = [
    ("在客厅看电视", "watch TV in the living room"),
    ("在家看书放松", "relax at home with a book"),
    ("在家听音乐", "listen to music at home"),
    ("给朋友打电话聊天", "call a friend"),
]
