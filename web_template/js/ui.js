// The page around the canvas: controls, agent list, conversation log, agent panel.
// Every text that may come from the sim (LLM output, personas, names) goes in by textContent.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const PERSONA = ["age", "innate", "learned", "currently", "lifestyle", "living_area",
    "daily_requirement"];
  const MEMORY_COUNT = 12;
  const AGENT_TALKS = 3;

  const $ = (id) => document.getElementById(id);

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Set text only when it changes: the DOM then lays out only what changed.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function upperBound(list, step) {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].start <= step) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  // app (main.js): replay, town, scene, step, speed, playing, selected, following; name(a),
  // bubble(a), seek(), play(), pause(), setSpeed(), select(), follow(), setLang(),
  // layoutChanged().
  function UI(app) {
    this.app = app;
    this.talkItems = [];
    this.shownTalks = -1;
    const meta = app.replay.meta;
    $("title").textContent = meta.name;
    document.title = meta.name + " · RingWorld";
    $("not-llm").hidden = meta.backend !== "offline";
    $("memories-box").hidden = !meta.has_memories;
    $("seek").max = String(app.replay.steps - 1);
    this.bind();
    this.buildAgentList();
  }

  UI.prototype.bind = function () {
    const app = this.app;
    $("play").addEventListener("click", () => (app.playing ? app.pause() : app.play()));
    $("speed").addEventListener("change", (e) => app.setSpeed(+e.target.value));
    $("seek").addEventListener("input", (e) => app.seek(+e.target.value));
    $("lang-btn").addEventListener("click", () => app.setLang(RW.i18n.lang === "zh" ? "en" : "zh"));
    $("panel-btn").addEventListener("click", () => {
      $("side").classList.toggle("open");
      app.layoutChanged();
    });
    $("agent-follow").addEventListener("click", () => app.follow(!app.following));
    $("agent-close").addEventListener("click", () => app.select(-1));
    document.querySelectorAll("#tabs button").forEach((b) => {
      b.addEventListener("click", () => this.showTab(b.dataset.tab));
    });
    window.addEventListener("keydown", (e) => {
      if (e.key !== " " || /INPUT|SELECT|TEXTAREA|BUTTON/.test(e.target.tagName || "")) return;
      e.preventDefault();
      if (app.playing) app.pause();
      else app.play();
    });
  };

  UI.prototype.showTab = function (tab) {
    document.querySelectorAll("#tabs button").forEach((b) => {
      b.classList.toggle("active", b.dataset.tab === tab);
    });
    document.querySelectorAll("#side section").forEach((s) => {
      s.hidden = s.id !== "tab-" + tab;
    });
    $("side").classList.add("open");
    this.app.layoutChanged();
    this.tab = tab;
    if (tab === "talk" && this.talkStale) this.renderTalk();
    this.refresh();
  };

  UI.prototype.buildAgentList = function () {
    const list = $("agent-list");
    list.replaceChildren();
    this.rows = this.app.replay.agents.map((_, a) => {
      const item = el("li");
      const button = el("button", "agent-row");
      const dot = el("span", "dot");
      dot.style.background = this.app.scene.colors[a];
      const name = el("span", "who");
      const emoji = el("span", "emoji");
      const action = el("span", "doing");
      button.append(dot, emoji, name, action);
      button.addEventListener("click", () => this.app.select(a));
      item.append(button);
      list.append(item);
      return { name, emoji, action };
    });
  };

  UI.prototype.setPlaying = function (playing) {
    setText($("play"), (playing ? "⏸ " : "▶ ") + RW.i18n.t(playing ? "pause" : "play"));
  };

  // Everything that depends on the step or the language.
  UI.prototype.refresh = function () {
    const app = this.app;
    const replay = app.replay;
    const step = app.step;
    const t = RW.i18n.t;
    setText($("clock"), RW.i18n.clock(replay.time(step)));
    $("seek").value = String(step);
    setText($("stepno"), `${t("step")} ${step}/${replay.steps - 1}`);
    $("speed").value = String(app.speed);
    this.setPlaying(app.playing);
    if (!replay.has(step)) return;
    this.rows.forEach((row, a) => {
      setText(row.name, app.name(a));
      setText(row.emoji, replay.text(step, a, "emoji"));
      setText(row.action, replay.text(step, a, "action"));
    });
    this.refreshTalk();
    if (app.selected >= 0) this.refreshAgent();
  };

  // The conversation log is built when its tab is shown (it may hold thousands of lines).
  UI.prototype.talkChanged = function () {
    this.talkStale = true;
    if (this.tab === "talk") this.renderTalk();
  };

  UI.prototype.renderTalk = function () {
    this.talkStale = false;
    const talk = this.app.replay.talk || [];
    const log = $("talk-log");
    log.replaceChildren();
    this.talkItems = talk.map((c) => {
      const item = this.talkItem(c);
      log.prepend(item);
      return item;
    });
    this.shownTalks = -1;
    this.refreshTalk();
  };

  UI.prototype.talkItem = function (c) {
    const app = this.app;
    const item = el("li", "talk");
    const head = el("button", "talk-head");
    const time = RW.i18n.clock(app.replay.time(c.start)).split(" ").pop().slice(0, 5);
    head.append(el("span", "time", time), el("span", "place", app.town.describe(c.place,
      RW.i18n.lang)), el("span", "pair", `${app.name(c.a)} ${RW.i18n.t("and")} ${app.name(c.b)}`));
    head.addEventListener("click", () => app.seek(c.start));
    const lines = el("ol", "lines");
    for (const [speaker, text] of c.lines) {
      const line = el("li");
      line.append(el("b", "", speaker), el("span", "", text));
      lines.append(line);
    }
    item.append(head, lines);
    return item;
  };

  UI.prototype.refreshTalk = function () {
    const talk = this.app.replay.talk;
    if (!talk) return;
    const shown = upperBound(talk, this.app.step);
    if (shown === this.shownTalks) return;
    this.shownTalks = shown;
    this.talkItems.forEach((item, i) => {
      item.hidden = i >= shown;
    });
    $("talk-empty").hidden = shown > 0;
  };

  UI.prototype.showAgent = function () {
    const app = this.app;
    const a = app.selected;
    document.querySelector('#tabs [data-tab="agent"]').hidden = a < 0;
    if (a < 0) {
      if (this.tab === "agent") this.showTab("agents");
      return;
    }
    const profile = app.replay.agents[a];
    const persona = $("agent-persona");
    persona.replaceChildren();
    for (const key of PERSONA) {
      if (profile[key] === undefined || profile[key] === "") continue;
      persona.append(el("dt", "", RW.i18n.t(key)), el("dd", "", String(profile[key])));
    }
    this.showTab("agent");
  };

  UI.prototype.refreshAgent = function () {
    const app = this.app;
    const a = app.selected;
    const replay = app.replay;
    const step = app.step;
    const lang = RW.i18n.lang;
    setText($("agent-name"), app.name(a));
    $("agent-dot").style.background = app.scene.colors[a];
    setText($("agent-emoji"), replay.text(step, a, "emoji"));
    setText($("agent-action"), replay.text(step, a, "action"));
    setText($("agent-place"), app.town.describe(replay.text(step, a, "address"), lang));
    setText($("agent-chat"), app.bubble(a) || "—");
    setText($("agent-follow"), RW.i18n.t(app.following ? "unfollow" : "follow"));
    $("agent-follow").classList.toggle("active", app.following);
    const memories = replay.memories(step, a, MEMORY_COUNT);
    const mine = (replay.talk || []).filter((c) => c.start <= step && (c.a === a || c.b === a));
    const talks = mine.slice(-AGENT_TALKS).reverse();
    const key = [a, lang, memories.map((m) => m.step), talks.map((c) => c.start)].join("|");
    if (key === this.agentKey) return;
    this.agentKey = key;
    $("agent-memories").replaceChildren(...memories.map((m) => {
      const item = el("li", "memory " + m.kind);
      const time = RW.i18n.clock(replay.time(m.step)).split(" ").pop().slice(0, 5);
      item.append(el("span", "kind", RW.i18n.t("kind_" + m.kind)), el("span", "time", time),
        el("span", "text", m.text));
      return item;
    }));
    $("memories-empty").hidden = memories.length > 0;
    $("agent-talks").replaceChildren(...talks.map((c) => this.talkItem(c)));
    $("agent-talks-empty").hidden = talks.length > 0;
  };

  RW.UI = UI;
})();
