// Camera input: mouse drag and wheel, arrow keys (not with Shift: keys.js steps) and +/-, one-finger drag and two-finger pinch
// (pointer events), and taps. Moves the camera (which tells the store); calls hooks.tap(x, y)
// on a tap or click, hooks.moved() when the user moves the camera by hand, hooks.hover(x, y)
// as the mouse moves over the town (null, null when it leaves).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const TAP_SLOP = 8; // CSS pixels a tap may move
  const KEY_PAN = 80; // CSS pixels per arrow key press

  RW.bindInput = function (canvas, camera, hooks) {
    const pointers = new Map();
    let pinch = null;
    let tap = null;

    function local(e) {
      const rect = canvas.getBoundingClientRect();
      return [e.clientX - rect.left, e.clientY - rect.top];
    }

    function pinchState() {
      const [a, b] = Array.from(pointers.values());
      return { d: Math.hypot(a[0] - b[0], a[1] - b[1]) || 1, mx: (a[0] + b[0]) / 2,
        my: (a[1] + b[1]) / 2 };
    }

    canvas.addEventListener("pointerdown", (e) => {
      canvas.setPointerCapture(e.pointerId);
      pointers.set(e.pointerId, local(e));
      if (pointers.size === 1) tap = { x: local(e)[0], y: local(e)[1], ok: true };
      else {
        tap = null;
        pinch = pinchState();
      }
    });

    canvas.addEventListener("pointermove", (e) => {
      const old = pointers.get(e.pointerId);
      if (!old) {
        if (e.pointerType === "mouse") hooks.hover(...local(e));
        return;
      }
      const now = local(e);
      if (tap && tap.ok) {
        // Still a tap while within TAP_SLOP of where it began; then the drag starts from there.
        if (Math.hypot(now[0] - tap.x, now[1] - tap.y) <= TAP_SLOP) return;
        tap.ok = false;
      }
      pointers.set(e.pointerId, now);
      if (pointers.size === 1) {
        camera.pan(now[0] - old[0], now[1] - old[1]);
      } else if (pointers.size === 2 && pinch) {
        const next = pinchState();
        camera.zoomAt(next.d / pinch.d, pinch.mx, pinch.my);
        camera.pan(next.mx - pinch.mx, next.my - pinch.my);
        pinch = next;
      } else return;
      hooks.moved();
    });

    function release(e) {
      if (!pointers.has(e.pointerId)) return;
      pointers.delete(e.pointerId);
      if (e.type === "pointerup" && tap && tap.ok && pointers.size === 0) hooks.tap(tap.x, tap.y);
      if (pointers.size < 2) pinch = null;
      if (pointers.size === 0) tap = null;
    }
    canvas.addEventListener("pointerleave", () => hooks.hover(null, null));
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);

    canvas.addEventListener(
      "wheel",
      (e) => {
        e.preventDefault();
        const [x, y] = local(e);
        const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
        camera.zoomAt(Math.exp(-delta * 0.0015), x, y);
      },
      { passive: false }
    );

    window.addEventListener("keydown", (e) => {
      const tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey ||
        e.shiftKey) {
        return;
      }
      const pans = { ArrowLeft: [KEY_PAN, 0], ArrowRight: [-KEY_PAN, 0], ArrowUp: [0, KEY_PAN],
        ArrowDown: [0, -KEY_PAN] };
      const v = camera.view;
      if (pans[e.key]) {
        camera.pan(pans[e.key][0], pans[e.key][1]);
        hooks.moved();
      } else if (e.key === "+" || e.key === "=") camera.zoomAt(1.25, v.w / 2, v.h / 2);
      else if (e.key === "-" || e.key === "_") camera.zoomAt(0.8, v.w / 2, v.h / 2);
      else return;
      e.preventDefault();
    });
  };
})();
