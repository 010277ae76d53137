// Text drawn once into small canvases and reused: names, place names, captions, bubbles.
// A frame then draws text with drawImage only. Least recently used sprites are dropped.
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
  const MAX_SPRITES = 1500;

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
    this.size = 0;
    this.charWidths = new Map();
    this.dpr = 1;
    this.measurer = document.createElement("canvas").getContext("2d");
  }

  TextSprites.prototype.setDpr = function (dpr) {
    if (dpr !== this.dpr) this.clear(); // drawn at the old pixel ratio
    this.dpr = dpr;
  };

  TextSprites.prototype.clear = function () {
    this.cache.clear();
    this.size = 0;
  };

  // {canvas, w, h, text} for `text` in `style` (w, h in CSS pixels).
  TextSprites.prototype.get = function (style, text) {
    let byText = this.cache.get(style);
    if (!byText) this.cache.set(style, (byText = new Map()));
    let s = byText.get(text);
    if (!s) {
      if (this.size >= MAX_SPRITES) this.clear(); // rare: a long session of new texts
      byText.set(text, (s = this.make(STYLES[style], text)));
      this.size++;
    }
    return s;
  };

  // The sprite's size is measured now; its canvas is painted when first drawn (in a crowd
  // most lines are measured for a place that is not free, and never drawn).
  TextSprites.prototype.make = function (st, text) {
    if (st === STYLES.emoji) text = emojiStyle(text);
    const ctx = this.measurer;
    ctx.font = st.font;
    const size = parseInt(/(\d+)px/.exec(st.font)[1], 10);
    const lines = st.maxWidth ? this.wrap(ctx, text, st.maxWidth, st.lines) : [text];
    const pad = st.bg ? 4 : st.halo ? 2 : 0;
    const lineH = Math.round(size * 1.3);
    const w = Math.ceil(Math.max(...lines.map((l) => ctx.measureText(l).width))) + pad * 2;
    const h = lineH * lines.length + pad * 2;
    const dpr = this.dpr;
    let canvas = null;
    return {
      get canvas() {
        return canvas || (canvas = paint(st, lines, w, h, dpr, pad, lineH));
      },
      w, h, text, lines,
    };
  };

  function paint(st, lines, w, h, dpr, pad, lineH) {
    const canvas = document.createElement("canvas");
    const ctx = canvas.getContext("2d");
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
    return canvas;
  }

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
