/**
 * The proxy's log of one direction of a connection: decodes a copy of the bytes relayed and prints every event,
 * inflating MCCP2/MCCP3 streams for the log only.
 *
 * A compressed stream starts right after `IAC SB MCCP2 IAC SE` (server to client) or `IAC SB MCCP3 IAC SE`
 * (client to server): peers send that marker only once the option was agreed, so the log does not track the
 * negotiation. Where the stream ends, the bytes after it are plain Telnet again.
 *
 * @module
 */
import { createDecoder, decodeChunk, flushDecoder, optionName } from '../index.js';
import type { Compression, Inflater, TelnetEvent } from '../index.js';
import { describeEvent, traceLine } from './trace.js';

/** One direction's log: feed it every chunk relayed that way. */
export interface StreamLog {
  /** Logs the events of `chunk` (which is not modified). */
  readonly write: (chunk: Uint8Array) => void;
  /** The direction closed: logs what is left, waiting for the inflater to deliver what it still holds. */
  readonly end: () => void;
  /** Whether the bytes relayed this way are inside a compressed stream now (plain text would corrupt it). */
  readonly compressing: () => boolean;
}

/**
 * A log for the bytes going one way, printed as `arrow event` lines; `compressedBy` is the option whose start
 * marker compresses this direction (`Option.MCCP2` for server to client, `Option.MCCP3` for client to server);
 * `describe` gives each event's text (default {@link describeEvent}).
 *
 * @example
 * ```text
 * const log = streamLog('S->C', TelnetOption.MCCP2, nodeCompression, console.log);
 * log.write(Uint8Array.of(255, 251, 86)); // prints 'S->C WILL MCCP2'
 * ```
 */
export const streamLog = (
  arrow: string,
  compressedBy: number,
  compression: Compression,
  print: (line: string) => void,
  describe: (event: TelnetEvent) => string = describeEvent,
): StreamLog => {
  const decoder = createDecoder();
  let inflater: Inflater | undefined;
  let broken = false;
  /** The direction closed: once the inflater has delivered everything, the decoder is flushed. */
  let ended = false;
  const emit = (event: TelnetEvent): void => {
    print(traceLine(arrow, describe(event)));
  };
  /** Set by `startsCompression` when the subnegotiation just decoded starts this direction's compressed stream. */
  const marker = { starting: false };
  const startsCompression = (option: number): boolean => {
    marker.starting = option === compressedBy;
    return marker.starting;
  };
  const markerSeen = (): boolean => marker.starting;
  const label = optionName(compressedBy);

  const decodePlain = (chunk: Uint8Array): void => {
    marker.starting = false;
    const stop = decodeChunk(decoder, chunk, emit, startsCompression);
    if (markerSeen()) startInflating(chunk.subarray(stop));
  };

  /** After the end of input: lets the inflater deliver what it holds (its `end` comes back here), then flushes. */
  const finishDecoding = (): void => {
    if (inflater === undefined) flushDecoder(decoder, emit);
    else inflater.finish();
  };

  const startInflating = (rest: Uint8Array): void => {
    print(traceLine(arrow, `${label} compression started`));
    inflater = compression.inflater(
      {
        data: (bytes) => {
          decodeChunk(decoder, bytes, emit);
        },
        end: (after) => {
          inflater = undefined;
          print(traceLine(arrow, `${label} compression ended`));
          if (after.length > 0) decodePlain(after);
          if (ended) finishDecoding();
        },
        error: (error) => {
          inflater = undefined;
          broken = true;
          print(traceLine(arrow, `cannot inflate the compressed stream (${error.message}); relaying it unlogged`));
        },
      },
      { option: compressedBy },
    );
    if (rest.length > 0) inflater.write(rest.slice());
  };

  return {
    write: (chunk) => {
      if (broken) return;
      if (inflater === undefined) decodePlain(chunk);
      else inflater.write(chunk.slice());
    },
    end: () => {
      ended = true;
      finishDecoding();
    },
    compressing: () => inflater !== undefined || broken,
  };
};
