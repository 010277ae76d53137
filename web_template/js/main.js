// Playback: the step clock (eased while a conversation is on screen), what each step shows
// (poses, bubbles, objects in use, light), the draw loop, and start-up.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const UI_EVERY_MS = 150; // how often the DOM follows the step while playing
  const BUBBLE_SECONDS = 60; // a chat line is being said for this long in game time
  const EASE_MS = 250; // at most 4 steps a second while a conversation is on screen
  const EFFECT_MS = 400; // one frame of an in-use mark
  const READABLE = 12; // CSS pixels per tile of the first view, if not all agents fit
  const CLOSE = 20; // CSS pixels per tile at least, when the camera goes to somebody

  // Steps per second at speed 1..5: 3.75, 7.5, 15, 30, 60.
  const stepMs = (speed) => 1000 / (1.875 * Math.pow(2, speed));

  const app = (RW.app = {
    step: 0,
    fromStep: 0,
    acc: 0,
    speed: 2,
    playing: false,
    ended: false,
    held: false,
    ease: true,
    selected: -1,
    hovered: -1,
    following: false,
    dirty: true,
    lastUi: 0,
    firstFrameMs: null,
  });

  app.name = function (a) {
    const agent = app.replay.agents[a];
    return (RW.i18n.lang === "en" && agent.name_en) || agent.name;
  };

  // A speaker's name as the page shows it (English where the interface is English).
  app.speaker = function (name) {
    const a = app.byName.get(name);
    return a === undefined ? name : app.name(a);
  };

  // The chat line agent `a` is saying at `step` (said within BUBBLE_SECONDS), or "".
  app.lineAt = function (step, a) {
    const hold = Math.max(1, Math.ceil(BUBBLE_SECONDS / app.replay.meta.sec_per_step));
    for (let s = step; s >= 0 && s > step - hold && app.replay.has(s); s--) {
      const line = app.replay.text(s, a, "chat");
      if (line) return chatLine(line);
    }
    return "";
  };
  app.bubble = (a) => app.lineAt(app.step, a);

  // A run imported from the original layout stores a whole conversation, as JSON of
  // [[speaker, line], ...], at every step: show its last line. JSON.parse only reads data.
  function chatLine(text) {
    if (text.charAt(0) !== "[") return text;
    try {
      const pairs = JSON.parse(text);
      const last = pairs[pairs.length - 1];
      if (Array.isArray(last) && last.length === 2) {
        return app.speaker(String(last[0])) + ": " + String(last[1]);
      }
    } catch (e) {
      /* not JSON: a line that starts with "[" */
    }
    return text;
  }

  // "emoji action · object event" of agent a at the step shown.
  app.caption = function (a) {
    const r = app.replay;
    const event = r.text(app.step, a, "object_event");
    const text = [r.text(app.step, a, "emoji"), r.text(app.step, a, "action")].join(" ").trim();
    return event ? text + " · " + event : text;
  };

  // What the step shows: tiles, facings, emoji, sleep, bubbles, objects in use, light.
  app.stepChanged = function (jumped) {
    const r = app.replay;
    const f = app.frame;
    const step = app.step;
    for (let a = 0; a < r.nAgents; a++) {
      f.tx[a] = r.x(step, a);
      f.ty[a] = r.y(step, a);
      f.face[a] = r.face(step, a);
      f.emoji[a] = r.text(step, a, "emoji");
      f.asleep[a] = RW.daynight.asleep(f.emoji[a], r.text(step, a, "action")) ? 1 : 0;
    }
    app.bubbles.sync(app.bubble, performance.now(), jumped);
    app.markInUse();
    f.dark = RW.daynight.darkness(r.time(step));
    RW.daynight.litSectors(app.town, f.tx, f.ty, f.asleep, f.lit);
    f.litKey = f.lit.reduce((h, v, i) => (v ? (h * 31 + i + 1) % 1000000007 : h), 7);
    app.textChanged();
  };

  // An object is in use while an agent whose address names it stands still on it, or has an
  // object event (when the sim records them).
  app.markInUse = function () {
    const r = app.replay;
    const town = app.town;
    const f = app.frame;
    f.inUse.fill(0);
    f.inUseCount = 0;
    for (let a = 0; a < r.nAgents; a++) {
      const address = town.addressIndex.get(r.text(app.step, a, "address"));
      if (address === undefined || town.addresses[address].length < 4) continue;
      const still = !r.has(app.step - 1) ||
        (r.x(app.step - 1, a) === f.tx[a] && r.y(app.step - 1, a) === f.ty[a]);
      const o = town.objectAt[f.ty[a] * town.w + f.tx[a]];
      let group = still && o >= 0 && town.objects[o].address === address ? o : -1;
      if (group < 0 && r.text(app.step, a, "object_event")) {
        group = town.objects.findIndex((obj) => obj.address === address);
      }
      if (group >= 0) {
        f.inUse[group] = a + 1;
        f.inUseCount++;
      }
    }
  };

  // Names and captions (they change with the language and the selection, too).
  app.textChanged = function () {
    const f = app.frame;
    for (let a = 0; a < app.replay.nAgents; a++) {
      f.names[a] = app.name(a);
      f.captions[a] = a === app.selected || a === app.hovered ? app.caption(a) : "";
    }
    f.selected = app.selected;
    f.hovered = app.hovered;
    f.lang = RW.i18n.lang;
    app.dirty = true;
  };

  app.seek = function (step) {
    step = Math.max(0, Math.min(app.replay.steps - 1, Math.floor(+step) || 0));
    app.target = step;
    app.ended = false;
    return app.replay.ensure(step).then(() => {
      if (app.target !== step) return;
      app.step = app.fromStep = step;
      app.stepChanged(true);
      app.ui.refresh();
      app.share.write();
      app.prefetch();
    }, app.fail);
  };

  // Play; at the last step, play again from the start.
  app.play = function () {
    if (app.step >= app.replay.steps - 1) {
      app.seek(0).then(() => app.play());
      return;
    }
    app.playing = true;
    app.ended = false;
    app.ui.refresh();
  };

  app.pause = function () {
    app.playing = false;
    app.held = false;
    app.ui.refresh();
    app.share.write();
  };

  app.setSpeed = function (speed) {
    app.speed = Math.max(1, Math.min(5, Math.round(+speed) || 2));
    app.ui.refresh();
    app.share.write();
  };

  app.setEase = function (on) {
    app.ease = !!on;
    app.ui.refresh();
    app.share.write();
  };

  // On a phone the open panel covers the lower part of the town: the camera keeps that part
  // out of its bounds, and an agent in focus sits in the middle of what stays visible.
  app.layoutChanged = function () {
    const side = document.getElementById("side");
    const overlay = side.classList.contains("open") && side.offsetTop > 0;
    app.camera.inset = overlay ? Math.max(0, app.camera.view.h - side.offsetTop) : 0;
    app.camera.clamp();
    app.dirty = true;
  };

  // Go to a conversation: its first step, the camera on the two of them (close enough to
  // read), the log left as it is.
  app.showTalk = function (c) {
    return app.seek(c.start).then(() => {
      const f = app.frame;
      const v = app.camera.view;
      v.scale = Math.max(v.scale, 24);
      app.camera.centre((f.tx[c.a] + f.tx[c.b]) / 2 + 0.5, (f.ty[c.a] + f.ty[c.b]) / 2 + 0.5);
      app.dirty = app.uiDirty = true;
    });
  };

  app.centreOn = function (a) {
    if (app.camera.centre(app.frame.x[a] + 0.5, app.frame.y[a] + 0.5)) app.dirty = true;
  };

  // Centre on agent a, first zooming in to CLOSE if the view is further out (from the whole
  // town one could not tell who is who, and the camera could not centre).
  app.goTo = function (a) {
    const v = app.camera.view;
    v.scale = Math.max(v.scale, CLOSE);
    app.centreOn(a);
    app.dirty = app.uiDirty = true;
  };

  // Select agent a (-1: none); `centre` moves the camera to it.
  app.select = function (a, centre) {
    app.selected = a;
    if (a < 0) app.following = false;
    app.ui.showAgent();
    if (a >= 0 && centre) app.goTo(a);
    else if (a >= 0 && app.camera.inset) app.centreOn(a);
    app.textChanged();
    app.ui.refresh();
    app.share.write();
    if (a >= 0) {
      const before = app.replay.chunkOf(app.step) - 1;
      if (before >= 0) {
        app.replay.ensure(before * app.replay.chunkSteps).then(app.refreshUi, app.fail);
      }
    }
  };

  app.follow = function (on) {
    app.following = !!on && app.selected >= 0;
    if (app.following) app.goTo(app.selected);
    app.ui.refresh();
    app.share.write();
    app.dirty = true;
  };

  app.hover = function (x, y) {
    const a = x === null ? -1 : app.figures.hit(x, y, 0);
    if (a === app.hovered) return;
    app.hovered = a;
    app.textChanged();
  };

  app.setLang = function (lang) {
    RW.i18n.setLang(lang);
    app.ui.talkChanged();
    app.ui.showAgent();
    app.textChanged();
    app.ui.refresh();
    app.share.write();
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
    const r = app.replay;
    const f = app.frame;
    const t = app.fromStep === app.step ? 1 : Math.min(1, app.acc / app.stepMs());
    app.settled = t >= 1;
    const glide = t < 1 && r.has(app.fromStep);
    for (let a = 0; a < r.nAgents; a++) {
      let x = f.tx[a];
      let y = f.ty[a];
      if (glide) {
        const x0 = r.x(app.fromStep, a);
        const y0 = r.y(app.fromStep, a);
        if (Math.abs(x - x0) <= 1 && Math.abs(y - y0) <= 1) {
          x = x0 + (x - x0) * t;
          y = y0 + (y - y0) * t;
        }
      }
      if (f.x[a] !== x || f.y[a] !== y) app.dirty = true;
      f.x[a] = x;
      f.y[a] = y;
    }
    f.t = t;
    f.parity = app.step % 2;
  };

  // Milliseconds a step lasts now: slower while a conversation is on screen (if easing).
  app.stepMs = function () {
    const ms = stepMs(app.speed);
    return app.ease && app.bubbles.talking() ? Math.max(ms, EASE_MS) : ms;
  };

  app.nextLine = (a) => app.lineAt(app.step + 1, a);

  function advance(dt, now) {
    const ms = app.stepMs();
    if (!app.playing) {
      app.acc = Math.min(ms, app.acc + dt);
      return;
    }
    app.acc += dt;
    let moved = false;
    app.held = false;
    while (app.acc >= ms) {
      if (app.step >= app.replay.steps - 1) {
        app.pause();
        app.ended = true;
        app.ui.refresh();
        break;
      }
      if (!app.replay.has(app.step + 1)) {
        app.replay.ensure(app.step + 1).catch(app.fail);
        app.acc = ms;
        break;
      }
      if (app.ease && app.bubbles.holds(app.nextLine, now)) {
        app.acc = ms; // wait: a line on screen has not had its time yet
        app.held = true;
        break;
      }
      app.step += 1;
      app.fromStep = app.step - 1;
      app.acc -= ms;
      moved = true;
      app.stepChanged(false);
    }
    if (moved && app.step % app.replay.chunkSteps > app.replay.chunkSteps / 2) app.prefetch();
  }

  function tick(now) {
    const dt = Math.min(100, now - (app.lastTick || now));
    app.lastTick = now;
    advance(dt, now);
    app.positions();
    if (app.bubbles.expire(now)) app.dirty = true;
    const effect = Math.floor(now / EFFECT_MS) % 2;
    if (effect !== app.frame.effectFrame && app.frame.inUseCount) app.dirty = true;
    app.frame.effectFrame = effect;
    if (app.following && app.selected >= 0) app.centreOn(app.selected);
    if (app.dirty) {
      app.figures.update(app.frame);
      app.scene.draw(app.frame, app.figures);
      app.dirty = false;
      if (app.firstFrameMs === null) {
        // The town first; the panels the frame after (on a phone they are out of sight).
        app.firstFrameMs = performance.now();
        requestAnimationFrame(() => {
          app.ui.refresh();
          window.ringworld.ready = true;
          document.body.dataset.ready = "1";
        });
      }
    }
    if (now - app.lastUi > UI_EVERY_MS && (app.playing || app.uiDirty)) {
      app.lastUi = now;
      app.uiDirty = false;
      app.ui.refresh();
    }
    if (app.playing && app.share.due(now)) app.share.write();
    requestAnimationFrame(tick);
  }

  function makeFrame(n, town) {
    return {
      x: new Float32Array(n), y: new Float32Array(n), tx: new Int32Array(n),
      ty: new Int32Array(n), face: new Uint8Array(n), asleep: new Uint8Array(n),
      names: new Array(n).fill(""), emoji: new Array(n).fill(""),
      captions: new Array(n).fill(""), bubbles: app.bubbles, selected: -1, hovered: -1,
      lang: "zh", t: 1, parity: 0, dark: 0, lit: new Uint8Array(town.placeList.length),
      litKey: 0, inUse: new Int16Array(town.objects.length), inUseCount: 0, effectFrame: 0,
    };
  }

  function onTap(sx, sy) {
    const a = app.figures.hit(sx, sy, Math.max(14, app.camera.view.scale * 0.7));
    if (a >= 0) app.select(a, false);
  }

  async function boot() {
    window.ringworld = RW.testHook(app);
    const start = location.hash.match(/step=(\d+)/);
    RW.preloadStep(start ? +start[1] : 0);
    const replay = (app.replay = await RW.loadReplay());
    const hash = RW.readHash(replay);
    RW.i18n.setLang(hash.lang || replay.meta.ui_lang || replay.meta.language);
    app.byName = new Map(replay.agents.map((a, i) => [a.name, i]));
    const art = new RW.Art(replay.sprites, replay.agents.map((a) => a.look));
    const town = (app.town = new RW.Town(replay.meta.town, replay.meta.language, art));
    town.emojiOk = RW.emojiSupported();
    const canvas = document.getElementById("town");
    app.camera = new RW.Camera(town.w, town.h);
    app.scene = new RW.Scene(document.getElementById("town-bg"), canvas, town, art, app.camera);
    app.bubbles = new RW.Bubbles(replay.nAgents);
    app.figures = new RW.Figures(replay.nAgents, town);
    app.frame = makeFrame(replay.nAgents, town);
    app.share = new RW.Share(app);
    app.speed = hash.speed;
    app.ease = hash.ease;
    await replay.ensure(hash.step);
    app.step = app.fromStep = hash.step;
    app.ui = new RW.UI(app);
    app.ui.showTab("agents", false);
    app.scene.resize();
    app.layoutChanged();
    app.stepChanged(true);
    app.positions();
    const f = app.frame;
    app.camera.frameAgents(Array.from(f.tx), Array.from(f.ty), READABLE);
    if (hash.agent >= 0) app.select(hash.agent, true);
    if (hash.follow) app.follow(true);
    app.share.write(true); // the hash as understood: bad values do not stay in the URL
    RW.bindInput(canvas, app.camera, {
      changed: () => (app.dirty = app.uiDirty = true),
      moved: () => app.following && app.follow(false),
      tap: onTap,
      hover: app.hover,
    });
    new ResizeObserver(() => {
      const rect = canvas.getBoundingClientRect();
      if (rect.width === app.camera.view.w && rect.height === app.camera.view.h) return;
      app.scene.resize();
      app.layoutChanged();
    }).observe(canvas);
    window.addEventListener("hashchange", () => {
      const h = RW.readHash(replay);
      if (h.raw.speed && h.speed !== app.speed) app.setSpeed(h.speed);
      if (h.raw.step !== undefined && h.step !== app.step) app.seek(h.step);
    });
    document.getElementById("notice").hidden = true;
    requestAnimationFrame(tick);
    replay.onChunk = app.refreshUi;
    replay.loadTalk().then(() => app.ui.talkChanged(), app.fail);
    app.prefetch();
    if (hash.play) app.play();
  }

  boot().catch(app.fail);
})();
