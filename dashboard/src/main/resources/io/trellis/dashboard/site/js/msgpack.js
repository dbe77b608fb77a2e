// Just enough msgpack to read a provider's health reply ({healthy: bool, message?: str},
// PROTOCOL.md §7.4): maps, strings, booleans, nil and integers.

export function decode(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  const u8 = () => view.getUint8(pos++);
  const str = (n) => {
    const s = new TextDecoder().decode(bytes.subarray(pos, pos + n));
    pos += n;
    return s;
  };
  const map = (n) => {
    const o = {};
    for (let i = 0; i < n; i++) {
      const k = value();
      o[String(k)] = value();
    }
    return o;
  };
  function value() {
    const b = u8();
    if (b <= 0x7f) return b;
    if (b >= 0x80 && b <= 0x8f) return map(b & 0x0f);
    if (b >= 0xa0 && b <= 0xbf) return str(b & 0x1f);
    if (b >= 0xe0) return b - 0x100;
    switch (b) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xcc: return u8();
      case 0xcd: { const v = view.getUint16(pos); pos += 2; return v; }
      case 0xce: { const v = view.getUint32(pos); pos += 4; return v; }
      case 0xd9: return str(u8());
      case 0xda: { const n = view.getUint16(pos); pos += 2; return str(n); }
      case 0xde: { const n = view.getUint16(pos); pos += 2; return map(n); }
      default: throw new Error(`msgpack type 0x${b.toString(16)} is not supported here`);
    }
  }
  return value();
}

/** {placeholder: true}: the body hosts send with a health check. */
export const HEALTH_REQUEST = new Uint8Array([
  0x81, 0xab, 0x70, 0x6c, 0x61, 0x63, 0x65, 0x68, 0x6f, 0x6c, 0x64, 0x65, 0x72, 0xc3,
]);
