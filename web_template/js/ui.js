// The page around the canvas: the controls, the tabs of the side panel (the agent list is
// finder.js, the conversations talklog.js, the agent person.js), the minimap and the seek bar
// (timeline.js), and when they follow the store: at once for a change by the viewer, every
// UI_EVERY_MS while playing. It owns the store's lang (the language button) and the panel's
// layout (which on a phone covers part of the town).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const UI_EVERY_MS = 150; // how often the DOM follows the step while playing
  const KEYS = ["step", "playing", "speed", "ease", "selected", "following", "lang", "view"];
  const $ = (id) => document.getElementById(id);

  // p: the page's parts {store, replay, town, camera, shown, player, focus, share}.
  function UI(p) {
    this.store = p.store;
    this.replay = p.replay;
    this.camera = p.camera;
    this.player = p.player;
    this.focus = p.focus;
    this.live = false; // the first frame is drawn: the panels follow from then on
    this.stale = true;
    this.lastUi = 0;
    const meta = p.replay.meta;
    $("title").textContent = meta.name;
    document.title = meta.name + " · RingWorld";
    $("not-llm").hidden = meta.backend !== "offline";
    $("memories-box").hidden = !meta.has_memories;
    const choose = (a) => this.choose(a, true);
    this.finder = new RW.Finder(p.store, p.replay, p.town, p.shown, choose);
    this.timeline = new RW.Timeline(p.store, p.replay, p.player, p.focus);
    this.minimap = new RW.Minimap(p.store, p.town, p.camera, p.shown.frame, this.finder.colours,
      p.focus);
    this.talkLog = new RW.TalkLog(p.store, p.replay, p.town, p.shown, p.focus);
    this.person = new RW.Person(p.store, p.replay, p.town, p.shown, this.finder.colours,
      this.talkLog);
    this.help = new RW.Help(p.store, p.replay, p.player);
    this.highlights = new RW.Highlights(p.store, p.replay, this.timeline, p.shown,
      (step, a, view) => p.player.seek(step).then(() => {
        this.choose(a, true);
        if (view) p.camera.centre(view[0], view[1], Math.max(p.camera.view.scale, view[2]));
      }));
    this.ticker = new RW.Ticker(p.bubbles, p.figures, p.shown, (box) => {
      p.scene.keepClear(box);
      p.shown.redraw();
    });
    this.bind(p.share);
    p.store.subscribe(KEYS, (changed) => this.changed(changed));
  }

  UI.prototype.bind = function (share) {
    const { store, player, focus } = this;
    $("play").addEventListener("click", () => (store.get("playing") ? player.pause() : player.play()));
    $("speed").addEventListener("change", (e) => player.setSpeed(+e.target.value));
    $("ease-btn").addEventListener("click", () => player.setEase(!store.get("ease")));
    $("share-btn").addEventListener("click", () => share.copy());
    $("agent-share").addEventListener("click", () => share.copy());
    $("share-close").addEventListener("click", () => ($("share").hidden = true));
    $("lang-btn").addEventListener("click", () => {
      store.set({ lang: RW.i18n.setLang(store.get("lang") === "zh" ? "en" : "zh") });
    });
    $("panel-btn").addEventListener("click", () => {
      $("side").classList.toggle("open");
      this.layoutChanged();
    });
    $("agent-follow").addEventListener("click", () => focus.follow(!store.get("following")));
    $("agent-close").addEventListener("click", () => this.choose(-1));
    document.querySelectorAll("#tabs button").forEach((b) => {
      b.addEventListener("click", () => this.showTab(b.dataset.tab));
    });
  };

  // The viewer chose agent a (-1: none): select them, show their tab (again, if they were
  // chosen already) and, with `close`, take the camera to them.
  UI.prototype.choose = function (a, close) {
    this.focus.select(a);
    if (a >= 0) this.showTab("agent");
    this.focus.look(a, close);
  };

  UI.prototype.changed = function (keys) {
    if (keys.includes("lang")) this.talkLog.changed();
    if (keys.includes("lang") || keys.includes("selected")) this.personChanged();
    const playing = this.store.get("playing");
    if (keys.every((k) => k === "view" || (k === "step" && playing))) this.stale = true;
    else this.refresh();
  };

  UI.prototype.personChanged = function () {
    if (!this.person.fill() && this.tab === "agent") this.showTab("agents");
  };

  // On a phone the open panel covers the lower part of the town: the camera keeps that part
  // out of its bounds (and an agent in focus sits in the middle of what stays visible).
  UI.prototype.layoutChanged = function () {
    const side = $("side");
    const overlay = side.classList.contains("open") && side.offsetTop > 0;
    this.camera.inset = overlay ? Math.max(0, this.camera.view.h - side.offsetTop) : 0;
    this.camera.clamp();
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
    this.layoutChanged();
    this.tab = tab;
    this.talkLog.show(tab === "talk");
    this.refresh();
  };

  // The talk was loaded.
  UI.prototype.talkLoaded = function () {
    this.talkLog.changed();
    this.timeline.eventsChanged();
    this.refresh();
  };

  // Every frame: follow the step while playing, or a change left for later.
  UI.prototype.tick = function (now) {
    if (!this.live || now - this.lastUi <= UI_EVERY_MS) return;
    if (!this.stale && !this.store.get("playing")) return;
    this.refresh();
  };

  UI.prototype.start = function () {
    this.live = true;
    this.refresh();
  };

  // Everything that depends on the step or the language.
  UI.prototype.refresh = function () {
    if (!this.live) return;
    this.lastUi = performance.now();
    this.stale = false;
    const { store, replay, player } = this;
    const step = store.get("step");
    const t = RW.i18n.t;
    RW.setText($("clock"), RW.i18n.clock(replay.time(step)));
    RW.setText($("stepno"), `${t("step")} ${step}/${replay.steps - 1}`);
    $("speed").value = String(store.get("speed"));
    const key = store.get("playing") ? "pause" : step >= player.last() ? "replay" : "play";
    RW.setText($("play"), { pause: "⏸ ", play: "▶ ", replay: "↺ " }[key] + t(key));
    $("ease-btn").setAttribute("aria-pressed", String(store.get("ease")));
    $("ease-btn").classList.toggle("active", store.get("ease"));
    $("held").hidden = !player.held;
    $("ended").hidden = !player.ended();
    this.timeline.refresh();
    this.minimap.refresh();
    this.ticker.refresh(performance.now());
    if (!replay.has(step)) return;
    this.finder.refresh();
    this.talkLog.refresh();
    this.person.refresh();
  };

  RW.UI = UI;
})();
