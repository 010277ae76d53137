// The art (drawn at build time by sitegen/art, shipped as palette-indexed pixels in
// data/sprites.js): the tile atlas as one canvas, and for each agent its figure sheet painted
// in its own colours, kept pre-scaled to the zoom in use so that a figure is one drawImage.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  // A canvas of w x h indexed pixels (rows `width` long), each pixel a k x k square with its
  // colour from `palette` (RGBA bytes per index).
  function paint(pixels, w, h, palette, width, k) {
    const canvas = document.createElement("canvas");
    canvas.width = w * k;
    canvas.height = h * k;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(w * k, h * k);
    const out = new Uint32Array(image.data.buffer);
    const words = new Uint32Array(palette.length / 4);
    new Uint8Array(words.buffer).set(palette);
    const W = w * k;
    for (let y = 0; y < h; y++) {
      const first = y * k * W;
      let o = first;
      for (let x = 0; x < w; x++) {
        const v = words[pixels[y * width + x]];
        for (let j = 0; j < k; j++) out[o++] = v;
      }
      for (let r = 1; r < k; r++) out.copyWithin(first + r * W, first, first + W);
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  }

  // `raw`: the sprites payload; `looks`: each agent's {style, colours}.
  function Art(raw, looks) {
    const atlas = raw.atlas;
    this.tile = raw.tile;
    this.columns = atlas.columns;
    this.index = {};
    atlas.names.forEach((name, i) => (this.index[name] = i));
    this.atlas = paint(atlas.pixels, atlas.width, atlas.height, raw.palette, atlas.width, 1);
    this.effects = raw.effects;
    this.raw = raw;
    const fig = raw.figures;
    this.fig = { w: fig.width, h: fig.height, frames: fig.frames.length };
    this.frame = {};
    fig.frames.forEach((name, i) => (this.frame[name] = i));
    this.figPixels = fig.pixels;
    this.figWidth = fig.width_px;
    this.looks = looks;
    this.scaled = [];
    this.scaledBy = 0;
  }

  // Source x, y of atlas sprite `i`.
  Art.prototype.sx = function (i) {
    return (i % this.columns) * this.tile;
  };
  Art.prototype.sy = function (i) {
    return Math.floor(i / this.columns) * this.tile;
  };

  Art.prototype.drawTile = function (ctx, i, x, y, size) {
    if (!i) return;
    ctx.drawImage(this.atlas, this.sx(i), this.sy(i), this.tile, this.tile, x, y, size, size);
  };

  // Mean colour [r, g, b] of each atlas sprite (for the one-pixel-per-tile overview).
  Art.prototype.averageColours = function (atlas, palette) {
    const n = atlas.names.length;
    const out = new Float32Array(n * 4);
    for (let i = 0; i < n; i++) {
      const x0 = this.sx(i);
      const y0 = this.sy(i);
      for (let y = 0; y < this.tile; y++) {
        for (let x = 0; x < this.tile; x++) {
          const p = atlas.pixels[(y0 + y) * atlas.width + x0 + x] * 4;
          const a = palette[p + 3] / 255;
          out[i * 4] += palette[p] * a;
          out[i * 4 + 1] += palette[p + 1] * a;
          out[i * 4 + 2] += palette[p + 2] * a;
          out[i * 4 + 3] += a;
        }
      }
    }
    return out;
  };

  // Mean colour of each atlas sprite, worked out when first asked for (the overview).
  Object.defineProperty(Art.prototype, "average", {
    get() {
      if (!this.averages) this.averages = this.averageColours(this.raw.atlas, this.raw.palette);
      return this.averages;
    },
  });

  // Agent a's figure sheet (its style's row of frames in its colours) with each art pixel
  // k x k canvas pixels; painted when first drawn at that zoom.
  Art.prototype.figureSheet = function (a, k) {
    if (k !== this.scaledBy) {
      this.scaledBy = k;
      this.scaled = new Array(this.looks.length).fill(null);
    }
    if (!this.scaled[a]) {
      const look = this.looks[a];
      const rowPixels = this.figWidth * this.fig.h;
      const row = this.figPixels.subarray(look.style * rowPixels, (look.style + 1) * rowPixels);
      const one = paint(row, this.figWidth, this.fig.h, look.colours, this.figWidth, 1);
      this.scaled[a] = k === 1 ? one : scaleUp(one, k);
    }
    return this.scaled[a];
  };

  // A canvas k times the size of `canvas`, each pixel a k x k square (pixel by pixel in JS
  // this was most of a throttled phone's first frame in a crowd: 50 sheets at k = 3).
  function scaleUp(canvas, k) {
    const out = document.createElement("canvas");
    out.width = canvas.width * k;
    out.height = canvas.height * k;
    const ctx = out.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(canvas, 0, 0, out.width, out.height);
    return out;
  }

  RW.Art = Art;
})();
