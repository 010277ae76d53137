// The page around the canvas: controls, conversation log, agent panel (the agent list is
// finder.js, the seek bar timeline.js). Every text that may come from the sim (LLM output,
// personas, names) goes in by textContent.
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
  RW.el = el;

  // Set text only when it changes: the DOM then lays out only what changed.
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }
  RW.setText = setText;

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

  // The time of day "08:30" of a step.
  RW.hhmm = function (replay, step) {
    return RW.i18n.clock(replay.time(step)).split(" ").pop().slice(0, 5);
  };

  // app: see main.js.
  function UI(app) {
    this.app = app;
    this.talkItems = [];
    this.shownTalks = -1;
    const meta = app.replay.meta;
    $("title").textContent = meta.name;
    document.title = meta.name + " · RingWorld";
    $("not-llm").hidden = meta.backend !== "offline";
    $("memories-box").hidden = !meta.has_memories;
    this.finder = new RW.Finder(app);
    this.timeline = new RW.Timeline(app);
    this.minimap = new RW.Minimap(app);
    this.bind();
  }

  UI.prototype.bind = function () {
    const app = this.app;
    $("play").addEventListener("click", () => (app.playing ? app.pause() : app.play()));
    $("speed").addEventListener("change", (e) => app.setSpeed(+e.target.value));
    $("ease-btn").addEventListener("click", () => app.setEase(!app.ease));
    $("share-btn").addEventListener("click", () => app.share.copy());
    $("agent-share").addEventListener("click", () => app.share.copy());
    $("share-close").addEventListener("click", () => ($("share").hidden = true));
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

  // Show a tab of the panel, and the panel (on a small screen, where it covers the town,
  // not when `open` is false: the page starts with it closed there).
  UI.prototype.showTab = function (tab, open) {
    document.querySelectorAll("#tabs button").forEach((b) => {
      b.classList.toggle("active", b.dataset.tab === tab);
    });
    document.querySelectorAll("#side section").forEach((s) => {
      s.hidden = s.id !== "tab-" + tab;
    });
    const small = window.matchMedia("(max-width: 799px), (max-height: 500px)").matches;
    if (open !== false || !small) $("side").classList.add("open");
    this.app.layoutChanged();
    this.tab = tab;
    if (tab === "talk" && this.talkStale) this.renderTalk();
    this.refresh();
  };

  UI.prototype.setPlaying = function (app) {
    const key = app.playing ? "pause" : app.step >= app.replay.steps - 1 ? "replay" : "play";
    const icon = { pause: "⏸ ", play: "▶ ", replay: "↺ " }[key];
    setText($("play"), icon + RW.i18n.t(key));
  };

  // Everything that depends on the step or the language.
  UI.prototype.refresh = function () {
    const app = this.app;
    const replay = app.replay;
    const step = app.step;
    const t = RW.i18n.t;
    setText($("clock"), RW.i18n.clock(replay.time(step)));
    setText($("stepno"), `${t("step")} ${step}/${replay.steps - 1}`);
    $("speed").value = String(app.speed);
    this.setPlaying(app);
    $("ease-btn").setAttribute("aria-pressed", String(app.ease));
    $("ease-btn").classList.toggle("active", app.ease);
    $("held").hidden = !app.held;
    $("ended").hidden = !app.ended;
    this.timeline.refresh();
    this.minimap.refresh();
    if (!replay.has(step)) return;
    this.finder.refresh();
    this.refreshTalk();
    if (app.selected >= 0) this.refreshAgent();
  };

  // The conversation log is built when its tab is shown (it may hold thousands of lines).
  UI.prototype.talkChanged = function () {
    this.talkStale = true;
    this.timeline.eventsChanged();
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
    head.append(el("span", "time", RW.hhmm(app.replay, c.start)), el("span", "place",
      app.town.describe(c.place, RW.i18n.lang)), el("span", "pair",
      `${app.name(c.a)} ${RW.i18n.t("and")} ${app.name(c.b)}`));
    head.addEventListener("click", () => app.showTalk(c));
    const lines = el("ol", "lines");
    for (const [speaker, text] of c.lines) {
      const line = el("li");
      line.append(el("b", "", app.speaker(speaker)), el("span", "", text));
      lines.append(line);
    }
    item.append(head, lines);
    return item;
  };

  // All conversations stay in the log (jumping back does not take them away): those not yet
  // begun are dimmed, the ones going on marked.
  UI.prototype.refreshTalk = function () {
    const talk = this.app.replay.talk;
    if (!talk) return;
    const step = this.app.step;
    const shown = upperBound(talk, step);
    if (shown === this.shownTalks && !talk.some((c) => c.start <= step && step < c.end)) return;
    this.shownTalks = shown;
    this.talkItems.forEach((item, i) => {
      item.classList.toggle("later", i >= shown);
      item.classList.toggle("now", talk[i].start <= step && step < talk[i].end);
    });
    $("talk-empty").hidden = talk.length > 0;
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
    $("agent-dot").style.background = this.finder.colour(a);
    setText($("agent-emoji"), replay.text(step, a, "emoji"));
    setText($("agent-action"), replay.text(step, a, "action"));
    setText($("agent-place"), app.town.describe(replay.text(step, a, "address"), lang));
    setText($("agent-chat"), app.bubble(a) || "—");
    const event = replay.text(step, a, "object_event");
    $("agent-event-row").hidden = !event;
    setText($("agent-event"), event);
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
      item.append(el("span", "kind", RW.i18n.t("kind_" + m.kind)),
        el("span", "time", RW.hhmm(replay, m.step)), el("span", "text", m.text));
      return item;
    }));
    $("memories-empty").hidden = memories.length > 0;
    $("agent-talks").replaceChildren(...talks.map((c) => this.talkItem(c)));
    $("agent-talks-empty").hidden = talks.length > 0;
  };

  RW.UI = UI;
})();
