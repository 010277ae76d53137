// Start-up and the draw loop: loads the replay, makes the page's parts (each owns its state;
// what they share is in the store, see store.js), applies the URL hash, and each animation
// frame moves the clock on and draws what changed.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  // CSS pixels per tile of the first view, if not all agents fit: a figure (20 art pixels on a
  // 16-pixel tile) is then 25 CSS pixels tall
  const READABLE = 20;

  // Each animation frame: the clock, the glide, the bubbles, the camera on the agent followed,
  // then the town if anything it shows changed, and the panels at their pace.
  function loop(p) {
    const { player, shown, focus, figures, scene, ui } = p;
    let last = 0;
    let firstFrameMs = null;
    p.firstFrameMs = () => firstFrameMs;
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
        if (firstFrameMs === null) {
          // The town first; the panels the frame after (on a phone they are out of sight).
          firstFrameMs = performance.now();
          requestAnimationFrame(() => {
            ui.start();
            window.ringworld.ready = true;
            document.body.dataset.ready = "1";
          });
        }
      }
      ui.tick(now);
      requestAnimationFrame(tick);
    }
    requestAnimationFrame(tick);
  }

  // The parts of the page, for the replay and the state the hash asks for.
  function makeParts(replay, hash) {
    const lang = RW.i18n.setLang(hash.lang || replay.meta.ui_lang || replay.meta.language);
    const store = new RW.Store({ step: hash.step, playing: false, speed: hash.speed,
      ease: hash.ease, selected: -1, following: false, lang, view: null });
    const art = new RW.Art(replay.sprites, replay.agents.map((a) => a.look));
    const town = new RW.Town(replay.meta.town, replay.meta.language, art);
    town.emojiOk = RW.emojiSupported();
    const camera = new RW.Camera(town.w, town.h, store);
    const canvas = document.getElementById("town");
    const scene = new RW.Scene(document.getElementById("town-bg"), canvas, town, art, camera);
    const bubbles = new RW.Bubbles(replay.nAgents);
    const figures = new RW.Figures(replay.nAgents, town);
    const shown = new RW.Shown(store, replay, town, bubbles);
    const player = new RW.Player(store, replay, bubbles, (step, a) => shown.lineAt(step, a));
    const focus = new RW.Focus(store, camera, shown.frame, player);
    const p = { store, replay, town, camera, canvas, scene, bubbles, figures, shown, player,
      focus };
    p.share = new RW.Share(store, replay, player, camera);
    p.ui = new RW.UI(p);
    return p;
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

  async function boot() {
    const start = location.hash.match(/step=(\d+)/);
    RW.preloadStep(start ? +start[1] : +document.body.dataset.opening || 0);
    const replay = await RW.loadReplay();
    const hash = RW.readHash(replay);
    await replay.ensure(hash.step);
    const p = makeParts(replay, hash);
    window.ringworld = RW.testHook(p);
    p.ui.showTab("agents", false);
    p.scene.resize();
    p.ui.layoutChanged();
    p.shown.glide(hash.step, 1);
    const f = p.shown.frame;
    // at the opening moment, the camera on the people who are up
    const seen = Array.from(f.asleep).map((s, a) => (hash.opening && s ? -1 : a))
      .filter((a) => a >= 0);
    const who = seen.length ? seen : Array.from(f.asleep, (_, a) => a);
    p.camera.frameAgents(who.map((a) => f.tx[a]), who.map((a) => f.ty[a]), READABLE);
    if (hash.view) p.camera.place(hash.view[0], hash.view[1], hash.view[2]);
    if (hash.agent >= 0) p.ui.choose(hash.agent, true);
    if (hash.follow) p.focus.follow(true);
    p.share.write(true); // the hash as understood: bad values do not stay in the URL
    bindInput(p);
    RW.bindKeys(Object.assign({ help: p.ui.help }, p));
    if (hash.opening) p.ui.help.hint();
    document.getElementById("notice").hidden = true;
    loop(p);
    replay.onChunk = () => {
      p.ui.refresh();
      p.shown.redraw();
    };
    replay.loadTalk().then(() => p.ui.talkLoaded(), RW.fail);
    p.player.prefetch();
    if (hash.play) p.player.play();
  }

  boot().catch(RW.fail);
})();
