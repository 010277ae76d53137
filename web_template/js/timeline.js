// The seek bar as a timeline: hours and days of the game clock written along it, marks for
// conversations and thoughts (reflections), and buttons to jump to the next event and to
// skip the night. It follows the store's step (the thumb) and lang (the labels).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const $ = (id) => document.getElementById(id);
  const THUMB = 16; // CSS pixels: the seek thumb's width (style.css)
  const HOURS = [1, 2, 3, 6, 12, 24]; // label spacing, the least that leaves room
  const LABEL_PX = 44;
  const MORNING = 6; // skipping the night goes to 06:00
  const NIGHT_FROM = 21;
  const COLOURS = { talk: "#f0a045", thought: "#b58cf0" };

  // player: RW.Player (seeking); focus: RW.Focus (going to a conversation).
  function Timeline(store, replay, player, focus) {
    this.store = store;
    this.replay = replay;
    this.focus = focus;
    this.canvas = $("timeline-marks");
    this.seek = $("seek");
    this.seek.max = String(replay.steps - 1);
    this.labels = [];
    this.events = [];
    this.seek.addEventListener("input", () => player.seek(+this.seek.value));
    $("next-event").addEventListener("click", () => this.jumpNext(player));
    $("skip-night").addEventListener("click", () => player.seek(this.morning()));
    store.subscribe(["lang"], () => this.draw());
    // drawn when laid out (after the first frame of the town), and again on each resize
    new ResizeObserver(() => this.eventsChanged()).observe($("timeline"));
  }

  // Conversations and thoughts, in step order.
  Timeline.prototype.eventsChanged = function () {
    const talk = (this.replay.talk || []).map((c) => ({ step: c.start, kind: "talk", c }));
    const thoughts = (this.replay.meta.marks || {}).thoughts || [];
    this.events = talk.concat(thoughts.map((step) => ({ step, kind: "thought" })));
    this.events.sort((p, q) => p.step - q.step);
    this.draw();
  };

  Timeline.prototype.next = function () {
    const step = this.store.get("step");
    return this.events.find((e) => e.step > step) || null;
  };

  Timeline.prototype.jumpNext = function (player) {
    const e = this.next();
    if (e && e.c) this.focus.showTalk(e.c);
    else if (e) player.seek(e.step);
  };

  // The step at the next 06:00 if it is night now (21:00 to 06:00), else -1.
  Timeline.prototype.morning = function () {
    const replay = this.replay;
    const step = this.store.get("step");
    const now = replay.time(step);
    const hour = now.getUTCHours();
    if (hour >= MORNING && hour < NIGHT_FROM) return -1;
    const target = new Date(now);
    target.setUTCHours(MORNING, 0, 0, 0);
    if (hour >= NIGHT_FROM) target.setUTCDate(target.getUTCDate() + 1);
    const morning = step + Math.ceil((target - now) / 1000 / replay.meta.sec_per_step);
    return morning < replay.steps ? morning : -1;
  };

  Timeline.prototype.refresh = function () {
    this.seek.value = String(this.store.get("step"));
    $("next-event").disabled = !this.next();
    $("skip-night").disabled = this.morning() < 0;
  };

  // x (CSS pixels in the timeline) of the thumb's middle at `step`.
  Timeline.prototype.x = function (step, width) {
    return THUMB / 2 + (step / Math.max(1, this.replay.steps - 1)) * (width - THUMB);
  };

  Timeline.prototype.draw = function () {
    const replay = this.replay;
    const rect = this.canvas.getBoundingClientRect();
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    this.canvas.width = Math.max(1, Math.round(rect.width * dpr));
    this.canvas.height = Math.max(1, Math.round(rect.height * dpr));
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const w = rect.width;
    const perHour = 3600 / replay.meta.sec_per_step;
    const hours = replay.steps / perHour;
    const every = HOURS.find((h) => (w / Math.max(1, hours)) * h >= LABEL_PX) || 24;
    ctx.font = "10px system-ui, sans-serif";
    ctx.textBaseline = "top";
    this.labels = [];
    let free = 0; // x from which the next label has room
    const start = replay.time(0);
    const offset = (start.getUTCHours() * 3600 + start.getUTCMinutes() * 60 +
      start.getUTCSeconds()) / replay.meta.sec_per_step;
    for (let h = Math.ceil(offset / perHour); (h * perHour - offset) < replay.steps; h++) {
      if (h % every) continue;
      const step = Math.round(h * perHour - offset);
      const x = this.x(step, w);
      const day = h % 24 === 0;
      const text = day ? RW.i18n.day(replay.time(step)) : String(h % 24).padStart(2, "0") + ":00";
      ctx.fillStyle = day ? "#ffffff" : "#aab0ba";
      ctx.fillRect(Math.round(x), 12, 1, day ? 6 : 3);
      const tw = ctx.measureText(text).width;
      const left = Math.max(0, Math.min(w - tw, x - tw / 2));
      if (left < free) continue;
      ctx.fillText(text, left, 0);
      free = left + tw + 6;
      this.labels.push({ text, x });
    }
    for (const e of this.events) {
      ctx.fillStyle = COLOURS[e.kind];
      ctx.fillRect(Math.round(this.x(e.step, w)), e.kind === "talk" ? 19 : 23, 1, 4);
    }
  };

  Timeline.prototype.describe = function () {
    const count = (kind) => this.events.filter((e) => e.kind === kind).length;
    return { labels: this.labels, talk: count("talk"), thought: count("thought"),
      width: this.canvas.getBoundingClientRect().width };
  };

  RW.Timeline = Timeline;
})();
