/**
 * The outgoing side of a connection: bytes go to the transport as they are, or through a compressed stream
 * (MCCP2 when we are the server, MCCP3 when we are the client).
 *
 * @internal Not part of the package's public exports.
 */
import { encodeSubnegotiation } from '../codec/encoder.js';
import type { Compression, Deflater } from '../transport/compression.js';
import type { Transport } from '../transport/types.js';

/** What the outbox tells its connection. */
export interface OutboxHooks {
  /** Our compressed stream of `option` started or ended. */
  readonly compression: (started: boolean, option: number) => void;
  /** The compression engine failed: the stream ended, plain bytes follow. */
  readonly failed: (detail: string) => void;
}

const NO_PAYLOAD = new Uint8Array(0);

/** Writes to one transport, compressing while a compressed stream runs, and closes after a flush. */
export class Outbox {
  private deflater: { readonly engine: Deflater; readonly option: number; ending: boolean } | undefined;
  /** What was written while the compressed stream was finishing: sent plain once it has. */
  private readonly held: Uint8Array[] = [];
  private closing = false;
  private destroyed = false;
  /** What the transport said of the last compressed bytes it took: its backpressure, one write late. */
  private writable = true;

  constructor(
    private readonly transport: Transport,
    private readonly engines: Compression | undefined,
    private readonly hooks: OutboxHooks,
  ) {}

  /** Whether our output is compressed now. */
  get compressing(): boolean {
    return this.deflater !== undefined;
  }

  /**
   * Queues bytes; `false` when the transport's buffer is full. While compressing, the engine may answer later:
   * the answer is then the transport's for the compressed bytes written last.
   */
  write(bytes: Uint8Array): boolean {
    if (this.closing || this.destroyed) return false;
    if (this.deflater === undefined) return this.transport.write(bytes);
    if (this.deflater.ending) this.held.push(bytes);
    else this.deflater.engine.write(bytes);
    return this.writable;
  }

  /** Announces `IAC SB option IAC SE`, then compresses everything after it (when engines were given). */
  startCompressing(option: number): void {
    if (this.engines === undefined || this.deflater !== undefined || this.closing || this.destroyed) return;
    this.transport.write(encodeSubnegotiation(option, NO_PAYLOAD));
    const engine = this.engines.deflater({
      data: (bytes) => {
        if (!this.destroyed) this.writable = this.transport.write(bytes);
      },
      end: () => {
        this.ended(option);
      },
      error: (error) => {
        this.hooks.failed(error.message);
        this.ended(option);
      },
    });
    this.deflater = { engine, option, ending: false };
    this.hooks.compression(true, option);
  }

  /** Finishes the compressed stream of `option`, if that is the one running; plain bytes follow its end. */
  stopCompressing(option: number): void {
    if (this.deflater?.option !== option || this.deflater.ending) return;
    this.deflater.ending = true;
    this.deflater.engine.end();
  }

  /** Closes the transport once everything written so far, the end of a compressed stream included, is out. */
  close(): void {
    if (this.closing || this.destroyed) return;
    this.closing = true;
    if (this.deflater === undefined) this.transport.close();
    else this.stopCompressing(this.deflater.option);
  }

  /** The connection is gone: drop the engine, write nothing more. */
  destroy(): void {
    this.destroyed = true;
    this.deflater?.engine.destroy();
    this.deflater = undefined;
    this.held.length = 0;
  }

  private ended(option: number): void {
    this.deflater = undefined;
    this.writable = true;
    this.hooks.compression(false, option);
    if (this.destroyed) return;
    for (const bytes of this.held.splice(0)) this.transport.write(bytes);
    if (this.closing) this.transport.close();
  }
}
