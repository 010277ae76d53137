// The talk line: the latest lines said in view, with who said them, held for at least their
// reading time (bubbles.js) even when playback moves on quickly; so talk stays readable at any
// speed without slowing the clock.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const SHOWN = 3;

  // bubbles: RW.Bubbles; figures: RW.Figures (who is drawn in view); shown: RW.Shown (names);
  // moved(box): the talk line's box on the town ([x, y, w, h] CSS pixels, null when empty),
  // for the bubbles to keep clear of it.
  function Ticker(bubbles, figures, shown, moved) {
    this.moved = moved;
    this.bubbles = bubbles;
    this.figures = figures;
    this.shown = shown;
    this.list = document.getElementById("ticker");
    this.key = "";
  }

  // The agents whose lines show now: in view, still being said or within their time.
  Ticker.prototype.speakers = function (now) {
    const b = this.bubbles;
    const out = [];
    for (let a = 0; a < b.n; a++) {
      if (!b.text[a] || !this.figures.drawn[a]) continue;
      if (b.current[a] || now - b.since[a] < b.min[a]) out.push(a);
    }
    return out.sort((p, q) => b.since[q] - b.since[p]).slice(0, SHOWN);
  };

  Ticker.prototype.refresh = function (now) {
    const who = this.speakers(now);
    const key = who.map((a) => a + ":" + this.bubbles.since[a]).join("|") + this.shown.name(0);
    if (key === this.key) return;
    this.key = key;
    this.list.replaceChildren(...who.map((a) => {
      const item = RW.el("li");
      item.append(RW.el("b", "", this.shown.name(a)), RW.el("span", "", this.bubbles.text[a]));
      return item;
    }));
    const l = this.list;
    this.moved(who.length ? [l.offsetLeft, l.offsetTop, l.offsetWidth, l.offsetHeight] : null);
  };

  RW.Ticker = Ticker;
})();
