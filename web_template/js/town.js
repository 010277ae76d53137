// The town: grids decoded from the meta payload, places and object groups (placed by the
// build), and the pre-rendered map: tile chunks drawn from the art atlas, and a
// one-pixel-per-tile overview for the far zooms and the minimap.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const TILE_PX = 16; // pixels per tile in pre-rendered chunks (the art's own size)
  const CHUNK = 8; // tiles per chunk side (small: a phone's view wastes little of them)
  const MAX_CHUNKS = 384;
  const CHUNK_MIN_PX = 6; // device pixels per tile below which the overview is drawn

  function bytesToInts(bytes, size) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Uint32Array(bytes.byteLength / size);
    for (let i = 0; i < out.length; i++) {
      out[i] = size === 2 ? view.getUint16(i * 2, true) : view.getUint32(i * 4, true);
    }
    return out;
  }

  function Town(raw, language, art) {
    this.art = art;
    this.w = raw.width;
    this.h = raw.height;
    this.world = raw.world;
    this.language = language;
    this.labels = raw.labels || {};
    this.kinds = raw.kinds || {};
    this.addresses = raw.addresses.map((a) => a.split(":"));
    this.addressIndex = new Map(raw.addresses.map((a, i) => [a, i]));
    this.grid = bytesToInts(raw.address_grid, raw.address_bytes);
    this.collision = raw.collision;
    this.water = raw.water;
    this.ground = raw.ground;
    this.overlay = raw.overlay;
    this.windows = raw.windows;
    this.indexPlaces();
    this.places = raw.places.map(([name, level, x, y]) => ({ name, level, x: x + 0.5,
      y: y + 0.5 }));
    this.indexObjects(raw.objects);
    this.chunks = new Map();
  }

  // One pixel a tile, made when first needed (far zooms, the minimap).
  Object.defineProperty(Town.prototype, "overview", {
    get() {
      if (!this.overviewCanvas) this.overviewCanvas = this.renderOverview();
      return this.overviewCanvas;
    },
  });

  // The name of a place part in the interface language.
  Town.prototype.name = function (part, lang) {
    return lang === this.language ? part : this.labels[part] || part;
  };

  // "sector · arena · object" of a full address, in the interface language.
  Town.prototype.describe = function (address, lang) {
    const parts = String(address || "").split(":");
    if (parts.length > 1) parts.shift();
    return parts.map((p) => this.name(p, lang)).join(" · ");
  };

  // The full address ("world:sector:arena[:object]") of tile (x, y); the bare world outside.
  Town.prototype.addressAt = function (x, y) {
    const parts = this.addresses[this.grid[y * this.w + x]];
    return parts ? parts.join(":") : this.world;
  };

  // Places (sectors and arenas) by number, and for each tile its sector and arena number
  // (-1 outdoors), so per-tile work compares integers.
  Town.prototype.indexPlaces = function () {
    const index = {};
    this.placeList = [];
    const place = (parts, depth) => {
      const key = parts.slice(1, depth + 1).join(":");
      if (!(key in index)) {
        index[key] = this.placeList.length;
        this.placeList.push({ key, name: parts[depth], level: depth, sector: parts[1] });
      }
      return index[key];
    };
    const sectorOf = this.addresses.map((p) => (p.length > 1 ? place(p, 1) : -1));
    const arenaOf = this.addresses.map((p, id) => (p.length > 2 ? place(p, 2) : sectorOf[id]));
    this.sectorOfAddress = Int32Array.from(sectorOf);
    this.sectorTile = new Int32Array(this.w * this.h);
    this.arenaTile = new Int32Array(this.w * this.h);
    for (let i = 0; i < this.w * this.h; i++) {
      this.sectorTile[i] = sectorOf[this.grid[i]];
      this.arenaTile[i] = arenaOf[this.grid[i]];
    }
  };

  // Object groups [name, x, y, address, x0, y0, w, h, kind, effect], and for each tile the
  // group it belongs to (-1 for none).
  Town.prototype.indexObjects = function (raw) {
    this.objectAt = new Int32Array(this.w * this.h).fill(-1);
    this.objectOf = new Int32Array(this.addresses.length).fill(-1); // an address's first object
    this.objects = raw.map((o, n) => {
      const [name, x, y, address, x0, y0, w, h, kind, effect] = o;
      if (this.objectOf[address] < 0) this.objectOf[address] = n;
      for (let ty = y0; ty < y0 + h; ty++) {
        for (let tx = x0; tx < x0 + w; tx++) {
          if (this.grid[ty * this.w + tx] === address) this.objectAt[ty * this.w + tx] = n;
        }
      }
      return { name, x: x + 0.5, y: y + 0.5, address, x0, y0, w, h, kind, effect };
    });
  };

  Town.prototype.renderOverview = function () {
    const canvas = document.createElement("canvas");
    canvas.width = this.w;
    canvas.height = this.h;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(this.w, this.h);
    const avg = this.art.average;
    for (let i = 0; i < this.w * this.h; i++) {
      const g = this.ground[i] * 4;
      const o = this.overlay[i] * 4;
      const cover = avg[o + 3] / 256; // how much of the tile the overlay covers
      for (let c = 0; c < 3; c++) {
        const base = avg[g + 3] ? avg[g + c] / avg[g + 3] : 0;
        const top = avg[o + 3] ? avg[o + c] / avg[o + 3] : 0;
        image.data[i * 4 + c] = base * (1 - cover) + top * cover;
      }
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  };

  // A CHUNK x CHUNK tile square at TILE_PX: ground sprites, then objects and trees, copied
  // pixel by pixel (far quicker than a drawImage per tile).
  Town.prototype.renderChunk = function (cx, cy) {
    const canvas = document.createElement("canvas");
    const size = (canvas.width = canvas.height = CHUNK * TILE_PX);
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(size, size);
    const out = new Uint32Array(image.data.buffer);
    const x1 = Math.min(this.w, (cx + 1) * CHUNK);
    const y1 = Math.min(this.h, (cy + 1) * CHUNK);
    for (let y = cy * CHUNK; y < y1; y++) {
      for (let x = cx * CHUNK; x < x1; x++) {
        const px = (x - cx * CHUNK) * TILE_PX;
        const py = (y - cy * CHUNK) * TILE_PX;
        const i = y * this.w + x;
        if (this.ground[i]) this.art.copyTile(this.ground[i], out, size, px, py);
        if (this.overlay[i]) this.art.copyTile(this.overlay[i], out, size, px, py);
      }
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  };

  Town.prototype.chunk = function (c, r) {
    const key = r * 10000 + c;
    let chunk = this.chunks.get(key);
    if (chunk) this.chunks.delete(key); // re-inserted: the Map's order is least recent first
    else chunk = this.renderChunk(c, r);
    this.chunks.set(key, chunk);
    return chunk;
  };

  // Draw the map for a view {cx, cy, scale, w, h, dpr} (scale: CSS pixels per tile).
  Town.prototype.draw = function (ctx, view) {
    const left = view.cx - view.w / 2 / view.scale;
    const top = view.cy - view.h / 2 / view.scale;
    const px = view.scale * view.dpr;
    ctx.imageSmoothingEnabled = px < TILE_PX;
    if (px < CHUNK_MIN_PX) {
      ctx.drawImage(this.overview, -left * view.scale, -top * view.scale,
        this.w * view.scale, this.h * view.scale);
      return;
    }
    const c0 = Math.max(0, Math.floor(left / CHUNK));
    const r0 = Math.max(0, Math.floor(top / CHUNK));
    const c1 = Math.min(Math.ceil(this.w / CHUNK), Math.ceil((left + view.w / view.scale) / CHUNK));
    const r1 = Math.min(Math.ceil(this.h / CHUNK), Math.ceil((top + view.h / view.scale) / CHUNK));
    for (let r = r0; r < r1; r++) {
      for (let c = c0; c < c1; c++) {
        // Whole device pixels, so neighbouring chunks meet without seams.
        const x0 = Math.round((c * CHUNK - left) * px) / view.dpr;
        const y0 = Math.round((r * CHUNK - top) * px) / view.dpr;
        const x1 = Math.round(((c + 1) * CHUNK - left) * px) / view.dpr;
        const y1 = Math.round(((r + 1) * CHUNK - top) * px) / view.dpr;
        ctx.drawImage(this.chunk(c, r), x0, y0, x1 - x0, y1 - y0);
      }
    }
    while (this.chunks.size > MAX_CHUNKS) this.chunks.delete(this.chunks.keys().next().value);
  };

  // Windows of the sectors marked in `lit` (by place number), lit up.
  Town.prototype.drawLights = function (ctx, view, lit, alpha) {
    const sprite = this.art.index.window_lit;
    const size = view.scale;
    ctx.globalAlpha = alpha;
    for (let k = 0; k < this.windows.length; k += 2) {
      const x = this.windows[k];
      const y = this.windows[k + 1];
      if (!lit[this.sectorTile[(y - 1) * this.w + x]]) continue;
      const sx = (x - view.cx) * size + view.w / 2;
      const sy = (y - view.cy) * size + view.h / 2;
      if (sx < -size || sy < -size || sx > view.w || sy > view.h) continue;
      this.art.drawTile(ctx, sprite, sx, sy, size);
    }
    ctx.globalAlpha = 1;
  };

  // The colour [r, g, b] of the pre-rendered map at the middle of tile (x, y), for tests.
  Town.prototype.pixel = function (x, y) {
    const chunk = this.chunk(Math.floor(x / CHUNK), Math.floor(y / CHUNK));
    const px = (x % CHUNK) * TILE_PX + TILE_PX / 2;
    const py = (y % CHUNK) * TILE_PX + TILE_PX / 2;
    return RW.readPixels(chunk, px, py, 1, 1).slice(0, 3);
  };

  RW.Town = Town;
})();
