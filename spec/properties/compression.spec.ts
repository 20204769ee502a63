/**
 * The two MCCP engines against each other on random streams: whatever deflater made a stream (node:zlib's or the
 * portable one), and however the wire is cut into writes, `nodeCompression` and `portableCompression` inflate it
 * to the same bytes and hand back the same plain bytes after it; on corrupted streams neither throws, both
 * settle, and when both accept a stream they agree on it (as far as each got). The portable deflater's smaller
 * windows make streams that zlib reads with no more window than their header names.
 */
import { inflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Compression } from '../../src/transport/compression.js';
import { nodeCompression } from '../../src/transport/node/zlib.js';
import { portableCompression, portableDeflater } from '../../src/transport/portable-compression.js';
import { deflate } from '../transport/compression-helpers.js';

const engines = { node: nodeCompression, portable: portableCompression } as const;
type EngineName = keyof typeof engines;

interface Settled {
  readonly data: Buffer;
  /** The plain bytes after the stream; undefined when it errored. */
  readonly rest: Buffer | undefined;
  readonly error: string | undefined;
}

/**
 * Feeds `chunks` (once the engine has reported the end, the chunks that follow are plain bytes, as a connection
 * does it), then `finish()`, and resolves on `end` or `error`.
 */
const settle = (engine: Compression, chunks: readonly Uint8Array[]): Promise<Settled> =>
  new Promise((resolve) => {
    const data: Buffer[] = [];
    const after: Buffer[] = [];
    const state = { done: false };
    const inflater = engine.inflater({
      data: (bytes) => data.push(Buffer.from(bytes)),
      end: (rest) => {
        state.done = true;
        queueMicrotask(() => {
          resolve({ data: Buffer.concat(data), rest: Buffer.concat([Buffer.from(rest), ...after]), error: undefined });
        });
      },
      error: (error) => {
        state.done = true;
        resolve({ data: Buffer.concat(data), rest: undefined, error: error.name });
      },
    });
    for (const chunk of chunks) {
      if (state.done) after.push(Buffer.from(chunk));
      else inflater.write(chunk);
    }
    inflater.finish();
  });

/** MUD-like text: words from a small vocabulary, so that the compressor finds matches, with some raw bytes. */
const write = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(fc.constantFrom('the ', 'dragon ', 'north ', 'HP:', '42/42 ', '\r\n', '\x1b[1;31m', 'You see '), {
        maxLength: 40,
      })
      .map((words) => Buffer.from(words.join(''), 'latin1')),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)) },
);
/** Non-empty writes: an empty one makes no output to wait for. */
const writes = fc.array(
  write.filter((bytes) => bytes.length > 0),
  { minLength: 1, maxLength: 8 },
);
const plainAfter = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
const cuts = fc.array(fc.nat(), { maxLength: 6 });
const deflaterName = fc.constantFrom<EngineName>('node', 'portable');

const cutAt = (whole: Buffer, at: readonly number[]): Buffer[] => {
  const points = [...new Set(at.map((point) => point % (whole.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const point of [...points, whole.length]) {
    if (point > from) pieces.push(whole.subarray(from, point));
    from = Math.max(from, point);
  }
  return pieces;
};

describe('nodeCompression and portableCompression on random streams', { timeout: 120_000 }, () => {
  it('inflate every stream, cut anywhere, to the same bytes and the same plain rest', async () => {
    await fc.assert(
      fc.asyncProperty(writes, plainAfter, cuts, deflaterName, async (texts, after, at, deflater) => {
        const wire = Buffer.concat([...(await deflate(engines[deflater], texts)), after]);
        const chunks = cutAt(wire, at);
        const original = Buffer.concat(texts);
        for (const name of ['node', 'portable'] as const) {
          const outcome = await settle(engines[name], chunks);
          expect(outcome.error, name).toBeUndefined();
          expect(outcome.data.equals(original), name).toBe(true);
          // node:zlib sees an end that falls on the last byte written only with a later write: then no rest.
          if (after.length > 0 || name === 'portable') expect(outcome.rest?.equals(after), name).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('agree on long streams that cross the 32 KiB window, in writes of up to 100 KB', async () => {
    const longWrite = fc
      .tuple(fc.array(write, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 300 }))
      .map(([parts, times]) =>
        Buffer.concat(Array.from({ length: times }, (_, turn) => parts[turn % parts.length] ?? Buffer.alloc(0))),
      )
      .filter((bytes) => bytes.length > 0 && bytes.length <= 100_000);
    await fc.assert(
      fc.asyncProperty(fc.array(longWrite, { minLength: 1, maxLength: 4 }), cuts, async (texts, at) => {
        const wire = Buffer.concat(await deflate(portableCompression, texts));
        const original = Buffer.concat(texts);
        for (const name of ['node', 'portable'] as const) {
          const outcome = await settle(engines[name], cutAt(wire, at));
          expect(outcome.error, name).toBeUndefined();
          expect(outcome.data.equals(original), name).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('make streams within the window they name, for every windowBits from 9 to 15', async () => {
    const repetitive = fc
      .tuple(fc.array(write, { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 200 }))
      .map(([parts, times]) =>
        Buffer.concat(Array.from({ length: times }, (_, turn) => parts[turn % parts.length] ?? Buffer.alloc(0))),
      )
      .filter((bytes) => bytes.length > 0 && bytes.length <= 60_000);
    const windowBits = fc.integer({ min: 9, max: 15 });
    await fc.assert(
      fc.asyncProperty(fc.array(repetitive, { minLength: 1, maxLength: 4 }), windowBits, async (texts, bits) => {
        const engine = { inflater: portableCompression.inflater, deflater: portableDeflater({ windowBits: bits }) };
        const wire = Buffer.concat(await deflate(engine, texts));
        expect(wire[0]).toBe(((bits - 8) << 4) | 8);
        // zlib given only the window the header names fails on any match that reaches further back.
        expect(inflateSync(wire, { windowBits: Math.max(bits, 9) }).equals(Buffer.concat(texts))).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('settle without throwing on corrupted streams, and agree on every stream both accept', async () => {
    const flips = fc.array(fc.record({ at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), {
      minLength: 1,
      maxLength: 3,
    });
    await fc.assert(
      fc.asyncProperty(writes, flips, cuts, async (texts, damage, at) => {
        const wire = Buffer.concat(await deflate(portableCompression, texts));
        for (const { at: position, bit } of damage) {
          const index = position % wire.length;
          wire.writeUInt8((wire[index] ?? 0) ^ (1 << bit), index);
        }
        const chunks = cutAt(wire, at);
        const [byNode, byPortable] = await Promise.all([
          settle(nodeCompression, chunks),
          settle(portableCompression, chunks),
        ]);
        if (byNode.error === undefined && byPortable.error === undefined) {
          // A flipped bit can turn a sync marker into the header of a long stored block that the input ends in:
          // zlib passes on the part of it that came, fflate waits for all of it. Up to there they agree.
          const [shorter, longer] =
            byPortable.data.length <= byNode.data.length
              ? [byPortable.data, byNode.data]
              : [byNode.data, byPortable.data];
          expect(longer.subarray(0, shorter.length).equals(shorter)).toBe(true);
        }
        if (byPortable.error !== undefined) expect(byPortable.error).toBe('DecompressionError');
      }),
      { numRuns: 1000 },
    );
  });
});
