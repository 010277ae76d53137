// The walking figures: each agent's pose (idle, a step of the walk, asleep), facing, the
// small offset that spreads a crowd on one tile, and the order they are drawn in. Arrays are
// made once: nothing is allocated per frame.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const POSE = { idle: 0, walk: 1, sleep: 2 };
  const FACINGS = ["down", "up", "left", "right"];
  const SLEEP_FRAME = 12; // frames: facing * 3 + (idle, walk a, walk b), then sleep

  function Figures(n, town) {
    this.n = n;
    this.town = town;
    this.ox = new Float32Array(n); // crowd offset, in tiles
    this.oy = new Float32Array(n);
    this.facing = new Uint8Array(n);
    this.pose = new Uint8Array(n);
    this.frame = new Uint8Array(n);
    this.order = new Int16Array(n); // back to front
    this.crowd = new Int16Array(n); // the first agent (by number) on the same tile
    this.crowdSize = new Uint8Array(n);
    this.box = new Float32Array(n * 4); // where each was drawn: left, top, width, height (CSS px)
    this.drawn = new Uint8Array(n);
    this.count = new Uint16Array(town.w * town.h);
    this.first = new Int16Array(town.w * town.h).fill(-1);
    for (let a = 0; a < n; a++) this.order[a] = a;
  }

  // s: {x, y (drawn tile, fractional while walking), tx, ty (tile at the step), face,
  // asleep, t (0..1 of the way from the step before), parity (step number % 2)}.
  Figures.prototype.update = function (s) {
    const w = this.town.w;
    for (let a = 0; a < this.n; a++) {
      const walking = s.x[a] !== s.tx[a] || s.y[a] !== s.ty[a];
      this.facing[a] = s.face[a];
      this.pose[a] = s.asleep[a] && !walking ? POSE.sleep : walking ? POSE.walk : POSE.idle;
      if (this.pose[a] === POSE.sleep) this.frame[a] = SLEEP_FRAME;
      else {
        const step = walking && s.t < 0.5 ? 1 + ((s.parity + a) % 2) : 0;
        this.frame[a] = s.face[a] * 3 + step;
      }
    }
    this.spread(s.tx, s.ty, w);
    this.sort(s.y);
  };

  // Agents on one tile stand side by side in a small grid around its middle.
  Figures.prototype.spread = function (tx, ty, w) {
    for (let a = 0; a < this.n; a++) {
      const i = ty[a] * w + tx[a];
      if (this.count[i] === 0) this.first[i] = a;
      this.crowd[a] = this.first[i];
      this.ox[a] = this.count[i]++; // the agent's place in the crowd, for now
    }
    for (let a = 0; a < this.n; a++) {
      const i = ty[a] * w + tx[a];
      const k = this.count[i];
      this.crowdSize[a] = k;
      const slot = this.ox[a];
      if (k === 1) {
        this.ox[a] = this.oy[a] = 0;
        continue;
      }
      const cols = Math.ceil(Math.sqrt(k));
      const rows = Math.ceil(k / cols);
      const dx = 0.42; // a big crowd spreads past its tile, as people round a table do
      const dy = Math.min(0.3, 1.2 / rows);
      this.ox[a] = ((slot % cols) - (cols - 1) / 2) * dx + (Math.floor(slot / cols) % 2) * dx * 0.3;
      this.oy[a] = (Math.floor(slot / cols) - (rows - 1) / 2) * dy;
    }
    for (let a = 0; a < this.n; a++) this.count[ty[a] * w + tx[a]] = 0;
  };

  // Back to front by where the feet are (insertion sort: the order barely changes per frame).
  Figures.prototype.sort = function (y) {
    const o = this.order;
    for (let i = 1; i < this.n; i++) {
      const a = o[i];
      const key = y[a] + this.oy[a];
      let j = i - 1;
      while (j >= 0 && y[o[j]] + this.oy[o[j]] > key) {
        o[j + 1] = o[j];
        j--;
      }
      o[j + 1] = a;
    }
  };

  // The agent drawn on top at screen point (x, y), else the nearest within `reach` px, or -1.
  Figures.prototype.hit = function (x, y, reach) {
    for (let i = this.n - 1; i >= 0; i--) {
      const a = this.order[i];
      const b = a * 4;
      if (!this.drawn[a]) continue;
      const inX = x >= this.box[b] && x <= this.box[b] + this.box[b + 2];
      if (inX && y >= this.box[b + 1] && y <= this.box[b + 1] + this.box[b + 3]) return a;
    }
    let best = -1;
    let bestD = reach;
    for (let a = 0; a < this.n; a++) {
      if (!this.drawn[a]) continue;
      const b = a * 4;
      const d = Math.hypot(this.box[b] + this.box[b + 2] / 2 - x, this.box[b + 1] + this.box[b + 3] - y);
      if (d < bestD) [best, bestD] = [a, d];
    }
    return best;
  };

  Figures.prototype.describe = function (a) {
    const pose = ["idle", "walk", "sleep"][this.pose[a]];
    const b = a * 4;
    return { facing: FACINGS[this.facing[a]], pose, frame: this.frame[a],
      box: Array.from(this.box.subarray(b, b + 4)), drawn: !!this.drawn[a],
      crowd: this.crowdSize[a] };
  };

  RW.Figures = Figures;
})();
