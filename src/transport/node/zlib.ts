import { constants, createDeflate, createInflate } from 'node:zlib';
import { DecompressionError } from '../../negotiation/errors.js';
import { inflaterLimits } from '../compression.js';
import type { Compression, CreateDeflater, CreateInflater } from '../compression.js';
import { portableDeflater } from '../portable-compression.js';

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

/** The bytes that end a `Z_SYNC_FLUSH` (an empty stored block): MUD servers send one after every write. */
const syncFlushMarker = Buffer.from([0x00, 0x00, 0xff, 0xff]);

/**
 * `chunk` cut after its last sync flush marker, when bytes follow it. `node:zlib` drops what one call inflated
 * when that call meets corrupt data, so the flushed part goes to the engine on its own and is delivered before a
 * corruption in the tail. Only the last marker: cutting at every one made real traffic (a flush per line, many
 * per read) about 30 times slower. A marker that is really part of the data only costs one more write.
 */
const piecesOf = (chunk: Uint8Array): Uint8Array[] => {
  const at = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).lastIndexOf(syncFlushMarker);
  const end = at + syncFlushMarker.length;
  return at === -1 || end >= chunk.length ? [chunk] : [chunk.subarray(0, end), chunk.subarray(end)];
};

/**
 * `node:zlib`'s inflate stream, with the end of the compressed stream located exactly.
 *
 * The engine reports how many input bytes it consumed (`bytesWritten`). When a write's callback finds all of it
 * consumed, that chunk is forgotten; the others are kept, so that on `'end'` the bytes past the consumed count
 * are exactly the plain bytes after the stream.
 *
 * Two bounds stop a bomb: the output of one written chunk (`maxOutputPerInput`), and the output of the whole
 * stream against the compressed bytes consumed so far (`ratioAllowance + maxRatio * consumed`), which a bomb paced
 * in small writes cannot pass either. The bytes up to a bound are delivered, then the error.
 */
const createNodeInflater: CreateInflater = (sink, options = {}) => {
  const { option, maxOutputPerInput, maxRatio, ratioAllowance } = inflaterLimits(options);
  const engine = createInflate();
  /** Written pieces not known to be wholly consumed, oldest first. */
  const unconsumed: Uint8Array[] = [];
  let consumedChunkBytes = 0;
  let writtenBytes = 0;
  let outputOfCurrentInput = 0;
  let inflatedBytes = 0;
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
    // What this input may still inflate to: the least of the per-chunk and the whole-stream bounds.
    const allowed = Math.min(
      maxOutputPerInput - outputOfCurrentInput,
      maxRatio === Infinity ? Infinity : ratioAllowance + maxRatio * engine.bytesWritten - inflatedBytes,
    );
    outputOfCurrentInput += bytes.length;
    inflatedBytes += bytes.length;
    if (bytes.length <= allowed) {
      sink.data(bytes);
      return;
    }
    if (allowed > 0) sink.data(bytes.subarray(0, allowed));
    if (!done) fail(new DecompressionError(option, 'TooLarge'));
  });
  engine.on('end', () => {
    const rest = bytesFrom(unconsumed, engine.bytesWritten - consumedChunkBytes);
    stop();
    sink.end(rest);
  });
  engine.on('error', (error) => {
    fail(new DecompressionError(option, 'Corrupt', error));
  });

  const writePiece = (piece: Uint8Array, lastOfChunk: boolean): void => {
    unconsumed.push(piece);
    writtenBytes += piece.length;
    pendingWrites++;
    const endOfPiece = writtenBytes;
    engine.write(piece, () => {
      pendingWrites--;
      if (done) return;
      if (lastOfChunk) outputOfCurrentInput = 0;
      const oldest = unconsumed[0];
      if (engine.bytesWritten === endOfPiece && oldest !== undefined) {
        unconsumed.shift();
        consumedChunkBytes += oldest.length;
      }
      finishIfIdle();
    });
  };

  return {
    write: (chunk) => {
      if (done || chunk.length === 0) return;
      const pieces = piecesOf(chunk);
      pieces.forEach((piece, index) => {
        writePiece(piece, index === pieces.length - 1);
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
 * The inflater errors with a `DecompressionError`: `'Corrupt'` for data zlib rejects (when the corrupt bytes
 * follow the last sync flush of a write, the text up to that flush is delivered first), `'TooLarge'` when one
 * written chunk inflates past `maxOutputPerInput`, or the whole stream past `ratioAllowance + maxRatio` times the compressed bytes read so far
 * (the engine is destroyed at that point, so a compression bomb, however it is paced, never occupies more than
 * about that much memory). Invalid bounds are a `RangeError`. The deflater flushes every write with
 * `Z_SYNC_FLUSH`.
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

/**
 * MCCP2/MCCP3 for servers that hold many compressed streams: `node:zlib`'s inflater (native speed, reads any
 * peer's stream, whatever its window) with rxtelnet's own JavaScript deflater over a 4 KiB window (`windowBits`
 * 12, as `portableDeflater` from `rxtelnet` makes it). A compressed stream then costs about 40 KiB of memory where a
 * `node:zlib` deflate stream holds about 240 KiB, and MUD output, written and flushed in small pieces, compresses
 * about as well (see `bench/compression.mjs`). The default of `connectTelnet`, `listenTelnet` and the gateway;
 * pass `compression: nodeCompression` to deflate with `node:zlib` instead.
 *
 * @example
 * ```ts
 * import { compactCompression, listenTelnet } from 'rxtelnet/node';
 * listenTelnet({ port: 4000, compression: compactCompression }).subscribe();
 * ```
 */
export const compactCompression: Compression = {
  inflater: createNodeInflater,
  deflater: portableDeflater({ windowBits: 12 }),
};
