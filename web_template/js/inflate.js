// Fallback gzip decoder (RFC 1952 + RFC 1951) for browsers without DecompressionStream
// (iOS Safari before 16.4, Chrome before 80). Canonical Huffman decoding, bit by bit.
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});

  const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67,
    83, 99, 115, 131, 163, 195, 227, 258];
  const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5,
    5, 5, 0];
  const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
    1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
  const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11,
    11, 12, 12, 13, 13];
  const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

  function huffman(lengths) {
    const counts = new Uint16Array(16);
    const offsets = new Uint16Array(16);
    for (let i = 0; i < lengths.length; i++) counts[lengths[i]]++;
    counts[0] = 0;
    for (let i = 1; i < 16; i++) offsets[i] = offsets[i - 1] + counts[i - 1];
    const symbols = new Uint16Array(lengths.length);
    for (let s = 0; s < lengths.length; s++) {
      if (lengths[s]) symbols[offsets[lengths[s]]++] = s;
    }
    return { counts, symbols };
  }

  function fixedTables() {
    const lit = new Uint8Array(288);
    lit.fill(8, 0, 144);
    lit.fill(9, 144, 256);
    lit.fill(7, 256, 280);
    lit.fill(8, 280, 288);
    return { lit: huffman(lit), dist: huffman(new Uint8Array(30).fill(5)) };
  }

  function inflateRaw(data, start) {
    let pos = start;
    let bitBuf = 0;
    let bitCount = 0;
    let out = new Uint8Array(Math.max(1024, data.length * 4));
    let n = 0;

    function bits(k) {
      while (bitCount < k) {
        if (pos >= data.length) throw new Error("inflate: data ends early");
        bitBuf |= data[pos++] << bitCount;
        bitCount += 8;
      }
      const value = bitBuf & ((1 << k) - 1);
      bitBuf >>>= k;
      bitCount -= k;
      return value;
    }

    function symbol(table) {
      let code = 0;
      let first = 0;
      let index = 0;
      for (let len = 1; len < 16; len++) {
        code |= bits(1);
        const count = table.counts[len];
        if (code - first < count) return table.symbols[index + code - first];
        index += count;
        first = (first + count) << 1;
        code <<= 1;
      }
      throw new Error("inflate: bad Huffman code");
    }

    function room(extra) {
      if (n + extra <= out.length) return;
      const bigger = new Uint8Array(Math.max(out.length * 2, n + extra));
      bigger.set(out.subarray(0, n));
      out = bigger;
    }

    function storedBlock() {
      bitBuf = 0;
      bitCount = 0;
      const len = data[pos] | (data[pos + 1] << 8);
      pos += 4;
      if (pos + len > data.length) throw new Error("inflate: data ends early");
      room(len);
      out.set(data.subarray(pos, pos + len), n);
      n += len;
      pos += len;
    }

    function dynamicTables() {
      const nLit = bits(5) + 257;
      const nDist = bits(5) + 1;
      const nCode = bits(4) + 4;
      const codeLengths = new Uint8Array(19);
      for (let i = 0; i < nCode; i++) codeLengths[CODE_ORDER[i]] = bits(3);
      const codeTable = huffman(codeLengths);
      const lengths = new Uint8Array(nLit + nDist);
      for (let i = 0; i < lengths.length; ) {
        const sym = symbol(codeTable);
        if (sym < 16) {
          lengths[i++] = sym;
          continue;
        }
        let value = 0;
        let repeat;
        if (sym === 16) {
          if (i === 0) throw new Error("inflate: repeat with no length");
          value = lengths[i - 1];
          repeat = 3 + bits(2);
        } else {
          repeat = sym === 17 ? 3 + bits(3) : 11 + bits(7);
        }
        if (i + repeat > lengths.length) throw new Error("inflate: too many lengths");
        lengths.fill(value, i, i + repeat);
        i += repeat;
      }
      return { lit: huffman(lengths.subarray(0, nLit)), dist: huffman(lengths.subarray(nLit)) };
    }

    function codes(tables) {
      for (;;) {
        let sym = symbol(tables.lit);
        if (sym < 256) {
          room(1);
          out[n++] = sym;
        } else if (sym === 256) {
          return;
        } else {
          sym -= 257;
          const len = LEN_BASE[sym] + bits(LEN_EXTRA[sym]);
          const dsym = symbol(tables.dist);
          const dist = DIST_BASE[dsym] + bits(DIST_EXTRA[dsym]);
          if (dist > n) throw new Error("inflate: distance too far back");
          room(len);
          for (let k = 0; k < len; k++, n++) out[n] = out[n - dist];
        }
      }
    }

    let last;
    do {
      last = bits(1);
      const type = bits(2);
      if (type === 0) storedBlock();
      else if (type === 1) codes(fixedTables());
      else if (type === 2) codes(dynamicTables());
      else throw new Error("inflate: bad block type");
    } while (!last);
    return out.subarray(0, n);
  }

  // The decompressed bytes of one gzip member.
  RW.gunzip = function (data) {
    if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 8) throw new Error("not gzip data");
    const flags = data[3];
    let pos = 10;
    if (flags & 4) pos += 2 + (data[pos] | (data[pos + 1] << 8));
    if (flags & 8) while (data[pos++] !== 0);
    if (flags & 16) while (data[pos++] !== 0);
    if (flags & 2) pos += 2;
    return inflateRaw(data, pos);
  };
})();
