/**
 * The part of CBOR (RFC 8949) that Smithy RPC v2 uses: maps, arrays, text and byte strings,
 * integers, floats, booleans, null and the epoch-time tag. Written here because the npm CBOR
 * libraries either pull platform-specific optional packages that this project's registry does not
 * serve (which breaks `npm ci`) or ship as ES modules only.
 */

/** A tagged value; tag 1 is an epoch time in seconds. */
export class Tag {
  constructor(
    readonly value: unknown,
    readonly tag: number,
  ) {}
}

export function decode(bytes: Uint8Array): unknown {
  const reader = new Reader(bytes);
  const value = reader.item();
  if (reader.offset !== bytes.length)
    throw new Error(`CBOR: ${bytes.length - reader.offset} bytes after the item`);
  return value;
}

const BREAK = Symbol("break");

class Reader {
  offset = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): number {
    if (this.offset + n > this.bytes.length) throw new Error("CBOR: unexpected end of input");
    const at = this.offset;
    this.offset += n;
    return at;
  }

  /** The argument of a head byte's additional info; undefined for indefinite length (31). */
  private argument(info: number): number | undefined {
    if (info < 24) return info;
    if (info === 24) return this.view.getUint8(this.need(1));
    if (info === 25) return this.view.getUint16(this.need(2));
    if (info === 26) return this.view.getUint32(this.need(4));
    if (info === 27) {
      const big = this.view.getBigUint64(this.need(8));
      if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("CBOR: integer beyond 2^53");
      return Number(big);
    }
    if (info === 31) return undefined;
    throw new Error(`CBOR: reserved additional info ${info}`);
  }

  item(): unknown {
    const head = this.view.getUint8(this.need(1));
    const major = head >> 5;
    const info = head & 31;
    if (major === 7) return this.simple(info);
    const n = this.argument(info);
    switch (major) {
      case 0:
        return n;
      case 1:
        return -1 - (n as number);
      case 2:
      case 3: {
        const chunks: Uint8Array[] = [];
        if (n === undefined) {
          for (let part = this.item(); part !== BREAK; part = this.item()) {
            chunks.push(typeof part === "string" ? Buffer.from(part) : (part as Uint8Array));
          }
        } else {
          const at = this.need(n);
          chunks.push(this.bytes.subarray(at, at + n));
        }
        const all = Buffer.concat(chunks);
        return major === 3 ? all.toString("utf8") : new Uint8Array(all);
      }
      case 4: {
        const out: unknown[] = [];
        if (n === undefined) for (let v = this.item(); v !== BREAK; v = this.item()) out.push(v);
        else for (let i = 0; i < n; i++) out.push(this.item());
        return out;
      }
      case 5: {
        const out: Record<string, unknown> = {};
        for (let i = 0; n === undefined || i < n; i++) {
          const key = this.item();
          if (key === BREAK) break;
          out[String(key)] = this.item();
        }
        return out;
      }
      default: {
        const value = this.item();
        return n === 1 && typeof value === "number"
          ? new Date(value * 1000)
          : new Tag(value, n as number);
      }
    }
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
      case 23:
        return null;
      case 25:
        return halfToNumber(this.view.getUint16(this.need(2)));
      case 26:
        return this.view.getFloat32(this.need(4));
      case 27:
        return this.view.getFloat64(this.need(8));
      case 31:
        return BREAK;
      default:
        throw new Error(`CBOR: unsupported simple value ${info}`);
    }
  }
}

function halfToNumber(h: number): number {
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  const sign = h & 0x8000 ? -1 : 1;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

export function encode(value: unknown): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function head(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) {
    const b = Buffer.alloc(3);
    b[0] = (major << 5) | 25;
    b.writeUInt16BE(n, 1);
    return b;
  }
  if (n < 0x100000000) {
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = (major << 5) | 27;
  b.writeBigUInt64BE(BigInt(n), 1);
  return b;
}

function write(v: unknown, out: Buffer[]): void {
  if (v === null || v === undefined) out.push(Buffer.from([0xf6]));
  else if (v === false) out.push(Buffer.from([0xf4]));
  else if (v === true) out.push(Buffer.from([0xf5]));
  else if (typeof v === "number") {
    if (Number.isSafeInteger(v)) out.push(v >= 0 ? head(0, v) : head(1, -1 - v));
    else {
      const b = Buffer.alloc(9);
      b[0] = 0xfb;
      b.writeDoubleBE(v, 1);
      out.push(b);
    }
  } else if (typeof v === "string") {
    const bytes = Buffer.from(v, "utf8");
    out.push(head(3, bytes.length), bytes);
  } else if (v instanceof Uint8Array) {
    out.push(head(2, v.length), Buffer.from(v));
  } else if (v instanceof Date) {
    write(new Tag(v.getTime() / 1000, 1), out);
  } else if (v instanceof Tag) {
    out.push(head(6, v.tag));
    // Epoch times are always written as floats, which every decoder accepts for tag 1.
    if (v.tag === 1 && typeof v.value === "number") {
      const b = Buffer.alloc(9);
      b[0] = 0xfb;
      b.writeDoubleBE(v.value, 1);
      out.push(b);
    } else write(v.value, out);
  } else if (Array.isArray(v)) {
    out.push(head(4, v.length));
    for (const x of v) write(x, out);
  } else if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    out.push(head(5, entries.length));
    for (const [k, x] of entries) {
      write(k, out);
      write(x, out);
    }
  } else {
    throw new Error(`CBOR: cannot encode a ${typeof v}`);
  }
}
