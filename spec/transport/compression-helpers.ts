/**
 * What the compression specs share: sample text, a sink that logs every engine callback, and ways to feed an
 * inflater or drain a deflater as a connection does. Streams are made with `node:zlib`, the reference.
 */
import { constants, createDeflate } from 'node:zlib';
import type { Compression, InflaterOptions } from '../../src/transport/compression.js';

export const text = (length: number): Buffer => {
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

export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
/** Time for a callback that should not come to show up. */
export const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 50));

/** A sink for both engines that logs every callback and lets a test wait for a state of that log. */
export const recorder = () => {
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
export interface Outcome {
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
export const inflate = async (
  engine: Compression,
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
  const inflater = engine.inflater(
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
export const deflate = async (engine: Compression, writes: readonly Uint8Array[]): Promise<Buffer[]> => {
  const sink = recorder();
  const deflater = engine.deflater(sink.deflaterSink);
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

export const splitEvery = (bytes: Uint8Array, size: number): Uint8Array[] => {
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

export const plain = Buffer.from('plain telnet again\r\n', 'latin1');

/** One zlib stream of `writes`, each ended by a sync flush (as MUD servers send), finished. */
export const deflateAll = async (writes: readonly Uint8Array[]): Promise<Buffer> => {
  const engine = createDeflate({ flush: constants.Z_SYNC_FLUSH });
  const parts: Buffer[] = [];
  engine.on('data', (part: Buffer) => parts.push(part));
  const finished = new Promise((resolve) => engine.on('end', resolve));
  for (const chunk of writes) engine.write(chunk);
  engine.end();
  await finished;
  return Buffer.concat(parts);
};
