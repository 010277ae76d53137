// Speech bubbles on a real-time clock: a line stays up at least max(2.5 s, 70 ms a
// character) of real time whatever the playback speed, and playback waits before a step that
// would replace a line on screen that has not had its time yet (see main.js).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const MIN_MS = 2500;
  const MS_PER_CHAR = 70;

  function Bubbles(n) {
    this.n = n;
    this.text = new Array(n).fill("");
    this.since = new Float64Array(n); // performance.now() when the line went up
    this.min = new Float64Array(n); // its minimum time on screen, ms
    this.current = new Uint8Array(n); // the line is still being said at this step
    this.onScreen = new Uint8Array(n); // drawn in full in the last frame
  }

  Bubbles.minMs = function (text) {
    return Math.max(MIN_MS, MS_PER_CHAR * Array.from(text).length);
  };

  // Follow the lines being said at the step shown (`line(a)`: the line or ""); `reset` after a
  // jump, when old lines go at once.
  Bubbles.prototype.sync = function (line, now, reset) {
    for (let a = 0; a < this.n; a++) {
      const text = line(a);
      this.current[a] = text ? 1 : 0;
      if (text && text !== this.text[a]) {
        this.text[a] = text;
        this.since[a] = now;
        this.min[a] = Bubbles.minMs(text);
      } else if (!text && reset) this.text[a] = "";
    }
  };

  // Drop lines no longer said that have had their time; true if any went.
  Bubbles.prototype.expire = function (now) {
    let changed = false;
    for (let a = 0; a < this.n; a++) {
      if (this.text[a] && !this.current[a] && now - this.since[a] >= this.min[a]) {
        this.text[a] = "";
        changed = true;
      }
    }
    return changed;
  };

  // Whether moving on (`next(a)`: the line at the next step) would replace a line on screen
  // before its time.
  Bubbles.prototype.holds = function (next, now) {
    for (let a = 0; a < this.n; a++) {
      if (!this.onScreen[a] || now - this.since[a] >= this.min[a]) continue;
      const line = next(a);
      if (line && line !== this.text[a]) return true;
    }
    return false;
  };

  // Whether a line that is still being said is on screen (a conversation in view).
  Bubbles.prototype.talking = function () {
    for (let a = 0; a < this.n; a++) if (this.onScreen[a] && this.current[a]) return true;
    return false;
  };

  RW.Bubbles = Bubbles;
})();
