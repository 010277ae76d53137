// window.ringworld: what the browser tests (and a curious user's console) can ask the page.
// Names are the agents' `name`; positions are tiles; boxes are CSS pixels of the canvas. The
// shared state is read from the store (`ringworld.store`, read-only: get and subscribe).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  // Helpers over the agents' names, for the replay.
  function naming(replay) {
    const names = () => replay.agents.map((a) => a.name);
    return {
      names,
      nameOf: (a) => replay.agents[a].name,
      index: (name) => names().indexOf(name),
      byName: (fn) => {
        const out = {};
        names().forEach((name, a) => (out[name] = fn(a)));
        return out;
      },
    };
  }

  // The state (from the store and the parts that own the rest) and the commands.
  function stateHooks(p) {
    const { store, replay, town, camera, shown, player } = p;
    const frame = shown.frame;
    const { nameOf, index, byName } = naming(replay);
    return {
      store: { get: (key) => store.get(key), subscribe: (keys, fn) => store.subscribe(keys, fn) },
      step: () => store.get("step"),
      steps: () => replay.steps,
      speed: () => store.get("speed"),
      playing: () => store.get("playing"),
      ended: () => player.ended(),
      // agents stand on their tiles of the step (not gliding between two)
      settled: () => frame.t >= 1 && frame.tx.every((x, a) => x === frame.x[a] &&
        frame.ty[a] === frame.y[a]),
      held: () => player.held,
      ease: () => store.get("ease"),
      lang: () => store.get("lang"),
      now: () => performance.now(),
      talkLoaded: () => !!replay.talk,
      following: () => store.get("following"),
      camera: () => [store.get("view").cx, store.get("view").cy, store.get("view").scale],
      view: () => ({ w: camera.view.w, h: camera.view.h, dpr: camera.view.dpr,
        fit: camera.fitScale(), town: [town.w, town.h] }),
      // the screen point (CSS pixels of the canvas) of tile point (x, y)
      toScreen: (x, y) => camera.toScreen(x, y),
      selected: () => (store.get("selected") >= 0 ? nameOf(store.get("selected")) : null),
      hovered: () => (shown.hovered >= 0 ? nameOf(shown.hovered) : null),
      // {name: the name shown}, in the interface's language
      shownNames: () => byName((a) => shown.name(a)),
      // {name: caption} of the agents with one (the selected and the hovered)
      captions: () => byName((a) => frame.captions[a]),
      firstFrameMs: () => p.firstFrameMs(),
      play: () => player.play(),
      pause: () => player.pause(),
      seek: (step) => player.seek(step),
      setSpeed: (speed) => player.setSpeed(speed),
      setEase: (on) => player.setEase(on),
      select: (name) => p.ui.choose(index(name), true),
      // Put the camera on tile point (x, y) at `scale` CSS pixels a tile.
      // Centre the camera; resolves when the map there is decoded.
      look: (x, y, scale) => {
        camera.centre(x, y, scale);
        return town.ready(camera.view);
      },
      timeline: () => p.ui.timeline.describe(),
      highlights: () => p.ui.highlights.describe(),
      opening: () => replay.meta.opening,
    };
  }

  // What was drawn, and where.
  function drawingHooks(p) {
    const { replay, town, scene, figures, bubbles, shown } = p;
    const frame = shown.frame;
    const { names, nameOf, index, byName } = naming(replay);
    return {
      // {name: [x, y]}: the tile each agent is drawn at (fractional while gliding).
      drawnPositions: () => byName((a) => [frame.x[a], frame.y[a]]),
      // {name: {facing, pose, frame, box, drawn, crowd}} as last drawn.
      figures: () => byName((a) => figures.describe(a)),
      // the same of one agent (cheap enough to ask every frame in a town of a thousand)
      figure: (name) => figures.describe(index(name)),
      drawOrder: () => Array.from(figures.order, nameOf),
      labels: () => scene.labels.list(nameOf),
      placeLabels: () => scene.places.list(nameOf),
      bubbles: () => names().map((name, a) => ({ who: name, text: bubbles.text[a],
        since: bubbles.since[a], min: bubbles.min[a], onScreen: !!bubbles.onScreen[a],
        current: !!bubbles.current[a] })).filter((b) => b.text),
      inUse: () => Array.from(frame.inUse).flatMap((v, o) => (v ? [{ object: town.objects[o].name,
        kind: town.objects[o].kind, agent: nameOf(v - 1), rect: [town.objects[o].x0,
          town.objects[o].y0, town.objects[o].w, town.objects[o].h] }] : [])),
      darkness: () => frame.dark,
      litSectors: () => town.placeList.filter((_, i) => frame.lit[i]).map((q) => q.key),
      // [{x, y, place}]: the town's windows, with the key of the place each lights
      windows: () => Array.from({ length: town.windows.length / 2 }, (_, k) => {
        const [x, y] = [town.windows[2 * k], town.windows[2 * k + 1]];
        const sector = town.sectorTile[(y - 1) * town.w + x];
        return { x, y, place: sector >= 0 ? town.placeList[sector].key : null };
      }),
      mapPixel: (x, y) => town.pixel(x, y),
      // the map's sheets: how many, and the kind of each decoded one (ImageBitmap)
      mapSheets: () => ({ sheets: town.sheets.images.length,
        decoded: Array.from(town.sheets.decoded.values(), (i) => i.constructor.name) }),
      pixels: (layer, x, y, w, h) => scene.pixels(layer, x, y, w, h),
      // Centre the camera on an agent; returns the page point of its figure's middle.
      focus: (name) => {
        const a = index(name);
        p.focus.centreOn(a);
        figures.update(frame);
        scene.draw(frame, figures);
        const b = figures.box;
        const rect = scene.canvas.getBoundingClientRect();
        return { x: rect.left + b[a * 4] + b[a * 4 + 2] / 2, y: rect.top + b[a * 4 + 1] + b[a * 4 + 3] * 0.6 };
      },
    };
  }

  // p: the page's parts {store, replay, town, camera, scene, figures, bubbles, shown, player,
  // focus, ui, firstFrameMs()}.
  RW.testHook = function (p) {
    return Object.assign({ ready: false }, stateHooks(p), drawingHooks(p));
  };
})();
