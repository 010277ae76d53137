// window.ringworld: what the browser tests (and a curious user's console) can ask the page.
// Names are the agents' `name`; positions are tiles; boxes are CSS pixels of the canvas.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  RW.testHook = function (app) {
    const names = () => app.replay.agents.map((a) => a.name);
    const nameOf = (a) => app.replay.agents[a].name;
    const index = (name) => names().indexOf(name);
    const byName = (fn) => {
      const out = {};
      names().forEach((name, a) => (out[name] = fn(a)));
      return out;
    };
    return {
      ready: false,
      step: () => app.step,
      steps: () => app.replay.steps,
      speed: () => app.speed,
      playing: () => app.playing,
      ended: () => app.ended,
      settled: () => app.settled,
      held: () => app.held,
      ease: () => app.ease,
      lang: () => RW.i18n.lang,
      now: () => performance.now(),
      talkLoaded: () => !!app.replay.talk,
      following: () => app.following,
      camera: () => [app.camera.view.cx, app.camera.view.cy, app.camera.view.scale],
      view: () => ({ w: app.camera.view.w, h: app.camera.view.h, dpr: app.camera.view.dpr,
        fit: app.camera.fitScale(), town: [app.town.w, app.town.h] }),
      selected: () => (app.selected >= 0 ? nameOf(app.selected) : null),
      hovered: () => (app.hovered >= 0 ? nameOf(app.hovered) : null),
      firstFrameMs: () => app.firstFrameMs,
      play: () => app.play(),
      pause: () => app.pause(),
      seek: (step) => app.seek(step),
      setSpeed: (speed) => app.setSpeed(speed),
      setEase: (on) => app.setEase(on),
      select: (name) => app.select(index(name), true),
      // {name: [x, y]}: the tile each agent is drawn at (fractional while gliding).
      drawnPositions: () => byName((a) => [app.frame.x[a], app.frame.y[a]]),
      // {name: {facing, pose, frame, box, drawn, crowd}} as last drawn.
      figures: () => byName((a) => app.figures.describe(a)),
      drawOrder: () => Array.from(app.figures.order, nameOf),
      labels: () => app.scene.labels.list(nameOf),
      placeLabels: () => app.scene.places.list(nameOf),
      bubbles: () => names().map((name, a) => ({ who: name, text: app.bubbles.text[a],
        since: app.bubbles.since[a], min: app.bubbles.min[a], onScreen: !!app.bubbles.onScreen[a],
        current: !!app.bubbles.current[a] })).filter((b) => b.text),
      inUse: () => Array.from(app.frame.inUse).flatMap((v, o) => (v ? [{ object: app.town.objects[o].name,
        kind: app.town.objects[o].kind, agent: nameOf(v - 1), rect: [app.town.objects[o].x0,
          app.town.objects[o].y0, app.town.objects[o].w, app.town.objects[o].h] }] : [])),
      darkness: () => app.frame.dark,
      litSectors: () => app.town.placeList.filter((_, i) => app.frame.lit[i]).map((p) => p.key),
      mapPixel: (x, y) => app.town.pixel(x, y),
      pixels: (layer, x, y, w, h) => app.scene.pixels(layer, x, y, w, h),
      timeline: () => app.ui.timeline.describe(),
      // Centre the camera on an agent; returns the page point of its figure's middle.
      focus: (name) => {
        const a = index(name);
        app.centreOn(a);
        app.figures.update(app.frame);
        app.scene.draw(app.frame, app.figures);
        const b = app.figures.box;
        const rect = app.scene.canvas.getBoundingClientRect();
        return { x: rect.left + b[a * 4] + b[a * 4 + 2] / 2, y: rect.top + b[a * 4 + 1] + b[a * 4 + 3] * 0.6 };
      },
    };
  };
})();
