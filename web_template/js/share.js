// The URL hash (#step=120&speed=3&agent=NAME&follow=1&play=1&lang=en&ease=1&view=X,Y,Z):
// read at start and on hand edits, with bad values clamped (and the clamped values written
// back at once), kept up to date with the store (at most every URL_EVERY_MS), and copied by
// the share button. Without a step the page opens at the run's opening moment (meta.opening).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const URL_EVERY_MS = 500; // browsers throttle, with a warning, pages that rewrite too often
  const PLAYING_EVERY_MS = 2000; // ... and while playing (a rewrite costs a throttled phone ~15 ms)
  // what the hash keeps
  const KEYS = ["step", "speed", "selected", "following", "lang", "ease", "view"];

  function parse() {
    const out = {};
    for (const part of location.hash.replace(/^#/, "").split("&")) {
      const [k, v] = part.split("=");
      if (!k) continue;
      try {
        out[decodeURIComponent(k)] = decodeURIComponent(v || "");
      } catch (e) {
        /* a malformed escape: ignore that part */
      }
    }
    return out;
  }

  // "x,y,zoom" -> [x, y, zoom] (tile point and CSS pixels a tile) or null.
  function readView(text) {
    const v = String(text || "").split(",").map(Number);
    return v.length === 3 && v.every(Number.isFinite) && v[2] > 0 ? v : null;
  }

  // The hash's values, checked against the replay: {step, speed, agent (index or -1), follow,
  // play, lang (or null), ease, view (or null), opening (no step asked: the opening moment)}.
  function read(replay) {
    const h = parse();
    const names = replay.agents.map((a) => a.name);
    const english = replay.agents.map((a) => a.name_en);
    let agent = names.indexOf(h.agent);
    if (agent < 0 && h.agent) agent = english.indexOf(h.agent);
    const opening = h.step === undefined;
    const step = opening ? replay.meta.opening || 0 : Math.floor(+h.step) || 0;
    return {
      step: Math.max(0, Math.min(replay.steps - 1, step)),
      speed: RW.clampSpeed(h.speed),
      agent,
      follow: agent >= 0 && h.follow === "1",
      play: h.play === "1",
      lang: h.lang === "en" || h.lang === "zh" ? h.lang : null,
      ease: h.ease === "1",
      view: readView(h.view),
      opening,
      raw: h,
    };
  }

  // The hash for the store's state now.
  function build(store, replay) {
    const parts = [`step=${store.get("step")}`, `speed=${store.get("speed")}`];
    const selected = store.get("selected");
    if (selected >= 0) {
      parts.push("agent=" + encodeURIComponent(replay.agents[selected].name));
      if (store.get("following")) parts.push("follow=1");
    }
    if (store.get("lang") !== replay.meta.ui_lang) parts.push("lang=" + store.get("lang"));
    if (store.get("ease")) parts.push("ease=1");
    const v = store.get("view");
    if (v) parts.push(`view=${v.cx.toFixed(1)},${v.cy.toFixed(1)},${+v.scale.toFixed(2)}`);
    return "#" + parts.join("&");
  }

  // player: RW.Player, which a hand-edited hash seeks and sets the speed of; camera:
  // RW.Camera, which it moves.
  function Share(store, replay, player, camera) {
    this.store = store;
    this.replay = replay;
    this.last = -Infinity;
    this.timer = 0;
    this.editing = false; // a hand-edited hash is being applied: nothing is written meanwhile
    store.subscribe(KEYS, () => this.write());
    window.addEventListener("hashchange", () => this.edited(player, camera));
  }

  // The viewer edited the hash: seek to its step (the hash is left as they wrote it until the
  // step is there, then written again as understood), its speed and view.
  Share.prototype.edited = function (player, camera) {
    const h = read(this.replay);
    clearTimeout(this.timer);
    this.timer = 0;
    this.editing = true;
    if (h.raw.speed && h.speed !== this.store.get("speed")) player.setSpeed(h.speed);
    if (h.view) camera.place(h.view[0], h.view[1], h.view[2]);
    const seek = h.raw.step !== undefined && h.step !== this.store.get("step") ?
      player.seek(h.step) : Promise.resolve();
    seek.then(() => {
      this.editing = false;
      this.write(true);
    });
  };

  // Write the hash now (`now`) or within URL_EVERY_MS (once, with the state of then).
  Share.prototype.write = function (now) {
    if (this.editing || (this.timer && !now)) return;
    clearTimeout(this.timer);
    this.timer = 0;
    const every = this.store.get("playing") ? PLAYING_EVERY_MS : URL_EVERY_MS;
    const wait = every - (performance.now() - this.last);
    if (wait > 0 && !now) {
      this.timer = setTimeout(() => {
        this.timer = 0;
        this.write();
      }, wait);
      return;
    }
    this.last = performance.now();
    const hash = build(this.store, this.replay);
    if (hash !== location.hash) history.replaceState(null, "", hash);
  };

  // The link to this moment (and agent): shown in the share box, selected, and copied.
  Share.prototype.copy = function () {
    this.write(true);
    const box = document.getElementById("share-url");
    const note = document.getElementById("share-note");
    box.value = location.href;
    document.getElementById("share").hidden = false;
    box.focus();
    box.select();
    const done = (ok) => (note.textContent = RW.i18n.t(ok ? "copied" : "copy_by_hand"));
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(box.value).then(() => done(true), () => done(copyBySelection()));
    } else done(copyBySelection());
  };

  function copyBySelection() {
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  RW.Share = Share;
  RW.readHash = read;
})();
