// The town: grids decoded from the meta payload, places and object groups (placed by the
// build), and the map: pre-rendered at build time (PNG sheets in the map payload, decoded
// off the main thread when first in view, drawn in chunks), and a one-pixel-per-tile overview
// for the far zooms and the minimap.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const MAX_SHEETS = 24; // decoded sheets kept (least recently drawn dropped first)
  const AHEAD = 4; // a map of at most this many sheets is decoded before the first view
  const CHUNK_MIN_PX = 6; // device pixels per tile below which the overview is drawn

  function bytesToInts(bytes, size) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Uint32Array(bytes.byteLength / size);
    for (let i = 0; i < out.length; i++) {
      out[i] = size === 2 ? view.getUint16(i * 2, true) : view.getUint32(i * 4, true);
    }
    return out;
  }

  // The pre-rendered map's sheets (the map payload, docs/replay-format.md): each decoded from
  // its PNG bytes when first wanted, off the main thread, and kept while drawn recently.
  function MapSheets(payload) {
    Object.assign(this, payload); // chunk, sheet, tile (sizes), columns, rows, images
    this.decoded = new Map(); // sheet key -> image, least recently wanted first
    this.decoding = new Map(); // sheet key -> promise of its image
    this.wanted = new Set(); // keys of the sheets the latest draw wanted (never dropped)
    this.missing = new Set(); // ... of those it would have drawn but were not decoded yet
    this.onDecoded = null; // called when a sheet the latest draw missed has been decoded
  }

  // Start decoding every sheet of a small map now, before the first view is known.
  MapSheets.prototype.decodeAhead = function () {
    if (this.images.length > AHEAD) return;
    for (let sy = 0; sy < this.rows; sy++) {
      for (let sx = 0; sx < this.columns; sx++) this.decode(sx, sy);
    }
  };

  // A draw begins: what it wants is what the town shows now and next to it.
  MapSheets.prototype.newDraw = function () {
    this.wanted.clear();
    this.missing.clear();
  };

  // The image of sheet (sx, sy) for this draw, or null while it is being decoded.
  MapSheets.prototype.want = function (sx, sy) {
    const key = sy * 10000 + sx;
    const image = this.ahead(sx, sy);
    if (!image) this.missing.add(key);
    return image;
  };

  // Sheet (sx, sy) is wanted next to the view: kept, decoded if it is not; its image or null.
  MapSheets.prototype.ahead = function (sx, sy) {
    const key = sy * 10000 + sx;
    this.wanted.add(key);
    const image = this.decoded.get(key);
    if (!image) {
      this.decode(sx, sy);
      return null;
    }
    this.decoded.delete(key); // re-inserted: the Map's order is least recent first
    this.decoded.set(key, image);
    return image;
  };

  // A promise of sheet (sx, sy)'s image.
  MapSheets.prototype.decode = function (sx, sy) {
    const key = sy * 10000 + sx;
    if (this.decoded.has(key)) return Promise.resolve(this.decoded.get(key));
    if (!this.decoding.has(key)) {
      const blob = new Blob([this.images[sy * this.columns + sx]], { type: "image/png" });
      this.decoding.set(key, createImageBitmap(blob).then((image) => {
        this.decoding.delete(key);
        this.decoded.set(key, image);
        this.drop();
        if (this.missing.delete(key) && this.onDecoded) this.onDecoded();
        return image;
      }));
    }
    return this.decoding.get(key);
  };

  // Past MAX_SHEETS, close the least recently wanted sheets the latest draw did not want.
  MapSheets.prototype.drop = function () {
    for (const [key, image] of this.decoded) {
      if (this.decoded.size <= MAX_SHEETS) return;
      if (this.wanted.has(key)) continue;
      this.decoded.delete(key);
      image.close();
    }
  };

  // raw: the meta payload's town; sheets: its map, a MapSheets.
  function Town(raw, language, art, sheets) {
    this.art = art;
    this.sheets = sheets;
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

  // The chunks [c0, r0, c1, r1) a view shows, or with `bySheet` the sheets they are on, and
  // `margin` chunks more on each side; null at the zooms that draw the overview.
  Town.prototype.chunksIn = function (view, margin, bySheet) {
    if (view.scale * view.dpr < CHUNK_MIN_PX) return null;
    const size = this.sheets.chunk;
    const per = bySheet ? this.sheets.sheet / size : 1;
    const left = view.cx - view.w / 2 / view.scale;
    const top = view.cy - view.h / 2 / view.scale;
    const columns = Math.ceil(this.w / size);
    const rows = Math.ceil(this.h / size);
    return [
      Math.floor(Math.max(0, Math.floor(left / size) - margin) / per),
      Math.floor(Math.max(0, Math.floor(top / size) - margin) / per),
      Math.ceil(Math.min(columns, Math.ceil((left + view.w / view.scale) / size) + margin) / per),
      Math.ceil(Math.min(rows, Math.ceil((top + view.h / view.scale) / size) + margin) / per),
    ];
  };

  // Resolves when the map the view shows is decoded (the first frame waits for it).
  Town.prototype.ready = function (view) {
    const box = this.chunksIn(view, 0, true);
    const waits = [];
    for (let sy = box ? box[1] : 0; box && sy < box[3]; sy++) {
      for (let sx = box[0]; sx < box[2]; sx++) waits.push(this.sheets.decode(sx, sy));
    }
    return Promise.all(waits);
  };

  // Draw the map for a view {cx, cy, scale, w, h, dpr} (scale: CSS pixels per tile), chunk
  // by chunk from the sheets; a sheet not decoded yet is left out (sheets.onDecoded says when
  // to draw again), and the sheets a move of a chunk would bring into view are decoded ahead.
  Town.prototype.draw = function (ctx, view) {
    const left = view.cx - view.w / 2 / view.scale;
    const top = view.cy - view.h / 2 / view.scale;
    const px = view.scale * view.dpr;
    const box = this.chunksIn(view, 0, false);
    const { chunk: size, sheet, tile } = this.sheets;
    const side = size * tile; // pixels of a chunk on its sheet
    ctx.imageSmoothingEnabled = px < tile;
    this.sheets.newDraw();
    if (!box) {
      ctx.drawImage(this.overview, -left * view.scale, -top * view.scale,
        this.w * view.scale, this.h * view.scale);
      return;
    }
    for (let r = box[1]; r < box[3]; r++) {
      for (let c = box[0]; c < box[2]; c++) {
        const x = c * size; // the chunk's first tile
        const y = r * size;
        const image = this.sheets.want(Math.floor(x / sheet), Math.floor(y / sheet));
        if (!image) continue;
        // Whole device pixels, so neighbouring chunks meet without seams.
        const x0 = Math.round((x - left) * px) / view.dpr;
        const y0 = Math.round((y - top) * px) / view.dpr;
        const x1 = Math.round((x + size - left) * px) / view.dpr;
        const y1 = Math.round((y + size - top) * px) / view.dpr;
        ctx.drawImage(image, (x % sheet) * tile, (y % sheet) * tile, side, side, x0, y0,
          x1 - x0, y1 - y0);
      }
    }
    const near = this.chunksIn(view, 1, true);
    for (let sy = near[1]; sy < near[3]; sy++) {
      for (let sx = near[0]; sx < near[2]; sx++) this.sheets.ahead(sx, sy);
    }
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

  // A promise of the colour [r, g, b] of the pre-rendered map at the middle of tile (x, y),
  // for tests.
  Town.prototype.pixel = function (x, y) {
    const { sheet, tile } = this.sheets;
    return this.sheets.decode(Math.floor(x / sheet), Math.floor(y / sheet)).then((image) => {
      const px = (x % sheet) * tile + tile / 2;
      const py = (y % sheet) * tile + tile / 2;
      return RW.readPixels(image, px, py, 1, 1).slice(0, 3);
    });
  };

  RW.Town = Town;
  RW.MapSheets = MapSheets;
})();
