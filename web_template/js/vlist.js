// A virtual list: a long list of rows of two heights (headings and items) of which only those
// near the visible part of its scrolling box are in the DOM; padding above and below stands in
// for the rest. A town of a thousand people keeps a panel of a few dozen elements, and a
// refresh touches only what is shown. The heights are measured from the rows drawn.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const OVERSCAN = 1; // views' height of rows kept in the DOM above and below the visible part

  // list: the <ul>; box: its scrolling ancestor; render(entry, isHead): the element of an
  // entry (the caller keeps and reuses them); heights: first guesses, in CSS pixels.
  function VList(list, box, render, heights) {
    this.list = list;
    this.box = box;
    this.render = render;
    this.headH = heights.head;
    this.rowH = heights.row;
    this.entries = new Int32Array(0); // what each row shows (the caller's numbers)
    this.heads = new Uint8Array(0); // 1 where the row is a heading
    this.tops = new Float64Array(1);
    this.from = 0; // entries [from, to) are in the DOM
    this.to = 0;
    this.pending = 0;
    this.width = -1; // the box's width when the heights and the list's top were measured
    this.offset = 0;
    box.addEventListener("scroll", () => this.schedule(), { passive: true });
  }

  // New contents: `entries` numbers with `heads` marking the headings (1) among them.
  VList.prototype.set = function (entries, heads) {
    this.entries = Int32Array.from(entries);
    this.heads = Uint8Array.from(heads);
    this.layout();
    this.draw(true);
  };

  VList.prototype.layout = function () {
    const n = this.entries.length;
    this.tops = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) {
      this.tops[i + 1] = this.tops[i] + (this.heads[i] ? this.headH : this.rowH);
    }
  };

  // The first entry whose bottom is below y.
  VList.prototype.at = function (y) {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tops[mid + 1] <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  VList.prototype.schedule = function () {
    if (this.pending) return;
    this.pending = requestAnimationFrame(() => {
      this.pending = 0;
      this.draw(false);
    });
  };

  // Put the entries near the visible part in the DOM (`force`: even if they are the same).
  VList.prototype.draw = function (force) {
    const view = this.box.clientHeight;
    if (!view) return; // hidden: drawn when shown
    const fresh = this.box.clientWidth !== this.width;
    if (fresh) this.offset = this.list.offsetTop;
    const top = this.box.scrollTop - this.offset;
    const margin = view * OVERSCAN;
    const from = this.at(Math.max(0, top - margin));
    const to = Math.min(this.entries.length, this.at(top + view + margin) + 1);
    if (!force && from === this.from && to === this.to) return;
    this.from = from;
    this.to = to;
    const items = [];
    for (let i = from; i < to; i++) items.push(this.render(this.entries[i], !!this.heads[i]));
    this.list.style.paddingTop = this.tops[from] + "px";
    this.list.style.paddingBottom = this.tops[this.entries.length] - this.tops[to] + "px";
    // the same rows are not moved: a row being pressed stays and its click still counts
    const kids = this.list.children;
    if (kids.length !== items.length || items.some((item, k) => kids[k] !== item)) {
      this.list.replaceChildren(...items);
    }
    if (fresh) this.measure(items, from);
  };

  // Heights as drawn (they differ on a phone, whose buttons are taller): if they are not the
  // ones guessed, lay out again. Measured again when the box's width changes.
  VList.prototype.measure = function (items, from) {
    const seen = [0, 0]; // a row, a heading measured
    let head = this.headH;
    let row = this.rowH;
    items.forEach((item, k) => {
      const h = item.getBoundingClientRect().height; // fractional: errors would add up
      if (!h) return;
      if (this.heads[from + k]) head = h;
      else row = h;
      seen[this.heads[from + k]] = 1;
    });
    if (seen[0] && seen[1]) this.width = this.box.clientWidth;
    if (head === this.headH && row === this.rowH) return;
    this.headH = head;
    this.rowH = row;
    this.layout();
    this.draw(true);
  };

  // The items (not headings) in the DOM now, in order.
  VList.prototype.shownItems = function () {
    const out = [];
    for (let i = this.from; i < this.to; i++) if (!this.heads[i]) out.push(this.entries[i]);
    return out;
  };

  // Scroll the first entry for which `is(number, isHead)` holds to the middle of the view.
  VList.prototype.reveal = function (is) {
    const i = this.entries.findIndex((n, k) => is(n, !!this.heads[k]));
    if (i < 0 || !this.box.clientHeight) return;
    const middle = (this.tops[i] + this.tops[i + 1]) / 2;
    this.box.scrollTop = this.offset + middle - this.box.clientHeight / 2;
    this.draw(false);
  };

  RW.VList = VList;
})();
