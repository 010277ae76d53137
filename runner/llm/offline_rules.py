"""Word tables for the offline policy: which words point to which places, objects, emoji.

Each rule is (keywords, targets): when a keyword occurs in an action's text, options whose name
contains one of the targets score higher. Chinese and English entries sit side by side, so the
same rules serve RingWorld's own town and the original English one.
"""

from __future__ import annotations

Rule = tuple[tuple[str, ...], tuple[str, ...]]

SECTOR_KIND_RULES: list[Rule] = [
    (("咖啡馆", "café", "cafe", "午饭", "lunch"), ("cafe",)),
    (("酒吧", "喝酒", "喝一杯", "bar", "pub", "drink"), ("bar",)),
    (
        ("公园", "散步", "跑步", "钓鱼", "野餐", "park", "walk", "jog", "fishing", "picnic"),
        ("park",),
    ),
    (("超市", "买菜", "购物", "杂货", "grocery", "groceries", "shopping", "market"), ("grocery",)),
    (("药", "pharmacy", "medicine"), ("pharmacy",)),
    (("学院", "图书馆", "上课", "学习", "college", "library", "class", "study"), ("college",)),
    (("广场", "square", "plaza"), ("square",)),
    (
        (
            "睡",
            "起床",
            "洗漱",
            "在家",
            "早餐",
            "晚饭",
            "做饭",
            "sleep",
            "wake",
            "home",
            "breakfast",
            "dinner",
            "cook",
            "get ready",
            "morning routine",
        ),
        ("home",),
    ),
]

ARENA_RULES: list[Rule] = [
    (("派对", "party"), ("用餐区", "dining", "cafe")),
    (("睡", "sleep", "bed"), ("卧", "房间", "宿舍", "room", "bedroom")),
    (
        ("洗漱", "洗澡", "淋浴", "刷牙", "wash", "shower", "brush", "get ready", "morning routine"),
        ("浴室", "洗手间", "bathroom", "restroom"),
    ),
    (("做饭", "早餐", "晚饭", "烹", "cook", "breakfast", "dinner"), ("厨房", "kitchen")),
    (("烤", "点心", "面包", "bake", "pastr"), ("后厨", "kitchen")),
    (
        ("煮咖啡", "冲咖啡", "收银", "顾客", "开店", "make coffee", "customer", "register"),
        ("柜台", "counter"),
    ),
    (("午饭", "用餐", "lunch", "meal", "eat"), ("用餐区", "dining", "cafe")),
    (("在家吃", "回家吃", "lunch at home", "home for lunch"), ("厨房", "kitchen")),
    (
        ("写", "代码", "电脑", "write", "code", "laptop"),
        ("用餐区", "dining", "书房", "study", "图书馆", "library"),
    ),
    (("串门", "做客", "visit"), ("客厅", "厨房", "院子", "living room", "kitchen")),
    (
        ("学习", "看书", "阅读", "资料", "论文", "文献", "study", "read", "paper", "research"),
        ("图书馆", "library", "书房", "study", "用餐区", "dining"),
    ),
    (("上课", "讲课", "听课", "class", "lecture", "teach"), ("教室", "classroom")),
    (
        ("休息", "放松", "电视", "rest", "relax", "tv"),
        ("休息室", "客厅", "lounge", "living room", "common room"),
    ),
    (("喝酒", "酒", "bar", "drink", "beer"), ("酒吧", "bar", "pub")),
    (("买", "购物", "货架", "buy", "shop"), ("商店", "store", "shop")),
    (("药", "medicine", "pharmacy"), ("药房", "pharmacy")),
    (("咨询", "看病", "consult"), ("诊室", "consultation")),
    (("散步", "花", "walk", "flower", "garden"), ("花园", "garden")),
    (("钓鱼", "湖", "fishing", "lake"), ("湖畔", "lake")),
    (("野餐", "草坪", "picnic", "lawn"), ("草坪", "lawn")),
    (("直播", "游戏", "stream", "game"), ("玛丽亚", "Maria", "房间", "room")),
    (("画", "paint", "draw"), ("房间", "room", "studio")),
    (("弹琴", "钢琴", "piano"), ("客厅", "common room")),
]

OBJECT_RULES: list[Rule] = [
    (("派对", "party"), ("餐桌", "沙发", "table", "sofa")),
    (("睡", "sleep", "nap"), ("床", "bed")),
    (("洗漱", "刷牙", "洗手", "wash", "brush"), ("洗手池", "sink")),
    (("洗澡", "淋浴", "shower", "bath"), ("淋浴", "shower")),
    (("做饭", "做早餐", "做晚饭", "烹", "煮面", "cook"), ("灶台", "stove", "kitchen")),
    (
        ("吃", "早餐", "午饭", "晚饭", "用餐", "eat", "breakfast", "lunch", "dinner"),
        ("餐桌", "桌", "table"),
    ),
    (("煮咖啡", "冲咖啡", "make coffee", "brew"), ("咖啡机", "coffee machine")),
    (
        ("收银", "结账", "顾客", "cash", "customer", "register"),
        ("收银台", "cash register", "counter"),
    ),
    (("烤", "点心", "面包", "bake", "pastr"), ("烤箱", "oven")),
    (("食材", "冰箱", "ingredient", "fridge"), ("冰箱", "refrigerator", "fridge")),
    (("找资料", "找书", "书架", "shelf", "find a book"), ("书架", "bookshelf", "shelf")),
    (
        ("看书", "阅读", "读书", "学习", "复习", "read", "study"),
        ("阅览桌", "书桌", "reading table", "desk"),
    ),
    (
        ("写", "论文", "笔记", "名单", "write", "paper", "notes", "list"),
        ("书桌", "阅览桌", "课桌", "desk"),
    ),
    (("电脑", "文献", "上网", "computer", "research"), ("电脑", "computer")),
    (("直播", "游戏", "stream", "game"), ("游戏电脑", "gaming", "computer")),
    (("画", "paint", "draw"), ("画架", "easel")),
    (("钢琴", "弹琴", "piano"), ("钢琴", "piano")),
    (("电视", "tv", "television"), ("电视", "tv")),
    (("休息", "放松", "聊天", "rest", "relax", "chat"), ("沙发", "sofa", "couch")),
    (("喝酒", "喝一杯", "酒", "drink", "beer"), ("吧台", "bar counter", "bar")),
    (("音乐", "点唱机", "music", "jukebox"), ("点唱机", "jukebox")),
    (("买", "购物", "挑选", "补货", "buy", "shop", "restock"), ("货架", "shelf")),
    (("冷冻", "冷柜", "frozen"), ("冷柜", "freezer")),
    (("药", "medicine"), ("药柜", "medicine")),
    (("散步", "跑", "坐", "walk", "run", "sit"), ("长椅", "bench")),
    (("菜", "浇", "vegetable", "water the"), ("花盆", "花坛", "planter", "flower")),
    (("花", "flower", "garden"), ("花坛", "flower", "garden")),
    (("钓鱼", "fishing"), ("钓鱼台", "fishing")),
    (("野餐", "picnic"), ("野餐桌", "picnic")),
    (("喷泉", "fountain"), ("喷泉", "fountain")),
    (("上课", "讲课", "lecture", "teach"), ("讲台", "lectern", "podium")),
    (("听课", "class"), ("课桌", "student desk", "desk")),
    (("衣服", "换衣", "dress", "clothes"), ("衣柜", "closet", "wardrobe")),
]

EMOJI_RULES: list[tuple[tuple[str, ...], str]] = [
    (("睡", "sleep"), "😴"),
    (("咖啡", "coffee"), "☕"),
    (("交谈", "聊天", "chat", "talk"), "💬"),
    (("洗澡", "淋浴", "shower"), "🚿"),
    (("洗漱", "刷牙", "wash", "brush"), "🪥"),
    (("做饭", "烹", "cook"), "🍳"),
    (("吃", "早餐", "午饭", "晚饭", "eat", "breakfast", "lunch", "dinner"), "🍽️"),
    (("烤", "点心", "bake"), "🥐"),
    (("收银", "顾客", "customer", "register"), "💰"),
    (("直播", "游戏", "stream", "game"), "🎮"),
    (("论文", "写", "write", "paper"), "✍️"),
    (("学习", "看书", "阅读", "读书", "资料", "study", "read"), "📚"),
    (("上课", "class", "lecture"), "🏫"),
    (("画", "paint"), "🎨"),
    (("钢琴", "弹琴", "piano"), "🎹"),
    (("喝酒", "酒", "drink", "beer"), "🍺"),
    (("买", "购物", "buy", "shop"), "🛒"),
    (("药", "medicine"), "💊"),
    (("散步", "walk"), "🚶"),
    (("跑步", "jog", "run"), "🏃"),
    (("钓鱼", "fishing"), "🎣"),
    (("派对", "聚会", "party"), "🎉"),
    (("跳舞", "dance"), "💃"),
    (("电视", "tv"), "📺"),
    (("休息", "放松", "rest", "relax"), "🛋️"),
]

# Personal pastimes found in a persona's text: (keywords, zh task, en task).
PASTIMES: list[tuple[tuple[str, ...], str, str]] = [
    (("派对", "party"), "筹备情人节派对", "prepare for the Valentine's Day party"),
    (("直播", "stream", "twitch"), "直播打游戏", "stream games on Twitch"),
    (("论文", "paper", "essay"), "写论文", "work on the research paper"),
    (("画", "artist", "paint"), "画画", "paint"),
    (("钢琴", "作曲", "音乐", "music", "piano", "compos"), "弹钢琴", "play the piano"),
    (("跑步", "运动", "健身", "jog", "exercise"), "去公园跑步", "go for a jog in the park"),
    (("小说", "写作", "novel", "writer"), "写小说", "write a novel"),
    (("读", "书", "read", "book"), "看书", "read a book"),
]

# Sub-actions of a long task, by what the task is about: (keywords, zh steps, en steps).
# A work task ("在X工作" / "work at X") is matched by X's kind first (cafe, bar …); an entry
# whose keywords are all such kinds is for work tasks only ("have lunch at Hobbs Cafe" is no
# shift at the café).
WORK_KINDS = {"cafe", "bar", "grocery", "store", "pharmacy"}
DECOMPOSITIONS: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
    (
        ("cafe",),
        ("煮咖啡", "招呼顾客并收银", "在后厨烤点心", "收拾餐桌"),
        ("make coffee", "serve customers at the register", "bake pastries", "clean the tables"),
    ),
    (
        ("参加派对", "go to the party"),
        ("和大家打招呼", "吃派对的点心", "和朋友聊天", "跳舞"),
        ("greet everyone", "eat party snacks", "chat with friends", "dance"),
    ),
    (
        ("派对", "party"),
        ("列派对的宾客名单", "布置用餐区", "准备派对的点心"),
        ("write the party guest list", "decorate the dining area", "bake snacks for the party"),
    ),
    (
        ("学习", "study", "library"),
        ("在书架找资料", "在阅览桌看书", "用电脑查文献", "记笔记"),
        (
            "find books on the shelf",
            "read at the reading table",
            "research on the computer",
            "take notes",
        ),
    ),
    (
        ("论文", "paper"),
        ("整理笔记", "写论文", "用电脑查文献"),
        ("sort notes", "write the paper", "research on the computer"),
    ),
    (
        ("直播", "stream"),
        ("打开游戏电脑准备直播", "直播打游戏", "直播时和观众聊天"),
        ("set up the stream on the gaming computer", "stream games", "chat with viewers"),
    ),
    (
        ("bar",),
        ("在吧台调酒", "招呼客人", "听点唱机的音乐"),
        ("mix drinks at the bar counter", "greet guests", "listen to the jukebox"),
    ),
    (
        ("grocery", "store"),
        ("给货架补货", "在收银台结账", "整理冷柜"),
        ("restock the shelf", "work the cash register", "tidy the freezer"),
    ),
    (
        ("pharmacy",),
        ("整理药柜", "在柜台给顾客拿药", "在诊室咨询"),
        ("sort the medicine cabinet", "serve customers at the counter", "consult patients"),
    ),
    (
        ("上课", "讲课", "teach", "lecture"),
        ("在讲台讲课", "在黑板写板书", "回答学生问题"),
        ("lecture at the lectern", "write on the blackboard", "answer questions"),
    ),
    (
        ("听课", "attend a class"),
        ("在课桌前听课", "记笔记", "和同学讨论问题"),
        ("listen to the lecture", "take notes", "discuss with classmates"),
    ),
    (
        ("写代码", "write code"),
        ("打开笔记本电脑写代码", "调试程序", "喝口咖啡歇一歇"),
        ("write code on the laptop", "debug the program", "take a coffee break"),
    ),
    (
        ("速写", "sketch"),
        ("找个角度画速写", "坐在长椅上画速写", "看看来往的行人"),
        ("find a spot to sketch", "sketch on the bench", "watch the passers-by"),
    ),
    (
        ("水彩", "watercolo"),
        ("在湖边画水彩", "坐在长椅上调水彩", "看看湖面找灵感"),
        ("paint by the lake", "mix watercolours on the bench", "look at the lake for ideas"),
    ),
    (
        ("画", "paint"),
        ("在画架前画画", "在画架旁调颜料", "休息片刻"),
        ("paint at the easel", "mix paints", "take a short rest"),
    ),
]
