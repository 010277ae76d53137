"""Names of people and places in an answer that are not in the town (``docs/eval.md``).

Precision first: a word is a candidate only when it looks like a name by its form, so that a
flag means something. Candidates, after every known name has been blanked out of the text:

- a ``·``-joined name (约翰·史密斯): runs of transliteration characters on both sides of the dot;
- a surname and a title (赵老师, 李先生) after a boundary, when no agent has that surname;
- a Chinese place: a modifier of name-like characters before a place word (老街咖啡馆);
- English: a title and a capitalised name (Dr. Smith), or two or more capitalised words in a
  row (John Smith; Rose Bar is a place as its last word is a place word).

Native Chinese names without a title (张伟说……) and brand names (星巴克) are not found: there
is no form to tell them from ordinary words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

DOTS = re.compile("[•・‧∙⋅]")
MASK = "|"
# Characters of the standard transliteration of foreign names (a common subset).
TRANSLIT = (
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼毕宾波伯博勃布查达戴丹黛道德登迪狄蒂丁东杜多厄恩尔"
    "法范菲斐费芬丰佛弗福富伽盖甘冈高戈哥格根古哈海汉豪赫亨洪胡华霍基吉加贾杰捷金卡凯坎康考"
    "柯科克肯库夸奎昆拉莱赖兰朗劳勒雷蕾里丽利莉莲林琳卢鲁路伦罗洛玛马迈麦曼芒梅门蒙米密敏"
    "明摩莫默姆穆娜纳奈南内妮尼涅宁纽努诺欧帕派潘佩彭皮珀普奇齐琪乔切钦琼丘萨塞赛桑瑟森沙"
    "莎珊尚绍舍舒什史斯松苏索塔泰坦汤唐特提汀廷图托瓦旺威韦维温沃乌伍西希锡夏谢辛欣休雅亚"
    "娅扬耶伊依因英尤约扎詹兹泽佐卓赞翰茨策"
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜"
    "叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严武戴莫孔向汤"
)
TITLES_ZH = "先生|女士|小姐|太太|老师|教授|医生|大夫|阿姨|叔叔|大爷|奶奶|爷爷|老板|经理|同学"
PLACE_WORDS_ZH = (
    "咖啡馆|咖啡店|咖啡厅|酒吧|酒馆|学院|大学|学校|中学|小学|公园|广场|药房|药店|超市|商店|"
    "商场|市场|餐厅|饭店|饭馆|面馆|酒店|旅馆|医院|诊所|图书馆|博物馆|美术馆|教堂|书店|面包店|"
    "花店|银行|剧院|电影院|体育馆|健身房|公寓|宿舍|住宅|农场|工厂|车站|市政厅|警察局|邮局"
)
# Characters that end a modifier going left from a place word: function words, pronouns,
# verbs of going and being.
STOP_ZH = (
    "的了在去到和跟与同是我你他她它们这那哪一每某个家里上下从往回就也都"
    "还要会想说吧呢吗啊呀过着把被给对向问见找来"
)
GENERIC_ZH = ("小镇", "镇上", "镇里", "附近", "本地", "当地", "街角", "对面", "旁边")
TITLES_EN = r"(?:Mr|Mrs|Ms|Miss|Dr|Professor|Prof|Uncle|Aunt|Grandma|Grandpa)\.?"
PLACE_WORDS_EN = {
    "cafe", "café", "coffee", "bar", "pub", "college", "university", "school", "academy",
    "park", "garden", "square", "pharmacy", "grocery", "market", "store", "shop", "mall",
    "restaurant", "diner", "bakery", "hotel", "inn", "hospital", "clinic", "library", "museum",
    "gallery", "church", "bank", "theater", "theatre", "cinema", "gym", "apartment", "house",
    "hall", "station", "street", "avenue", "road", "farm", "office",
}  # fmt: skip
# Capitalised words that are not names: sentence openers, days, months, feasts.
STOP_EN = {
    "the", "a", "an", "i", "i'm", "i've", "i'll", "my", "our", "your", "his", "her", "their",
    "this", "that", "these", "those", "yesterday", "today", "tomorrow", "tonight", "when",
    "then", "after", "before", "and", "but", "so", "if", "at", "in", "on", "to", "from", "with",
    "yes", "no", "oh", "well", "hi", "hello", "dear", "sure", "also", "maybe", "perhaps", "we",
    "you", "he", "she", "they", "it", "let", "let's", "every", "last", "next", "what", "who",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
    "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "valentine", "valentine's", "day", "christmas", "easter", "eve",
    "year", "english", "chinese", "ok", "okay",
}  # fmt: skip
GENERIC_EN = {
    "town", "city", "village", "old", "new", "main", "central", "big", "little", "local",
    "north", "south", "east", "west", "community", "public",
}  # fmt: skip

_CJK = "\u4e00-\u9fff"
_DOT_NAME = re.compile(f"[{TRANSLIT}{SURNAMES}]+(?:·[{TRANSLIT}{SURNAMES}]+)+")
_TITLED_ZH = re.compile(f"(?:^|(?<=[^{_CJK}])|(?<=[{STOP_ZH}]))([{SURNAMES}])({TITLES_ZH})")
_PLACE_ZH = re.compile(PLACE_WORDS_ZH)
_TITLED_EN = re.compile(rf"\b{TITLES_EN}\s+([A-Z][a-z]+)")
_WORD_EN = r"[A-Z][a-z]+(?:['’]s)?"
_RUN_EN = re.compile(rf"\b{_WORD_EN}(?:[ \t]+{_WORD_EN})+\b")


@dataclass(frozen=True)
class NameHit:
    kind: str  # "person" or "place"
    text: str


def _norm(text: str) -> str:
    return DOTS.sub("·", text)


class KnownNames:
    """The names that are in the town: agents (zh and en names), places (world, sectors,
    arenas, water), extra words (facts, events), and every name-like word found in
    ``mentioned`` texts (the scenario's own personas and history introduce them)."""

    def __init__(
        self,
        people: Iterable[str],
        places: Iterable[str],
        extra: Iterable[str] = (),
        mentioned: Iterable[str] = (),
    ) -> None:
        people = [_norm(p).strip() for p in people if p and p.strip()]
        whole = {*people, *(_norm(p).strip() for p in [*places, *extra] if p and p.strip())}
        parts = [part for p in people for part in re.split(r"[·\s]+", p) if part]
        self.tokens = {t.casefold() for name in whole for t in re.findall(r"\w+", name)}
        self.surnames = {p[0] for p in parts if re.match(f"[{_CJK}]", p)}
        self._use(whole)
        self._use(whole | {h.text for t in mentioned for h in candidates(t, self)})

    def _use(self, names: set[str]) -> None:
        """Known whole names, longest first, and one pattern that finds any of them (Latin
        ones as whole words, in any case)."""
        self.whole = sorted(names, key=lambda n: (-len(n), n))
        self._pattern = re.compile(
            "|".join(
                re.escape(n) if re.search(f"[{_CJK}]", n) else rf"(?<!\w){re.escape(n)}(?!\w)"
                for n in self.whole
            )
            or "(?!)",
            re.IGNORECASE,
        )

    def cut_short(self, name: str) -> bool:
        """Whether ``name`` is the start of a known ``·``-name, cut where a text was bounded
        (伊莎贝拉·罗 of 伊莎贝拉·罗德里格斯): a known person, not a new one."""
        return "·" in name and any(w.startswith(name) and w != name for w in self.whole)

    def mask(self, text: str) -> str:
        """``text`` with every known name replaced by a mark that ends any name around it."""
        return self._pattern.sub(MASK, text)


def candidates(text: str, known: KnownNames) -> list[NameHit]:
    """Name-like words of ``text`` that are not among ``known`` names, in order found."""
    text = known.mask(_norm(text))
    hits = [
        NameHit("person", m.group(0))
        for m in _DOT_NAME.finditer(text)
        if not known.cut_short(m.group(0))
    ]
    text = _DOT_NAME.sub(MASK, text)
    hits += [
        NameHit("person", m.group(0))
        for m in _TITLED_ZH.finditer(text)
        if m.group(1) not in known.surnames
    ]
    hits += _places_zh(text, known)
    hits += [
        NameHit("person", m.group(0))
        for m in _TITLED_EN.finditer(text)
        if m.group(1).casefold() not in known.tokens
    ]
    text = _TITLED_EN.sub(MASK, text)
    for match in _RUN_EN.finditer(text):
        hits += _run_en(match.group(0).split(), known)
    return hits


def _places_zh(text: str, known: KnownNames) -> list[NameHit]:
    hits = []
    for match in _PLACE_ZH.finditer(text):
        start = match.start()
        while (
            start > 0
            and start > match.start() - 6
            and re.match(f"[{_CJK}]", text[start - 1])
            and text[start - 1] not in STOP_ZH
        ):
            start -= 1
        modifier = _PLACE_ZH.sub("", text[start : match.start()])
        for generic in GENERIC_ZH:
            modifier = modifier.removeprefix(generic)
        if len(modifier) < 2:  # a bare or barely qualified place word: 咖啡馆, 小酒吧
            continue
        if not any(modifier in name for name in known.whole):
            hits.append(NameHit("place", text[start : match.end()]))
    return hits


def _run_en(words: list[str], known: KnownNames) -> list[NameHit]:
    """Split a run of capitalised words at non-names; each piece of 2+ words is a candidate."""
    hits, piece = [], []
    for word in [*words, "the"]:
        low = word.casefold()
        if low in STOP_EN or low.removesuffix("'s").removesuffix("’s") in STOP_EN:
            hits += _piece_en(piece, known)
            piece = []
        else:
            piece.append(word)
    return hits


def _piece_en(piece: list[str], known: KnownNames) -> list[NameHit]:
    if len(piece) < 2:
        return []
    text = " ".join(piece)
    if piece[-1].casefold() in PLACE_WORDS_EN:
        rest = [w.casefold().removesuffix("'s").removesuffix("’s") for w in piece[:-1]]
        phrase = re.compile(rf"(?<!\w){re.escape(' '.join(rest))}(?!\w)", re.I)
        if not set(rest) <= GENERIC_EN and any(phrase.search(name) for name in known.whole):
            return []  # a known place called by another word (Hobbs Coffee)
        return [NameHit("place", text)]
    return [NameHit("person", text)]
