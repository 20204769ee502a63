/**
 * The contract of a compression engine (src/transport/compression.ts), as one suite that runs against any
 * {@link Compression}: `nodeCompression` (spec/transport/node/zlib.spec.ts) and `portableCompression`
 * (spec/transport/portable-compression.spec.ts) pass the same cases. Streams are made with `node:zlib`, the
 * reference, and with the engine's own deflater.
 */
import { constants, createDeflate, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecompressionError } from '../../src/negotiation/errors.js';
import { TelnetOption } from '../../src/protocol/options.js';
import { defaultInflaterOptions } from '../../src/transport/compression.js';
import type { Compression } from '../../src/transport/compression.js';
import { deflate, inflate, plain, recorder, settle, splitEvery, text } from './compression-helpers.js';

/** Runs the engine contract against `engine`, called `name` in the test names. */
export const describeCompressionEngine = (name: string, engine: Compression): void => {
  describe(`${name}.inflater`, { timeout: 10_000 }, () => {
    const original = text(20_000);
    const compressed = deflateSync(original);
    const wire = Buffer.concat([compressed, plain]);

    it.each([1, 2, 7, 100, 4096, wire.length])('inflates a stream written in chunks of %i bytes', async (size) => {
      for (const paced of [false, true]) {
        const outcome = await inflate(engine, splitEvery(wire, size), { paced });
        expect(outcome.log.filter((entry) => entry === 'end')).toHaveLength(1);
        expect(outcome.error).toBeUndefined();
        expect(outcome.data.equals(original)).toBe(true);
        expect(outcome.rest?.equals(plain)).toBe(true);
        expect(outcome.log.at(-1)).toBe('end');
      }
    });

    it('finds the end of the stream at every split point of the wire', async () => {
      for (let split = 1; split < wire.length; split += 1) {
        const outcome = await inflate(engine, [wire.subarray(0, split), wire.subarray(split)]);
        expect(outcome.data.equals(original), `split at ${split}`).toBe(true);
        expect(outcome.rest?.equals(plain), `split at ${split}`).toBe(true);
      }
    });

    it('hands back the plain bytes after an end marker that lands mid-chunk, after all the data', async () => {
      const small = deflateSync(Buffer.from('You are in a maze.\r\n'));
      const outcome = await inflate(engine, [Buffer.concat([small, plain])]);
      expect(outcome.data.toString()).toBe('You are in a maze.\r\n');
      expect(outcome.rest?.equals(plain)).toBe(true);
      expect(outcome.log).toEqual(['data', 'end']);
    });

    it.each([1, 2, 3, 4, 5, 8])(
      'hands back the exact rest when the last %i bytes of the stream come with the plain bytes',
      async (tail) => {
        const cut = compressed.length - tail;
        const chunks = [
          compressed.subarray(0, cut),
          Buffer.concat([compressed.subarray(cut), plain.subarray(0, 5)]),
          plain.subarray(5),
        ];
        for (const paced of [false, true]) {
          const outcome = await inflate(engine, chunks, { paced });
          expect(outcome.data.equals(original)).toBe(true);
          expect(outcome.rest?.equals(plain)).toBe(true);
        }
      },
    );

    it('reports an end that falls on a chunk boundary at once or with the next write, which is then all rest', async () => {
      const sink = recorder();
      const inflater = engine.inflater(sink.inflaterSink);
      inflater.write(compressed);
      await sink.until(() => sink.dataLength() === original.length);
      await settle();
      // node:zlib notices the end only on the next write; an engine may also report it at once, with no rest.
      const endedAtOnce = sink.ended();
      if (endedAtOnce) expect(sink.log.at(-1)).toBe('end ');
      inflater.write(plain.subarray(0, 3));
      await sink.until(sink.ended);
      inflater.write(plain.subarray(3));
      await settle();
      if (!endedAtOnce) expect(sink.log.at(-1)).toBe(`end ${plain.subarray(0, 3).toString()}`);
      expect(sink.log.filter((entry) => entry.startsWith('end'))).toHaveLength(1);
      expect(sink.data().equals(original)).toBe(true);
    });

    it('delivers what inflated before a fault, then the error', async () => {
      const [first = Buffer.alloc(0)] = await deflate(engine, [Buffer.from('You see a room.\r\n')]);
      const outcome = await inflate(engine, [first, Buffer.alloc(32, 0xff)], { paced: true });
      expect(outcome.data.toString()).toBe('You see a room.\r\n');
      expect(outcome.error).toMatchObject({ _tag: 'DecompressionError', reason: 'Corrupt' });
      expect(outcome.log).toEqual(['data', 'error']);
    });

    it('errors Corrupt on a wrong Adler-32 check after the last block', async () => {
      const broken = Buffer.from(compressed);
      broken.writeUInt8((broken.at(-1) ?? 0) ^ 0x01, broken.length - 1);
      const outcome = await inflate(engine, [Buffer.concat([broken, plain])]);
      expect(outcome.error).toMatchObject({ _tag: 'DecompressionError', reason: 'Corrupt' });
      expect(outcome.rest).toBeUndefined();
    });

    it('errors with a Corrupt DecompressionError naming the option', async () => {
      const corrupt = Buffer.concat([compressed.subarray(0, 2), Buffer.alloc(64, 0xff)]);
      const mccp2 = await inflate(engine, [corrupt]);
      expect(mccp2.error).toBeInstanceOf(DecompressionError);
      expect(mccp2.error).toMatchObject({ reason: 'Corrupt', option: TelnetOption.MCCP2 });
      const mccp3 = await inflate(engine, [Buffer.from('not zlib at all')], { option: TelnetOption.MCCP3 });
      expect(mccp3.error).toMatchObject({ _tag: 'DecompressionError', reason: 'Corrupt', option: TelnetOption.MCCP3 });
      expect(mccp3.log).toEqual(['error']);
    });

    it('bounds the output per written chunk, not per stream', async () => {
      const perWrite = text(3_000);
      const pieces = await deflate(engine, [perWrite, perWrite, perWrite, perWrite]);
      const bound = { maxOutputPerInput: 4_000 };

      const oneByOne = await inflate(engine, pieces.slice(0, 4), {
        ...bound,
        paced: true,
        dataLength: 4 * perWrite.length,
      });
      expect(oneByOne.error).toBeUndefined();
      expect(oneByOne.data.equals(Buffer.concat([perWrite, perWrite, perWrite, perWrite]))).toBe(true);

      const together = await inflate(engine, [Buffer.concat(pieces.slice(0, 4))], bound);
      expect(together.error).toMatchObject({ _tag: 'DecompressionError', reason: 'TooLarge' });
    });

    it('bounds the whole stream to ratioAllowance + maxRatio × compressed bytes, however it is paced', async () => {
      const zeros = deflateSync(Buffer.alloc(1024 * 1024));
      const bound = { maxRatio: 10, ratioAllowance: 1_000 };
      // The plain bytes after the stream let an engine that sees the end only on the next write end too.
      const outcome = await inflate(engine, [...splitEvery(zeros, 16), plain], { ...bound, paced: true });
      expect(outcome.error).toMatchObject({
        _tag: 'DecompressionError',
        reason: 'TooLarge',
        option: TelnetOption.MCCP2,
      });
      expect(outcome.data.length).toBeLessThanOrEqual(bound.ratioAllowance + bound.maxRatio * zeros.length);
      expect(outcome.data.equals(Buffer.alloc(outcome.data.length))).toBe(true);
      expect(outcome.log.filter((entry) => entry === 'error')).toHaveLength(1);
    });

    it('lets a stream through that stays within the stream-wide bound', async () => {
      const zeros = deflateSync(Buffer.alloc(1024 * 1024));
      const outcome = await inflate(engine, [...splitEvery(zeros, 16), plain], {
        maxRatio: 2_000,
        ratioAllowance: 0,
        paced: true,
      });
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.length).toBe(1024 * 1024);
      expect(outcome.rest?.equals(plain)).toBe(true);
    });

    it('stops a bomb sent in small writes with the default bounds', async () => {
      const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024), { level: constants.Z_BEST_SPEED });
      const outcome = await inflate(engine, splitEvery(bomb, 4 * 1024));
      expect(outcome.error).toMatchObject({ _tag: 'DecompressionError', reason: 'TooLarge' });
      expect(outcome.data.length).toBeLessThanOrEqual(
        defaultInflaterOptions.ratioAllowance + defaultInflaterOptions.maxRatio * bomb.length,
      );
    });

    describe('against a compression bomb (100 MiB of zeros)', () => {
      let bomb: Buffer;
      beforeAll(async () => {
        const zeros = Buffer.alloc(1024 * 1024);
        const engine = createDeflate({ level: constants.Z_BEST_SPEED });
        const parts: Buffer[] = [];
        engine.on('data', (part: Buffer) => parts.push(part));
        const finished = new Promise((resolve) => engine.on('end', resolve));
        for (let i = 0; i < 100; i += 1) engine.write(zeros);
        engine.end();
        await finished;
        bomb = Buffer.concat(parts);
      });

      it.each([
        ['a bound of 64 KiB', 64 * 1024, 64 * 1024],
        ['the default bound', undefined, 8 * 1024 * 1024],
      ])('errors TooLarge with %s, having passed on no more than the bound', async (_name, bound, limit) => {
        expect(bomb.length).toBeLessThan(1024 * 1024);
        const outcome = await inflate(engine, [bomb], bound === undefined ? {} : { maxOutputPerInput: bound });
        expect(outcome.error).toBeInstanceOf(DecompressionError);
        expect(outcome.error).toMatchObject({ reason: 'TooLarge', option: TelnetOption.MCCP2 });
        expect(outcome.data.length).toBeLessThanOrEqual(limit);
        await settle();
        expect(outcome.log.at(-1)).toBe('error');
        expect(outcome.log.filter((entry) => entry === 'error')).toHaveLength(1);
      });
    });

    it('calls nothing once destroyed', async () => {
      const atOnce = recorder();
      const destroyedAtOnce = engine.inflater(atOnce.inflaterSink);
      destroyedAtOnce.write(wire);
      // A synchronous engine has reported what that write decoded already; nothing may follow the destroy.
      const beforeDestroy = [...atOnce.log];
      destroyedAtOnce.destroy();
      destroyedAtOnce.write(wire);

      const inData = recorder();
      const destroyedInData = engine.inflater({
        ...inData.inflaterSink,
        data: (bytes) => {
          inData.inflaterSink.data(bytes);
          destroyedInData.destroy();
        },
      });
      for (const chunk of splitEvery(wire, 512)) destroyedInData.write(chunk);
      await inData.until(() => inData.log.length > 0);

      await settle();
      expect(atOnce.log).toEqual(beforeDestroy);
      expect(inData.log).toEqual(['data']);
    });

    it('finish: delivers everything written, then ends with no rest when the stream itself did not end', async () => {
      const sink = recorder();
      const inflater = engine.inflater(sink.inflaterSink);
      const unfinished = deflateSync(original, { flush: constants.Z_SYNC_FLUSH });
      for (const chunk of splitEvery(unfinished, 1000)) inflater.write(chunk);
      inflater.finish();
      await sink.until(sink.ended);
      expect(sink.data().equals(original)).toBe(true);
      expect(sink.log.at(-1)).toBe('end ');
    });

    it('ignores writes once the end has been reported', async () => {
      const sink = recorder();
      const inflater = engine.inflater(sink.inflaterSink);
      inflater.write(wire);
      await sink.until(sink.ended);
      inflater.write(wire);
      await settle();
      expect(sink.log.at(-1)).toBe(`end ${plain.toString()}`);
      expect(sink.log.filter((entry) => entry.startsWith('end'))).toHaveLength(1);
    });
  });

  describe(`${name}.deflater`, { timeout: 10_000 }, () => {
    it('flushes every write, so each one can be decoded before the stream ends', async () => {
      const writes = [Buffer.from('one\r\n'), Buffer.from('two\r\n'), text(10_000)];
      const pieces = await deflate(engine, writes);
      expect(pieces).toHaveLength(writes.length + 1);
      for (let count = 1; count <= writes.length; count += 1) {
        const expected = Buffer.concat(writes.slice(0, count));
        const outcome = await inflate(engine, pieces.slice(0, count), { dataLength: expected.length });
        expect(outcome.error).toBeUndefined();
        expect(outcome.rest).toBeUndefined();
        expect(outcome.data.equals(expected)).toBe(true);
      }
      const whole = await inflate(engine, [...pieces, plain]);
      expect(whole.data.equals(Buffer.concat(writes))).toBe(true);
      expect(whole.rest?.equals(plain)).toBe(true);
    });

    it('calls end after the last compressed bytes', async () => {
      const sink = recorder();
      const deflater = engine.deflater(sink.deflaterSink);
      deflater.write(Buffer.from('last words'));
      deflater.end();
      await sink.until(sink.ended);
      await settle();
      expect(sink.log.at(-1)).toBe('end');
      expect(sink.log.slice(0, -1).every((entry) => entry === 'data')).toBe(true);
      expect(sink.log.filter((entry) => entry === 'end')).toHaveLength(1);
    });

    it('calls nothing once destroyed', async () => {
      const sink = recorder();
      const deflater = engine.deflater(sink.deflaterSink);
      deflater.write(Buffer.from('maybe sent'));
      const beforeDestroy = [...sink.log];
      deflater.destroy();
      deflater.write(Buffer.from('nor this'));
      deflater.end();
      await settle();
      expect(sink.log).toEqual(beforeDestroy);
    });
  });
};
