// Keys on a desktop (listed in the legend): space plays, Shift+←/→ steps (plain arrows pan,
// input.js), [ and ] go back or on an hour, f follows the person chosen, 1-5 set the speed,
// ? opens the legend, Escape closes it.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  // p: the page's parts {store, replay, player, focus, help}.
  RW.bindKeys = function (p) {
    const { store, replay, player, focus, help } = p;
    const hour = Math.max(1, Math.round(3600 / replay.meta.sec_per_step));
    const go = (by) => {
      player.pause();
      player.seek(store.get("step") + by);
    };
    const actions = {
      " ": () => (store.get("playing") ? player.pause() : player.play()),
      "[": () => go(-hour),
      "]": () => go(hour),
      f: () => focus.follow(!store.get("following")),
      "?": () => help.legend(document.getElementById("legend").hidden),
      Escape: () => help.legend(false),
    };
    window.addEventListener("keydown", (e) => {
      const tag = e.target.tagName || "";
      if (e.key !== "Escape" && (/INPUT|SELECT|TEXTAREA/.test(tag) ||
        (tag === "BUTTON" && e.key === " "))) return; // typing, or a button's own space
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      let act = actions[e.key];
      if (/^[1-5]$/.test(e.key)) act = () => player.setSpeed(+e.key);
      if (e.shiftKey && (e.key === "ArrowLeft" || e.key === "ArrowRight")) {
        act = () => go(e.key === "ArrowLeft" ? -1 : 1);
      }
      if (!act) return;
      e.preventDefault();
      act();
    });
  };
})();
