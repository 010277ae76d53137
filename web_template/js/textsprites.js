// Text drawn once and reused: names, place names, captions, bubbles. Small ones share atlas
// canvases of PAGE_W x PAGE_H (a canvas per text costs a context and a font lookup each,
// several times the drawing; and a canvas drawn from after a change is copied whole, so the
// pages stay small); a text too big for a page gets a canvas of its own. A frame then draws
// text with drawImage only. When the atlas is full, it starts again empty.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const FONT =
    'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
  // Colour emoji fonts first: system-ui may have plain black emoji outlines.
  const EMOJI_FONT = '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", ' + FONT;
  const STYLES = {
    sector: { font: "bold 13px " + FONT, color: "#2c2418", halo: "rgba(255,255,255,0.85)",
      maxWidth: 150, lines: 2 },
    arena: { font: "11px " + FONT, color: "#4a3f33", halo: "rgba(255,255,255,0.75)",
      maxWidth: 110, lines: 2 },
    name: { font: "bold 11px " + FONT, color: "#ffffff", bg: "rgba(30,30,40,0.78)" },
    chosen: { font: "bold 11px " + FONT, color: "#1d1d1f", bg: "#ffd23f", border: "#8a6d00" },
    caption: { font: "11px " + FONT, color: "#ffffff", bg: "rgba(30,30,40,0.86)",
      maxWidth: 190, lines: 2 },
    emoji: { font: "18px " + EMOJI_FONT, color: "#000000" },
    bubble: { font: "12px " + FONT, color: "#1d1d1f", bg: "#ffffff", border: "#4b4b55",
      maxWidth: 180, lines: 4 },
    more: { font: "bold 10px " + FONT, color: "#ffffff", bg: "#6b4f00" },
  };
  const PAGE_W = 512; // device pixels
  const PAGE_H = 128;
  const MAX_PAGES = 48;
  const GAP = 2; // device pixels between sprites

  // Whether this system draws colour emoji (a plain Linux may not): else agents' emoji stay
  // off the canvas, rather than showing empty boxes.
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

  // One symbol drawn as a colour emoji: some (🍽, ☕ on some systems) are text symbols unless
  // followed by the variation selector U+FE0F, and then read as a small plain outline.
  function emojiStyle(text) {
    const chars = Array.from(text);
    return chars.length === 1 && chars[0].codePointAt(0) > 0x2000 ? text + "\uFE0F" : text;
  }

  function roundRect(ctx, x, y, w, h, r) {
    ctx.beginPath();
    ctx.moveTo(x + r, y);
    ctx.arcTo(x + w, y, x + w, y + h, r);
    ctx.arcTo(x + w, y + h, x, y + h, r);
    ctx.arcTo(x, y + h, x, y, r);
    ctx.arcTo(x, y, x + w, y, r);
    ctx.closePath();
  }

  function TextSprites() {
    this.cache = new Map(); // style -> Map(text -> sprite): no key strings made per frame
    this.charWidths = new Map();
    this.dpr = 1;
    this.measurer = document.createElement("canvas").getContext("2d");
    this.clear();
  }

  TextSprites.prototype.setDpr = function (dpr) {
    if (dpr !== this.dpr) this.clear(); // drawn at the old pixel ratio
    this.dpr = dpr;
  };

  // Drop every sprite; new ones go to new canvases (sprites taken before stay drawable).
  TextSprites.prototype.clear = function () {
    this.cache.clear();
    this.pages = [];
    this.shelf = { x: PAGE_W, y: PAGE_H, h: 0 }; // full: the next sprite opens a page
  };

  // {canvas, sx, sy, sw, sh, w, h, text, lines} for `text` in `style` (w, h in CSS pixels;
  // sx.. the device-pixel rect on the atlas canvas).
  TextSprites.prototype.get = function (style, text) {
    let byText = this.cache.get(style);
    if (!byText) this.cache.set(style, (byText = new Map()));
    let s = byText.get(text);
    if (!s) byText.set(text, (s = this.make(STYLES[style], text)));
    return s;
  };

  // Draw sprite s with its top left at (x, y) CSS pixels.
  TextSprites.prototype.draw = function (ctx, s, x, y) {
    ctx.drawImage(s.canvas, s.sx, s.sy, s.sw, s.sh, x, y, s.w, s.h);
  };

  // A free device-pixel rect of sw x sh on the atlas (or a canvas of its own): [ctx, x, y].
  TextSprites.prototype.room = function (sw, sh) {
    const page = () => {
      const canvas = document.createElement("canvas");
      [canvas.width, canvas.height] = sw > PAGE_W || sh > PAGE_H ? [sw, sh] : [PAGE_W, PAGE_H];
      return canvas.getContext("2d");
    };
    if (sw > PAGE_W || sh > PAGE_H) return [page(), 0, 0];
    let shelf = this.shelf;
    if (shelf.x + sw > PAGE_W) shelf = { x: 0, y: shelf.y + shelf.h + GAP, h: 0 };
    if (shelf.y + sh > PAGE_H) {
      if (this.pages.length >= MAX_PAGES) this.clear(); // sprites held keep their canvases
      this.pages.push(page());
      shelf = { x: 0, y: 0, h: 0 };
    }
    const at = [this.pages[this.pages.length - 1], shelf.x, shelf.y];
    shelf.x += sw + GAP;
    shelf.h = Math.max(shelf.h, sh);
    this.shelf = shelf;
    return at;
  };

  TextSprites.prototype.make = function (st, text) {
    if (st === STYLES.emoji) text = emojiStyle(text);
    const dpr = this.dpr;
    const m = this.measurer;
    m.font = st.font;
    const size = parseInt(/(\d+)px/.exec(st.font)[1], 10);
    const fits = !st.maxWidth || m.measureText(text).width <= st.maxWidth; // one measure
    const lines = fits ? [text] : this.wrap(m, text, st.maxWidth, st.lines);
    const pad = st.bg ? 4 : st.halo ? 2 : 0;
    const lineH = Math.round(size * 1.3);
    const w = Math.ceil(Math.max(...lines.map((l) => m.measureText(l).width))) + pad * 2;
    const h = lineH * lines.length + pad * 2;
    const [sw, sh] = [Math.max(1, Math.ceil(w * dpr)), Math.max(1, Math.ceil(h * dpr))];
    const [ctx, sx, sy] = this.room(sw, sh);
    ctx.setTransform(dpr, 0, 0, dpr, sx, sy);
    if (st.bg) {
      ctx.fillStyle = st.bg;
      roundRect(ctx, 0.5, 0.5, w - 1, h - 1, 5);
      ctx.fill();
      if (st.border) {
        ctx.strokeStyle = st.border;
        ctx.lineWidth = 1;
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
    return { canvas: ctx.canvas, sx, sy, sw, sh, w, h, text, lines };
  };

  // Lines of at most maxWidth pixels (at most maxLines, the last cut with "…"). Breaks at a
  // space where the line has one (English), else anywhere (Chinese).
  TextSprites.prototype.wrap = function (ctx, text, maxWidth, maxLines) {
    const lines = [];
    let line = [];
    let width = 0;
    const measure = (ch) => {
      const key = ctx.font + "\u0000" + ch;
      let w = this.charWidths.get(key);
      if (w === undefined) this.charWidths.set(key, (w = ctx.measureText(ch).width));
      return w;
    };
    for (const ch of Array.from(text)) {
      const w = measure(ch);
      if (width + w > maxWidth && line.length) {
        const space = line.lastIndexOf(" ");
        const rest = space > 0 ? line.splice(space) : [];
        if (rest.length) rest.shift();
        lines.push(line.join(""));
        if (lines.length === maxLines) {
          lines[maxLines - 1] = Array.from(lines[maxLines - 1]).slice(0, -1).join("") + "…";
          return lines;
        }
        line = rest;
        width = rest.reduce((sum, c) => sum + measure(c), 0);
      }
      line.push(ch);
      width += w;
    }
    lines.push(line.join(""));
    return lines;
  };

  RW.TextSprites = TextSprites;
  RW.roundRect = roundRect;
})();
