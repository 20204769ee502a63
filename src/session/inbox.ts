/**
 * The incoming side of a connection: chunks from the transport are decoded as they are or, while the peer's
 * compressed stream runs (MCCP2 when the peer performs it, MCCP3 when we do), inflated first. The rest of the
 * chunk that starts a compressed stream is compressed; the bytes after the end of that stream are plain Telnet.
 *
 * @internal Not part of the package's public exports.
 */
import { warning } from '../codec/events.js';
import type { TelnetEvent } from '../codec/events.js';
import { createDecoder, decodeChunk, flushDecoder } from '../codec/parser.js';
import type { TelnetDecoder, DecoderOptions } from '../codec/parser.js';
import { DecompressionError } from '../negotiation/errors.js';
import { inflaterLimits } from '../transport/compression.js';
import type { Compression, Inflater, InflaterOptions } from '../transport/compression.js';

/** What the inbox tells its connection, and the one question it asks it. */
export interface InboxHooks {
  /** A decoded event, in wire order. */
  readonly event: (event: TelnetEvent) => void;
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
  /** The largest subnegotiation payload assembled; the decoder's default when absent. */
  readonly maxSubnegotiation?: number | undefined;
  /** Inflated bytes one chunk may produce; the engine's default when absent. */
  readonly maxInflatedPerChunk?: number | undefined;
  /** Inflated bytes per compressed byte over the whole stream; the engine's default when absent. */
  readonly maxInflateRatio?: number | undefined;
  /** Inflated bytes allowed on top of the ratio; the engine's default when absent. */
  readonly inflateRatioAllowance?: number | undefined;
}

/** Reads one transport's chunks into events, through an inflater while the peer compresses. */
export class Inbox {
  private readonly decoder: TelnetDecoder;
  private readonly emit: (event: TelnetEvent) => void;
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
    this.emit = hooks.event;
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
    flushDecoder(this.decoder, this.emit);
  }

  /** The connection is gone: drops the inflater; nothing more is emitted. */
  destroy(): void {
    this.inflater?.engine.destroy();
    this.inflater = undefined;
    this.finished = undefined;
  }

  /** Decodes uncompressed bytes; when they start a compressed stream, the rest goes to the new inflater. */
  private decodePlain(chunk: Uint8Array): void {
    const stop = decodeChunk(this.decoder, chunk, this.emit, this.subnegotiationEnded);
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
          decodeChunk(this.decoder, bytes, this.emit);
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
    this.emit(warning('Inflate', failure.message));
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
