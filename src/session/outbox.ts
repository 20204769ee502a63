/**
 * The outgoing side of a connection: bytes go to the transport as they are, or through a compressed stream
 * (MCCP2 when we are the server, MCCP3 when we are the client). It bounds what it buffers: past the mark it asks
 * its connection to stop reading from the peer, and past a deadline (or far past the mark) it reports an overflow.
 *
 * @internal Not part of the package's public exports.
 */
import { Subscription } from 'rxjs';
import type { SchedulerLike } from 'rxjs';
import { encodeSubnegotiation } from '../codec/encoder.js';
import type { Compression, Deflater } from '../transport/compression.js';
import type { Transport } from '../transport/types.js';

/** What the outbox tells its connection. */
export interface OutboxHooks {
  /** Our compressed stream of `option` started or ended. */
  readonly compression: (started: boolean, option: number) => void;
  /** The compression engine failed: the stream ended, plain bytes follow. */
  readonly failed: (detail: string) => void;
  /**
   * `true`: what we buffer passed the mark, stop reading from the peer. `false`: it fell to half the mark or
   * below, read again.
   */
  readonly throttle: (on: boolean) => void;
  /**
   * What we buffer stayed over the mark for the whole deadline, or passed {@link CEILING} times the mark: the
   * connection must end (with `abort`). Called once; `buffered` is the count at that moment.
   */
  readonly overflow: (buffered: number) => void;
}

/** The bound on buffered output, and the deadline for a peer that stopped reading. */
export interface OutboxLimits {
  /** The mark, in bytes. */
  readonly maxBufferedOutput: number;
  /** Milliseconds over the mark before the overflow, or `Infinity`. */
  readonly outputOverflowTimeout: number;
  readonly scheduler: SchedulerLike;
}

/** How many times the mark the buffered output may reach before the overflow is reported at once. */
export const CEILING = 4;

const NO_PAYLOAD = new Uint8Array(0);

interface RunningDeflater {
  readonly engine: Deflater;
  readonly option: number;
  ending: boolean;
  /** Bytes written since the engine's last output: its backlog, for an engine that does not report one. */
  sinceOutput: number;
}

/** Writes to one transport, compressing while a compressed stream runs, and closes after a flush. */
export class Outbox {
  private deflater: RunningDeflater | undefined;
  /** What was written while the compressed stream was finishing: sent plain once it has. */
  private held: Uint8Array[] | undefined;
  private heldBytes = 0;
  private closing = false;
  /** The transport's `close()` was called: what follows close waits for nothing more. */
  private transportClosed = false;
  private onClosed: (() => void)[] | undefined;
  private destroyed = false;
  /** What the transport said of the last compressed bytes it took: its backpressure, one write late. */
  private writable = true;
  /** The last write to the transport returned `false`: its `drain` tells when it has room again. */
  private transportFull = false;
  private throttled = false;
  private overflowed = false;
  private deadline: Subscription | undefined;
  private drainWatch: Subscription | undefined;
  /** Bytes handed to the transport, compressed or not. */
  sent = 0;
  /** Of those, the output of our compressed streams. */
  compressedSent = 0;
  /** What went into our compressed streams, before compression. */
  uncompressedSent = 0;

  constructor(
    private readonly transport: Transport,
    private readonly engines: Compression | undefined,
    private readonly hooks: OutboxHooks,
    private readonly limits: OutboxLimits,
  ) {}

  /** Whether our output is compressed now. */
  get compressing(): boolean {
    return this.deflater !== undefined;
  }

  /**
   * The bytes written but not yet handed to the system: held while a compressed stream finishes, inside the
   * compression engine, and in the transport's buffer (when it reports it).
   */
  get buffered(): number {
    const deflater = this.deflater;
    const compressing = deflater === undefined ? 0 : (deflater.engine.bufferedBytes?.() ?? deflater.sinceOutput);
    return this.heldBytes + compressing + (this.transport.bufferedBytes?.() ?? 0);
  }

  /**
   * Queues bytes; `false` when the transport's buffer is full or we buffer more than the mark (the bytes are
   * queued all the same). While compressing, the engine may answer later: the answer is then the transport's for
   * the compressed bytes written last. After `close` or `destroy`: dropped, `false`.
   */
  write(bytes: Uint8Array): boolean {
    if (this.closing || this.destroyed) return false;
    let writable: boolean;
    const deflater = this.deflater;
    if (deflater === undefined) writable = this.toTransport(bytes);
    else {
      if (deflater.ending) {
        (this.held ??= []).push(bytes);
        this.heldBytes += bytes.length;
      } else {
        deflater.sinceOutput += bytes.length;
        this.uncompressedSent += bytes.length;
        deflater.engine.write(bytes);
      }
      writable = this.writable;
    }
    this.check();
    return writable && !this.throttled;
  }

  /** Announces `IAC SB option IAC SE`, then compresses everything after it (when engines were given). */
  startCompressing(option: number): void {
    if (this.engines === undefined || this.deflater !== undefined || this.closing || this.destroyed) return;
    this.toTransport(encodeSubnegotiation(option, NO_PAYLOAD));
    const engine = this.engines.deflater({
      data: (bytes) => {
        if (this.destroyed) return;
        if (this.deflater !== undefined) this.deflater.sinceOutput = 0;
        this.compressedSent += bytes.length;
        this.writable = this.toTransport(bytes);
        this.check();
      },
      end: () => {
        this.ended(option);
      },
      error: (error) => {
        this.hooks.failed(error.message);
        this.ended(option);
      },
    });
    this.deflater = { engine, option, ending: false, sinceOutput: 0 };
    this.hooks.compression(true, option);
  }

  /** Finishes the compressed stream of `option`, if that is the one running; plain bytes follow its end. */
  stopCompressing(option: number): void {
    if (this.deflater?.option !== option || this.deflater.ending) return;
    this.deflater.ending = true;
    this.deflater.engine.end();
  }

  /**
   * Closes the transport once everything written so far, the end of a compressed stream included, is handed to
   * it; `then` (when given) is called once the transport's `close()` was, at once if it already was.
   */
  close(then?: () => void): void {
    if (then !== undefined) {
      if (this.transportClosed || this.destroyed) then();
      else (this.onClosed ??= []).push(then);
    }
    if (this.closing || this.destroyed) return;
    this.closing = true;
    if (this.deflater === undefined) this.closeTransport();
    else this.stopCompressing(this.deflater.option);
  }

  /** After an overflow: drop what is buffered and close the transport at once. */
  abort(): void {
    if (this.destroyed) return;
    this.destroy();
    if (this.transport.abort === undefined) this.transport.close();
    else this.transport.abort();
  }

  /** The connection is gone: drop the engine and the timers, write nothing more. */
  destroy(): void {
    this.destroyed = true;
    this.deflater?.engine.destroy();
    this.deflater = undefined;
    this.held = undefined;
    this.heldBytes = 0;
    this.onClosed = undefined;
    this.stopWatching();
  }

  private toTransport(bytes: Uint8Array): boolean {
    this.sent += bytes.length;
    const writable = this.transport.write(bytes);
    this.transportFull = !writable;
    return writable;
  }

  private closeTransport(): void {
    this.transportClosed = true;
    this.transport.close();
    const onClosed = this.onClosed ?? [];
    this.onClosed = undefined;
    for (const then of onClosed) then();
  }

  private ended(option: number): void {
    this.deflater = undefined;
    this.writable = true;
    this.hooks.compression(false, option);
    if (this.destroyed) return;
    const held = this.held ?? [];
    this.held = undefined;
    for (const bytes of held) this.toTransport(bytes);
    this.heldBytes = 0;
    if (this.closing) this.closeTransport();
    this.check();
  }

  /** Compares what is buffered with the mark: throttles, releases, or reports the overflow. */
  private check(): void {
    if (this.destroyed || this.overflowed) return;
    const { maxBufferedOutput, outputOverflowTimeout, scheduler } = this.limits;
    const buffered = this.buffered;
    if (buffered > CEILING * maxBufferedOutput) {
      this.overflow(buffered);
    } else if (!this.throttled && buffered > maxBufferedOutput) {
      this.throttled = true;
      if (outputOverflowTimeout !== Infinity) {
        this.deadline = scheduler.schedule(() => {
          this.deadline = undefined;
          this.overflow(this.buffered);
        }, outputOverflowTimeout);
      }
      this.hooks.throttle(true);
      this.watchDrain();
    } else if (this.throttled && buffered <= maxBufferedOutput / 2) {
      this.throttled = false;
      this.stopWatching();
      this.hooks.throttle(false);
    } else if (this.throttled) {
      this.watchDrain();
    }
  }

  private overflow(buffered: number): void {
    if (this.overflowed || this.destroyed) return;
    this.overflowed = true;
    this.stopWatching();
    this.hooks.overflow(buffered);
  }

  /** While throttled with the transport full: look again when it drains. */
  private watchDrain(): void {
    const drain = this.transport.drain;
    if (drain === undefined || !this.transportFull || this.drainWatch !== undefined) return;
    const watch = new Subscription();
    this.drainWatch = watch;
    const forget = (): void => {
      if (this.drainWatch === watch) this.drainWatch = undefined;
    };
    watch.add(
      drain.subscribe({
        next: () => {
          forget();
          this.transportFull = false;
          this.check();
        },
        complete: forget,
      }),
    );
  }

  private stopWatching(): void {
    this.deadline?.unsubscribe();
    this.deadline = undefined;
    this.drainWatch?.unsubscribe();
    this.drainWatch = undefined;
  }
}
