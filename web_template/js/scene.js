// The canvases: camera (centre tile and zoom); a background layer with the map, place names
// and object glyphs, redrawn only when the camera or language changes; and on top the agents
// with their names, emoji and speech bubbles. Text is drawn into cached sprites, so a frame
// with 25 agents is a few dozen drawImage calls.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const FONT =
    'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  // Colour emoji fonts first: system-ui may have plain black emoji outlines.
  const EMOJI_FONT = '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", ' + FONT;
  const STYLES = {
    sector: { font: "bold 13px " + FONT, color: "#2c2418", halo: "rgba(255,255,255,0.85)" },
    arena: { font: "11px " + FONT, color: "#4a3f33", halo: "rgba(255,255,255,0.75)" },
    glyph: { font: "13px " + FONT, color: "#3b3127" },
    initial: { font: "bold 12px " + FONT, color: "#ffffff" },
    name: { font: "bold 11px " + FONT, color: "#ffffff", bg: "rgba(30,30,40,0.78)" },
    emoji: { font: "15px " + EMOJI_FONT, color: "#000000" },
    bubble: { font: "12px " + FONT, color: "#1d1d1f", bg: "#ffffff", border: "#6b6b75",
      maxWidth: 170, lines: 3 },
  };
  const MAX_SPRITES = 800;
  const MIN_SCALE = 1;
  const MAX_SCALE = 72;
  const MARGIN = 2;

  // Whether this system draws colour emoji (a plain Linux may not): else glyphs are letters
  // and agents' emoji stay off the canvas, rather than showing empty boxes.
  RW.emojiSupported = function () {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 24;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    ctx.font = "20px " + EMOJI_FONT;
    ctx.textBaseline = "top";
    ctx.fillStyle = "#000";
    ctx.fillText("\u{1F600}", 0, 0);
    const data = ctx.getImageData(0, 0, 24, 24).data;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] && (data[i] !== data[i + 1] || data[i + 1] !== data[i + 2])) return true;
    }
    return false;
  };

  function Scene(background, canvas, town, replay) {
    this.background = background;
    this.bgCtx = background.getContext("2d", { alpha: false });
    this.bgKey = "";
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.town = town;
    this.replay = replay;
    this.sprites = new Map();
    this.charWidths = new Map();
    this.view = { cx: town.w / 2, cy: town.h / 2, scale: 16, w: 1, h: 1, dpr: 1 };
    this.inset = 0; // CSS pixels at the bottom covered by a panel
    this.colors = replay.agents.map((_, i) => `hsl(${(i * 137.508) % 360},68%,42%)`);
  }

  Scene.prototype.resize = function () {
    const rect = this.canvas.getBoundingClientRect();
    const v = this.view;
    const dpr = Math.min(window.devicePixelRatio || 1, 3);
    if (dpr !== v.dpr) this.sprites.clear(); // sprites are drawn at the old pixel ratio
    v.dpr = dpr;
    v.w = Math.max(1, rect.width);
    v.h = Math.max(1, rect.height);
    for (const canvas of [this.background, this.canvas]) {
      canvas.width = Math.round(v.w * v.dpr);
      canvas.height = Math.round(v.h * v.dpr);
    }
    this.bgKey = "";
    this.clamp();
  };

  // Zoom that shows the whole town.
  Scene.prototype.fitScale = function () {
    return Math.min(this.view.w / this.town.w, this.view.h / this.town.h);
  };

  // Keep the zoom in range and the town on screen: centred where it is smaller than the view,
  // its edges at most MARGIN tiles inside the view otherwise.
  Scene.prototype.clamp = function () {
    const v = this.view;
    v.scale = Math.max(Math.min(MIN_SCALE, this.fitScale()), Math.min(MAX_SCALE, v.scale));
    const fit = (c, size, screen, inset) => {
      const half = screen / 2 / v.scale;
      const low = half - MARGIN;
      const high = size + MARGIN - half + inset / v.scale;
      return low > high ? (low + high) / 2 : Math.max(low, Math.min(high, c));
    };
    v.cx = fit(v.cx, this.town.w, v.w, 0);
    v.cy = fit(v.cy, this.town.h, v.h, this.inset);
  };

  Scene.prototype.toWorld = function (sx, sy) {
    const v = this.view;
    return [v.cx + (sx - v.w / 2) / v.scale, v.cy + (sy - v.h / 2) / v.scale];
  };

  Scene.prototype.toScreen = function (wx, wy) {
    const v = this.view;
    return [(wx - v.cx) * v.scale + v.w / 2, (wy - v.cy) * v.scale + v.h / 2];
  };

  Scene.prototype.pan = function (dx, dy) {
    this.view.cx -= dx / this.view.scale;
    this.view.cy -= dy / this.view.scale;
    this.clamp();
  };

  // Zoom by `factor`, keeping the world point under screen point (sx, sy) in place.
  Scene.prototype.zoomAt = function (factor, sx, sy) {
    const [wx, wy] = this.toWorld(sx, sy);
    this.view.scale *= factor;
    this.clamp();
    const [nx, ny] = this.toScreen(wx, wy);
    this.pan(sx - nx, sy - ny);
  };

  Scene.prototype.sprite = function (style, text) {
    const key = style + "\u0000" + text;
    let s = this.sprites.get(key);
    if (s) this.sprites.delete(key); // re-inserted below: the Map's order is least recent first
    else s = this.makeSprite(STYLES[style], text);
    this.sprites.set(key, s);
    if (this.sprites.size > MAX_SPRITES) this.sprites.delete(this.sprites.keys().next().value);
    return s;
  };

  Scene.prototype.makeSprite = function (st, text) {
    const dpr = this.view.dpr;
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d");
    ctx.font = st.font;
    const size = parseInt(/(\d+)px/.exec(st.font)[1], 10);
    const lines = st.maxWidth ? this.wrap(ctx, text, st.maxWidth, st.lines) : [text];
    const pad = st.bg ? 4 : st.halo ? 2 : 0;
    const lineH = Math.round(size * 1.3);
    const w = Math.ceil(Math.max(...lines.map((l) => ctx.measureText(l).width))) + pad * 2;
    const h = lineH * lines.length + pad * 2;
    canvas.width = Math.max(1, Math.ceil(w * dpr));
    canvas.height = Math.max(1, Math.ceil(h * dpr));
    ctx.scale(dpr, dpr);
    if (st.bg) {
      ctx.fillStyle = st.bg;
      roundRect(ctx, 0.5, 0.5, w - 1, h - 1, 5);
      ctx.fill();
      if (st.border) {
        ctx.strokeStyle = st.border;
        ctx.stroke();
      }
    }
    ctx.font = st.font;
    ctx.textBaseline = "middle";
    lines.forEach((line, i) => {
      const y = pad + lineH * (i + 0.5);
      if (st.halo) {
        ctx.strokeStyle = st.halo;
        ctx.lineWidth = 3;
        ctx.lineJoin = "round";
        ctx.strokeText(line, pad, y);
      }
      ctx.fillStyle = st.color;
      ctx.fillText(line, pad, y);
    });
    return { canvas, w, h };
  };

  // Lines of at most maxWidth pixels (at most maxLines, the last cut with "…"), from widths
  // of single characters measured once per font.
  Scene.prototype.wrap = function (ctx, text, maxWidth, maxLines) {
    const lines = [];
    let line = "";
    let width = 0;
    for (const ch of Array.from(text)) {
      const key = ctx.font + "\u0000" + ch;
      let w = this.charWidths.get(key);
      if (w === undefined) this.charWidths.set(key, (w = ctx.measureText(ch).width));
      if (width + w > maxWidth && line) {
        lines.push(line);
        if (lines.length === maxLines) {
          lines[maxLines - 1] = Array.from(line).slice(0, -1).join("") + "…";
          return lines;
        }
        [line, width] = ["", 0];
      }
      line += ch;
      width += w;
    }
    lines.push(line);
    return lines;
  };

  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }

  function blit(ctx, sprite, x, y) {
    ctx.drawImage(sprite.canvas, Math.round(x), Math.round(y), sprite.w, sprite.h);
  }

  Scene.prototype.drawBackground = function (lang) {
    const ctx = this.bgCtx;
    const v = this.view;
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    ctx.fillStyle = "#2b2f36";
    ctx.fillRect(0, 0, v.w, v.h);
    this.town.draw(ctx, v);
    this.drawPlaces(ctx, lang);
  };

  Scene.prototype.drawPlaces = function (ctx, lang) {
    const v = this.view;
    const showArenas = v.scale >= 22;
    if (v.scale >= 14) {
      for (const o of this.town.objects) {
        const [x, y] = this.toScreen(o.x, o.y);
        if (x < -20 || y < -20 || x > v.w + 20 || y > v.h + 20) continue;
        const s = this.sprite(o.emoji ? "emoji" : "glyph", this.town.glyph(o, lang));
        blit(ctx, s, x - s.w / 2, y - s.h / 2);
      }
    }
    for (const p of this.town.places) {
      if (p.level === 2 && !showArenas) continue;
      if (p.level === 1 && v.scale < 3) continue;
      const [x, y] = this.toScreen(p.x, p.y);
      if (x < -150 || y < -30 || x > v.w + 150 || y > v.h + 30) continue;
      const s = this.sprite(p.level === 1 ? "sector" : "arena", this.town.name(p.name, lang));
      blit(ctx, s, x - s.w / 2, y - s.h / 2 + (p.level === 1 && showArenas ? -14 : 0));
    }
  };

  // frame: {x, y (Float32Array, tile units), names, emoji, bubbles, selected, lang}
  Scene.prototype.draw = function (frame) {
    const ctx = this.ctx;
    const v = this.view;
    const key = [v.cx, v.cy, v.scale, v.w, v.h, v.dpr, frame.lang].join();
    if (key !== this.bgKey) {
      this.bgKey = key;
      this.drawBackground(frame.lang);
    }
    ctx.setTransform(v.dpr, 0, 0, v.dpr, 0, 0);
    ctx.clearRect(0, 0, v.w, v.h);
    const order = Array.from(frame.x.keys()).sort((a, b) => frame.y[a] - frame.y[b]);
    const r = Math.max(4, Math.min(20, v.scale * 0.42));
    const bubbles = [];
    for (const a of order) {
      const [x, y] = this.toScreen(frame.x[a] + 0.5, frame.y[a] + 0.5);
      if (x < -200 || y < -100 || x > v.w + 200 || y > v.h + 100) continue;
      const selected = a === frame.selected;
      if (selected) {
        ctx.beginPath();
        ctx.arc(x, y, r + 4, 0, Math.PI * 2);
        ctx.fillStyle = "#ffd23f";
        ctx.fill();
      }
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      ctx.fillStyle = this.colors[a];
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
      if (r >= 8) {
        const s = this.sprite("initial", Array.from(frame.names[a])[0] || "?");
        blit(ctx, s, x - s.w / 2, y - s.h / 2);
      }
      if (v.scale >= 6 || selected) {
        const s = this.sprite("name", frame.names[a]);
        blit(ctx, s, x - s.w / 2, y + r + 2);
        if (frame.emoji[a] && this.town.emoji) {
          const e = this.sprite("emoji", frame.emoji[a]);
          blit(ctx, e, x + r * 0.5, y - r - e.h * 0.7);
        }
      }
      if (frame.bubbles[a] && (v.scale >= 6 || selected)) bubbles.push([a, x, y]);
    }
    for (const [a, x, y] of bubbles) {
      const s = this.sprite("bubble", frame.bubbles[a]);
      blit(ctx, s, x - s.w / 2, y - r - 10 - s.h);
    }
  };

  RW.Scene = Scene;
})();
