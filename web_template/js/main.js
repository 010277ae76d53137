// Playback: the step clock, interpolation between steps, the URL hash (#step=120&speed=3),
// follow mode, and the window.ringworld test hook.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const UI_EVERY_MS = 150; // how often the DOM follows the step while playing
  const URL_EVERY_MS = 500;
  const BUBBLE_SECONDS = 60; // a chat line stays in its bubble this long in game time

  // Steps per second at speed 1..5: 3.75, 7.5, 15, 30, 60.
  const stepMs = (speed) => 1000 / (1.875 * Math.pow(2, speed));

  function parseHash() {
    const out = {};
    for (const part of location.hash.replace(/^#/, "").split("&")) {
      const [k, v] = part.split("=");
      if (k) out[decodeURIComponent(k)] = decodeURIComponent(v || "");
    }
    return out;
  }

  const app = {
    step: 0,
    fromStep: 0,
    acc: 0,
    speed: 2,
    playing: false,
    selected: -1,
    following: false,
    dirty: true,
    lastUi: 0,
    lastUrl: -Infinity,
    firstFrameMs: null,
  };

  app.name = function (a) {
    const agent = app.replay.agents[a];
    return (RW.i18n.lang === "en" && agent.name_en) || agent.name;
  };

  // The chat line agent `a` said within the last BUBBLE_SECONDS of game time, or "".
  app.bubble = function (a) {
    const hold = Math.max(1, Math.ceil(BUBBLE_SECONDS / app.replay.meta.sec_per_step));
    for (let s = app.step; s >= 0 && s > app.step - hold && app.replay.has(s); s--) {
      const line = app.replay.text(s, a, "chat");
      if (line) return chatLine(line);
    }
    return "";
  };

  // A run imported from the original layout stores a whole conversation, as JSON of
  // [[speaker, line], ...], at every step: show its last line. JSON.parse only reads data.
  function chatLine(text) {
    if (text.charAt(0) !== "[") return text;
    try {
      const pairs = JSON.parse(text);
      const last = pairs[pairs.length - 1];
      if (Array.isArray(last) && last.length === 2) return String(last[0]) + ": " + String(last[1]);
    } catch (e) {
      /* not JSON: a line that starts with "[" */
    }
    return text;
  }

  app.updateFrameText = function () {
    const n = app.replay.nAgents;
    app.frame.names = Array.from({ length: n }, (_, a) => app.name(a));
    app.frame.emoji = Array.from({ length: n }, (_, a) => app.replay.text(app.step, a, "emoji"));
    app.frame.bubbles = Array.from({ length: n }, (_, a) => app.bubble(a));
    app.frame.selected = app.selected;
    app.frame.lang = RW.i18n.lang;
    app.dirty = true;
  };

  // Keep #step=…&speed=… in the URL, at most every URL_EVERY_MS (browsers throttle, with a
  // console warning, pages that change their history state too often).
  app.writeUrl = function () {
    clearTimeout(app.urlTimer);
    const wait = URL_EVERY_MS - (performance.now() - app.lastUrl);
    if (wait > 0) {
      app.urlTimer = setTimeout(app.writeUrl, wait);
      return;
    }
    app.lastUrl = performance.now();
    const params = { step: app.step, speed: app.speed };
    if (RW.i18n.lang !== app.replay.meta.ui_lang) params.lang = RW.i18n.lang;
    const hash = "#" + Object.entries(params).map(([k, v]) => `${k}=${v}`).join("&");
    if (hash !== location.hash) history.replaceState(null, "", hash);
  };

  app.seek = function (step) {
    step = Math.max(0, Math.min(app.replay.steps - 1, Math.floor(+step) || 0));
    app.target = step;
    return app.replay.ensure(step).then(() => {
      if (app.target !== step) return;
      app.step = app.fromStep = step;
      app.updateFrameText();
      app.ui.refresh();
      app.writeUrl();
      app.prefetch();
    }, app.fail);
  };

  app.play = function () {
    if (app.step >= app.replay.steps - 1) return;
    app.playing = true;
    app.ui.refresh();
  };

  app.pause = function () {
    app.playing = false;
    app.ui.refresh();
    app.writeUrl();
  };

  app.setSpeed = function (speed) {
    app.speed = Math.max(1, Math.min(5, Math.round(+speed) || 2));
    app.ui.refresh();
    app.writeUrl();
  };

  // On a phone the open panel covers the lower part of the town: the scene keeps that part
  // out of its bounds, and an agent in focus sits in the middle of what stays visible.
  app.layoutChanged = function () {
    const side = document.getElementById("side");
    const overlay = side.classList.contains("open") && side.offsetTop > 0;
    app.scene.inset = overlay ? Math.max(0, app.scene.view.h - side.offsetTop) : 0;
    app.scene.clamp();
    app.dirty = true;
  };

  // Put the camera on agent `a` (above the phone panel, if open).
  app.centerOn = function (a) {
    const v = app.scene.view;
    const cx = app.frame.x[a] + 0.5;
    const cy = app.frame.y[a] + 0.5 + app.scene.inset / 2 / v.scale;
    if (v.cx !== cx || v.cy !== cy) {
      [v.cx, v.cy] = [cx, cy];
      app.scene.clamp();
      app.dirty = true;
    }
  };

  app.select = function (a) {
    app.selected = a;
    if (a < 0) app.following = false;
    app.ui.showAgent();
    if (a >= 0 && app.scene.inset) app.centerOn(a);
    app.ui.refresh();
    app.updateFrameText();
    if (a >= 0) {
      const before = app.replay.chunkOf(app.step) - 1;
      if (before >= 0) {
        app.replay.ensure(before * app.replay.chunkSteps).then(app.refreshUi, app.fail);
      }
    }
  };

  app.follow = function (on) {
    app.following = on && app.selected >= 0;
    app.ui.refresh();
    app.dirty = true;
  };

  app.setLang = function (lang) {
    RW.i18n.setLang(lang);
    app.ui.talkChanged();
    app.ui.showAgent();
    app.ui.refresh();
    app.updateFrameText();
    app.writeUrl();
  };

  app.refreshUi = function () {
    app.ui.refresh();
    app.dirty = true;
  };

  app.prefetch = function () {
    const next = app.replay.chunkOf(app.step) + 1;
    if (next < app.replay.chunks.length) {
      app.replay.ensure(next * app.replay.chunkSteps).catch(app.fail);
    }
  };

  app.fail = function (err) {
    const notice = document.getElementById("notice");
    notice.textContent = RW.i18n.t("load_failed") + (err && err.message ? err.message : err);
    notice.hidden = false;
    console.error(err);
  };

  // Drawn positions: agents glide from their tile at fromStep to their tile at step.
  app.positions = function () {
    const t = app.fromStep === app.step ? 1 : Math.min(1, app.acc / stepMs(app.speed));
    app.settled = t >= 1;
    for (let a = 0; a < app.replay.nAgents; a++) {
      const [x1, y1] = app.replay.pos(app.step, a);
      let x = x1;
      let y = y1;
      if (t < 1 && app.replay.has(app.fromStep)) {
        const [x0, y0] = app.replay.pos(app.fromStep, a);
        if (Math.abs(x1 - x0) <= 1 && Math.abs(y1 - y0) <= 1) {
          x = x0 + (x1 - x0) * t;
          y = y0 + (y1 - y0) * t;
        }
      }
      if (app.frame.x[a] !== x || app.frame.y[a] !== y) app.dirty = true;
      app.frame.x[a] = x;
      app.frame.y[a] = y;
    }
  };

  function advance(dt) {
    const ms = stepMs(app.speed);
    if (!app.playing) {
      app.acc = Math.min(ms, app.acc + dt);
      return;
    }
    app.acc += dt;
    let moved = false;
    while (app.acc >= ms) {
      if (app.step >= app.replay.steps - 1) {
        app.pause();
        break;
      }
      if (!app.replay.has(app.step + 1)) {
        app.replay.ensure(app.step + 1).catch(app.fail);
        app.acc = ms;
        break;
      }
      app.step += 1;
      app.fromStep = app.step - 1;
      app.acc -= ms;
      moved = true;
    }
    if (moved) {
      app.updateFrameText();
      if (app.step % app.replay.chunkSteps > app.replay.chunkSteps / 2) app.prefetch();
    }
  }

  function tick(now) {
    const dt = Math.min(100, now - (app.lastTick || now));
    app.lastTick = now;
    advance(dt);
    app.positions();
    if (app.following && app.selected >= 0) app.centerOn(app.selected);
    if (app.dirty) {
      app.scene.draw(app.frame);
      app.dirty = false;
      if (app.firstFrameMs === null) {
        app.firstFrameMs = performance.now();
        window.ringworld.ready = true;
        document.body.dataset.ready = "1";
      }
    }
    if (app.playing && now - app.lastUi > UI_EVERY_MS) {
      app.lastUi = now;
      app.ui.refresh();
    }
    if (app.playing && now - app.lastUrl > URL_EVERY_MS) app.writeUrl();
    requestAnimationFrame(tick);
  }

  function initialView(scene) {
    const fit = scene.fitScale();
    const v = scene.view;
    v.scale = Math.max(fit, Math.min(16, v.w / 36));
    if (v.scale > fit) {
      const n = app.replay.nAgents;
      v.cx = app.frame.x.reduce((s, x) => s + x, 0) / n + 0.5;
      v.cy = app.frame.y.reduce((s, y) => s + y, 0) / n + 0.5;
    }
    scene.clamp();
  }

  function hook() {
    const names = () => app.replay.agents.map((a) => a.name);
    return {
      ready: false,
      step: () => app.step,
      steps: () => app.replay.steps,
      speed: () => app.speed,
      playing: () => app.playing,
      settled: () => app.settled,
      lang: () => RW.i18n.lang,
      talkLoaded: () => !!app.replay.talk,
      following: () => app.following,
      camera: () => [app.scene.view.cx, app.scene.view.cy, app.scene.view.scale],
      selected: () => (app.selected >= 0 ? app.replay.agents[app.selected].name : null),
      firstFrameMs: () => app.firstFrameMs,
      play: () => app.play(),
      pause: () => app.pause(),
      seek: (step) => app.seek(step),
      setSpeed: (speed) => app.setSpeed(speed),
      // {name: [x, y]}: the tile each agent is drawn at (fractional while gliding).
      drawnPositions: () => {
        const out = {};
        names().forEach((name, a) => {
          out[name] = [app.frame.x[a], app.frame.y[a]];
        });
        return out;
      },
      // Centre the camera on an agent; returns its page coordinates.
      focus: (name) => {
        const a = names().indexOf(name);
        app.centerOn(a);
        const [sx, sy] = app.scene.toScreen(app.frame.x[a] + 0.5, app.frame.y[a] + 0.5);
        const rect = app.scene.canvas.getBoundingClientRect();
        return { x: rect.left + sx, y: rect.top + sy };
      },
    };
  }

  function onTap(sx, sy) {
    const [wx, wy] = app.scene.toWorld(sx, sy);
    const reach = Math.max(0.7, 18 / app.scene.view.scale);
    let best = -1;
    let bestD = reach;
    for (let a = 0; a < app.replay.nAgents; a++) {
      const d = Math.hypot(app.frame.x[a] + 0.5 - wx, app.frame.y[a] + 0.5 - wy);
      if (d < bestD) [best, bestD] = [a, d];
    }
    if (best >= 0) app.select(best);
  }

  async function boot() {
    window.ringworld = hook();
    const hash = parseHash();
    RW.preloadStep(Math.max(0, Math.floor(+hash.step) || 0));
    const replay = (app.replay = await RW.loadReplay());
    RW.i18n.setLang(hash.lang || replay.meta.ui_lang || replay.meta.language);
    app.town = new RW.Town(replay.meta.town, replay.meta.language, RW.emojiSupported());
    const canvas = document.getElementById("town");
    app.scene = new RW.Scene(document.getElementById("town-bg"), canvas, app.town, replay);
    app.frame = { x: new Float32Array(replay.nAgents), y: new Float32Array(replay.nAgents) };
    app.speed = Math.max(1, Math.min(5, Math.round(+hash.speed) || 2));
    const start = Math.max(0, Math.min(replay.steps - 1, Math.floor(+hash.step) || 0));
    await replay.ensure(start);
    app.step = app.fromStep = start;
    app.ui = new RW.UI(app);
    app.ui.showTab("agents");
    if (window.matchMedia("(max-width: 799px)").matches) {
      document.getElementById("side").classList.remove("open");
    }
    app.scene.resize();
    app.layoutChanged();
    app.positions();
    initialView(app.scene);
    app.updateFrameText();
    app.ui.refresh();
    RW.bindInput(canvas, app.scene, {
      changed: () => (app.dirty = true),
      moved: () => (app.following = false),
      tap: onTap,
    });
    new ResizeObserver(() => {
      app.scene.resize();
      app.layoutChanged();
    }).observe(canvas);
    window.addEventListener("hashchange", () => {
      const h = parseHash();
      if (h.speed && +h.speed !== app.speed) app.setSpeed(h.speed);
      if (h.step !== undefined && +h.step !== app.step) app.seek(h.step);
    });
    document.getElementById("notice").hidden = true;
    requestAnimationFrame(tick);
    replay.onChunk = app.refreshUi;
    replay.loadTalk().then(() => app.ui.talkChanged(), app.fail);
    app.prefetch();
  }

  boot().catch(app.fail);
})();
