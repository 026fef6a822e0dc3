// Cursor over a byte array, the inverse of ByteWriter. Every read is bounds-checked so a corrupt chunk
// fails with a clear error instead of producing garbage.

const TEXT = new TextDecoder('utf-8', { fatal: true });

export class TruncatedError extends Error {}

export class ByteReader {
  pos = 0;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  get remaining(): number {
    return this.buf.length - this.pos;
  }

  private need(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new TruncatedError(`unexpected end of data at byte ${this.pos} (need ${n} more)`);
    }
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Unsigned varint; a number when it fits in 2^53, otherwise a bigint. */
  uvarintAny(): number | bigint {
    const start = this.pos;
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 7; i++) {
      const b = this.byte();
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 0x80;
    }
    this.pos = start;
    let big = 0n;
    let shift = 0n;
    for (let i = 0; i < 11; i++) {
      const b = this.byte();
      big |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
      shift += 7n;
    }
    throw new TruncatedError(`varint longer than 11 bytes at byte ${start}`);
  }

  /** Unsigned varint that must fit in a safe integer (lengths, counts, timestamps). */
  uvarint(): number {
    const at = this.pos;
    const v = this.uvarintAny();
    if (typeof v !== 'number') throw new TruncatedError(`varint at byte ${at} is too large for a count`);
    return v;
  }

  string(): string {
    const n = this.uvarint();
    return TEXT.decode(this.bytes(n));
  }

  float64(): number {
    this.need(8);
    const x = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return x;
  }
}
