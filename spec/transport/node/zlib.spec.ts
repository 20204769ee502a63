import { constants, createDeflate, deflateSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DecompressionError } from '../../../src/negotiation/errors.js';
import { TelnetOption } from '../../../src/protocol/options.js';
import { defaultInflaterOptions } from '../../../src/transport/compression.js';
import type { InflaterOptions } from '../../../src/transport/compression.js';
import { nodeCompression } from '../../../src/transport/node/zlib.js';

const text = (length: number): Buffer => {
  const words = ['north', 'the', 'dragon', 'breathes', 'fire', 'at', 'you', '!', '\r\n', 'gold', 'coins'];
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < length; i += 1) {
    const word = words[(i * 7 + (i >> 3)) % words.length] ?? '';
    parts.push(word, ' ');
    size += word.length + 1;
  }
  return Buffer.from(parts.join('').slice(0, length), 'latin1');
};

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Time for a callback that should not come to show up. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

/** A sink for both engines that logs every callback and lets a test wait for a state of that log. */
const recorder = () => {
  const log: string[] = [];
  const chunks: Buffer[] = [];
  let length = 0;
  const waiters: { readonly ready: () => boolean; readonly resolve: () => void }[] = [];
  const note = (entry: string): void => {
    log.push(entry);
    for (const waiter of waiters.filter(({ ready }) => ready())) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };
  const data = (bytes: Uint8Array): void => {
    chunks.push(Buffer.from(bytes));
    length += bytes.length;
    note('data');
  };
  const error = (failure: Error): void => {
    note(`error ${failure.name}`);
  };
  return {
    log,
    data: (): Buffer => Buffer.concat(chunks),
    dataLength: (): number => length,
    /** Resolves once `ready()` holds. */
    until: (ready: () => boolean): Promise<void> =>
      ready() ? Promise.resolve() : new Promise((resolve) => waiters.push({ ready, resolve })),
    ended: (): boolean => log.some((entry) => entry.startsWith('end') || entry.startsWith('error')),
    inflaterSink: {
      data,
      error,
      end: (rest: Uint8Array): void => {
        note(`end ${Buffer.from(rest).toString('latin1')}`);
      },
    },
    deflaterSink: {
      data,
      error,
      end: (): void => {
        note('end');
      },
    },
  };
};

/** Everything an inflater reported, in order. */
interface Outcome {
  readonly log: readonly string[];
  readonly data: Buffer;
  readonly rest: Buffer | undefined;
  readonly error: Error | undefined;
}

/**
 * Feeds `chunks` to a new inflater (all at once, or one per turn of the event loop when `paced`) the way a
 * connection does: once `end` has been reported, later chunks are plain bytes and go after `rest`. Resolves on
 * `end` or `error`, or, for a stream that is not finished, once `dataLength` bytes have been inflated.
 */
const inflate = async (
  chunks: readonly Uint8Array[],
  options: InflaterOptions & { readonly paced?: boolean; readonly dataLength?: number } = {},
): Promise<Outcome> => {
  const log: string[] = [];
  const data: Buffer[] = [];
  let dataLength = 0;
  let rest: Buffer | undefined;
  let error: Error | undefined;
  const progress = { settled: false };
  let resolveFinished = (): void => undefined;
  const finished = new Promise<void>((resolve) => {
    resolveFinished = resolve;
  });
  const finish = (): void => {
    progress.settled = true;
    resolveFinished();
  };
  const inflater = nodeCompression.inflater(
    {
      data: (bytes) => {
        log.push('data');
        data.push(Buffer.from(bytes));
        dataLength += bytes.length;
        if (dataLength === options.dataLength) finish();
      },
      end: (bytes) => {
        log.push('end');
        rest = Buffer.from(bytes);
        finish();
      },
      error: (failure) => {
        log.push('error');
        error = failure;
        finish();
      },
    },
    options,
  );
  const plainAfterEnd: Buffer[] = [];
  for (const chunk of chunks) {
    if (progress.settled) plainAfterEnd.push(Buffer.from(chunk));
    else inflater.write(chunk);
    if (options.paced === true) await nextTurn();
  }
  await finished;
  inflater.destroy();
  return { log, data: Buffer.concat(data), rest: rest && Buffer.concat([rest, ...plainAfterEnd]), error };
};

const syncFlushMarker = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/** What a deflater produced for each of `writes` (each ends with a sync flush), and after `end()`. */
const deflate = async (writes: readonly Uint8Array[]): Promise<Buffer[]> => {
  const sink = recorder();
  const deflater = nodeCompression.deflater(sink.deflaterSink);
  const pieces: Buffer[] = [];
  let taken = 0;
  const take = (): void => {
    const all = sink.data();
    pieces.push(all.subarray(taken));
    taken = all.length;
  };
  for (const chunk of writes) {
    deflater.write(chunk);
    await sink.until(() => sink.data().subarray(taken).subarray(-4).equals(syncFlushMarker));
    take();
  }
  deflater.end();
  await sink.until(sink.ended);
  take();
  return pieces;
};

/** One zlib stream of `writes`, each ended by a sync flush (as MUD servers send), finished. */
const deflateAll = async (writes: readonly Uint8Array[]): Promise<Buffer> => {
  const engine = createDeflate({ flush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [];
  engine.on('data', (part: Buffer) => parts.push(part));
  const finished = new Promise((resolve) => engine.on('end', resolve));
  for (const chunk of writes) engine.write(chunk);
  engine.end();
  await finished;
  return Buffer.concat(parts);
};

const splitEvery = (bytes: Uint8Array, size: number): Uint8Array[] => {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

const plain = Buffer.from('plain telnet again\r\n', 'latin1');

describe('nodeCompression.inflater', { timeout: 10_000 }, () => {
  const original = text(20_000);
  const compressed = deflateSync(original);
  const wire = Buffer.concat([compressed, plain]);

  it.each([1, 2, 7, 100, 4096, wire.length])('inflates a stream written in chunks of %i bytes', async (size) => {
    for (const paced of [false, true]) {
      const outcome = await inflate(splitEvery(wire, size), { paced });
      expect(outcome.log.filter((entry) => entry === 'end')).toHaveLength(1);
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.equals(original)).toBe(true);
      expect(outcome.rest?.equals(plain)).toBe(true);
      expect(outcome.log.at(-1)).toBe('end');
    }
  });

  it('finds the end of the stream at every split point of the wire', async () => {
    for (let split = 1; split < wire.length; split += 1) {
      const outcome = await inflate([wire.subarray(0, split), wire.subarray(split)]);
      expect(outcome.data.equals(original), `split at ${split}`).toBe(true);
      expect(outcome.rest?.equals(plain), `split at ${split}`).toBe(true);
    }
  });

  it('hands back the plain bytes after an end marker that lands mid-chunk, after all the data', async () => {
    const small = deflateSync(Buffer.from('You are in a maze.\r\n'));
    const outcome = await inflate([Buffer.concat([small, plain])]);
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
        const outcome = await inflate(chunks, { paced });
        expect(outcome.data.equals(original)).toBe(true);
        expect(outcome.rest?.equals(plain)).toBe(true);
      }
    },
  );

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

  it('errors with a Corrupt DecompressionError naming the option', async () => {
    const corrupt = Buffer.concat([compressed.subarray(0, 2), Buffer.alloc(64, 0xff)]);
    const mccp2 = await inflate([corrupt]);
    expect(mccp2.error).toBeInstanceOf(DecompressionError);
    expect(mccp2.error).toMatchObject({ reason: 'Corrupt', option: TelnetOption.MCCP2 });
    const mccp3 = await inflate([Buffer.from('not zlib at all')], { option: TelnetOption.MCCP3 });
    expect(mccp3.error).toMatchObject({ _tag: 'DecompressionError', reason: 'Corrupt', option: TelnetOption.MCCP3 });
    expect(mccp3.log).toEqual(['error']);
  });

  it('bounds the output per written chunk, not per stream', async () => {
    const perWrite = text(3_000);
    const pieces = await deflate([perWrite, perWrite, perWrite, perWrite]);
    const bound = { maxOutputPerInput: 4_000 };

    const oneByOne = await inflate(pieces.slice(0, 4), { ...bound, paced: true, dataLength: 4 * perWrite.length });
    expect(oneByOne.error).toBeUndefined();
    expect(oneByOne.data.equals(Buffer.concat([perWrite, perWrite, perWrite, perWrite]))).toBe(true);

    const together = await inflate([Buffer.concat(pieces.slice(0, 4))], bound);
    expect(together.error).toMatchObject({ _tag: 'DecompressionError', reason: 'TooLarge' });
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
      const outcome = await inflate([bomb], bound === undefined ? {} : { maxOutputPerInput: bound });
      expect(outcome.error).toBeInstanceOf(DecompressionError);
      expect(outcome.error).toMatchObject({ reason: 'TooLarge', option: TelnetOption.MCCP2 });
      expect(outcome.data.length).toBeLessThanOrEqual(limit);
      await settle();
      expect(outcome.log.at(-1)).toBe('error');
      expect(outcome.log.filter((entry) => entry === 'error')).toHaveLength(1);
    });
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
      const outcome = await inflate(chunks, { paced: true });
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
      const outcome = await inflate(splitEvery(bomb, 4096), { paced: true, maxRatio: 10, ratioAllowance: 100_000 });
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
      const outcome = await inflate(splitEvery(Buffer.concat([wire, plain]), 4096), {
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
      const outcome = await inflate([bomb], { maxRatio: Infinity, ratioAllowance: 0, maxOutputPerInput: Infinity });
      expect(outcome.error).toBeUndefined();
      expect(outcome.data.length).toBe(100 * 1024 * 1024);
    });
  });

  it('delivers the text that inflated before a corruption in the same write, then the error', async () => {
    const lines = ['You see a room.\r\n', 'Exits: north\r\n', 'A troll arrives.\r\n'].map((line) => Buffer.from(line));
    const pieces = await deflate(lines);
    const valid = Buffer.concat(pieces.slice(0, 3));
    expect(pieces).toHaveLength(4);
    const outcome = await inflate([Buffer.concat([valid, Buffer.from([0xff, 0xff, 0xff, 0xff, 0x12, 0x34])])]);
    expect(outcome.data.toString()).toBe(lines.join(''));
    expect(outcome.error).toMatchObject({ reason: 'Corrupt' });
    expect(outcome.log.at(-1)).toBe('error');
  });

  it('calls nothing once destroyed', async () => {
    const atOnce = recorder();
    const destroyedAtOnce = nodeCompression.inflater(atOnce.inflaterSink);
    destroyedAtOnce.write(wire);
    destroyedAtOnce.destroy();
    destroyedAtOnce.write(wire);

    const inData = recorder();
    const destroyedInData = nodeCompression.inflater({
      ...inData.inflaterSink,
      data: (bytes) => {
        inData.inflaterSink.data(bytes);
        destroyedInData.destroy();
      },
    });
    for (const chunk of splitEvery(wire, 512)) destroyedInData.write(chunk);
    await inData.until(() => inData.log.length > 0);

    await settle();
    expect(atOnce.log).toEqual([]);
    expect(inData.log).toEqual(['data']);
  });

  it('finish: delivers everything written, then ends with no rest when the stream itself did not end', async () => {
    const sink = recorder();
    const inflater = nodeCompression.inflater(sink.inflaterSink);
    const unfinished = deflateSync(original, { flush: constants.Z_SYNC_FLUSH });
    for (const chunk of splitEvery(unfinished, 1000)) inflater.write(chunk);
    inflater.finish();
    await sink.until(sink.ended);
    expect(sink.data().equals(original)).toBe(true);
    expect(sink.log.at(-1)).toBe('end ');
  });

  it('ignores writes once the end has been reported', async () => {
    const sink = recorder();
    const inflater = nodeCompression.inflater(sink.inflaterSink);
    inflater.write(wire);
    await sink.until(sink.ended);
    inflater.write(wire);
    await settle();
    expect(sink.log.at(-1)).toBe(`end ${plain.toString()}`);
    expect(sink.log.filter((entry) => entry.startsWith('end'))).toHaveLength(1);
  });
});

describe('nodeCompression.deflater', { timeout: 10_000 }, () => {
  it('flushes every write, so each one can be decoded before the stream ends', async () => {
    const writes = [Buffer.from('one\r\n'), Buffer.from('two\r\n'), text(10_000)];
    const pieces = await deflate(writes);
    expect(pieces).toHaveLength(writes.length + 1);
    for (let count = 1; count <= writes.length; count += 1) {
      const expected = Buffer.concat(writes.slice(0, count));
      const outcome = await inflate(pieces.slice(0, count), { dataLength: expected.length });
      expect(outcome.error).toBeUndefined();
      expect(outcome.rest).toBeUndefined();
      expect(outcome.data.equals(expected)).toBe(true);
    }
    const whole = await inflate([...pieces, plain]);
    expect(whole.data.equals(Buffer.concat(writes))).toBe(true);
    expect(whole.rest?.equals(plain)).toBe(true);
  });

  it('calls end after the last compressed bytes', async () => {
    const sink = recorder();
    const deflater = nodeCompression.deflater(sink.deflaterSink);
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
    const deflater = nodeCompression.deflater(sink.deflaterSink);
    deflater.write(Buffer.from('never sent'));
    deflater.destroy();
    deflater.write(Buffer.from('nor this'));
    deflater.end();
    await settle();
    expect(sink.log).toEqual([]);
  });
});
