// Replay data: classic <script> data files register base64 gzip'd msgpack payloads through
// ringworldData(key, base64); chunks are loaded on demand and expanded into typed arrays.
// The format is described in docs/replay-format.md.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const FIELDS = ["action", "emoji", "address", "chat", "object_event"]; // the last optional
  const FACE = { down: 0, up: 1, left: 2, right: 3 };
  const registered = {};
  const waiting = {};

  window.ringworldData = function (key, base64) {
    registered[key] = base64;
    (waiting[key] || []).forEach((w) => w.resolve());
    delete waiting[key];
  };

  function loadScript(key) {
    if (registered[key] !== undefined) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const first = !waiting[key];
      (waiting[key] = waiting[key] || []).push({ resolve, reject });
      if (!first) return;
      const script = document.createElement("script");
      script.src = "data/" + key + ".js";
      script.onerror = () => {
        (waiting[key] || []).forEach((w) => w.reject(new Error("cannot load " + script.src)));
        delete waiting[key];
        script.remove();
      };
      document.head.appendChild(script);
    });
  }

  function base64Bytes(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text); // native, where there is one
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  async function gunzip(bytes) {
    if (typeof DecompressionStream !== "function") return RW.gunzip(bytes);
    // a Response's body, not a Blob's: a Blob is registered with the browser process first
    const stream = new Response(bytes).body.pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  // The decoded payload of data file `key` (loading it first if needed).
  async function payload(key) {
    await loadScript(key);
    const bytes = base64Bytes(registered[key]);
    delete registered[key];
    return RW.unpack(await gunzip(bytes));
  }

  // The facing after a move by (dx, dy): the larger of x and y (x on a tie), as in pack.py.
  function facing(dx, dy, before) {
    if (!dx && !dy) return before;
    if (Math.abs(dx) >= Math.abs(dy)) return dx > 0 ? FACE.right : FACE.left;
    return dy > 0 ? FACE.down : FACE.up;
  }

  // Positions and facings of one agent over a chunk from its keyframe and move codes.
  function expandMoves(codes, x, y, face, a, nAgents, len, out) {
    const { X, Y, F } = out;
    let i = 0;
    let p = 0;
    X[a] = x;
    Y[a] = y;
    F[a] = face;
    const varint = () => {
      let value = 0;
      let shift = 0;
      let byte;
      do {
        byte = codes[p++];
        value += (byte & 0x7f) * Math.pow(2, shift);
        shift += 7;
      } while (byte & 0x80);
      return value;
    };
    const unzig = (v) => (v % 2 ? -(v + 1) / 2 : v / 2);
    const put = (dx, dy, count) => {
      face = facing(dx, dy, face);
      for (let k = 0; k < count && i + 1 < len; k++) {
        i++;
        x += dx;
        y += dy;
        X[i * nAgents + a] = x;
        Y[i * nAgents + a] = y;
        F[i * nAgents + a] = face;
      }
    };
    while (p < codes.length) {
      const code = codes[p++];
      if (code < 9) put(Math.floor(code / 3) - 1, (code % 3) - 1, 1);
      else if (code === 9) put(0, 0, varint());
      else if (code === 10) {
        const dx = unzig(varint());
        put(dx, unzig(varint()), 1);
      } else throw new Error("bad move code " + code);
    }
    put(0, 0, len);
  }

  // String ids per step of one text field from its change list [offset, sid, ...].
  function expandChanges(list, a, nAgents, len, out) {
    let step = 0;
    for (let k = 0; k < list.length; k += 2) {
      step += list[k];
      const until = k + 2 < list.length ? step + list[k + 2] : len;
      for (let i = step; i < until; i++) out[i * nAgents + a] = list[k + 1];
    }
  }

  // Emoji that read badly at a figure's size, and what is shown instead (🍽 is a white plate:
  // a white dot on the map).
  const CLEARER = { "🍽": "🍴", "🍽️": "🍴" };

  function expandChunk(raw, nAgents) {
    const len = raw.end - raw.start;
    const strings = raw.strings.map((s) => CLEARER[s] || s);
    const chunk = { start: raw.start, end: raw.end, strings, ids: {} };
    chunk.X = new Uint16Array(len * nAgents);
    chunk.Y = new Uint16Array(len * nAgents);
    chunk.F = new Uint8Array(len * nAgents);
    for (let a = 0; a < nAgents; a++) {
      const face = raw.face ? raw.face[a] : FACE.down;
      expandMoves(raw.moves[a], raw.x[a], raw.y[a], face, a, nAgents, len, chunk);
    }
    for (const field of FIELDS) {
      if (!raw[field]) continue; // an optional field this sim does not have
      const ids = (chunk.ids[field] = new Uint32Array(len * nAgents));
      for (let a = 0; a < nAgents; a++) expandChanges(raw[field][a], a, nAgents, len, ids);
    }
    chunk.memories = raw.memories.map((flat) => {
      const list = [];
      for (let k = 0; k < flat.length; k += 4) {
        list.push({ step: flat[k], kind: raw.strings[flat[k + 1]], importance: flat[k + 2],
          text: raw.strings[flat[k + 3]] });
      }
      return list;
    });
    return chunk;
  }

  // The replay model: meta, agents, town, chunks by step, conversations.
  function Replay(meta) {
    this.meta = meta;
    this.steps = meta.steps;
    this.agents = meta.agents;
    this.nAgents = meta.agents.length;
    this.chunkSteps = meta.chunks[0].end - meta.chunks[0].start;
    this.chunks = new Array(meta.chunks.length);
    this.pending = {};
    this.talk = null;
  }

  Replay.prototype.chunkOf = function (step) {
    return Math.min(Math.floor(step / this.chunkSteps), this.chunks.length - 1);
  };

  Replay.prototype.has = function (step) {
    return step >= 0 && step < this.steps && !!this.chunks[this.chunkOf(step)];
  };

  // Resolves when the chunk holding `step` is decoded.
  Replay.prototype.ensure = function (step) {
    const c = this.chunkOf(Math.max(0, Math.min(step, this.steps - 1)));
    if (this.chunks[c]) return Promise.resolve(this.chunks[c]);
    if (!this.pending[c]) {
      this.pending[c] = payload(this.meta.chunks[c].key).then((raw) => {
        this.chunks[c] = expandChunk(raw, this.nAgents);
        delete this.pending[c];
        if (this.onChunk) this.onChunk(c);
        return this.chunks[c];
      });
    }
    return this.pending[c];
  };

  // The tile of agent `a` at `step` (two numbers, no array: called per agent per frame).
  Replay.prototype.x = function (step, a) {
    const chunk = this.chunks[this.chunkOf(step)];
    return chunk.X[(step - chunk.start) * this.nAgents + a];
  };
  Replay.prototype.y = function (step, a) {
    const chunk = this.chunks[this.chunkOf(step)];
    return chunk.Y[(step - chunk.start) * this.nAgents + a];
  };

  // The facing of agent `a` at `step`: 0 down, 1 up, 2 left, 3 right.
  Replay.prototype.face = function (step, a) {
    const chunk = this.chunks[this.chunkOf(step)];
    return chunk.F[(step - chunk.start) * this.nAgents + a];
  };

  Replay.prototype.text = function (step, a, field) {
    const chunk = this.chunks[this.chunkOf(step)];
    const ids = chunk.ids[field];
    return ids ? chunk.strings[ids[(step - chunk.start) * this.nAgents + a]] : "";
  };

  // Up to `count` memories of agent `a` created at or before `step`, newest first, from the
  // chunks already loaded (this hour and the one before).
  Replay.prototype.memories = function (step, a, count) {
    const out = [];
    for (let c = this.chunkOf(step); c >= 0 && c >= this.chunkOf(step) - 1; c--) {
      const chunk = this.chunks[c];
      if (!chunk) continue;
      const list = chunk.memories[a] || [];
      for (let k = list.length - 1; k >= 0 && out.length < count; k--) {
        if (list[k].step <= step) out.push(list[k]);
      }
    }
    return out;
  };

  Replay.prototype.loadTalk = async function () {
    const raw = await payload("talk");
    const s = raw.strings;
    this.talk = raw.conversations.map((c) => {
      const lines = [];
      for (let k = 0; k < c[5].length; k += 2) lines.push([s[c[5][k]], s[c[5][k + 1]]]);
      return { start: c[0], end: c[1], a: c[2], b: c[3], place: s[c[4]], lines };
    });
    return this.talk;
  };

  // The game clock at `step`, as a Date whose UTC fields are the game's local time.
  Replay.prototype.time = function (step) {
    const m = /^(\d+)-(\d+)-(\d+)[ T](\d+):(\d+):(\d+)/.exec(this.meta.start_time) || [];
    const start = Date.UTC(+m[1] || 2000, (+m[2] || 1) - 1, +m[3] || 1, +m[4] || 0, +m[5] || 0,
      +m[6] || 0);
    return new Date(start + step * this.meta.sec_per_step * 1000);
  };

  // Start loading the data file of the chunk holding `step` before the meta payload is
  // decoded (the page knows the chunk size: <body data-chunk-steps data-chunks>).
  RW.preloadStep = function (step) {
    const size = +document.body.dataset.chunkSteps;
    const chunk = Math.min(Math.floor(step / size), +document.body.dataset.chunks - 1);
    if (chunk >= 0) loadScript("steps-" + String(chunk).padStart(4, "0")).catch(() => {});
  };

  RW.loadReplay = async function () {
    const [meta, sprites, map] = await Promise.all([payload("meta"), payload("sprites"),
      payload("map")]);
    const replay = new Replay(meta);
    replay.sprites = sprites;
    replay.map = map;
    return replay;
  };
})();
