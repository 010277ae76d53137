// The URL hash (#step=120&speed=3&agent=NAME&follow=1&play=1&lang=en&ease=0): read at start
// and on hand edits, with bad values clamped (and the clamped values written back at once),
// kept up to date while playing, and copied by the share button.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const URL_EVERY_MS = 500; // browsers throttle, with a warning, pages that rewrite too often

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

  // The hash's values, checked against the replay: {step, speed, agent (index or -1), follow,
  // play, lang (or null), ease}.
  function read(replay) {
    const h = parse();
    const names = replay.agents.map((a) => a.name);
    const english = replay.agents.map((a) => a.name_en);
    let agent = names.indexOf(h.agent);
    if (agent < 0 && h.agent) agent = english.indexOf(h.agent);
    return {
      step: Math.max(0, Math.min(replay.steps - 1, Math.floor(+h.step) || 0)),
      speed: Math.max(1, Math.min(5, Math.round(+h.speed) || 2)),
      agent,
      follow: agent >= 0 && h.follow === "1",
      play: h.play === "1",
      lang: h.lang === "en" || h.lang === "zh" ? h.lang : null,
      ease: h.ease !== "0",
      raw: h,
    };
  }

  // The hash for the app's state now.
  function build(app) {
    const parts = [`step=${app.step}`, `speed=${app.speed}`];
    if (app.selected >= 0) {
      parts.push("agent=" + encodeURIComponent(app.replay.agents[app.selected].name));
      if (app.following) parts.push("follow=1");
    }
    if (RW.i18n.lang !== app.replay.meta.ui_lang) parts.push("lang=" + RW.i18n.lang);
    if (!app.ease) parts.push("ease=0");
    return "#" + parts.join("&");
  }

  function Share(app) {
    this.app = app;
    this.last = -Infinity;
    this.timer = 0;
  }

  // Write the hash now (`now`) or within URL_EVERY_MS.
  Share.prototype.write = function (now) {
    clearTimeout(this.timer);
    const wait = URL_EVERY_MS - (performance.now() - this.last);
    if (wait > 0 && !now) {
      this.timer = setTimeout(() => this.write(), wait);
      return;
    }
    this.last = performance.now();
    const hash = build(this.app);
    if (hash !== location.hash) history.replaceState(null, "", hash);
  };

  Share.prototype.due = function (now) {
    return now - this.last > URL_EVERY_MS;
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
