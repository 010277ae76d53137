// Day and night from the game clock: how dark it is (0 day .. 1 night), the tint laid over the
// map, and which windows are lit (the sectors where somebody is awake).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const NIGHT = [58, 70, 128]; // the map is multiplied by this colour at full night
  const STEPS = 16; // darkness is rounded to 1/STEPS, so the map is redrawn only that often
  const SLEEPING = /睡|sleep|asleep|nap/i;

  function ramp(h, from, to) {
    const t = Math.max(0, Math.min(1, (h - from) / (to - from)));
    return t * t * (3 - 2 * t);
  }

  const daynight = (RW.daynight = {});

  // Darkness at a game time (a Date whose UTC fields are the game's local time): day from
  // 07:00 to 17:00, dusk until 20:00, night until 05:00, dawn until 07:00.
  daynight.darkness = function (date) {
    const h = date.getUTCHours() + date.getUTCMinutes() / 60;
    const dark = h < 12 ? 1 - ramp(h, 5, 7) : ramp(h, 17, 20);
    return Math.round(dark * STEPS) / STEPS;
  };

  // The multiply colour for a darkness, as a CSS colour.
  daynight.tint = function (dark) {
    const c = NIGHT.map((v) => Math.round(255 - (255 - v) * dark));
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };

  daynight.asleep = function (emoji, action) {
    return emoji === "😴" || SLEEPING.test(action || "");
  };

  // Mark in `lit` (one byte per place) the sectors where an awake agent is.
  daynight.litSectors = function (town, x, y, asleep, lit) {
    lit.fill(0);
    for (let a = 0; a < x.length; a++) {
      if (asleep[a]) continue;
      const sector = town.sectorTile[Math.round(y[a]) * town.w + Math.round(x[a])];
      if (sector >= 0) lit[sector] = 1;
    }
  };
})();
