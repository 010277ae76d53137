// A msgpack decoder for the replay's payloads (what sitegen's msgpack.packb writes: nil,
// booleans, integers, floats, strings, bin, arrays and maps; no extension types). Small and
// quick to start: on a phone the first payloads are decoded before the JIT has warmed up, and
// there this took half the time of the general library it replaced (docs/replay-format.md).
(function () {
  "use strict";
  const RW = (window.RW = window.RW || {});
  const utf8 = new TextDecoder();
  const SHORT = 12; // bytes up to which an ASCII string is put together here, not decoded

  // Reading state: the bytes, a DataView of them, the position.
  function Input(bytes) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.p = 0;
  }

  // The position of the next `size` bytes, moving past them.
  Input.prototype.at = function (size) {
    this.p += size;
    if (this.p > this.bytes.length) throw new Error("msgpack: the data ends early");
    return this.p - size;
  };

  Input.prototype.str = function (n) {
    const { bytes } = this;
    const start = this.at(n);
    let s = "";
    for (let i = start; n <= SHORT && i < start + n; i++) {
      if (bytes[i] > 127) return utf8.decode(bytes.subarray(start, start + n));
      s += String.fromCharCode(bytes[i]);
    }
    return n <= SHORT ? s : utf8.decode(bytes.subarray(start, start + n));
  };

  // A view of the next n bytes (not a copy).
  Input.prototype.bin = function (n) {
    const start = this.at(n);
    return this.bytes.subarray(start, start + n);
  };

  Input.prototype.list = function (n) {
    const out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read();
    return out;
  };

  Input.prototype.map = function (n) {
    const out = {};
    for (let i = 0; i < n; i++) {
      const key = this.read();
      const value = this.read();
      // a key "__proto__" (a name from a map file) is a key, not the object's prototype
      if (key === "__proto__") {
        Object.defineProperty(out, key, { value, enumerable: true, writable: true,
          configurable: true });
      } else out[key] = value;
    }
    return out;
  };

  Input.prototype.read = function () {
    const b = this.bytes[this.at(1)];
    const v = this.view;
    if (b < 0x80) return b;
    if (b < 0x90) return this.map(b & 0x0f);
    if (b < 0xa0) return this.list(b & 0x0f);
    if (b < 0xc0) return this.str(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(v.getUint8(this.at(1)));
      case 0xc5: return this.bin(v.getUint16(this.at(2)));
      case 0xc6: return this.bin(v.getUint32(this.at(4)));
      case 0xca: return v.getFloat32(this.at(4));
      case 0xcb: return v.getFloat64(this.at(8));
      case 0xcc: return v.getUint8(this.at(1));
      case 0xcd: return v.getUint16(this.at(2));
      case 0xce: return v.getUint32(this.at(4));
      case 0xcf: return Number(v.getBigUint64(this.at(8)));
      case 0xd0: return v.getInt8(this.at(1));
      case 0xd1: return v.getInt16(this.at(2));
      case 0xd2: return v.getInt32(this.at(4));
      case 0xd3: return Number(v.getBigInt64(this.at(8)));
      case 0xd9: return this.str(v.getUint8(this.at(1)));
      case 0xda: return this.str(v.getUint16(this.at(2)));
      case 0xdb: return this.str(v.getUint32(this.at(4)));
      case 0xdc: return this.list(v.getUint16(this.at(2)));
      case 0xdd: return this.list(v.getUint32(this.at(4)));
      case 0xde: return this.map(v.getUint16(this.at(2)));
      case 0xdf: return this.map(v.getUint32(this.at(4)));
      default: throw new Error("msgpack: type 0x" + b.toString(16) + " is not one we write");
    }
  };

  // The value msgpack `bytes` (a Uint8Array) holds; bin values are views into `bytes`.
  RW.unpack = function (bytes) {
    const input = new Input(bytes);
    const value = input.read();
    if (input.p !== bytes.length) {
      throw new Error("msgpack: " + (bytes.length - input.p) + " bytes after the value");
    }
    return value;
  };
})();
