// Growable byte buffer with LEB128 varints; numbers up to 2^53 take the fast path, larger values BigInt.

const TEXT = new TextEncoder();

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(initialSize = 1 << 16) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  bytes(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.length);
    this.length += data.length;
  }

  /** n bytes appended to the buffer, zeroed, for the caller to fill in place. */
  reserve(n: number): Uint8Array {
    this.ensure(n);
    const out = this.buf.subarray(this.length, this.length + n);
    out.fill(0);
    this.length += n;
    return out;
  }

  /** Unsigned varint of a non-negative integer n <= 2^53. */
  uvarint(n: number): void {
    this.ensure(10);
    while (n >= 0x80) {
      this.buf[this.length++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.length++] = n;
  }

  /** Unsigned varint of a non-negative bigint of any size. */
  uvarintBig(n: bigint): void {
    this.ensure(12);
    while (n >= 0x80n) {
      this.buf[this.length++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.length++] = Number(n);
  }

  string(s: string): void {
    const encoded = TEXT.encode(s);
    this.uvarint(encoded.length);
    this.bytes(encoded);
  }

  float64(x: number): void {
    this.ensure(8);
    this.view.setFloat64(this.length, x, true);
    this.length += 8;
  }

  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
