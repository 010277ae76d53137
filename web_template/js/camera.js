// The camera: the tile at the middle of the view and the zoom (CSS pixels per tile), kept so
// that the town stays on screen and can never be zoomed out past the whole of it. It owns the
// store's `view` and writes it after every move.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const MAX_SCALE = 96;
  const MARGIN = 2; // tiles of void allowed beyond the town's edge

  function Camera(townW, townH, store) {
    this.store = store;
    this.townW = townW;
    this.townH = townH;
    this.view = { cx: townW / 2, cy: townH / 2, scale: 16, w: 1, h: 1, dpr: 1 };
    this.inset = 0; // CSS pixels at the bottom covered by a panel
  }

  Camera.prototype.resize = function (w, h, dpr) {
    const v = this.view;
    v.w = Math.max(1, w);
    v.h = Math.max(1, h);
    v.dpr = dpr;
    this.clamp();
  };

  // Zoom that shows the whole town (the least zoom there is).
  Camera.prototype.fitScale = function () {
    const v = this.view;
    return Math.min(v.w / this.townW, (v.h - this.inset) / this.townH);
  };

  // Keep the zoom in range and the town on screen: centred where it is smaller than the view,
  // its edges at most MARGIN tiles inside the view otherwise.
  Camera.prototype.clamp = function () {
    const v = this.view;
    v.scale = Math.max(this.fitScale(), Math.min(MAX_SCALE, v.scale));
    const fit = (c, size, screen, inset) => {
      const half = screen / 2 / v.scale;
      const low = half - MARGIN;
      const high = size + MARGIN - half + inset / v.scale;
      return low > high ? (low + high) / 2 : Math.max(low, Math.min(high, c));
    };
    v.cx = fit(v.cx, this.townW, v.w, 0);
    v.cy = fit(v.cy, this.townH, v.h, this.inset);
    this.publish();
  };

  Camera.prototype.publish = function () {
    const v = this.view;
    const p = this.store.get("view");
    if (p && p.cx === v.cx && p.cy === v.cy && p.scale === v.scale && p.w === v.w &&
      p.h === v.h && p.dpr === v.dpr) return;
    this.store.set({ view: Object.freeze(Object.assign({}, v)) });
  };

  Camera.prototype.toWorld = function (sx, sy) {
    const v = this.view;
    return [v.cx + (sx - v.w / 2) / v.scale, v.cy + (sy - v.h / 2) / v.scale];
  };

  Camera.prototype.toScreen = function (wx, wy) {
    const v = this.view;
    return [(wx - v.cx) * v.scale + v.w / 2, (wy - v.cy) * v.scale + v.h / 2];
  };

  // Screen x of world x, and y of world y (no array: used per figure per frame).
  Camera.prototype.sx = function (wx) {
    return (wx - this.view.cx) * this.view.scale + this.view.w / 2;
  };
  Camera.prototype.sy = function (wy) {
    return (wy - this.view.cy) * this.view.scale + this.view.h / 2;
  };

  Camera.prototype.pan = function (dx, dy) {
    this.view.cx -= dx / this.view.scale;
    this.view.cy -= dy / this.view.scale;
    this.clamp();
  };

  // Zoom by `factor`, keeping the world point under screen point (sx, sy) in place.
  Camera.prototype.zoomAt = function (factor, sx, sy) {
    const [wx, wy] = this.toWorld(sx, sy);
    this.view.scale *= factor;
    this.clamp();
    const [nx, ny] = this.toScreen(wx, wy);
    this.pan(sx - nx, sy - ny);
  };

  // Look at tile point (x, y) at zoom `scale` (as a share link keeps them).
  Camera.prototype.place = function (x, y, scale) {
    Object.assign(this.view, { cx: x, cy: y, scale });
    this.clamp();
  };

  // Centre on tile point (x, y) (above a phone's panel, if open), at zoom `scale` if given.
  Camera.prototype.centre = function (x, y, scale) {
    const v = this.view;
    if (scale !== undefined) v.scale = scale;
    v.cx = x;
    v.cy = y + this.inset / 2 / v.scale;
    this.clamp();
  };

  // The first view: all agents (tile points xs, ys) if they fit at a readable zoom, else the
  // part of the town at that zoom that holds the most of them (`below`: CSS pixels at the
  // bottom that something covers at first, e.g. the hint).
  Camera.prototype.frameAgents = function (xs, ys, readable, below) {
    const v = this.view;
    const h = v.h - this.inset - (below || 0);
    const pad = 3;
    const [x0, x1] = [Math.min(...xs) - pad, Math.max(...xs) + 1 + pad];
    const [y0, y1] = [Math.min(...ys) - pad, Math.max(...ys) + 1 + pad];
    const all = Math.min(v.w / (x1 - x0), h / (y1 - y0), 24);
    if (all >= readable) {
      this.centre((x0 + x1) / 2, (y0 + y1) / 2 + (below || 0) / 2 / all, all);
      return;
    }
    v.scale = readable;
    const inside = busiest(xs, ys, v.w / readable - 2, h / readable - 2);
    const cx = (Math.min(...inside.map((i) => xs[i])) + Math.max(...inside.map((i) => xs[i]))) / 2;
    const cy = (Math.min(...inside.map((i) => ys[i])) + Math.max(...inside.map((i) => ys[i]))) / 2;
    this.centre(cx + 0.5, cy + 0.5 + (below || 0) / 2 / readable);
  };

  // The points (indices) inside the spanX x spanY window that holds the most of them: for
  // each point as the left edge, the points within spanX of it, swept by y (n² log n).
  function busiest(xs, ys, spanX, spanY) {
    const byX = xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);
    let best = [byX[0]];
    for (let l = 0, r = 0; l < byX.length; l++) {
      while (r < byX.length && xs[byX[r]] - xs[byX[l]] <= spanX) r++;
      const column = byX.slice(l, r).sort((a, b) => ys[a] - ys[b]);
      for (let t = 0, b = 0; t < column.length; t++) {
        while (b < column.length && ys[column[b]] - ys[column[t]] <= spanY) b++;
        if (b - t > best.length) best = column.slice(t, b);
      }
    }
    return best;
  }

  RW.Camera = Camera;
})();
