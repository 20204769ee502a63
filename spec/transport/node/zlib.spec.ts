/**
 * `nodeCompression` and `compactCompression` (its inflater with our small-window deflater) keep the engine
 * contract (the shared suite of spec/transport/compression-suite.ts, bombs in one write included), and what
 * node:zlib does in particular: the end of a stream that ends with a write seen with the next one, paced bombs,
 * real MUD traffic over a long session, and the text before a corruption.
 */
import { deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { TelnetOption } from '../../../src/protocol/options.js';
import { defaultInflaterOptions } from '../../../src/transport/compression.js';
import { compactCompression, nodeCompression } from '../../../src/transport/node/zlib.js';
import { deflate, deflateAll, inflate, plain, recorder, settle, splitEvery, text } from '../compression-helpers.js';
import { describeCompressionEngine } from '../compression-suite.js';

describeCompressionEngine('nodeCompression', nodeCompression);
describeCompressionEngine('compactCompression', compactCompression);

describe('nodeCompression.inflater on node:zlib', { timeout: 10_000 }, () => {
  const original = text(20_000);
  const compressed = deflateSync(original);

  it('reports an end that falls on a chunk boundary with the next write, all of it rest', async () => {
    const sink = recorder();
    const inflater = nodeCompression.inflater(sink.inflaterSink);
    inflater.write(compressed);
    await sink.until(() => sink.dataLength() === original.length);
    await settle();
    expect(sink.ended()).toBe(false);
    inflater.write(plain.subarray(0, 3));
    await sink.until(sink.ended);
    inflater.write(plain.subarray(3));
    await settle();
    expect(sink.log.at(-1)).toBe(`end ${plain.subarray(0, 3).toString()}`);
    expect(sink.log.filter((entry) => entry.startsWith('end'))).toHaveLength(1);
  });

  describe('over the whole stream (maxRatio, ratioAllowance)', () => {
    let bomb: Buffer;
    beforeAll(async () => {
      const zeros = Buffer.alloc(1024 * 1024);
      // Plain bytes follow, so that a bomb that gets through ends (the test then fails on its outcome).
      bomb = Buffer.concat([await deflateAll(Array.from({ length: 100 }, () => zeros)), plain]);
    });

    it('stops a bomb paced in 4 KiB writes, each under the per-chunk bound, having passed on no more than the stream bound', async () => {
      const chunks = splitEvery(bomb, 4096);
      const outcome = await inflate(nodeCompression, chunks, { paced: true });
      expect(outcome.error).toMatchObject({
        _tag: 'DecompressionError',
        reason: 'TooLarge',
        option: TelnetOption.MCCP2,
      });
      const bound = defaultInflaterOptions.ratioAllowance + defaultInflaterOptions.maxRatio * bomb.length;
      expect(outcome.data.length).toBeLessThanOrEqual(bound);
      expect(outcome.data.length).toBeLessThan(100 * 1024 * 1024);
      expect(outcome.log.filter((entry) => entry === 'error')).toHaveLength(1);
    });

    it('passes on the bytes up to the bound before the error', async () => {
      const outcome = await inflate(nodeCompression, splitEvery(bomb, 4096), {
        paced: true,
        maxRatio: 10,
        ratioAllowance: 100_000,
      });
      expect(outcome.error).toMatchObject({ reason: 'TooLarge' });
      expect(outcome.data.length).toBeGreaterThanOrEqual(100_000);
      expect(outcome.data.every((byte) => byte === 0)).toBe(true);
    });

    it('lets MUD output flushed line by line through over a long session, with a small allowance', async () => {
      const lines: Buffer[] = [];
      for (let i = 0; i < 40_000; i += 1) {
        lines.push(Buffer.from(`\x1b[1;3${i % 8}m${text(20 + (i % 60)).toString('latin1')}\x1b[0m\r\n`, 'latin1'));
      }
      const wire = await deflateAll(lines);
      const session = Buffer.concat(lines);
      expect(session.length).toBeGreaterThan(2 * 1024 * 1024);
      const outcome = await inflate(nodeCompression, splitEvery(Buffer.concat([wire, plain]), 4096), {
        ratioAllowance: 0,
        maxRatio: 20,
      });
      expect(outcome.rest?.equals(plain)).toBe(true);
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.equals(session)).toBe(true);
    });

    it('rejects invalid bounds with a RangeError, and takes Infinity as no bound', async () => {
      const sink = recorder().inflaterSink;
      for (const bad of [0, -1, Number.NaN]) {
        expect(() => nodeCompression.inflater(sink, { maxRatio: bad })).toThrow(RangeError);
        expect(() => nodeCompression.inflater(sink, { maxOutputPerInput: bad })).toThrow(RangeError);
      }
      expect(() => nodeCompression.inflater(sink, { ratioAllowance: -1 })).toThrow(RangeError);
      expect(() => nodeCompression.inflater(sink, { ratioAllowance: Number.NaN })).toThrow(RangeError);
      const unbounded = nodeCompression.inflater(sink, {
        maxRatio: Infinity,
        ratioAllowance: 0,
        maxOutputPerInput: Infinity,
      });
      unbounded.destroy();
      const outcome = await inflate(nodeCompression, [bomb], {
        maxRatio: Infinity,
        ratioAllowance: 0,
        maxOutputPerInput: Infinity,
      });
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.length).toBe(100 * 1024 * 1024);
    });
  });

  it('delivers the text that inflated before a corruption in the same write, then the error', async () => {
    const lines = ['You see a room.\r\n', 'Exits: north\r\n', 'A troll arrives.\r\n'].map((line) => Buffer.from(line));
    const pieces = await deflate(nodeCompression, lines);
    const valid = Buffer.concat(pieces.slice(0, 3));
    expect(pieces).toHaveLength(4);
    const outcome = await inflate(nodeCompression, [
      Buffer.concat([valid, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x12, 0x34])]),
    ]);
    expect(outcome.data.toString()).toBe(lines.join(''));
    expect(outcome.error).toMatchObject({ reason: 'Corrupt' });
    expect(outcome.log.at(-1)).toBe('error');
  });
});
