/**
 * The incoming side of a connection: chunks from the transport are decoded as they are or, while the peer's
 * compressed stream runs (MCCP2 when the peer performs it, MCCP3 when we do), inflated first. The rest of the
 * chunk that starts a compressed stream is compressed; the bytes after the end of that stream are plain Telnet.
 *
 * @internal Not part of the package's public exports.
 */
import { warning } from '../codec/events.js';
import type { TelnetEvent, WarningCode } from '../codec/events.js';
import {
  createDecoder,
  decodeInto,
  EventSink,
  flushInto,
  ignoreCommandsWhile,
  isDecoderBuffer,
  setInPlace,
} from '../codec/parser.js';
import { settleTranslated } from '../codec/scan.js';
import type { TelnetDecoder, DecoderOptions, TelnetSink } from '../codec/parser.js';
import { DecompressionError } from '../negotiation/errors.js';
import { inflaterLimits } from '../transport/compression.js';
import type { Compression, Inflater, InflaterOptions } from '../transport/compression.js';
import { DataRuns } from './data-runs.js';

/** What the inbox tells its connection, and the questions it asks it. */
export interface InboxHooks {
  /**
   * Application data, in wire order: the data runs of one chunk between two other events, joined into one array
   * (a view of the chunk, or a copy when bytes were dropped between the runs). The caller may keep it.
   */
  readonly data: (bytes: Uint8Array) => void;
  /**
   * Whether anyone reads commands and subnegotiations now: when not, they make no event (and subnegotiation
   * payloads are not copied). Negotiations and warnings always do.
   */
  readonly observed: () => boolean;
  /** A decoded event other than data, in wire order (after the data before it): see `observed`. */
  readonly event: (event: TelnetEvent) => void;
  /** The peer's subnegotiation of `option` ended (before its event, if it makes one). */
  readonly subnegotiated: (option: number) => void;
  /** A query: whether a compressed stream follows the peer's `IAC SB option IAC SE` now. */
  readonly compressesAfter: (option: number) => boolean;
  /** The peer's compressed stream of `option` started or ended. */
  readonly compression: (started: boolean, option: number) => void;
  /**
   * The peer's compressed stream of `option` cannot be decoded. It has ended (an `Inflate` warning and
   * `compression(false)` came first): what follows is read as plain Telnet.
   */
  readonly failed: (option: number, error: DecompressionError) => void;
}

/** How the inbox decodes and inflates. */
export interface InboxOptions {
  readonly newline: 'raw' | 'nvt';
  /**
   * Whether the chunks of the transport are ours to rewrite (no one else reads them): the decoder then works in
   * place on them (not on inflated bytes, which the inflater may still read).
   */
  readonly inPlace?: boolean | undefined;
  /** The largest subnegotiation payload assembled; the decoder's default when absent. */
  readonly maxSubnegotiation?: number | undefined;
  /** Inflated bytes one chunk may produce; the engine's default when absent. */
  readonly maxInflatedPerChunk?: number | undefined;
  /** Inflated bytes per compressed byte over the whole stream; the engine's default when absent. */
  readonly maxInflateRatio?: number | undefined;
  /** Inflated bytes allowed on top of the ratio; the engine's default when absent. */
  readonly inflateRatioAllowance?: number | undefined;
}

/**
 * The decoder's sink: data runs are joined (see {@link DataRuns}), events made only for what someone reads. The
 * data before an event is passed on first, and the rest at the end of each chunk (`flush`).
 */
class InboxSink implements TelnetSink {
  private readonly runs = new DataRuns();
  private readonly events: EventSink;

  constructor(private readonly hooks: InboxHooks) {
    this.events = new EventSink({ next: hooks.event });
  }

  /** A chunk of `length` bytes is decoded next. */
  begin(length: number): void {
    this.runs.begin(length);
  }

  data(bytes: Uint8Array, start: number, end: number): void {
    this.runs.add(bytes, start, end, isDecoderBuffer(bytes));
  }

  // A command or subnegotiation that nobody reads does not end the data run: the data around it is one piece.
  command(command: number): void {
    if (!this.hooks.observed()) return;
    this.flush();
    this.events.command(command);
  }

  negotiation(verb: number, option: number): void {
    this.flush();
    this.events.negotiation(verb, option);
  }

  /** Every subnegotiation ends here; one nobody reads is skipped, before the decoder makes a view of its payload. */
  wants(option: number): boolean {
    this.hooks.subnegotiated(option);
    return this.hooks.observed();
  }

  subnegotiation(option: number, payload: Uint8Array): void {
    this.flush();
    this.events.subnegotiation(option, payload);
  }

  warning(code: WarningCode, detail: string): void {
    this.flush();
    this.events.warning(code, detail);
  }

  /** Passes on the data decoded since the last event. */
  flush(): void {
    settleTranslated(); // what the decoder translated in place reaches the chunk
    const bytes = this.runs.take();
    if (bytes !== undefined) this.hooks.data(bytes);
  }

  /** The chunk is decoded: passes on the rest of its data, and lets go of the array its runs were joined in. */
  end(): void {
    this.flush();
    this.runs.begin(0);
  }
}

/** Reads one transport's chunks into events, through an inflater while the peer compresses. */
export class Inbox {
  private readonly decoder: TelnetDecoder;
  private readonly inPlace: boolean;
  private readonly sink: InboxSink;
  private readonly inflaterOptions: Omit<InflaterOptions, 'option'>;
  /** The peer's compressed stream, while there is one. */
  private inflater: { readonly engine: Inflater; readonly option: number } | undefined;
  /** Set when the input ended while the inflater still held bytes: called once they are all decoded. */
  private finished: (() => void) | undefined;
  /** Bytes read from the transport, compressed or not. */
  received = 0;
  /** Of those, the bytes of the peer's compressed streams. */
  compressedReceived = 0;
  /** What the peer's compressed streams inflated to. */
  inflatedReceived = 0;

  constructor(
    options: InboxOptions,
    private readonly engines: Compression | undefined,
    private readonly hooks: InboxHooks,
  ) {
    const decoderOptions: DecoderOptions = {
      newline: options.newline,
      ...(options.maxSubnegotiation === undefined ? {} : { maxSubnegotiation: options.maxSubnegotiation }),
    };
    this.decoder = createDecoder(decoderOptions);
    this.inPlace = options.inPlace ?? false;
    // The sink passes nothing on for a command nobody reads: the in-place translation may go on past it.
    ignoreCommandsWhile(this.decoder, () => !hooks.observed());
    this.sink = new InboxSink(hooks);
    this.inflaterOptions = {
      ...(options.maxInflatedPerChunk === undefined ? {} : { maxOutputPerInput: options.maxInflatedPerChunk }),
      ...(options.maxInflateRatio === undefined ? {} : { maxRatio: options.maxInflateRatio }),
      ...(options.inflateRatioAllowance === undefined ? {} : { ratioAllowance: options.inflateRatioAllowance }),
    };
    inflaterLimits(this.inflaterOptions); // a RangeError now, not when the peer starts compressing
  }

  /** Whether the peer's compressed stream is running now. */
  get inflating(): boolean {
    return this.inflater !== undefined;
  }

  /** Newline handling of data from the next byte on: `'raw'` while the peer's BINARY is in effect. */
  setNewline(newline: 'raw' | 'nvt'): void {
    this.decoder.newline = newline;
  }

  /** Reads one chunk from the transport. */
  receive(chunk: Uint8Array): void {
    this.received += chunk.length;
    if (this.inflater === undefined) this.decodePlain(chunk);
    else {
      this.compressedReceived += chunk.length;
      this.inflater.engine.write(chunk);
    }
  }

  /** The transport's input ended: `then` is called now, or once the inflater has delivered what it still holds. */
  finish(then: () => void): void {
    if (this.inflater === undefined) {
      then();
      return;
    }
    this.finished = then;
    this.inflater.engine.finish();
  }

  /** Emits what the decoder still holds: a CR held at the end of the input, a `Truncated` warning. */
  flush(): void {
    this.sink.begin(0);
    flushInto(this.decoder, this.sink);
    this.sink.end();
  }

  /** The connection is gone: drops the inflater; nothing more is emitted. */
  destroy(): void {
    this.inflater?.engine.destroy();
    this.inflater = undefined;
    this.finished = undefined;
  }

  /** Decodes uncompressed bytes; when they start a compressed stream, the rest goes to the new inflater. */
  private decodePlain(chunk: Uint8Array): void {
    setInPlace(this.decoder, this.inPlace);
    this.sink.begin(chunk.length);
    const stop = decodeInto(this.decoder, chunk, this.sink, this.subnegotiationEnded);
    this.sink.end();
    const started = this.inflater;
    if (started === undefined) return;
    this.hooks.compression(true, started.option);
    // Unless whoever heard of the start ended the connection, the rest of the chunk is compressed.
    if (stop < chunk.length && this.inflater === started) {
      this.compressedReceived += chunk.length - stop;
      started.engine.write(chunk.subarray(stop));
    }
  }

  /**
   * The decoder's stop hook after each plain subnegotiation, a command: when a compressed stream follows it,
   * starts the inflater. Returns whether the decoder stops there (the rest of the chunk is then compressed).
   */
  private readonly subnegotiationEnded = (option: number): boolean => {
    if (this.engines !== undefined && this.hooks.compressesAfter(option)) this.startInflating(this.engines, option);
    return this.inflater !== undefined;
  };

  private startInflating(engines: Compression, option: number): void {
    const engine = engines.inflater(
      {
        data: (bytes) => {
          this.inflatedReceived += bytes.length;
          setInPlace(this.decoder, false);
          this.sink.begin(bytes.length);
          decodeInto(this.decoder, bytes, this.sink);
          this.sink.end();
        },
        end: (rest) => {
          this.compressedReceived -= rest.length; // plain bytes after the end of the stream
          this.inflater = undefined;
          this.hooks.compression(false, option);
          if (rest.length > 0) this.decodePlain(rest);
          this.finishIfInflated();
        },
        error: (error) => {
          this.inflateFailed(option, error);
          this.finishIfInflated();
        },
      },
      { option, ...this.inflaterOptions },
    );
    this.inflater = { engine, option };
  }

  private inflateFailed(option: number, error: Error): void {
    this.inflater = undefined;
    const failure = error instanceof DecompressionError ? error : new DecompressionError(option, 'Corrupt', error);
    this.hooks.event(warning('Inflate', failure.message));
    this.hooks.compression(false, option);
    this.hooks.failed(option, failure);
  }

  /** After a compressed stream ended: if the input has ended too, finish (or finish the stream that followed). */
  private finishIfInflated(): void {
    const then = this.finished;
    if (then === undefined) return;
    if (this.inflater === undefined) {
      this.finished = undefined;
      then();
    } else {
      this.inflater.engine.finish(); // the rest after one compressed stream started another
    }
  }
}
