// Start-up and the draw loop: loads the replay, makes the page's parts (each owns its state;
// what they share is in the store, see store.js), applies the URL hash, and each animation
// frame moves the clock on and draws what changed.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  // CSS pixels per tile of the first view, if not all agents fit: a figure (20 x 25 art
  // pixels, one tile wide) is then 25 CSS pixels tall, one art pixel a CSS pixel
  const READABLE = 20;
  const HINT_PX = 130; // CSS pixels the hint covers at the bottom of the town

  // Each animation frame: the clock, the glide, the bubbles, the camera on the agent followed,
  // then the town if anything it shows changed, and the panels at their pace.
  function loop(p) {
    const { player, shown, focus, figures, scene, ui } = p;
    let last = 0;
    function tick(now) {
      const dt = Math.min(100, now - (last || now));
      last = now;
      player.advance(dt, now);
      shown.glide(player.fromStep, player.progress());
      shown.animate(now);
      focus.track();
      if (shown.dirty) {
        figures.update(shown.frame);
        scene.draw(shown.frame, figures);
        shown.dirty = false;
      }
      ui.tick(now);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  }

  // What the first frame needs: the town, its people and the camera (the panels, the share
  // link and the input come after it, see finish()).
  function makeScene(replay, hash, sheets) {
    const lang = RW.i18n.setLang(hash.lang || replay.meta.ui_lang || replay.meta.language);
    const store = new RW.Store({ step: hash.step, playing: false, speed: hash.speed,
      ease: hash.ease, selected: -1, following: false, lang, view: null });
    const art = new RW.Art(replay.sprites, replay.agents.map((a) => a.look));
    const town = new RW.Town(replay.meta.town, replay.meta.language, art, sheets);
    const camera = new RW.Camera(town.w, town.h, store);
    const canvas = document.getElementById("town");
    const scene = new RW.Scene(document.getElementById("town-bg"), canvas, town, art, camera);
    const bubbles = new RW.Bubbles(replay.nAgents);
    const figures = new RW.Figures(replay.nAgents, town);
    const shown = new RW.Shown(store, replay, town, bubbles);
    const player = new RW.Player(store, replay, bubbles, (step, a) => shown.lineAt(step, a));
    const focus = new RW.Focus(store, camera, shown.frame, player);
    sheets.onDecoded = () => {
      scene.mapChanged();
      shown.redraw();
    };
    return { store, replay, town, camera, canvas, scene, bubbles, figures, shown, player, focus };
  }

  // The first view: the share link's, else the people who are up at the opening moment (all
  // of them if they fit), the agent of the link chosen.
  function firstView(p, hash) {
    p.scene.resize();
    p.shown.glide(hash.step, 1);
    const f = p.shown.frame;
    const seen = Array.from(f.asleep).map((s, a) => (hash.opening && s ? -1 : a))
      .filter((a) => a >= 0);
    const who = seen.length ? seen : Array.from(f.asleep, (_, a) => a);
    p.camera.frameAgents(who.map((a) => f.tx[a]), who.map((a) => f.ty[a]), READABLE,
      hash.opening ? HINT_PX : 0);
    if (hash.view) p.camera.place(hash.view[0], hash.view[1], hash.view[2]);
    if (hash.agent >= 0) {
      p.focus.select(hash.agent);
      p.focus.goTo(hash.agent);
    }
  }

  function bindInput(p) {
    const { canvas, camera, figures, shown, focus, scene, ui } = p;
    RW.bindInput(canvas, camera, {
      moved: () => focus.moved(),
      tap: (sx, sy) => {
        const a = figures.hit(sx, sy, Math.max(14, camera.view.scale * 0.7));
        if (a >= 0) ui.choose(a, false);
      },
      hover: (x, y) => shown.hover(x === null ? -1 : figures.hit(x, y, 0)),
    });
    new ResizeObserver(() => {
      const rect = canvas.getBoundingClientRect();
      if (rect.width === camera.view.w && rect.height === camera.view.h) return;
      scene.resize();
      ui.layoutChanged();
    }).observe(canvas);
  }

  // After the first frame: the panels, the link's choices, the input, the hint, the loop.
  function finish(p, hash, firstFrameMs) {
    const { replay } = p;
    p.firstFrameMs = () => firstFrameMs;
    p.town.emojiOk = RW.emojiSupported();
    p.share = new RW.Share(p.store, replay, p.player, p.camera);
    p.ui = new RW.UI(p);
    window.ringworld = RW.testHook(p);
    p.ui.showTab("agents", false);
    if (hash.agent >= 0) p.ui.choose(hash.agent, true);
    if (hash.follow) p.focus.follow(true);
    p.share.write(true); // the hash as understood: bad values do not stay in the URL
    bindInput(p);
    RW.bindKeys(Object.assign({ help: p.ui.help }, p));
    if (hash.opening) p.ui.help.hint();
    p.shown.redraw();
    loop(p);
    replay.onChunk = () => {
      p.ui.refresh();
      p.shown.redraw();
    };
    replay.loadTalk().then(() => p.ui.talkLoaded(), RW.fail);
    p.player.prefetch();
    if (hash.play) p.player.play();
    requestAnimationFrame(() => {
      p.ui.start();
      window.ringworld.ready = true;
      document.body.dataset.ready = "1";
    });
  }

  async function boot() {
    const start = location.hash.match(/step=(\d+)/);
    RW.preloadStep(start ? +start[1] : +document.body.dataset.opening || 0);
    const replay = await RW.loadReplay();
    const sheets = new RW.MapSheets(replay.map);
    sheets.decodeAhead(); // off the main thread, while the rest is made
    const hash = RW.readHash(replay);
    await replay.ensure(hash.step);
    const p = makeScene(replay, hash, sheets);
    firstView(p, hash);
    await p.town.ready(p.camera.view);
    document.getElementById("notice").hidden = true;
    // The town first, drawn at the next frame; the rest once that frame is on screen.
    requestAnimationFrame(() => {
      p.figures.update(p.shown.frame);
      p.scene.draw(p.shown.frame, p.figures);
      p.shown.dirty = false;
      const firstFrameMs = performance.now();
      setTimeout(() => {
        try {
          finish(p, hash, firstFrameMs);
        } catch (err) {
          RW.fail(err);
        }
      }, 0);
    });
  }

  boot().catch(RW.fail);
})();
