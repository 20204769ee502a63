import { constants, createDeflate, createInflate } from 'node:zlib';
import { DecompressionError } from '../../negotiation/errors.js';
import { defaultInflaterOptions } from '../compression.js';
import type { Compression, CreateDeflater, CreateInflater } from '../compression.js';

const ignore = (): undefined => undefined;

/** The bytes of `chunks` from `offset` on: a view when they lie in one chunk, a copy otherwise. */
const bytesFrom = (chunks: readonly Uint8Array[], offset: number): Uint8Array => {
  let skip = offset;
  const tail: Uint8Array[] = [];
  for (const chunk of chunks) {
    if (skip >= chunk.length) skip -= chunk.length;
    else {
      tail.push(skip === 0 ? chunk : chunk.subarray(skip));
      skip = 0;
    }
  }
  if (tail.length === 1 && tail[0] !== undefined) return tail[0];
  const rest = new Uint8Array(tail.reduce((length, chunk) => length + chunk.length, 0));
  let at = 0;
  for (const chunk of tail) {
    rest.set(chunk, at);
    at += chunk.length;
  }
  return rest;
};

/**
 * `node:zlib`'s inflate stream, with the end of the compressed stream located exactly.
 *
 * The engine reports how many input bytes it consumed (`bytesWritten`). When a write's callback finds all of it
 * consumed, that chunk is forgotten; the others are kept, so that on `'end'` the bytes past the consumed count
 * are exactly the plain bytes after the stream.
 */
const createNodeInflater: CreateInflater = (sink, options = {}) => {
  const option = options.option ?? defaultInflaterOptions.option;
  const maxOutput = options.maxOutputPerInput ?? defaultInflaterOptions.maxOutputPerInput;
  const engine = createInflate();
  /** Written chunks not known to be wholly consumed, oldest first. */
  const unconsumed: Uint8Array[] = [];
  let consumedChunkBytes = 0;
  let writtenBytes = 0;
  let outputOfCurrentInput = 0;
  let pendingWrites = 0;
  let finishing = false;
  let done = false;

  const stop = (): void => {
    done = true;
    engine.removeAllListeners();
    engine.on('error', ignore);
    engine.destroy();
  };
  const fail = (error: Error): void => {
    stop();
    sink.error(error);
  };
  /** After `finish`, once every write has been processed: the input ended before the compressed stream did. */
  const finishIfIdle = (): void => {
    if (done || !finishing || pendingWrites > 0) return;
    stop();
    sink.end(new Uint8Array(0));
  };

  engine.on('data', (bytes: Buffer) => {
    outputOfCurrentInput += bytes.length;
    if (outputOfCurrentInput > maxOutput) fail(new DecompressionError(option, 'TooLarge'));
    else sink.data(bytes);
  });
  engine.on('end', () => {
    const rest = bytesFrom(unconsumed, engine.bytesWritten - consumedChunkBytes);
    stop();
    sink.end(rest);
  });
  engine.on('error', (error) => {
    fail(new DecompressionError(option, 'Corrupt', error));
  });

  return {
    write: (chunk) => {
      if (done || chunk.length === 0) return;
      unconsumed.push(chunk);
      writtenBytes += chunk.length;
      pendingWrites++;
      const endOfChunk = writtenBytes;
      engine.write(chunk, () => {
        pendingWrites--;
        if (done) return;
        outputOfCurrentInput = 0;
        const oldest = unconsumed[0];
        if (engine.bytesWritten === endOfChunk && oldest !== undefined) {
          unconsumed.shift();
          consumedChunkBytes += oldest.length;
        }
        finishIfIdle();
      });
    },
    finish: () => {
      finishing = true;
      finishIfIdle();
    },
    destroy: () => {
      if (!done) stop();
    },
  };
};

/** `node:zlib`'s deflate stream, flushed after every write. */
const createNodeDeflater: CreateDeflater = (sink) => {
  const engine = createDeflate({ flush: constants.Z_SYNC_FLUSH });
  let done = false;

  const stop = (): void => {
    done = true;
    engine.removeAllListeners();
    engine.on('error', ignore);
    engine.destroy();
  };

  engine.on('data', (bytes: Buffer) => {
    sink.data(bytes);
  });
  engine.on('end', () => {
    stop();
    sink.end();
  });
  engine.on('error', (error) => {
    stop();
    sink.error(error);
  });

  return {
    write: (chunk) => {
      if (!done && !engine.writableEnded && chunk.length > 0) engine.write(chunk);
    },
    end: () => {
      if (!done && !engine.writableEnded) engine.end();
    },
    destroy: () => {
      if (!done) stop();
    },
    bufferedBytes: () => (done ? 0 : engine.writableLength + engine.readableLength),
  };
};

/**
 * MCCP2/MCCP3 compression with `node:zlib` (zlib streams, RFC 1950): hand it to the connection.
 *
 * The inflater errors with a `DecompressionError`: `'Corrupt'` for data zlib rejects, `'TooLarge'` when one
 * written chunk inflates past `maxOutputPerInput` (the engine is destroyed at that point, so a compression bomb
 * never occupies more than about that much memory). The deflater flushes every write with `Z_SYNC_FLUSH`.
 *
 * @example
 * ```ts
 * import { nodeCompression } from 'rxtelnet/node';
 * const chunks: Uint8Array[] = [];
 * const deflater = nodeCompression.deflater({
 *   data: (bytes) => chunks.push(bytes),
 *   end: () => {
 *     const inflater = nodeCompression.inflater({
 *       data: (bytes) => console.log(new TextDecoder().decode(bytes)),
 *       end: (rest) => console.log(`${rest.length} plain bytes after the stream`),
 *       error: (error) => console.error(error.message),
 *     });
 *     for (const chunk of chunks) inflater.write(chunk);
 *   },
 *   error: (error) => console.error(error.message),
 * });
 * deflater.write(new TextEncoder().encode('You see a compressed room.\r\n'));
 * deflater.end();
 * ```
 */
export const nodeCompression: Compression = {
  inflater: createNodeInflater,
  deflater: createNodeDeflater,
};
