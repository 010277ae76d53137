// The minimap (desktop): the whole town small, a dot per agent, the camera's view as a
// frame; a click or drag on it moves the camera there.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const WIDTH = 180; // CSS pixels

  // frame: RW.Shown's frame (where agents are drawn); colours: an agent's colour by number;
  // focus: RW.Focus (a move here ends following).
  function Minimap(store, town, camera, frame, colours, focus) {
    this.store = store;
    this.town = town;
    this.camera = camera;
    this.frame = frame;
    this.colours = colours;
    this.canvas = document.getElementById("minimap");
    this.scale = WIDTH / town.w;
    // shown on large screens only (style.css): asked of the media query, not of the layout
    this.wide = window.matchMedia("(min-width: 800px) and (min-height: 501px)");
    this.canvas.style.width = WIDTH + "px";
    this.canvas.style.height = Math.round(town.h * this.scale) + "px";
    const move = (e) => {
      const rect = this.canvas.getBoundingClientRect();
      camera.centre((e.clientX - rect.left) / this.scale, (e.clientY - rect.top) / this.scale);
      focus.moved();
      this.refresh();
    };
    this.canvas.addEventListener("pointerdown", (e) => {
      this.canvas.setPointerCapture(e.pointerId);
      this.dragging = true;
      move(e);
    });
    this.canvas.addEventListener("pointermove", (e) => this.dragging && move(e));
    this.canvas.addEventListener("pointerup", () => (this.dragging = false));
    this.canvas.addEventListener("pointercancel", () => (this.dragging = false));
  }

  Minimap.prototype.refresh = function () {
    const { town, frame } = this;
    if (!this.wide.matches) return;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    const s = this.scale;
    const w = Math.round(town.w * s * dpr);
    const h = Math.round(town.h * s * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(town.overview, 0, 0, town.w * s, town.h * s);
    const selected = this.store.get("selected");
    for (let a = 0; a < this.colours.length; a++) {
      ctx.fillStyle = a === selected ? "#ffd23f" : this.colours[a];
      ctx.fillRect(frame.x[a] * s - 1.5, frame.y[a] * s - 1.5, 4, 4);
    }
    const v = this.camera.view;
    const vw = (v.w / v.scale) * s;
    const vh = (v.h / v.scale) * s;
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 1.5;
    ctx.strokeRect(v.cx * s - vw / 2, v.cy * s - vh / 2, vw, vh);
  };

  RW.Minimap = Minimap;
})();
