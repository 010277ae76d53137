// What the town shows at the step: the frame the scene draws (tiles, facings, emoji, sleep,
// bubbles, objects in use, light, names and captions, where each figure is drawn while it
// glides), and the texts of the step (an agent's name, line and caption). It follows the
// store's step, lang, selected and view, and owns the agent the mouse is over and whether the
// frame has changed since it was drawn (`dirty`).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const BUBBLE_SECONDS = 60; // a chat line is being said for this long in game time
  const EFFECT_MS = 400; // one frame of an in-use mark
  const PLAYED = 8; // most steps played in one frame (main.js: a frame counts 100 ms at most)

  function makeFrame(n, town, bubbles) {
    return {
      x: new Float32Array(n), y: new Float32Array(n), tx: new Int32Array(n),
      ty: new Int32Array(n), face: new Uint8Array(n), asleep: new Uint8Array(n),
      names: new Array(n).fill(""), emoji: new Array(n).fill(""),
      captions: new Array(n).fill(""), bubbles, selected: -1, hovered: -1,
      lang: "zh", t: 1, parity: 0, dark: 0, lit: new Uint8Array(town.placeList.length),
      litKey: 0, inUse: new Int16Array(town.objects.length), inUseCount: 0, effectFrame: 0,
    };
  }

  function Shown(store, replay, town, bubbles) {
    this.store = store;
    this.replay = replay;
    this.town = town;
    this.bubbles = bubbles;
    this.frame = makeFrame(replay.nAgents, town, bubbles);
    this.byName = new Map(replay.agents.map((a, i) => [a.name, i]));
    this.hovered = -1;
    this.dirty = true;
    this.step = store.get("step");
    this.stepChanged(true);
    store.subscribe(["step"], () => {
      const step = store.get("step");
      // playback moves on a few steps a frame (player.js); anything else is a jump
      const played = store.get("playing") && step > this.step && step <= this.step + PLAYED;
      const jumped = !played;
      this.step = step;
      this.stepChanged(jumped);
    });
    store.subscribe(["lang", "selected"], () => this.textChanged());
    store.subscribe(["view"], () => (this.dirty = true));
  }

  Shown.prototype.name = function (a) {
    const agent = this.replay.agents[a];
    return (this.store.get("lang") === "en" && agent.name_en) || agent.name;
  };

  // A speaker's name as the page shows it (English where the interface is English).
  Shown.prototype.speaker = function (name) {
    const a = this.byName.get(name);
    return a === undefined ? name : this.name(a);
  };

  // The chat line agent `a` is saying at `step` (said within BUBBLE_SECONDS), or "".
  Shown.prototype.lineAt = function (step, a) {
    const r = this.replay;
    const hold = Math.max(1, Math.ceil(BUBBLE_SECONDS / r.meta.sec_per_step));
    for (let s = step; s >= 0 && s > step - hold && r.has(s); s--) {
      const line = r.text(s, a, "chat");
      if (line) return this.chatLine(line);
    }
    return "";
  };

  Shown.prototype.bubble = function (a) {
    return this.lineAt(this.step, a);
  };

  // A run imported from the original layout stores a whole conversation, as JSON of
  // [[speaker, line], ...], at every step: show its last line. JSON.parse only reads data.
  Shown.prototype.chatLine = function (text) {
    if (text.charAt(0) !== "[") return text;
    try {
      const pairs = JSON.parse(text);
      const last = pairs[pairs.length - 1];
      if (Array.isArray(last) && last.length === 2) {
        return this.speaker(String(last[0])) + ": " + String(last[1]);
      }
    } catch (e) {
      /* not JSON: a line that starts with "[" */
    }
    return text;
  };

  // "emoji action · object event" of agent a at the step shown.
  Shown.prototype.caption = function (a) {
    const r = this.replay;
    const event = r.text(this.step, a, "object_event");
    const text = [r.text(this.step, a, "emoji"), r.text(this.step, a, "action")].join(" ").trim();
    return event ? text + " · " + event : text;
  };

  // Tiles, facings, emoji, sleep, bubbles, objects in use and light of the step; `jumped`
  // when it does not follow the step before (old lines then go at once).
  Shown.prototype.stepChanged = function (jumped) {
    const r = this.replay;
    const f = this.frame;
    const step = this.step;
    for (let a = 0; a < r.nAgents; a++) {
      f.tx[a] = r.x(step, a);
      f.ty[a] = r.y(step, a);
      f.face[a] = r.face(step, a);
      f.emoji[a] = r.text(step, a, "emoji");
      f.asleep[a] = RW.daynight.asleep(f.emoji[a], r.text(step, a, "action")) ? 1 : 0;
    }
    this.bubbles.sync((a) => this.bubble(a), performance.now(), jumped);
    this.markInUse();
    f.dark = RW.daynight.darkness(r.time(step));
    RW.daynight.litSectors(this.town, f.tx, f.ty, f.asleep, f.lit);
    f.litKey = f.lit.reduce((h, v, i) => (v ? (h * 31 + i + 1) % 1000000007 : h), 7);
    this.textChanged();
  };

  // An object is in use while an agent whose address names it stands still on it, or has an
  // object event (when the sim records them).
  Shown.prototype.markInUse = function () {
    const r = this.replay;
    const town = this.town;
    const f = this.frame;
    const step = this.step;
    f.inUse.fill(0);
    f.inUseCount = 0;
    for (let a = 0; a < r.nAgents; a++) {
      const address = town.addressIndex.get(r.text(step, a, "address"));
      if (address === undefined || town.addresses[address].length < 4) continue;
      const still = !r.has(step - 1) ||
        (r.x(step - 1, a) === f.tx[a] && r.y(step - 1, a) === f.ty[a]);
      const o = town.objectAt[f.ty[a] * town.w + f.tx[a]];
      let group = still && o >= 0 && town.objects[o].address === address ? o : -1;
      if (group < 0 && r.text(step, a, "object_event")) {
        group = town.objectOf[address];
      }
      if (group >= 0) {
        f.inUse[group] = a + 1;
        f.inUseCount++;
      }
    }
  };

  // Names and captions (they change with the language and the selection, too).
  Shown.prototype.textChanged = function () {
    const f = this.frame;
    const selected = this.store.get("selected");
    for (let a = 0; a < this.replay.nAgents; a++) {
      f.names[a] = this.name(a);
      f.captions[a] = a === selected || a === this.hovered ? this.caption(a) : "";
    }
    f.selected = selected;
    f.hovered = this.hovered;
    f.lang = this.store.get("lang");
    this.dirty = true;
  };

  // Draw the frame again (something it is drawn from changed).
  Shown.prototype.redraw = function () {
    this.dirty = true;
  };

  // The agent under the mouse (-1: none).
  Shown.prototype.hover = function (a) {
    if (a === this.hovered) return;
    this.hovered = a;
    this.textChanged();
  };

  // Drawn positions: agents glide from their tile at fromStep to their tile at the step, `t`
  // (0..1) of the way.
  Shown.prototype.glide = function (fromStep, t) {
    const r = this.replay;
    const f = this.frame;
    const moving = t < 1 && r.has(fromStep);
    for (let a = 0; a < r.nAgents; a++) {
      let x = f.tx[a];
      let y = f.ty[a];
      if (moving) {
        const x0 = r.x(fromStep, a);
        const y0 = r.y(fromStep, a);
        if (Math.abs(x - x0) <= 1 && Math.abs(y - y0) <= 1) {
          x = x0 + (x - x0) * t;
          y = y0 + (y - y0) * t;
        }
      }
      if (f.x[a] !== x || f.y[a] !== y) this.dirty = true;
      f.x[a] = x;
      f.y[a] = y;
    }
    f.t = t;
    f.parity = this.step % 2;
  };

  // Lines that had their time go, and marks of objects in use blink.
  Shown.prototype.animate = function (now) {
    if (this.bubbles.expire(now)) this.dirty = true;
    const effect = Math.floor(now / EFFECT_MS) % 2;
    if (effect !== this.frame.effectFrame && this.frame.inUseCount) this.dirty = true;
    this.frame.effectFrame = effect;
  };

  RW.Shown = Shown;
})();
