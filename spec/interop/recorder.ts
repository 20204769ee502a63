/**
 * A raw TCP end for interop tests and captures: it records every chunk a peer sends (with the time since the
 * connection was made) and sends exactly the bytes it is given, with no Telnet processing at all.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { delay } from './harness.js';

/** Which way a recorded chunk went. */
export type Direction = 'peer->us' | 'us->peer';

/** One chunk as it crossed the socket. */
export interface RecordedChunk {
  readonly dir: Direction;
  /** Milliseconds since the connection was made. */
  readonly atMs: number;
  readonly bytes: Uint8Array;
}

/** A step of {@link RawRecorder.play}: bytes to send, or a pause. */
export type ScriptStep = { readonly send: Uint8Array } | { readonly pauseMs: number };

/**
 * One recorded TCP connection.
 *
 * @example
 * ```ts
 * const { port, accepted, close } = await RawRecorder.listen();
 * // ... start a client peer on `port` ...
 * const rec = await accepted;
 * rec.send(Uint8Array.of(255, 253, 24));
 * await rec.waitForBytes((all) => all.includes(24));
 * close(); // stops listening; `rec` stays open until rec.close()
 * ```
 */
export class RawRecorder {
  /** Every chunk in both directions, in order. */
  readonly chunks: RecordedChunk[] = [];
  /** Settles when the socket has closed. */
  readonly closed: Promise<void>;
  private readonly startedAt = Date.now();
  private lastReceiveAt = Date.now();
  private readonly listeners = new Set<(chunk: Uint8Array) => void>();
  private isClosed = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.lastReceiveAt = Date.now();
      this.chunks.push({ dir: 'peer->us', atMs: this.lastReceiveAt - this.startedAt, bytes: new Uint8Array(data) });
      for (const listener of this.listeners) listener(data);
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.isClosed = true;
        for (const listener of this.listeners) listener(new Uint8Array(0));
        resolve();
      });
    });
  }

  /** Listens on 127.0.0.1 with a kernel-chosen port; `accepted` resolves with the first connection. */
  static async listen(): Promise<{ port: number; accepted: Promise<RawRecorder>; close: () => void }> {
    const server: Server = createServer();
    const accepted = new Promise<RawRecorder>((resolve) => {
      server.once('connection', (socket) => {
        resolve(new RawRecorder(socket));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('recorder: no TCP address');
    // Stops listening at once; an accepted connection stays open until its own close().
    const close = (): void => {
      server.close();
    };
    return { port: address.port, accepted, close };
  }

  /** Connects to `host:port` (127.0.0.1 by default) and resolves once connected. */
  static async connect(port: number, host = '127.0.0.1', timeoutMs = 5_000): Promise<RawRecorder> {
    const socket = connect(port, host);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`recorder: no connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    return new RawRecorder(socket);
  }

  /** Whether the socket has closed. */
  get isOpen(): boolean {
    return !this.isClosed;
  }

  /** Sends `bytes` exactly as given and records them. */
  send(bytes: Uint8Array): void {
    if (this.isClosed) return;
    this.chunks.push({ dir: 'us->peer', atMs: Date.now() - this.startedAt, bytes: Uint8Array.from(bytes) });
    this.socket.write(bytes);
  }

  /** Sends each step in order, pausing where told. */
  async play(script: readonly ScriptStep[]): Promise<void> {
    for (const step of script) {
      if ('send' in step) this.send(step.send);
      else await delay(step.pauseMs);
    }
  }

  /** Calls `listener` with every chunk received from now on (an empty chunk when the socket closes). */
  onReceive(listener: (chunk: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything the peer has sent so far, concatenated. */
  received(): Buffer {
    return Buffer.concat(this.chunks.filter((c) => c.dir === 'peer->us').map((c) => c.bytes));
  }

  /** Resolves once everything received so far satisfies `predicate`; rejects on timeout or close. */
  waitForBytes(predicate: (all: Buffer) => boolean, timeoutMs = 5_000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const all = this.received();
        if (predicate(all)) {
          done();
          resolve(all);
        } else if (this.isClosed) {
          done();
          reject(new Error(`recorder: socket closed before the awaited bytes; got ${all.toString('hex')}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `recorder: awaited bytes did not arrive in ${timeoutMs} ms; got ${this.received().toString('hex')}`,
          ),
        );
      }, timeoutMs);
      const stop = this.onReceive(check);
      const done = (): void => {
        clearTimeout(timer);
        stop();
      };
      check();
    });
  }

  /**
   * Resolves once the peer has sent nothing for `quietMs` counted from this call or its last chunk, whichever is
   * later (or the socket closed), and after `maxMs` at most.
   */
  async waitForQuiet(quietMs: number, maxMs: number): Promise<void> {
    const calledAt = Date.now();
    const deadline = calledAt + maxMs;
    while (!this.isClosed && Date.now() < deadline) {
      const quietFor = Date.now() - Math.max(calledAt, this.lastReceiveAt);
      if (quietFor >= quietMs) return;
      await delay(Math.min(quietMs - quietFor, deadline - Date.now()));
    }
  }

  /** Closes our end (FIN) and waits for the socket to close, destroying it after `timeoutMs`. */
  async close(timeoutMs = 1_000): Promise<void> {
    this.socket.end();
    const late = setTimeout(() => this.socket.destroy(), timeoutMs);
    await this.closed;
    clearTimeout(late);
  }
}
