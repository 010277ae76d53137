// Placing labels (names, bubbles, captions, place names) so that none covers another: each
// is tried at its own spot, then a little above or below it; where there is no room it is not
// drawn. Boxes live in arrays made once, so a frame allocates nothing.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const GAP = 1; // CSS pixels kept between two labels
  const KINDS = ["name", "bubble", "caption", "more", "place"];

  function Layout(capacity) {
    this.box = new Float32Array(capacity * 4);
    this.kind = new Uint8Array(capacity);
    this.owner = new Int16Array(capacity);
    this.n = 0;
    this.w = 0;
    this.h = 0;
    this.x = 0; // top-left of the box placed last
    this.y = 0;
  }

  Layout.KIND = { name: 0, bubble: 1, caption: 2, more: 3, place: 4 };

  Layout.prototype.reset = function (w, h) {
    this.n = 0;
    this.w = w;
    this.h = h;
  };

  // Whether a w x h box at (x, y) is clear of the boxes placed.
  Layout.prototype.free = function (x, y, w, h) {
    const b = this.box;
    for (let i = 0; i < this.n; i++) {
      const k = i * 4;
      if (x < b[k] + b[k + 2] + GAP && b[k] < x + w + GAP && y < b[k + 1] + b[k + 3] + GAP &&
        b[k + 1] < y + h + GAP) {
        return false;
      }
    }
    return true;
  };

  Layout.prototype.add = function (x, y, w, h, kind, owner) {
    if (this.n * 4 >= this.box.length) return false;
    const k = this.n * 4;
    this.box[k] = x;
    this.box[k + 1] = y;
    this.box[k + 2] = w;
    this.box[k + 3] = h;
    this.kind[this.n] = kind;
    this.owner[this.n] = owner;
    this.n++;
    this.x = x;
    this.y = y;
    return true;
  };

  // Place a w x h box centred on x with its top at y, or moved by up to `tries` steps of its
  // own height in direction `dir` (-1 up, 1 down); kept inside the view. False if no room.
  // Names keep clear of place names too: in a crowded town a name on a building's name made
  // both unreadable.
  Layout.prototype.place = function (x, y, w, h, dir, tries, kind, owner) {
    const left = Math.max(2, Math.min(this.w - w - 2, x - w / 2));
    for (let t = 0; t <= tries; t++) {
      const top = Math.max(2, Math.min(this.h - h - 2, y + dir * t * (h + GAP)));
      if (this.free(left, top, w, h)) return this.add(left, top, w, h, kind, owner);
    }
    return false;
  };

  // Start with the boxes of another layout (the place names under the labels).
  Layout.prototype.copy = function (other) {
    for (let i = 0; i < other.n; i++) {
      const k = i * 4;
      this.add(other.box[k], other.box[k + 1], other.box[k + 2], other.box[k + 3], other.kind[i],
        other.owner[i]);
    }
  };

  // The placed boxes as plain objects (for tests).
  Layout.prototype.list = function (names) {
    const out = [];
    for (let i = 0; i < this.n; i++) {
      const k = i * 4;
      out.push({ kind: KINDS[this.kind[i]], who: this.owner[i] >= 0 ? names(this.owner[i]) : null,
        box: [this.box[k], this.box[k + 1], this.box[k + 2], this.box[k + 3]] });
    }
    return out;
  };

  RW.Layout = Layout;
})();
