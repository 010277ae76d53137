// The page's shared state: the few values that several modules read. Each key has one
// writer, the module that owns it (it checks the value); the others read it with get() and
// learn of changes with subscribe(). Everything else a module keeps is its own.
//
//   step, playing, speed, ease   player.js   (the step shown; playing or paused; speed 1-5;
//                                             slowing down for talk)
//   selected, following          focus.js    (the agent chosen, -1 for none; the camera
//                                             following them)
//   lang                         ui.js       ("zh" or "en": the language button; main.js
//                                             gives the first value)
//   view                         camera.js   ({cx, cy, scale, w, h, dpr}, frozen: where the
//                                             camera looks)
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  function Store(initial) {
    this.values = Object.assign({}, initial);
    this.subscribers = [];
  }

  Store.prototype.known = function (key) {
    if (!(key in this.values)) throw new Error("no such key in the store: " + key);
  };

  Store.prototype.get = function (key) {
    this.known(key);
    return this.values[key];
  };

  // Set the keys of `patch`; subscribers to any key that changed (Object.is) are called,
  // once each, in the order they subscribed, with the list of changed keys. Returns it.
  Store.prototype.set = function (patch) {
    const changed = [];
    for (const key of Object.keys(patch)) {
      this.known(key);
      if (Object.is(this.values[key], patch[key])) continue;
      this.values[key] = patch[key];
      changed.push(key);
    }
    if (changed.length === 0) return changed;
    for (const s of this.subscribers.slice()) {
      if (s.keys.some((k) => changed.includes(k))) s.fn(changed);
    }
    return changed;
  };

  // Call fn(changedKeys) after each set() that changes any of `keys`; returns the undo.
  Store.prototype.subscribe = function (keys, fn) {
    keys.forEach((k) => this.known(k));
    const entry = { keys, fn };
    this.subscribers.push(entry);
    return () => {
      this.subscribers = this.subscribers.filter((s) => s !== entry);
    };
  };

  RW.Store = Store;
})();
