// The town: grids decoded from the meta payload, tile colours, place names and object glyphs
// (placed by the build), and the pre-rendered map (a 1-pixel-per-tile overview plus tile
// chunks drawn when zoomed in).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const TILE_PX = 16; // pixels per tile in pre-rendered chunks
  const CHUNK = 32; // tiles per chunk side
  const MAX_CHUNKS = 48;
  const KIND_HUES = { home: 32, house: 32, cafe: 18, restaurant: 10, bar: 350, park: 95,
    garden: 110, school: 210, college: 210, library: 230, shop: 280, store: 280, market: 45,
    office: 190, hospital: 170 };
  // Object name (either language) -> emoji; the first match wins, so specific names come first.
  const GLYPHS = [
    [/flower|garden|花/i, "🌷"], [/grill|barbecue|烧烤/i, "🍖"], [/bed|床/i, "🛏"],
    [/sofa|couch|沙发/i, "🛋"], [/toilet|马桶|厕/i, "🚽"], [/shower|bath|淋浴|浴/i, "🚿"],
    [/sink|水槽|洗手/i, "🚰"], [/fridge|refrigerator|冰箱/i, "🧊"],
    [/stove|oven|cook|kitchen|灶|炉|厨/i, "🍳"], [/piano|钢琴/i, "🎹"], [/guitar|吉他/i, "🎸"],
    [/computer|laptop|电脑/i, "💻"], [/book|shelf|书/i, "📚"], [/coffee|cafe|咖啡/i, "☕"],
    [/bar|beer|啤酒|吧台/i, "🍺"], [/tree|树/i, "🌳"], [/bench|chair|seat|椅|凳/i, "🪑"],
    [/desk|table|桌/i, "🟫"], [/tv|television|电视/i, "📺"],
    [/microphone|stage|麦克风|舞台/i, "🎤"], [/easel|paint|画/i, "🎨"], [/pool|台球/i, "🎱"],
    [/register|cashier|counter|收银|柜台/i, "🧾"], [/closet|wardrobe|衣柜/i, "👕"],
    [/lamp|light|灯/i, "💡"], [/board|黑板|白板/i, "📋"],
  ];

  function bytesToInts(bytes, size) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Uint32Array(bytes.byteLength / size);
    for (let i = 0; i < out.length; i++) {
      out[i] = size === 2 ? view.getUint16(i * 2, true) : view.getUint32(i * 4, true);
    }
    return out;
  }

  function hash(text) {
    let h = 2166136261;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
    return h >>> 0;
  }

  function hsl(h, s, l) {
    // HSL to [r, g, b] (0..255)
    s /= 100;
    l /= 100;
    const k = (n) => (n + h / 30) % 12;
    const a = s * Math.min(l, 1 - l);
    const f = (n) => l - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
    return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
  }

  function Town(raw, language, emoji) {
    this.emoji = emoji; // whether colour emoji can be drawn here
    this.w = raw.width;
    this.h = raw.height;
    this.world = raw.world;
    this.language = language;
    this.labels = raw.labels || {};
    this.kinds = raw.kinds || {};
    this.addresses = raw.addresses.map((a) => a.split(":"));
    this.grid = bytesToInts(raw.address_grid, raw.address_bytes);
    this.collision = raw.collision;
    this.water = raw.water;
    this.indexPlaces();
    this.colors = this.tileColors();
    this.places = raw.places.map(([name, level, x, y]) => ({ name, level, x: x + 0.5,
      y: y + 0.5 }));
    this.objects = raw.objects.map(([name, x, y]) => {
      const both = name + " " + (this.labels[name] || ""); // names in both languages
      const rule = emoji && GLYPHS.find(([re]) => re.test(both));
      return { name, emoji: rule && rule[1], x: x + 0.5, y: y + 0.5 };
    });
    this.chunks = new Map();
    this.overview = this.renderOverview();
  }

  // The name of a place part in the interface language.
  Town.prototype.name = function (part, lang) {
    return lang === this.language ? part : this.labels[part] || part;
  };

  // An object's glyph: an emoji where one fits and can be drawn, else its name's first letter.
  Town.prototype.glyph = function (object, lang) {
    return object.emoji || Array.from(this.name(object.name, lang))[0] || "?";
  };

  // "sector · arena · object" of a full address, in the interface language.
  Town.prototype.describe = function (address, lang) {
    const parts = String(address || "").split(":");
    if (parts.length > 1) parts.shift();
    return parts.map((p) => this.name(p, lang)).join(" · ");
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
    this.sectorTile = new Int32Array(this.w * this.h);
    this.arenaTile = new Int32Array(this.w * this.h);
    for (let i = 0; i < this.w * this.h; i++) {
      this.sectorTile[i] = sectorOf[this.grid[i]];
      this.arenaTile[i] = arenaOf[this.grid[i]];
    }
  };

  Town.prototype.placeColor = function (p) {
    const kind = String(this.kinds[p.sector] || "").toLowerCase();
    const hue = kind in KIND_HUES ? KIND_HUES[kind] : hash(p.sector) % 360;
    return hsl(hue, 42, 80 + (p.level === 2 ? (hash(p.key) % 7) - 3 : 0));
  };

  Town.prototype.tileColors = function () {
    const colors = new Uint8Array(this.w * this.h * 3);
    const byPlace = this.placeList.map((p) => this.placeColor(p));
    for (let i = 0; i < this.w * this.h; i++) {
      let rgb;
      if (this.water[i]) rgb = [142, 197, 232];
      else if (this.collision[i]) rgb = [109, 96, 86];
      else {
        const place = this.arenaTile[i];
        rgb = place < 0 ? [205, 224, 176] : byPlace[place];
        if (this.addresses[this.grid[i]].length > 3) rgb = rgb.map((v) => v - 28);
      }
      colors.set(rgb, i * 3);
    }
    return colors;
  };

  Town.prototype.renderOverview = function () {
    const canvas = document.createElement("canvas");
    canvas.width = this.w;
    canvas.height = this.h;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(this.w, this.h);
    for (let i = 0; i < this.w * this.h; i++) {
      image.data.set(this.colors.subarray(i * 3, i * 3 + 3), i * 4);
      image.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    return canvas;
  };

  // A CHUNK x CHUNK tile square at TILE_PX: the overview scaled up, then wall tops and the
  // lines between arenas.
  Town.prototype.renderChunk = function (cx, cy) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = CHUNK * TILE_PX;
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.overview, cx * CHUNK, cy * CHUNK, CHUNK, CHUNK, 0, 0, CHUNK * TILE_PX,
      CHUNK * TILE_PX);
    const x1 = Math.min(this.w, (cx + 1) * CHUNK);
    const y1 = Math.min(this.h, (cy + 1) * CHUNK);
    for (let y = cy * CHUNK; y < y1; y++) {
      for (let x = cx * CHUNK; x < x1; x++) {
        const i = y * this.w + x;
        const px = (x - cx * CHUNK) * TILE_PX;
        const py = (y - cy * CHUNK) * TILE_PX;
        if (this.collision[i] && !this.water[i]) {
          ctx.fillStyle = "rgba(255,255,255,0.18)";
          ctx.fillRect(px, py, TILE_PX, 3);
        }
        ctx.fillStyle = "rgba(60,50,40,0.55)";
        if (x + 1 < this.w && this.arenaTile[i + 1] !== this.arenaTile[i]) {
          ctx.fillRect(px + TILE_PX - 1, py, 1, TILE_PX);
        }
        if (y + 1 < this.h && this.arenaTile[i + this.w] !== this.arenaTile[i]) {
          ctx.fillRect(px, py + TILE_PX - 1, TILE_PX, 1);
        }
      }
    }
    return canvas;
  };

  // Draw the map for a view {cx, cy, scale, w, h, dpr} (scale: CSS pixels per tile).
  Town.prototype.draw = function (ctx, view) {
    const left = view.cx - view.w / 2 / view.scale;
    const top = view.cy - view.h / 2 / view.scale;
    ctx.imageSmoothingEnabled = false;
    if (view.scale < TILE_PX / 2) {
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
        const key = r * 10000 + c;
        let chunk = this.chunks.get(key);
        if (chunk) this.chunks.delete(key);
        else chunk = this.renderChunk(c, r);
        this.chunks.set(key, chunk);
        // Whole device pixels, so neighbouring chunks meet without seams.
        const x0 = Math.round((c * CHUNK - left) * view.scale * view.dpr) / view.dpr;
        const y0 = Math.round((r * CHUNK - top) * view.scale * view.dpr) / view.dpr;
        const x1 = Math.round(((c + 1) * CHUNK - left) * view.scale * view.dpr) / view.dpr;
        const y1 = Math.round(((r + 1) * CHUNK - top) * view.scale * view.dpr) / view.dpr;
        ctx.drawImage(chunk, x0, y0, x1 - x0, y1 - y0);
      }
    }
    while (this.chunks.size > MAX_CHUNKS) this.chunks.delete(this.chunks.keys().next().value);
  };

  RW.Town = Town;
})();
