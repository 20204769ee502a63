/**
 * A small zlib (RFC 1950) compressor for MCCP3 and MCCP2 output in any JavaScript engine: LZ77 matches over a
 * window of 2^windowBits bytes (a hash chain, greedy), coded with the fixed Huffman codes of RFC 1951, or as stored
 * blocks when those would be smaller. Every write ends with a sync flush (an empty stored block, `00 00 FF FF`), so
 * the peer can decode it at once, which is what `Z_SYNC_FLUSH` gives with zlib.
 *
 * It is ours rather than a library's: the streaming compressors small enough for a browser bundle either cannot
 * sync-flush or do it wrongly on some inputs, and MUD traffic is short writes, each flushed, for which dynamic
 * Huffman tables would buy little. Its memory is about 7 bytes per window byte (the history and the piece being
 * coded, plus the hash chains): 28 KiB with a 4 KiB window, where `node:zlib`'s deflate holds about 240 KiB.
 *
 * @internal Not part of the package's public exports.
 */

const MIN_MATCH = 3;
const MAX_MATCH = 258;
/** The hash table has a slot per four window positions, up to 2^14 slots. */
const MAX_HASH_BITS = 14;
/** How many earlier positions with the same hash are tried for a match. */
const MAX_CHAIN = 48;
/** Input is coded in pieces of at most this many bytes (a window's worth): it fits a stored block. */
const MAX_PIECE = 32 * 1024;
/** The output buffer's first size, and the size it goes back to after a large write. */
const OUT_START = 256;
/** Positions are rebased before they could pass 2^31 (after about 1 GiB of input). */
const REBASE_AT = 1 << 30;
/** The window sizes RFC 1950 allows: 2^8 (as 2^9, zlib's smallest) to 2^15 bytes. */
export const MIN_WINDOW_BITS = 9;
export const MAX_WINDOW_BITS = 15;

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

/** Compresses one zlib stream, write by write: what `write` returns ends on a sync flush. */
export interface ZlibWriter {
  /** Compresses `chunk` and flushes: the bytes returned decode to everything written so far. */
  write(chunk: Uint8Array): Uint8Array;
  /** Ends the stream: a last empty block and the Adler-32 of everything written. */
  end(): Uint8Array;
}

/**
 * Starts a {@link ZlibWriter} with a window of 2^`windowBits` bytes (9 to 15; the stream's header says which, so
 * any inflater reads it). (Closures rather than a class: a minifier shortens local names, not properties, and this
 * code ships in browser bundles.)
 */
export const createZlibWriter = (windowBits: number = MAX_WINDOW_BITS): ZlibWriter => {
  if (!Number.isInteger(windowBits) || windowBits < MIN_WINDOW_BITS || windowBits > MAX_WINDOW_BITS) {
    throw new RangeError(
      `windowBits must be an integer from ${MIN_WINDOW_BITS} to ${MAX_WINDOW_BITS}, got ${String(windowBits)}`,
    );
  }
  const window = 1 << windowBits;
  const pieceSize = Math.min(window, MAX_PIECE);
  const hashSize = 1 << Math.min(MAX_HASH_BITS, windowBits - 2);

  // The output: an LSB-first bit stream into a growing byte buffer.
  let out = new Uint8Array(OUT_START);
  let outLength = 0;
  let bits = 0;
  let bitCount = 0;
  const byte = (value: number): void => {
    if (outLength === out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[outLength++] = value;
  };
  const put = (value: number, count: number): void => {
    bits |= value << bitCount;
    bitCount += count;
    while (bitCount >= 8) {
      byte(bits & 0xff);
      bits >>>= 8;
      bitCount -= 8;
    }
  };
  /** Pads with zero bits to the next byte boundary. */
  const align = (): void => {
    if (bitCount > 0) put(0, 8 - bitCount);
  };
  /** The whole bytes written since the last take; a buffer grown for a large write is let go. */
  const take = (): Uint8Array => {
    const taken = out.slice(0, outLength);
    outLength = 0;
    if (out.length > 4 * OUT_START) out = new Uint8Array(OUT_START);
    return taken;
  };
  const symbol = (value: number): void => {
    put(LITERAL_CODE[value] ?? 0, LITERAL_LENGTH[value] ?? 8);
  };

  /**
   * The input: the last window of it, followed by the piece being coded; slid back when full, so each byte is
   * copied about twice in all.
   */
  const buffer = new Uint8Array(window + pieceSize);
  let used = 0;
  /** The stream position of `buffer[0]`. */
  let base = 0;
  /** Per hash, the latest stream position + 1 that had it (0: none). */
  let head = new Int32Array(hashSize);
  /** Per position modulo the window, the previous position + 1 with the same hash. */
  const previous = new Int32Array(window);
  /** Positions of `history` not entered in the hash chains yet (the last two of a piece wait for more bytes). */
  let unhashed = 0;
  let adler = 1;
  let started = false;

  const header = (): void => {
    if (started) return;
    started = true;
    const method = ((windowBits - 8) << 4) | 8; // deflate, and the window size
    const flags = 1 << 6; // no dictionary, "fast" level
    byte(method);
    byte(flags + 31 - ((method * 256 + flags) % 31 || 31));
  };

  /** Enters position `at` of `bytes` in the hash chains; returns the previous position + 1 with its hash. */
  const insert = (bytes: Uint8Array, at: number): number => {
    const hash =
      ((((bytes[at] ?? 0) << 10) ^ ((bytes[at + 1] ?? 0) << 5) ^ (bytes[at + 2] ?? 0)) * 0x9e37) & (hashSize - 1);
    const position = base + at;
    const earlier = head[hash] ?? 0;
    previous[position & (window - 1)] = earlier;
    head[hash] = position + 1;
    return earlier;
  };

  /** Codes `bytes` from `from` on as one fixed-code block, straight into the output. */
  const fixedBlock = (bytes: Uint8Array, from: number): void => {
    put(2, 3); // not final, fixed codes
    let at = from;
    while (at < bytes.length) {
      let bestLength = 0;
      let bestDistance = 0;
      if (at + MIN_MATCH <= bytes.length) {
        let candidate = insert(bytes, at);
        const limit = Math.min(MAX_MATCH, bytes.length - at);
        for (let tries = 0; candidate > 0 && tries < MAX_CHAIN; tries++) {
          const earlier = candidate - 1 - base;
          const distance = at - earlier;
          if (earlier < 0 || distance > window) break;
          if (bytes[earlier + bestLength] === bytes[at + bestLength]) {
            let length = 0;
            while (length < limit && bytes[earlier + length] === bytes[at + length]) length++;
            if (length > bestLength) {
              bestLength = length;
              bestDistance = distance;
              if (length === limit) break;
            }
          }
          candidate = previous[(candidate - 1) & (window - 1)] ?? 0;
        }
      }
      if (bestLength < MIN_MATCH) {
        symbol(bytes[at++] ?? 0);
        continue;
      }
      const lengthIndex = LENGTH_SYMBOL[bestLength] ?? 0;
      symbol(257 + lengthIndex);
      put(bestLength - (LENGTH_BASE[lengthIndex] ?? 0), LENGTH_EXTRA[lengthIndex] ?? 0);
      const distanceIndex = distanceSymbol(bestDistance);
      put(DISTANCE_CODE[distanceIndex] ?? 0, 5);
      put(bestDistance - (DISTANCE_BASE[distanceIndex] ?? 0), DISTANCE_EXTRA[distanceIndex] ?? 0);
      for (let next = at + 1; next < at + bestLength; next++) if (next + 2 < bytes.length) insert(bytes, next);
      at += bestLength;
    }
    symbol(256);
  };

  const piece = (chunk: Uint8Array): void => {
    if (used + chunk.length > buffer.length) {
      const keep = Math.min(window, used);
      buffer.copyWithin(0, used - keep, used);
      base += used - keep;
      used = keep;
    }
    if (base + used + chunk.length > REBASE_AT) {
      // Positions back to small numbers; the hash chains only speed matching up, so they are forgotten.
      base = 0;
      head = new Int32Array(hashSize);
      previous.fill(0);
      unhashed = 0;
    }
    const kept = used;
    buffer.set(chunk, kept);
    used += chunk.length;
    const bytes = buffer.subarray(0, used);
    for (let at = Math.max(0, kept - unhashed); at < kept; at++) if (at + 2 < bytes.length) insert(bytes, at);
    unhashed = Math.min(2, bytes.length);

    // Code the piece with the fixed codes; if that came out larger than a stored block, take it back.
    const startLength = outLength;
    const startBits = bits;
    const startCount = bitCount;
    fixedBlock(bytes, kept);
    const codedBits = (outLength - startLength) * 8 + bitCount - startCount;
    if (codedBits <= (chunk.length + 5) * 8 + 7) return;
    outLength = startLength;
    bits = startBits;
    bitCount = startCount;
    put(0, 3); // not final, stored
    align();
    put(chunk.length, 16);
    put(~chunk.length & 0xffff, 16);
    for (const value of chunk) byte(value);
  };

  return {
    write: (chunk) => {
      header();
      adler = adler32(adler, chunk);
      for (let at = 0; at < chunk.length; at += pieceSize) piece(chunk.subarray(at, at + pieceSize));
      // Sync flush: an empty stored block, ending on a byte boundary.
      put(0, 3);
      align();
      put(0, 16);
      put(0xffff, 16);
      return take();
    },
    end: () => {
      header();
      put(3, 3); // BFINAL, fixed codes
      symbol(256);
      align();
      for (const shift of [24, 16, 8, 0]) byte((adler >>> shift) & 0xff);
      return take();
    },
  };
};
