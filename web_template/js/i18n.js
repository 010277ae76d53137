// Interface text in 中文 and English. Elements with data-i18n="key" get t(key) as textContent;
// data-i18n-label="key" sets aria-label and title.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  const TEXT = {
    zh: {
      switch_lang: "English",
      report: "评估报告",
      play: "播放",
      pause: "暂停",
      speed: "速度",
      seek: "进度",
      step: "步",
      agents: "居民",
      talk: "对话",
      agent: "人物",
      menu: "面板",
      follow: "跟随",
      unfollow: "取消跟随",
      close: "关闭",
      action: "正在",
      place: "位置",
      chat: "说",
      persona: "人物设定",
      age: "年龄",
      innate: "性格",
      learned: "背景",
      currently: "近况",
      lifestyle: "作息",
      living_area: "住处",
      daily_requirement: "日常",
      memories: "最近的记忆",
      agent_talks: "最近的对话",
      no_memories: "（还没有记忆）",
      no_talk: "（还没有对话）",
      kind_event: "事件",
      kind_thought: "想法",
      kind_chat: "对话",
      and: "与",
      loading: "加载中…",
      load_failed: "数据加载失败：",
      not_llm: "由离线规则策略生成，不是大语言模型",
      replay: "重播",
      ended: "回放到此结束",
      next_event: "下一件事",
      skip_night: "跳过夜晚",
      ease: "对话时放慢播放",
      held: "💬 对话中，已放慢播放",
      share: "分享链接",
      copied: "链接已复制",
      copy_by_hand: "请手动复制上面的链接",
      search: "找人…",
      no_match: "（没有找到）",
      outdoors: "街上",
      minimap: "小地图",
      object_event: "物品",
      weekdays: ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
    },
    en: {
      switch_lang: "中文",
      report: "Evaluation",
      play: "Play",
      pause: "Pause",
      speed: "Speed",
      seek: "Time",
      step: "step",
      agents: "People",
      talk: "Conversations",
      agent: "Person",
      menu: "Panel",
      follow: "Follow",
      unfollow: "Stop following",
      close: "Close",
      action: "Doing",
      place: "Location",
      chat: "Saying",
      persona: "Persona",
      age: "Age",
      innate: "Traits",
      learned: "Background",
      currently: "Currently",
      lifestyle: "Lifestyle",
      living_area: "Home",
      daily_requirement: "Daily plan",
      memories: "Recent memories",
      agent_talks: "Recent conversations",
      no_memories: "(no memories yet)",
      no_talk: "(no conversations yet)",
      kind_event: "event",
      kind_thought: "thought",
      kind_chat: "chat",
      and: "and",
      loading: "Loading…",
      load_failed: "Could not load the data: ",
      not_llm: "Made by the offline rule-based policy, not by an LLM",
      replay: "Replay",
      ended: "The run ends here",
      next_event: "Next event",
      skip_night: "Skip the night",
      ease: "Slow down for talk",
      held: "💬 Slowed down for a conversation",
      share: "Share link",
      copied: "Link copied",
      copy_by_hand: "Copy the link above",
      search: "Find a person…",
      no_match: "(nobody found)",
      outdoors: "Outdoors",
      minimap: "Minimap",
      object_event: "Object",
      weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
    },
  };

  // The viewers' help: the first-visit hint, the legend, keys, highlights, where people go.
  Object.assign(TEXT.zh, {
    hint: "▶ 播放小镇的一天。点一个人看他在做什么、想什么；拖动、滚轮或双指缩放移动视野；" +
      "时间轴上的 📣 💭 是精彩时刻。按 ? 查看全部按钮和快捷键。",
    hint_play: "▶ 开始播放",
    hint_close: "知道了",
    legend: "按钮和快捷键",
    legend_play: "播放 / 暂停",
    legend_speed: "播放速度（每秒 3.75 至 60 步）",
    legend_marks: "时间轴标记：橙色是对话，紫色是想法（反思）",
    legend_highlights: "精彩时刻：传开消息的对话、居民的反思、场景里的活动（如派对）；点击跳到那一刻",
    legend_keys: "键盘",
    key_step: "后退 / 前进一步",
    key_seek: "后退 / 前进一小时",
    key_follow: "跟随所选的人",
    key_camera: "移动、缩放视野",
    going_to: "要去",
    lang_note: "居民说的话和做的事保持这次运行的语言（{lang}）。",
    lang_zh: "中文",
    lang_en: "英文",
    later: "之后",
    highlight_news: "传开消息：{a} 告诉 {b}",
    highlight_thought: "{a} 的反思",
    highlight_event: "活动开始：{name}",
    times: "×{n}",
  });
  Object.assign(TEXT.en, {
    hint: "▶ plays the town's day. Tap a person to see what they do and think; drag, scroll " +
      "or pinch to move and zoom; 📣 💭 on the timeline are highlights. ? lists every " +
      "button and key.",
    hint_play: "▶ Play",
    hint_close: "Got it",
    legend: "Buttons and keys",
    legend_play: "Play / pause",
    legend_speed: "Speed (3.75 to 60 steps a second)",
    legend_marks: "Timeline marks: orange a conversation, violet a thought (reflection)",
    legend_highlights:
      "Highlights: conversations that passed news on, reflections, the scenario's events (a party); tap to go there",
    legend_keys: "Keys",
    key_step: "One step back / forward",
    key_seek: "One hour back / forward",
    key_follow: "Follow the person chosen",
    key_camera: "Move and zoom the view",
    going_to: "Going to",
    lang_note: "What the residents say and do stays in the run's language ({lang}).",
    lang_zh: "Chinese",
    lang_en: "English",
    later: "later",
    highlight_news: "News: {a} tells {b}",
    highlight_thought: "{a} reflects",
    highlight_event: "The event begins: {name}",
    times: "×{n}",
  });

  const i18n = (RW.i18n = { lang: "zh" });
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
    "Dec"];

  i18n.t = function (key) {
    const table = TEXT[i18n.lang];
    return key in table ? table[key] : key;
  };

  // t(key) with {name} replaced by values[name].
  i18n.fill = function (key, values) {
    return i18n.t(key).replace(/\{(\w+)\}/g, (m, name) => (name in values ? values[name] : m));
  };

  // "2月14日" or "Feb 14" for the timeline's day marks.
  i18n.day = function (date) {
    const [month, day] = [date.getUTCMonth() + 1, date.getUTCDate()];
    if (i18n.lang === "zh") return `${month}月${day}日`;
    return `${MONTHS[month - 1]} ${day}`;
  };

  // Switch the page's texts to `lang` (zh where not known); returns the language now.
  i18n.setLang = function (lang) {
    i18n.lang = TEXT[lang] ? lang : "zh";
    document.documentElement.lang = i18n.lang === "zh" ? "zh-CN" : "en";
    document.querySelectorAll("[data-i18n]").forEach((el) => {
      el.textContent = i18n.t(el.dataset.i18n);
    });
    document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
      el.placeholder = i18n.t(el.dataset.i18nPlaceholder);
    });
    document.querySelectorAll("[data-i18n-label]").forEach((el) => {
      el.setAttribute("aria-label", i18n.t(el.dataset.i18nLabel));
      el.title = i18n.t(el.dataset.i18nLabel);
    });
    return i18n.lang;
  };

  const pad = (n) => String(n).padStart(2, "0");

  // The time of day "08:30" of a Date in game-local UTC fields.
  i18n.hhmm = (date) => pad(date.getUTCHours()) + ":" + pad(date.getUTCMinutes());

  // "2月13日 周一 08:30:10" or "Mon 02-13 08:30:10" from a Date in game-local UTC fields.
  i18n.clock = function (date) {
    const day = i18n.t("weekdays")[date.getUTCDay()];
    const [month, dayOfMonth] = [date.getUTCMonth() + 1, date.getUTCDate()];
    const hms = [date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()].map(pad).join(":");
    if (i18n.lang === "zh") return `${month}月${dayOfMonth}日 ${day} ${hms}`;
    return `${day} ${pad(month)}-${pad(dayOfMonth)} ${hms}`;
  };
})();
