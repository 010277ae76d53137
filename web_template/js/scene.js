// The two canvases. Below: the map, the night tint, lit windows and place names, redrawn only
// when the camera, the language or the light changes. On top, every frame: marks of objects
// in use, the figures back to front, and their emoji, names, captions and speech bubbles laid
// out so that none covers another.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const K = RW.Layout.KIND;
  const PLUS = Array.from({ length: 100 }, (_, n) => "+" + n);
  const NAMES_AT = 10; // CSS pixels per tile from which names and emoji are drawn
  const BUBBLES_AT = 5;
  const MAX_DPR = 2;

  function Scene(background, canvas, town, art, camera) {
    this.background = background;
    this.bgCtx = background.getContext("2d", { alpha: false });
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.town = town;
    this.art = art;
    this.camera = camera;
    this.view = camera.view;
    this.text = new RW.TextSprites();
    this.bgState = new Float64Array(9).fill(NaN);
    this.bgNow = new Float64Array(9);
    this.firsts = new Int16Array(2);
    this.places = new RW.Layout(town.places.length + 1);
    this.labels = new RW.Layout(art.looks.length * 5 + town.places.length + 9);
    this.lit = new Uint8Array(town.placeList.length);
  }

  Scene.prototype.resize = function () {
    const rect = this.canvas.getBoundingClientRect();
    // At most two canvas pixels a CSS pixel: on a 3x phone the canvases have 2.25x fewer
    // pixels to fill, and pixel art and text stay sharp enough.
    const dpr = Math.min(window.devicePixelRatio || 1, MAX_DPR);
    this.camera.resize(rect.width, rect.height, dpr);
    this.text.setDpr(dpr);
    for (const canvas of [this.background, this.canvas]) {
      canvas.width = Math.round(this.view.w * dpr);
      canvas.height = Math.round(this.view.h * dpr);
    }
    this.bgState.fill(NaN);
  };

  // Draw the map layer again at the next draw (a sheet it lacked has been decoded).
  Scene.prototype.mapChanged = function () {
    this.bgState.fill(NaN);
  };

  // Redraw the map layer if anything it shows changed.
  Scene.prototype.background_ = function (frame) {
    const v = this.view;
    const s = this.bgState;
    const now = this.bgNow;
    now[0] = v.cx;
    now[1] = v.cy;
    now[2] = v.scale;
    now[3] = v.w;
    now[4] = v.h;
    now[5] = v.dpr;
    now[6] = frame.lang === "en" ? 1 : 0;
    now[7] = frame.dark;
    now[8] = frame.litKey;
    let same = true;
    for (let i = 0; i < now.length; i++) {
      if (s[i] !== now[i]) same = false;
      s[i] = now[i];
    }
    if (same) return;
    const ctx = this.bgCtx;
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    ctx.fillStyle = "#2b2f36";
    ctx.fillRect(0, 0, v.w, v.h);
    this.town.draw(ctx, v);
    if (frame.dark > 0) {
      ctx.globalCompositeOperation = "multiply";
      ctx.fillStyle = RW.daynight.tint(frame.dark);
      ctx.fillRect(0, 0, v.w, v.h);
      ctx.globalCompositeOperation = "source-over";
      ctx.imageSmoothingEnabled = false;
      this.town.drawLights(ctx, v, frame.lit, frame.dark);
    }
    this.drawPlaces(ctx, frame.lang);
  };

  Scene.prototype.drawPlaces = function (ctx, lang) {
    const v = this.view;
    const layout = this.places;
    layout.reset(v.w, v.h);
    if (v.scale < 3) return;
    for (const level of [1, 2]) {
      if (level === 2 && v.scale < 22) break;
      for (const p of this.town.places) {
        if (p.level !== level) continue;
        const [x, y] = this.camera.toScreen(p.x, p.y);
        if (x < -150 || y < -40 || x > v.w + 150 || y > v.h + 40) continue;
        const s = this.text.get(level === 1 ? "sector" : "arena", this.town.name(p.name, lang));
        const top = y - s.h / 2 + (level === 1 && v.scale >= 22 ? -14 : 0);
        if (layout.place(x, top, s.w, s.h, -1, 1, K.place, -1)) {
          this.text.draw(ctx, s, layout.x, layout.y);
        }
      }
    }
  };

  function snap(value, dpr) {
    return Math.round(value * dpr) / dpr;
  }

  // frame: see main.js (positions, poses, texts, selection, light); figures: RW.Figures.
  Scene.prototype.draw = function (frame, figures) {
    this.background_(frame);
    const ctx = this.ctx;
    const v = this.view;
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    ctx.clearRect(0, 0, v.w, v.h);
    this.drawEffects(ctx, frame);
    this.drawFigures(ctx, frame, figures);
    this.drawLabels(ctx, frame, figures);
  };

  Scene.prototype.drawEffects = function (ctx, frame) {
    const v = this.view;
    const art = this.art;
    ctx.imageSmoothingEnabled = false;
    for (let o = 0; o < this.town.objects.length; o++) {
      if (!frame.inUse[o]) continue;
      const obj = this.town.objects[o];
      const fx = art.effects[obj.effect];
      const x = this.camera.sx(obj.x0 + obj.w / 2 - 0.5);
      const y = this.camera.sy(obj.y0 - fx[2] / art.tile);
      if (x < -v.scale || y < -v.scale || x > v.w || y > v.h) continue;
      art.drawTile(ctx, fx[frame.effectFrame], snap(x, v.dpr), snap(y, v.dpr), v.scale);
    }
  };

  Scene.prototype.drawFigures = function (ctx, frame, figures) {
    const v = this.view;
    // A figure is one tile wide, standing on its tile and rising above it; its art is drawn
    // for the default zoom (one art pixel a CSS pixel there), painted k device pixels an art
    // pixel, so that it is copied 1:1 there.
    const { w: artW, h: artH } = this.art.fig;
    const px = (v.scale * v.dpr) / artW; // device pixels per art pixel
    const k = Math.max(1, Math.round(px));
    const w = v.scale;
    const h = (v.scale * artH) / artW;
    ctx.imageSmoothingEnabled = px < 1;
    for (let i = 0; i < figures.n; i++) {
      const a = figures.order[i];
      const fx = this.camera.sx(frame.x[a] + 0.5 + figures.ox[a]);
      const fy = this.camera.sy(frame.y[a] + 1 + figures.oy[a]);
      const left = snap(fx - w / 2, v.dpr);
      const top = snap(fy - h, v.dpr);
      const b = a * 4;
      figures.drawn[a] = left > -w && top > -h && left < v.w && top < v.h ? 1 : 0;
      figures.box[b] = left;
      figures.box[b + 1] = top;
      figures.box[b + 2] = w;
      figures.box[b + 3] = h;
      if (!figures.drawn[a]) continue;
      if (a === frame.selected || a === frame.hovered) {
        ctx.beginPath();
        ctx.ellipse(fx, fy - w * 0.08, w * 0.42, w * 0.16, 0, 0, Math.PI * 2);
        ctx.fillStyle = a === frame.selected ? "#ffd23f" : "rgba(255,255,255,0.7)";
        ctx.fill();
      }
      const f = figures.frame[a];
      ctx.drawImage(this.art.figureSheet(a, k), f * artW * k, 0, artW * k, artH * k, left, top, w, h);
    }
  };

  // Names, captions, bubbles and emoji. Priority: the selected agent, the hovered one, then
  // bubbles, then names; in a crowd on one tile only one name and one bubble show, with "+N".
  Scene.prototype.drawLabels = function (ctx, frame, figures) {
    const v = this.view;
    const layout = this.labels;
    layout.reset(v.w, v.h);
    layout.copy(this.places); // bubbles keep clear of the place names
    const c = this.clearOf; // ... and of the talk line over the town
    if (c) layout.add(c[0], c[1], c[2], c[3], K.place, -1);
    const bubbles = frame.bubbles;
    bubbles.onScreen.fill(0);
    this.firsts[0] = frame.selected;
    this.firsts[1] = frame.hovered;
    for (let i = 0; i < 2; i++) {
      const a = this.firsts[i];
      if (a < 0 || !figures.drawn[a] || (a === frame.hovered && a === frame.selected)) continue;
      this.nameTag(ctx, frame, figures, a, true);
      this.bubble(ctx, frame, figures, a, frame.captions[a], "caption");
      if (bubbles.text[a]) bubbles.onScreen[a] = this.bubble(ctx, frame, figures, a, bubbles.text[a], "bubble");
    }
    if (v.scale >= BUBBLES_AT) {
      for (let i = figures.n - 1; i >= 0; i--) {
        const a = figures.order[i];
        if (!bubbles.text[a] || !figures.drawn[a] || a === frame.selected || a === frame.hovered) continue;
        if (this.crowdSpeaker(frame, figures, a) !== a) continue;
        bubbles.onScreen[a] = this.bubble(ctx, frame, figures, a, bubbles.text[a], "bubble");
      }
    }
    if (v.scale < NAMES_AT) return;
    for (let i = figures.n - 1; i >= 0; i--) {
      const a = figures.order[i];
      if (!figures.drawn[a] || a === frame.selected || a === frame.hovered) continue;
      if (figures.crowd[a] === a) this.nameTag(ctx, frame, figures, a, false);
    }
  };

  // The agent whose bubble a crowd shows: the one whose line went up last.
  Scene.prototype.crowdSpeaker = function (frame, figures, a) {
    if (figures.crowdSize[a] === 1) return a;
    let best = -1;
    for (let b = 0; b < figures.n; b++) {
      if (figures.crowd[b] !== figures.crowd[a] || !frame.bubbles.text[b]) continue;
      if (best < 0 || frame.bubbles.since[b] > frame.bubbles.since[best]) best = b;
    }
    return best;
  };

  Scene.prototype.nameTag = function (ctx, frame, figures, a, chosen) {
    const b = a * 4;
    const x = figures.box[b] + figures.box[b + 2] / 2;
    const y = figures.box[b + 1] + figures.box[b + 3] + 1;
    const s = this.text.get(chosen && a === frame.selected ? "chosen" : "name", frame.names[a]);
    const more = figures.crowdSize[a] - 1;
    const m = more > 0 && !chosen ? this.text.get("more", PLUS[Math.min(99, more)]) : null;
    const width = s.w + (m ? m.w + 2 : 0);
    const layout = this.labels;
    if (!layout.place(x, y, width, s.h, 1, 1, K.name, a)) return;
    const left = layout.x;
    const top = layout.y;
    this.text.draw(ctx, s, left, top);
    if (m) {
      layout.box[(layout.n - 1) * 4 + 2] = s.w; // the name, and beside it the "+N"
      layout.add(left + s.w + 2, top + (s.h - m.h) / 2, m.w, m.h, K.more, a);
      this.text.draw(ctx, m, layout.x, layout.y);
    }
    if (frame.emoji[a] && this.town.emojiOk) {
      const e = this.text.get("emoji", frame.emoji[a]);
      this.text.draw(ctx, e, x + figures.box[b + 2] * 0.2, figures.box[b + 1] - e.h * 0.6);
    }
  };

  // A bubble (or a caption) above agent a's head, with a tail; 1 if it was drawn.
  Scene.prototype.bubble = function (ctx, frame, figures, a, text, style) {
    if (!text) return 0;
    const b = a * 4;
    const x = figures.box[b] + figures.box[b + 2] / 2;
    const head = figures.box[b + 1];
    const s = this.text.get(style, text);
    const kind = style === "bubble" ? K.bubble : K.caption;
    const foot = head + figures.box[b + 3] + 16; // below the feet and the name tag
    if (!this.labels.place(x, head - 7 - s.h, s.w, s.h, -1, 3, kind, a) &&
      !this.labels.place(x, foot, s.w, s.h, 1, 2, kind, a)) {
      // no room for the line: a small mark says who talks (a tap shows the line in the panel)
      const m = this.text.get("more", "💬");
      if (style === "bubble" && this.labels.place(x, head - 2 - m.h, m.w, m.h, -1, 1, K.more, a)) {
        this.text.draw(ctx, m, this.labels.x, this.labels.y);
      }
      return 0;
    }
    const left = this.labels.x;
    const top = this.labels.y;
    if (style === "bubble" && top + s.h < head) {
      const tx = Math.max(left + 6, Math.min(left + s.w - 6, x));
      ctx.beginPath();
      ctx.moveTo(tx - 5, top + s.h - 1);
      ctx.lineTo(x, head - 1);
      ctx.lineTo(tx + 5, top + s.h - 1);
      ctx.fillStyle = "#ffffff";
      ctx.strokeStyle = "#4b4b55";
      ctx.fill();
      ctx.stroke();
    }
    this.text.draw(ctx, s, left, top);
    if (style === "bubble" && figures.crowdSize[a] > 1) {
      const others = this.crowdTalkers(frame, figures, a);
      if (others > 0) {
        const m = this.text.get("more", PLUS[Math.min(99, others)]);
        if (this.labels.place(left + s.w + m.w / 2 + 1, top, m.w, m.h, -1, 0, K.more, a)) {
          this.text.draw(ctx, m, this.labels.x, this.labels.y);
        }
      }
    }
    return 1;
  };

  Scene.prototype.crowdTalkers = function (frame, figures, a) {
    let n = 0;
    for (let b = 0; b < figures.n; b++) {
      if (b !== a && figures.crowd[b] === figures.crowd[a] && frame.bubbles.text[b]) n++;
    }
    return n;
  };

  // Keep bubbles clear of box [x, y, w, h] (CSS pixels of the town; null: of nothing).
  Scene.prototype.keepClear = function (box) {
    this.clearOf = box;
  };

    // Device-pixel RGBA of a rect of a layer ("top" or "map"), for tests.
  Scene.prototype.pixels = function (layer, x, y, w, h) {
    return RW.readPixels(layer === "map" ? this.background : this.canvas, x, y, w, h);
  };

  // Pixels of a canvas, read through a copy made for reading (reading a drawing canvas back
  // again and again is slow, and Chromium warns about it).
  RW.readPixels = function (canvas, x, y, w, h) {
    const copy = document.createElement("canvas");
    copy.width = w;
    copy.height = h;
    const ctx = copy.getContext("2d", { willReadFrequently: true });
    ctx.drawImage(canvas, x, y, w, h, 0, 0, w, h);
    return Array.from(ctx.getImageData(0, 0, w, h).data);
  };

  RW.Scene = Scene;
})();
