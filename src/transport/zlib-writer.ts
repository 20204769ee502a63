/**
 * A small zlib (RFC 1950) compressor for MCCP3 and MCCP2 output in any JavaScript engine: LZ77 matches over a
 * 32 KiB window (a hash chain, greedy), coded with the fixed Huffman codes of RFC 1951, or as stored blocks when
 * those would be smaller. Every write ends with a sync flush (an empty stored block, `00 00 FF FF`), so the peer
 * can decode it at once, which is what `Z_SYNC_FLUSH` gives with zlib.
 *
 * It is ours rather than a library's: the streaming compressors small enough for a browser bundle either cannot
 * sync-flush or do it wrongly on some inputs, and MUD traffic in this direction is short commands, for which
 * dynamic Huffman tables would buy little.
 *
 * @internal Not part of the package's public exports.
 */

const WINDOW = 32 * 1024;
const MIN_MATCH = 3;
const MAX_MATCH = 258;
const HASH_BITS = 14;
const HASH_SIZE = 1 << HASH_BITS;
/** How many earlier positions with the same hash are tried for a match. */
const MAX_CHAIN = 48;
/** Input is coded in pieces of at most this many bytes: it bounds the token buffers, and fits a stored block. */
const PIECE = 32 * 1024;
/** Positions are rebased before they could pass 2^31 (after about 1 GiB of input). */
const REBASE_AT = 1 << 30;

/** Base lengths of the length symbols 257..285, and their extra bits (RFC 1951, 3.2.5). */
const LENGTH_BASE = [
  3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/** Base distances of the distance symbols 0..29, and their extra bits. */
const DISTANCE_BASE = [
  1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
  8193, 12289, 16385, 24577,
];
const DISTANCE_EXTRA = [
  0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
];

const reverseBits = (code: number, length: number): number => {
  let reversed = 0;
  for (let bit = 0; bit < length; bit++) reversed |= ((code >> bit) & 1) << (length - 1 - bit);
  return reversed;
};

/** The fixed literal/length code of each symbol 0..287, bit-reversed for an LSB-first bit stream, and its length. */
const LITERAL_CODE = new Uint16Array(288);
const LITERAL_LENGTH = new Uint8Array(288);
for (let symbol = 0; symbol < 288; symbol++) {
  const [code, length] =
    symbol < 144
      ? [0x30 + symbol, 8]
      : symbol < 256
        ? [0x190 + symbol - 144, 9]
        : symbol < 280
          ? [symbol - 256, 7]
          : [0xc0 + symbol - 280, 8];
  LITERAL_CODE[symbol] = reverseBits(code, length);
  LITERAL_LENGTH[symbol] = length;
}
/** The length symbol (minus 257) of each match length 3..258. */
const LENGTH_SYMBOL = new Uint8Array(MAX_MATCH + 1);
for (let index = 0; index < LENGTH_BASE.length; index++) {
  const base = LENGTH_BASE[index] ?? 0;
  const top = index === LENGTH_BASE.length - 1 ? MAX_MATCH : base + (1 << (LENGTH_EXTRA[index] ?? 0)) - 1;
  for (let length = base; length <= top; length++) LENGTH_SYMBOL[length] = index;
}
/** The distance symbol of a distance 1..32768. */
const distanceSymbol = (distance: number): number => {
  let symbol = 0;
  while (symbol < 29 && (DISTANCE_BASE[symbol + 1] ?? Infinity) <= distance) symbol++;
  return symbol;
};
const DISTANCE_CODE = new Uint8Array(30);
for (let symbol = 0; symbol < 30; symbol++) DISTANCE_CODE[symbol] = reverseBits(symbol, 5);

/** Adler-32 (RFC 1950) of `bytes`, continuing from `adler`. */
export const adler32 = (adler: number, bytes: Uint8Array): number => {
  let a = adler & 0xffff;
  let b = adler >>> 16;
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(at + 3800, bytes.length);
    for (; at < end; at++) {
      a += bytes[at] ?? 0;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
};

/** An LSB-first bit stream into a growing byte buffer. */
class BitWriter {
  private bytes = new Uint8Array(256);
  private length = 0;
  private bits = 0;
  private count = 0;

  write(value: number, count: number): void {
    this.bits |= value << this.count;
    this.count += count;
    while (this.count >= 8) {
      this.byte(this.bits & 0xff);
      this.bits >>>= 8;
      this.count -= 8;
    }
  }

  /** Pads with zero bits to the next byte boundary. */
  align(): void {
    if (this.count > 0) this.write(0, 8 - this.count);
  }

  byte(value: number): void {
    if (this.length === this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes[this.length++] = value;
  }

  /** The whole bytes written since the last take (the bits of a partial byte stay). */
  take(): Uint8Array {
    const taken = this.bytes.slice(0, this.length);
    this.length = 0;
    return taken;
  }
}

/** Compresses one zlib stream, write by write; each write's output ends on a sync flush. */
export class ZlibWriter {
  private readonly out = new BitWriter();
  /** The last bytes of input (up to the window), followed by the piece being coded. */
  private history = new Uint8Array(0);
  /** The stream position of `history[0]`. */
  private base = 0;
  /** Per hash, the latest stream position + 1 that had it (0: none). */
  private head = new Int32Array(HASH_SIZE);
  /** Per position modulo the window, the previous position + 1 with the same hash. */
  private readonly previous = new Int32Array(WINDOW);
  /** Positions of `history` not entered in the hash chains yet (the last two of a piece wait for more bytes). */
  private unhashed = 0;
  private adler = 1;
  private started = false;

  /** Compresses `chunk` and flushes: the bytes returned decode to everything written so far. */
  write(chunk: Uint8Array): Uint8Array {
    this.header();
    this.adler = adler32(this.adler, chunk);
    for (let at = 0; at < chunk.length; at += PIECE) this.piece(chunk.subarray(at, at + PIECE));
    // Sync flush: an empty stored block, ending on a byte boundary.
    this.out.write(0, 3);
    this.out.align();
    this.out.write(0, 16);
    this.out.write(0xffff, 16);
    return this.out.take();
  }

  /** Ends the stream: a last empty block and the Adler-32 of everything written. */
  end(): Uint8Array {
    this.header();
    this.out.write(3, 3); // BFINAL, fixed codes
    this.out.write(LITERAL_CODE[256] ?? 0, LITERAL_LENGTH[256] ?? 7);
    this.out.align();
    for (const shift of [24, 16, 8, 0]) this.out.byte((this.adler >>> shift) & 0xff);
    return this.out.take();
  }

  private header(): void {
    if (this.started) return;
    this.started = true;
    this.out.byte(0x78); // deflate, 32 KiB window
    this.out.byte(0x5e); // no dictionary, "fast" level; 0x785e is a multiple of 31
  }

  private hash(bytes: Uint8Array, at: number): number {
    return ((((bytes[at] ?? 0) << 10) ^ ((bytes[at + 1] ?? 0) << 5) ^ (bytes[at + 2] ?? 0)) * 0x9e37) & (HASH_SIZE - 1);
  }

  /** Enters position `at` of `bytes` (whose first byte is at stream position `base`) in the hash chains. */
  private insert(bytes: Uint8Array, at: number): number {
    const hash = this.hash(bytes, at);
    const position = this.base + at;
    const earlier = this.head[hash] ?? 0;
    this.previous[position & (WINDOW - 1)] = earlier;
    this.head[hash] = position + 1;
    return earlier;
  }

  private piece(chunk: Uint8Array): void {
    if (this.base + this.history.length + chunk.length > REBASE_AT) this.rebase();
    const kept = this.history.length;
    const bytes = new Uint8Array(kept + chunk.length);
    bytes.set(this.history);
    bytes.set(chunk, kept);
    for (let at = kept - this.unhashed; at < kept; at++) if (at >= 0 && at + 2 < bytes.length) this.insert(bytes, at);

    // Tokens: a literal (distance 0) or a match (length, distance).
    const literals = new Uint16Array(chunk.length);
    const distances = new Uint16Array(chunk.length);
    let tokens = 0;
    let cost = 3 + 7; // block header and end of block, in bits
    let at = kept;
    while (at < bytes.length) {
      let bestLength = 0;
      let bestDistance = 0;
      if (at + MIN_MATCH <= bytes.length) {
        let candidate = this.insert(bytes, at);
        const limit = Math.min(MAX_MATCH, bytes.length - at);
        for (let tries = 0; candidate > 0 && tries < MAX_CHAIN; tries++) {
          const from = candidate - 1 - this.base;
          const distance = at - from;
          if (from < 0 || distance > WINDOW) break;
          if (bytes[from + bestLength] === bytes[at + bestLength]) {
            let length = 0;
            while (length < limit && bytes[from + length] === bytes[at + length]) length++;
            if (length > bestLength) {
              bestLength = length;
              bestDistance = distance;
              if (length === limit) break;
            }
          }
          candidate = this.previous[(candidate - 1) & (WINDOW - 1)] ?? 0;
        }
      }
      if (bestLength >= MIN_MATCH) {
        const lengthIndex = LENGTH_SYMBOL[bestLength] ?? 0;
        const distanceIndex = distanceSymbol(bestDistance);
        cost += (LITERAL_LENGTH[257 + lengthIndex] ?? 0) + (LENGTH_EXTRA[lengthIndex] ?? 0);
        cost += 5 + (DISTANCE_EXTRA[distanceIndex] ?? 0);
        literals[tokens] = bestLength;
        distances[tokens++] = bestDistance;
        for (let next = at + 1; next < at + bestLength; next++) {
          if (next + 2 < bytes.length) this.insert(bytes, next);
        }
        at += bestLength;
      } else {
        const literal = bytes[at] ?? 0;
        cost += LITERAL_LENGTH[literal] ?? 8;
        literals[tokens] = literal;
        distances[tokens++] = 0;
        at++;
      }
    }
    this.unhashed = Math.min(2, bytes.length);

    // Stored costs about 5 bytes a block on top of the bytes themselves.
    if (cost > (chunk.length + 5) * 8 + 7) this.stored(chunk);
    else this.fixed(literals, distances, tokens);

    const keep = Math.min(WINDOW, bytes.length);
    this.history = bytes.slice(bytes.length - keep);
    this.base += bytes.length - keep;
  }

  private fixed(literals: Uint16Array, distances: Uint16Array, tokens: number): void {
    const out = this.out;
    out.write(2, 3); // not final, fixed codes
    for (let index = 0; index < tokens; index++) {
      const distance = distances[index] ?? 0;
      const value = literals[index] ?? 0;
      if (distance === 0) {
        out.write(LITERAL_CODE[value] ?? 0, LITERAL_LENGTH[value] ?? 8);
        continue;
      }
      const lengthIndex = LENGTH_SYMBOL[value] ?? 0;
      out.write(LITERAL_CODE[257 + lengthIndex] ?? 0, LITERAL_LENGTH[257 + lengthIndex] ?? 7);
      const lengthExtra = LENGTH_EXTRA[lengthIndex] ?? 0;
      if (lengthExtra > 0) out.write(value - (LENGTH_BASE[lengthIndex] ?? 0), lengthExtra);
      const distanceIndex = distanceSymbol(distance);
      out.write(DISTANCE_CODE[distanceIndex] ?? 0, 5);
      const distanceExtra = DISTANCE_EXTRA[distanceIndex] ?? 0;
      if (distanceExtra > 0) out.write(distance - (DISTANCE_BASE[distanceIndex] ?? 0), distanceExtra);
    }
    out.write(LITERAL_CODE[256] ?? 0, LITERAL_LENGTH[256] ?? 7);
  }

  private stored(chunk: Uint8Array): void {
    const out = this.out;
    out.write(0, 3); // not final, stored
    out.align();
    const length = chunk.length;
    out.write(length, 16);
    out.write(~length & 0xffff, 16);
    for (const byte of chunk) out.byte(byte);
  }

  /** Moves stream positions back to small numbers, forgetting the hash chains (they only speed matching up). */
  private rebase(): void {
    this.base = 0;
    this.head = new Int32Array(HASH_SIZE);
    this.previous.fill(0);
    this.unhashed = 0;
  }
}
